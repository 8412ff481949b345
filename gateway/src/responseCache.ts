import crypto from 'node:crypto';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import Redis from 'ioredis';

/** Where cached responses live: Redis when REDIS_URL is set, in this process otherwise. */
export interface ResponseCacheStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}

export function memoryStore(maxBytes = 64 * 1024 * 1024): ResponseCacheStore {
  const cache = new InMemoryLRUCache<string>({ maxSize: maxBytes, sizeCalculation: (v) => v.length });
  return {
    get: (key) => cache.get(key),
    set: (key, value, ttl) => cache.set(key, value, { ttl }),
    close: async () => undefined,
  };
}

export function redisStore(url: string): ResponseCacheStore {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // A cache that cannot be reached is a miss, never an error for the client.
  redis.on('error', () => undefined);
  return {
    get: async (key) => (await redis.get(`mg:rc:${key}`).catch(() => null)) ?? undefined,
    set: async (key, value, ttl) => {
      await redis.set(`mg:rc:${key}`, value, 'EX', ttl).catch(() => undefined);
    },
    close: async () => {
      redis.disconnect();
    },
  };
}

const CACHED = Symbol('served from the response cache');

/**
 * Caches whole responses of successful query operations for a fixed time, keyed by the operation
 * text, its name and its variables. Off unless RESPONSE_CACHE_TTL_S is set: the graph's data are
 * reference data, but a cache trades freshness for speed and that is the operator's choice.
 */
export function responseCachePlugin(store: ResponseCacheStore, ttlSeconds: number): ApolloServerPlugin<BaseContext> {
  const keyOf = (query: string, operationName: string | null | undefined, variables: unknown) =>
    crypto.createHash('sha256').update(JSON.stringify([query, operationName ?? null, variables ?? null])).digest('hex');
  return {
    async requestDidStart() {
      let key: string | null = null;
      return {
        async responseForOperation(ctx) {
          if (ctx.operation.operation !== 'query' || !ctx.source) return null;
          // Only anonymous answers are shared: a signed-in caller may see restricted fields.
          if (((ctx.contextValue as { identity?: { roles: unknown[] } }).identity?.roles.length ?? 0) > 0) return null;
          key = keyOf(ctx.source, ctx.request.operationName, ctx.request.variables);
          const hit = await store.get(key);
          if (hit === undefined) return null;
          (ctx as unknown as Record<symbol, boolean>)[CACHED] = true;
          const headers = new HeaderMap([['x-response-cache', 'hit']]);
          return { body: { kind: 'single', singleResult: JSON.parse(hit) }, http: { headers, status: undefined } };
        },
        async willSendResponse(ctx: GraphQLRequestContextWillSendResponse<BaseContext>) {
          if (!key || (ctx as unknown as Record<symbol, boolean>)[CACHED]) return;
          const body = ctx.response.body;
          if (body.kind !== 'single' || body.singleResult.errors || !body.singleResult.data) return;
          await store.set(key, JSON.stringify(body.singleResult), ttlSeconds);
        },
      };
    },
  };
}
