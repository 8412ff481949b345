import type { GraphQLResult } from './serviceHarness';

/**
 * An `_entities` answer's errors without their source locations, in representation order (each
 * representation resolves on its own, so errors arrive in the order their look-ups finish).
 */
export function entityErrors(
  result: GraphQLResult,
): { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] | undefined {
  return result.errors
    ?.map((e) => ({ path: e.path, extensions: e.extensions }))
    .sort((a, b) => Number(a.path?.[1] ?? 0) - Number(b.path?.[1] ?? 0));
}

/** The error of a representation whose key names no live record. */
export const danglingAt = (index: number, typename: string, key: string) => ({
  path: ['_entities', index],
  extensions: { code: 'DANGLING_REFERENCE', typename, key },
});
