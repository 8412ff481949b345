import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

type Container = Record<string | number, unknown>;

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

interface ValueCompletionError {
  message: string;
  path?: readonly (string | number)[];
}

/**
 * Two repairs of the gateway's answer, so that a reference across services never blanks an answer
 * without saying why:
 * - Apollo Gateway reports an entity its owning service could not resolve (null in `_entities`, with
 *   a DANGLING_REFERENCE error) but keeps the key fields the referring service sent, so
 *   `{ code: "PSR1967", shortTitle: null }` would read as an instrument without a short title. The
 *   field the error points at is null, as the schema says (every such reference field is nullable).
 * - When a service answers an entity with null and no error (a service of an older version), the
 *   gateway nulls the nearest nullable parent and reports it only in `extensions.valueCompletion`,
 *   and only when the answer has no error at all: those become DANGLING_REFERENCE errors.
 */
export const nullDanglingReferences: ApolloServerPlugin<BaseContext> = {
  requestDidStart: async () => ({
    willSendResponse: async ({ response }) => {
      if (response.body.kind !== 'single') return;
      const result = response.body.singleResult;
      for (const error of result.errors ?? []) {
        const path = error.path;
        if (error.extensions?.code !== 'DANGLING_REFERENCE' || !path || path.length === 0) continue;
        let parent: unknown = result.data;
        for (const key of path.slice(0, -1)) parent = isContainer(parent) ? parent[key] : undefined;
        const last = path[path.length - 1];
        if (isContainer(parent) && last in parent) parent[last] = null;
      }
      const silent = result.extensions?.valueCompletion;
      if (Array.isArray(silent) && silent.length > 0 && !result.errors?.length) {
        // The gateway has already nulled the nearest nullable parent: only the error is missing.
        result.errors = (silent as ValueCompletionError[]).map((e) => ({
          message: e.message,
          path: e.path,
          extensions: { code: 'DANGLING_REFERENCE' },
        }));
        const { valueCompletion: _reported, ...rest } = result.extensions ?? {};
        if (Object.keys(rest).length > 0) result.extensions = rest;
        else delete result.extensions;
      }
    },
  }),
};
