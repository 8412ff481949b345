import {
  type DocumentNode,
  getNamedType,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
  isObjectType,
  Kind,
} from 'graphql';
import { badUserInput } from './errors';

/** The longest key value a representation may carry: every key of the graph is a short code or id. */
export const MAX_KEY_LENGTH = 200;

// NUL makes PostgreSQL refuse the whole statement, which would fail every look-up batched with it.
// eslint-disable-next-line no-control-regex -- finding control characters is what it is for
const UNSAFE_KEY = /[\u0000-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The key fields of each entity type, from its @key directives: one list of field names per key
 * (a type may have several, and a representation needs only one). A key with a nested selection
 * ("a { b }") is left to the type's own resolver: its list is empty.
 */
export function entityKeys(typeDefs: DocumentNode): Map<string, string[][]> {
  const keys = new Map<string, string[][]>();
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      const fields = directive.arguments?.find((a) => a.name.value === 'fields')?.value;
      if (fields?.kind !== Kind.STRING) continue;
      const names = /[{}]/.test(fields.value)
        ? []
        : fields.value
            .trim()
            .split(/[\s,]+/)
            .filter((n) => n !== '');
      keys.set(definition.name.value, [...(keys.get(definition.name.value) ?? []), names]);
    }
  }
  return keys;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function keyProblem(type: GraphQLObjectType, names: string[], representation: Record<string, unknown>): string | null {
  for (const name of names) {
    const value = representation[name];
    if (value === undefined || value === null) return `lacks its key field "${name}"`;
    const scalar = getNamedType(type.getFields()[name]?.type)?.name;
    if (scalar === 'Int') {
      if (!Number.isInteger(value)) return `has ${kindOf(value)} as its key field "${name}", not an integer`;
      continue;
    }
    if (typeof value !== 'string') return `has ${kindOf(value)} as its key field "${name}", not a string`;
    if (value.length > MAX_KEY_LENGTH) return `has a key field "${name}" longer than ${MAX_KEY_LENGTH} characters`;
    if (UNSAFE_KEY.test(value)) return `has control characters or a lone surrogate in its key field "${name}"`;
  }
  return null;
}

/** Why one representation cannot be looked up, or null when it is well-formed. */
export function representationProblem(
  schema: GraphQLSchema,
  keys: Map<string, string[][]>,
  representation: unknown,
): string | null {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation))
    return `is ${kindOf(representation)}, not an object`;
  const { __typename: typename } = representation as { __typename?: unknown };
  if (typeof typename !== 'string') return 'has no __typename';
  const type = schema.getType(typename);
  const alternatives = keys.get(typename);
  if (!isObjectType(type) || !alternatives)
    return `names "${typename.slice(0, 100)}", which is not an entity type of this service`;
  const problems = alternatives.map((names) => keyProblem(type, names, representation as Record<string, unknown>));
  return problems.includes(null) ? null : problems[0];
}

/**
 * Each representation of an `_entities` call succeeds or fails alone. Apollo's resolver stops the
 * whole batch at the first representation it cannot place (an unknown __typename) or whose
 * __resolveReference throws, and a malformed key (a NUL, a list) can fail every look-up batched
 * with it: so each one is checked first, and a malformed one gets BAD_USER_INPUT at its own index.
 */
export function isolateEntities(schema: GraphQLSchema, typeDefs: DocumentNode): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  if (!field?.resolve) return schema;
  const original: GraphQLFieldResolver<unknown, unknown> = field.resolve;
  const keys = entityKeys(typeDefs);
  field.resolve = (source, args, context, info) => {
    const { representations } = args as { representations: unknown[] };
    return representations.map((representation, index) => {
      const problem = representationProblem(info.schema, keys, representation);
      if (problem) return badUserInput(`The representation at index ${index} ${problem}`);
      try {
        return (original(source, { representations: [representation] }, context, info) as unknown[])[0];
      } catch (error) {
        // Returned, not thrown: graphql-js then fails this item alone and keeps its siblings.
        return error instanceof Error ? error : new GraphQLError(String(error));
      }
    });
  };
  return schema;
}
