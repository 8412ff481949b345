import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLField,
  type GraphQLNamedType,
  GraphQLError,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  valueFromASTUntyped,
  visit,
} from 'graphql';
import type { GatewayLimits } from '../../shared/src/config';
import { canReadRestricted, type Identity } from '../../shared/src/identity';

/** The defaults of GRAPHQL_MAX_* (see the configuration table). */
export const DEFAULT_LIMITS: GatewayLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 2000,
  maxCost: 50000,
  maxListLength: 300,
  maxBodyBytes: 256 * 1024,
};

function withCode(code: string, status: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/** Reports a graphql-armor rejection as a validation error (HTTP 400) rather than bad input. */
const reportRejection = (ctx: ValidationContext | null, error: GraphQLError): void => {
  ctx?.reportError(new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
};

/** The longest array anywhere in the variables; iterative, so deeply nested JSON cannot overflow the stack. */
function longestList(value: unknown): number {
  let longest = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (Array.isArray(next)) {
      longest = Math.max(longest, next.length);
      for (const item of next) pending.push(item);
    } else if (next !== null && typeof next === 'object') {
      for (const item of Object.values(next)) pending.push(item);
    }
  }
  return longest;
}

function longestListLiteral(document: DocumentNode): number {
  let longest = 0;
  visit(document, {
    ListValue(node) {
      longest = Math.max(longest, node.values.length);
    },
  });
  return longest;
}

function asksIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

const PAGE_ARGUMENTS = ['first', 'last', 'limit'];
const OBJECT_COST = 2;
const SCALAR_COST = 1;
const DEPTH_COST_FACTOR = 1.5;

/** The page size a field asks for: its first/last/limit argument, its declared default, or 1. */
function pageSize(node: FieldNode, field: GraphQLField<unknown, unknown> | undefined, variables: Record<string, unknown>): number {
  for (const name of PAGE_ARGUMENTS) {
    const arg = node.arguments?.find((a) => a.name.value === name);
    const value = arg ? valueFromASTUntyped(arg.value, variables) : field?.args.find((a) => a.name === name)?.defaultValue;
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(1, value);
  }
  return 1;
}

/**
 * The cost of an operation, as graphql-armor counts it (objects 2, scalars 1, times 1.5 per level),
 * but with each list multiplied by the page size it asks for, from a literal, a variable or the
 * argument's default: armor sees literals only, so a page size passed in a variable would cost 1.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  const costOf = (set: SelectionSetNode, parent: GraphQLNamedType | undefined | null): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const field = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
        total += selection.selectionSet
          ? (OBJECT_COST + DEPTH_COST_FACTOR * costOf(selection.selectionSet, field ? getNamedType(field.type) : undefined)) *
            pageSize(selection, field, variables)
          : SCALAR_COST;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent);
      } else {
        const fragment = fragments[selection.name.value];
        if (fragment) total += costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      }
    }
    return total;
  };
  return costOf(operation.selectionSet, schema.getRootType(operation.operation));
}

/** The largest page size any field asks for, from a literal or a variable. */
function largestPage(document: DocumentNode, variables: Record<string, unknown>): { name: string; value: number } | null {
  let largest: { name: string; value: number } | null = null;
  visit(document, {
    Argument(node) {
      if (!PAGE_ARGUMENTS.includes(node.name.value)) return;
      const value = valueFromASTUntyped(node.value, variables);
      if (typeof value === 'number' && (!largest || value > largest.value)) largest = { name: node.name.value, value };
    },
  });
  return largest;
}

function identityOf(context: unknown): Identity | undefined {
  return (context as { identity?: Identity } | null)?.identity;
}

/**
 * Depth, aliases, tokens and cost (graphql-armor), list argument lengths, and, in production,
 * introspection for partners and above only and no "Did you mean" suggestions. Batched HTTP
 * requests stay refused (Apollo Server's default, set explicitly where the server is built).
 */
export function gatewayLimits(
  limits: GatewayLimits,
  production: boolean,
): { plugins: ApolloServerPlugin<BaseContext>[]; validationRules: ValidationRule[] } {
  const rejection = { propagateOnRejection: false, onReject: [reportRejection] };
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...rejection },
    maxAliases: { n: limits.maxAliases, ...rejection },
    // Tokens are counted by graphql-js's own parser (parseOptions.maxTokens, set where the server is
    // built): armor's token plugin throws from a hook, which Apollo answers with HTTP 500.
    maxTokens: { enabled: false },
    // Cost is counted by operationCost below, which sees variables and page sizes.
    costLimit: { enabled: false },
    maxDirectives: { n: 50, ...rejection },
    // Armor's mask leaves the question mark behind; blockSuggestions below removes the whole phrase.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const guard: ApolloServerPlugin<BaseContext> = {
    requestDidStart: async () => ({
      didResolveOperation: async ({ document, request, contextValue, operation, schema }) => {
        const variables = request.variables ?? {};
        const longest = Math.max(longestListLiteral(document), longestList(variables));
        if (longest > limits.maxListLength) {
          throw withCode('BAD_USER_INPUT', 400, `A list argument has ${longest} values; at most ${limits.maxListLength} are accepted`);
        }
        // The services cap each page (100, or 300 for countries); the gateway refuses anything over
        // the largest of those caps before the cost is even counted.
        const page = largestPage(document, variables);
        if (page && page.value > limits.maxListLength) {
          throw withCode('BAD_USER_INPUT', 400, `\`${page.name}\` must be at most ${limits.maxListLength}, got ${page.value}`);
        }
        const fragments: Record<string, FragmentDefinitionNode> = {};
        for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
        const cost = operation ? operationCost(schema, operation, fragments, variables) : 0;
        if (cost > limits.maxCost) {
          throw withCode('GRAPHQL_VALIDATION_FAILED', 400, `The operation costs ${Math.ceil(cost)}; at most ${limits.maxCost} is accepted`);
        }
        if (production && asksIntrospection(document)) {
          const identity = identityOf(contextValue);
          if (!identity || !canReadRestricted(identity)) {
            throw withCode('FORBIDDEN', 403, 'Introspection is open to partners, editors and admins only: sign in with a token');
          }
        }
      },
    }),
  };
  const blockSuggestions: ApolloServerPlugin<BaseContext> = {
    requestDidStart: async () => ({
      didEncounterErrors: async ({ errors }) => {
        for (const error of errors) error.message = error.message.replace(/ ?Did you mean [^?]*\?/g, '');
      },
    }),
  };
  return { plugins: [...armor.plugins, guard, ...(production ? [blockSuggestions] : [])], validationRules: armor.validationRules };
}
