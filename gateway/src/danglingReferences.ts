import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

type Container = Record<string | number, unknown>;

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

/**
 * Apollo Gateway reports an entity that its owning service could not resolve (null in `_entities`,
 * with a DANGLING_REFERENCE error) but keeps the key fields the referring service sent, so
 * `{ code: "PSR1967", shortTitle: null }` would read as an instrument without a short title. The
 * field the error points at is null, as the schema says (every such reference field is nullable).
 */
export const nullDanglingReferences: ApolloServerPlugin<BaseContext> = {
  requestDidStart: async () => ({
    willSendResponse: async ({ response }) => {
      if (response.body.kind !== 'single') return;
      const { data, errors } = response.body.singleResult;
      if (!data || !errors) return;
      for (const error of errors) {
        const path = error.path;
        if (error.extensions?.code !== 'DANGLING_REFERENCE' || !path || path.length === 0) continue;
        let parent: unknown = data;
        for (const key of path.slice(0, -1)) parent = isContainer(parent) ? parent[key] : undefined;
        const last = path[path.length - 1];
        if (isContainer(parent) && last in parent) parent[last] = null;
      }
    },
  }),
};
