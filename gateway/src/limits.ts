import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getOperationAST,
  getNullableType,
  type GraphQLField,
  type GraphQLNamedType,
  GraphQLError,
  type GraphQLSchema,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  TypeInfo,
  type ValidationContext,
  type ValidationRule,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { DEFAULT_GATEWAY_LIMITS, type GatewayLimits } from '../../shared/src/runtime/config';
import { type ListBound, type ListBounds, listBounds } from '../../shared/src/graphql/listBounds';
import { canReadRestricted, type Identity } from '../../shared/src/auth/identity';
import { type ErrorCode, graphError } from '../../shared/src/graphql/errors';
import { pageSizeProblem } from '../../shared/src/graphql/pagination';

/** graphql-armor's configuration, the same for its Apollo and its envelop adapters. */
export type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;

/** The defaults of GRAPHQL_MAX_* (see the configuration table), as config reads them. */
export const DEFAULT_LIMITS: GatewayLimits = DEFAULT_GATEWAY_LIMITS;

function withCode(code: ErrorCode, message: string): GraphQLError {
  return graphError(code, message, {}, { refusesRequest: true });
}

/** Reports a graphql-armor rejection as a validation error (HTTP 400) rather than bad input. */
const reportRejection = (ctx: ValidationContext | null, error: GraphQLError): void => {
  ctx?.reportError(graphError('GRAPHQL_VALIDATION_FAILED', error.message));
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

/** Every selected value counts one: an object, a scalar, an enum, each item of a list of them. */
const VALUE_COST = 1;
/**
 * A list the schema gives no bound (which a test over the composed supergraph forbids) is assumed
 * this long: large enough that such a list cannot hide in a cheap-looking query.
 */
export const UNDECLARED_LIST_SIZE = 1000;

/** Thrown inside the analysis once the running cost passes the limit: nothing more is walked. */
class OverLimit extends Error {
  constructor(readonly cost: number) {
    super('over the cost limit');
  }
}

function argumentValue(
  node: FieldNode,
  name: string,
  field: GraphQLField<unknown, unknown> | undefined,
  variables: Record<string, unknown>,
): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, variables) : field?.args.find((a) => a.name === name)?.defaultValue;
}

/**
 * How many items a field can return: the first slicing argument the query (or the argument's
 * default) gives, else the declared assumed size. A list without a declaration counts
 * UNDECLARED_LIST_SIZE, never 1. A sized connection is one object: its sizedFields carry the size.
 */
function fieldSize(
  node: FieldNode,
  field: GraphQLField<unknown, unknown> | undefined,
  bound: ListBound | undefined,
  variables: Record<string, unknown>,
): number {
  if (bound?.slicingArguments) {
    for (const name of bound.slicingArguments) {
      const value = argumentValue(node, name, field, variables);
      if (typeof value === 'number' && Number.isFinite(value)) return Math.max(1, value);
    }
  }
  if (bound?.assumedSize !== undefined) return Math.max(1, bound.assumedSize);
  if (field && isListType(getNullableType(field.type))) return UNDECLARED_LIST_SIZE;
  if (!field) {
    // Not in the schema (validation has already failed it) or a list type we cannot see: the old rule.
    for (const name of PAGE_ARGUMENTS) {
      const value = argumentValue(node, name, field, variables);
      if (typeof value === 'number' && Number.isFinite(value)) return Math.max(1, value);
    }
  }
  return 1;
}

/**
 * The worst-case number of values an operation's answer can hold: each field counts one, times the
 * size of every list around it (the demand-control model of Federation's `@listSize`, with scalars
 * counted too, since they make the response). Linear in the document: each fragment is costed once
 * per sizing context and reused at every spread, and the walk stops as soon as the cost passes
 * `limit` (the result is then some value above it).
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  bounds: ListBounds = new Map(),
  limit = Number.POSITIVE_INFINITY,
): number {
  const fragmentCosts = new Map<string, number>();
  const inProgress = new Set<string>();
  const check = (cost: number): number => {
    if (cost > limit) throw new OverLimit(cost);
    return cost;
  };
  /** `sized`: fields of this selection that carry their parent connection's size (its sizedFields). */
  const costOf = (
    set: SelectionSetNode,
    parent: GraphQLNamedType | undefined | null,
    sized: { fields: string[]; size: number } | null,
  ): number => {
    let total = 0;
    // A leaf asked twice under one key is one value of the answer; repeated spreads still count each time.
    const leaves = new Set<string>();
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        // Introspection is limited on its own (and in production to partners); __typename is a value like any other.
        if (selection.name.value === '__schema' || selection.name.value === '__type') continue;
        if (!selection.selectionSet) {
          const key = selection.alias?.value ?? selection.name.value;
          if (leaves.has(key)) continue;
          leaves.add(key);
        }
        const field =
          parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
        const bound = parent ? bounds.get(`${parent.name}.${selection.name.value}`) : undefined;
        // A connection's sized field (edges) is as long as the connection's slicing argument says.
        const inherited = sized?.fields.includes(selection.name.value) ? sized.size : undefined;
        let size: number;
        let childSized: { fields: string[]; size: number } | null = null;
        if (bound?.sizedFields && bound.sizedFields.length > 0) {
          childSized = { fields: bound.sizedFields, size: fieldSize(selection, field, bound, variables) };
          size = inherited ?? 1;
        } else {
          size = inherited ?? fieldSize(selection, field, bound, variables);
        }
        const inner = selection.selectionSet
          ? costOf(selection.selectionSet, field ? getNamedType(field.type) : undefined, childSized)
          : 0;
        total = check(total + size * (VALUE_COST + inner));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total = check(total + costOf(selection.selectionSet, type, sized));
      } else {
        const fragment = fragments[selection.name.value];
        if (!fragment) continue;
        const key = sized ? `${fragment.name.value}@${sized.fields.join(',')}x${sized.size}` : fragment.name.value;
        let cost = fragmentCosts.get(key);
        if (cost === undefined) {
          // Validation refuses fragment cycles before this runs; a cycle that got here costs nothing more.
          if (inProgress.has(key)) continue;
          inProgress.add(key);
          cost = costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), sized);
          inProgress.delete(key);
          fragmentCosts.set(key, cost);
        }
        total = check(total + cost);
      }
    }
    return total;
  };
  try {
    return costOf(operation.selectionSet, schema.getRootType(operation.operation), null);
  } catch (error) {
    if (error instanceof OverLimit) return error.cost;
    throw error;
  }
}

/** The cost of a document's operation (its only one, or the one given), with the document's fragments: see operationCost. */
export function documentCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationNode: OperationDefinitionNode | null | undefined,
  variables: Record<string, unknown> = {},
  bounds: ListBounds = new Map(),
  limit = Number.POSITIVE_INFINITY,
): number {
  const operation = operationNode ?? getOperationAST(document);
  if (!operation) throw new Error('the document has no single operation to cost');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return operationCost(schema, operation, fragments, variables, bounds, limit);
}

/** A field with size arguments, where a document asks for it: what a page size check reads. */
interface SizedField {
  node: FieldNode;
  field: GraphQLField<unknown, unknown>;
  coordinate: string;
  bound: ListBound;
}

/** The fields of a document that take size arguments with a declared cap, in document order. */
function sizedFields(schema: GraphQLSchema, document: DocumentNode, bounds: ListBounds): SizedField[] {
  const found: SizedField[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        const coordinate = `${parent.name}.${node.name.value}`;
        const bound = bounds.get(coordinate);
        if (bound?.slicingArguments) found.push({ node, field, coordinate, bound });
      },
    }),
  );
  return found;
}

/**
 * The first size argument (from a literal, a variable or its default) over its field's declared cap,
 * as the refusal the service itself would give: checked here so that no service is called for it.
 */
function pageSizeRefusal(sized: readonly SizedField[], variables: Record<string, unknown>): GraphQLError | null {
  for (const { node, field, coordinate, bound } of sized) {
    const args: Record<string, unknown> = {};
    for (const name of bound.slicingArguments ?? []) args[name] = argumentValue(node, name, field, variables);
    const refusal = pageSizeProblem(coordinate, bound, args, { refusesRequest: true });
    if (refusal) return refusal;
  }
  return null;
}

/** What the request check reads of a document whatever its variables, for one schema and its bounds. */
interface DocumentFacts {
  schema: GraphQLSchema;
  bounds: ListBounds;
  longestListLiteral: number;
  asksIntrospection: boolean;
  sizedFields: SizedField[];
}

function identityOf(context: unknown): Identity | undefined {
  return (context as { identity?: Identity } | null)?.identity;
}

/**
 * graphql-armor's depth, alias and directive limits as both gateways configure them (Apollo's and
 * Hive's, through their own armor adapters): a rejection is reported as a validation error (HTTP
 * 400) rather than bad input.
 */
export function armorConfig(limits: GatewayLimits): ArmorConfig {
  const rejection = { propagateOnRejection: false, onReject: [reportRejection] };
  return {
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...rejection },
    maxAliases: { n: limits.maxAliases, ...rejection },
    // Tokens are counted by graphql-js's own parser (parseOptions.maxTokens, set where the server is
    // built): armor's token plugin throws from a hook, which Apollo answers with HTTP 500.
    maxTokens: { enabled: false },
    // Cost is counted by operationCost below, which sees variables and page sizes.
    costLimit: { enabled: false },
    maxDirectives: { n: 50, ...rejection },
    // Armor's mask leaves the question mark behind; withoutSuggestions removes the whole phrase.
    blockFieldSuggestion: { enabled: false },
  };
}

/** An error message without graphql-js's "Did you mean" suggestions (production hides the schema's names). */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean [^?]*\?/g, '');
}

/** What the request check reads of one request, whichever gateway runs it. */
export interface CheckedRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode | null | undefined;
  variables: Record<string, unknown>;
  schema: GraphQLSchema;
  /** The caller, as the bearer token proved it (undefined: none known). */
  identity: Identity | undefined;
}

/**
 * The checks made once an operation is chosen, before any service is called: list argument lengths,
 * page sizes, cost, and in production introspection for partners and above only. Throws the
 * request's error (with its HTTP status); returns when the request may run.
 */
export function createRequestCheck(
  limits: GatewayLimits,
  production: boolean,
  /** The supergraph served (it may be reloaded), whose `@listSize` bounds the cost reads. */
  supergraphSdl: () => string,
): (request: CheckedRequest) => void {
  let boundsOf: { sdl: string; bounds: ListBounds } | null = null;
  const currentBounds = () => {
    const sdl = supergraphSdl();
    if (boundsOf?.sdl !== sdl) boundsOf = { sdl, bounds: listBounds(sdl) };
    return boundsOf.bounds;
  };
  // Both gateways keep one parsed document per query text, so what depends only on the document is
  // worked out once per document and schema: walking it on every request cost about 5% of the
  // gateway's CPU time for a country dossier.
  const known = new WeakMap<DocumentNode, DocumentFacts>();
  const factsOf = (document: DocumentNode, schema: GraphQLSchema, bounds: ListBounds): DocumentFacts => {
    let facts = known.get(document);
    if (facts?.schema !== schema || facts.bounds !== bounds) {
      facts = {
        schema,
        bounds,
        longestListLiteral: longestListLiteral(document),
        asksIntrospection: asksIntrospection(document),
        sizedFields: sizedFields(schema, document, bounds),
      };
      known.set(document, facts);
    }
    return facts;
  };
  return ({ document, operation, variables, schema, identity }) => {
    const bounds = currentBounds();
    const facts = factsOf(document, schema, bounds);
    const longest = Math.max(facts.longestListLiteral, longestList(variables));
    if (longest > limits.maxListLength) {
      throw withCode('BAD_USER_INPUT', `A list argument has ${longest} values; at most ${limits.maxListLength} are accepted`);
    }
    const tooLarge = pageSizeRefusal(facts.sizedFields, variables);
    if (tooLarge) throw tooLarge;
    const cost = operation ? documentCost(schema, document, operation, variables, bounds, limits.maxCost) : 0;
    if (cost > limits.maxCost) {
      // The analysis stops once past the limit, so the figure is where it stopped: a lower bound.
      throw withCode(
        'GRAPHQL_VALIDATION_FAILED',
        `The operation costs at least ${Math.ceil(cost)}; at most ${limits.maxCost} is accepted`,
      );
    }
    if (production && facts.asksIntrospection) {
      if (!identity || !canReadRestricted(identity)) {
        throw withCode('FORBIDDEN', 'Introspection is open to partners, editors and admins only: sign in with a token');
      }
    }
  };
}

/**
 * Depth, aliases, tokens and cost (graphql-armor), list argument lengths, and, in production,
 * introspection for partners and above only and no "Did you mean" suggestions. Batched HTTP
 * requests stay refused (Apollo Server's default, set explicitly where the server is built).
 */
export function gatewayLimits(
  limits: GatewayLimits,
  production: boolean,
  /** The supergraph served (it may be reloaded), whose `@listSize` bounds the cost reads. */
  supergraphSdl: () => string,
): { plugins: ApolloServerPlugin<BaseContext>[]; validationRules: ValidationRule[] } {
  const armor = new ApolloArmor(armorConfig(limits)).protect();
  const check = createRequestCheck(limits, production, supergraphSdl);
  const guard: ApolloServerPlugin<BaseContext> = {
    requestDidStart: async () => ({
      didResolveOperation: async ({ document, request, contextValue, operation, schema }) => {
        check({ document, operation, variables: request.variables ?? {}, schema, identity: identityOf(contextValue) });
      },
    }),
  };
  const blockSuggestions: ApolloServerPlugin<BaseContext> = {
    requestDidStart: async () => ({
      didEncounterErrors: async ({ errors }) => {
        for (const error of errors) error.message = withoutSuggestions(error.message);
      },
    }),
  };
  return {
    plugins: [...armor.plugins, guard, ...(production ? [blockSuggestions] : [])],
    validationRules: armor.validationRules,
  };
}
