import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import ApolloServerPluginResponseCache from '@apollo/server-plugin-response-cache';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { createClient, createKeyv } from '@keyv/redis';
import { ANONYMOUS, canReadRestricted, type Identity } from '../../shared/src/auth/identity';
import { describeError, type Logger } from '../../shared/src/runtime/logger';

/** Where cached responses live: Redis when REDIS_URL is set, in this process otherwise. */
export interface ResponseCacheStore {
  cache: KeyValueCache<string>;
  close(): Promise<void>;
}

export function memoryStore(maxBytes = 64 * 1024 * 1024): ResponseCacheStore {
  return {
    cache: new InMemoryLRUCache<string>({ maxSize: maxBytes, sizeCalculation: (v) => v.length }),
    close: async () => undefined,
  };
}

const REDIS_ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * A Redis that cannot be reached is a miss, never an error for the client: commands fail at once
 * while it is away (no offline queue) and the client reconnects in the background. Each failure
 * is logged, at most one line every 10 s so an outage does not flood the log.
 */
export function redisStore(url: string, log: Logger): ResponseCacheStore {
  const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 1_000 } });
  const keyv = createKeyv(client, {
    namespace: 'mg:rc',
    keyPrefixSeparator: ':',
    throwOnConnectError: false,
    connectionTimeout: 1_000,
  });
  let lastLogged = 0;
  let skipped = 0;
  keyv.on('error', (error: unknown) => {
    const now = Date.now();
    if (now - lastLogged < REDIS_ERROR_LOG_INTERVAL_MS) {
      skipped += 1;
      return;
    }
    const more = skipped > 0 ? ` (and ${skipped} more since the last line)` : '';
    log.warn(`response cache: Redis failed, answering without the cache: ${describeError(error)}${more}`);
    lastLogged = now;
    skipped = 0;
  });
  // Connected now, so a request never waits for a connection: while Redis is away the client
  // reconnects in the background and commands fail at once.
  client.connect().catch((error: unknown) => keyv.emit('error', error));
  return {
    cache: new KeyvAdapter(keyv),
    close: async () => {
      // Also while reconnecting (not open then), or the retry timer would keep the process alive.
      await Promise.resolve()
        .then(() => client.destroy())
        .catch(() => undefined);
    },
  };
}

function identityOf(ctx: GraphQLRequestContext<BaseContext>): Identity {
  const { contextValue } = ctx;
  return 'identity' in contextValue ? (contextValue.identity as Identity) : ANONYMOUS;
}

/**
 * Caches whole responses of successful query operations for a fixed time, keyed by the operation
 * text, its name and its variables, with Apollo's response-cache plugin. Off unless
 * RESPONSE_CACHE_TTL_S is set: the graph's data are reference data, but a cache trades freshness
 * for speed and that is the operator's choice.
 */
export function responseCachePlugins(store: ResponseCacheStore, ttlSeconds: number): ApolloServerPlugin<BaseContext>[] {
  // Only anonymous answers are shared: a signed-in caller may see restricted fields.
  const anonymous = async (ctx: GraphQLRequestContext<BaseContext>) => !canReadRestricted(identityOf(ctx));
  const ttlAndMarker: ApolloServerPlugin<BaseContext> = {
    async serverWillStart() {
      return { serverWillStop: () => store.close() };
    },
    async requestDidStart() {
      return {
        // The subgraphs send no cache hints, which the gateway reads as "do not cache": the TTL is
        // the operator's setting, so it replaces whatever the execution computed.
        async executionDidStart(ctx) {
          return {
            async executionDidEnd() {
              ctx.overallCachePolicy.replace({ maxAge: ttlSeconds, scope: 'PUBLIC' });
            },
          };
        },
        async willSendResponse(ctx) {
          if (ctx.metrics.responseCacheHit) ctx.response.http.headers.set('x-response-cache', 'hit');
        },
      };
    },
  };
  return [
    // Hints drive the cache only: no Cache-Control header goes to clients, as before.
    ApolloServerPluginCacheControl({ calculateHttpHeaders: false }),
    ttlAndMarker,
    ApolloServerPluginResponseCache<BaseContext>({
      cache: store.cache,
      shouldReadFromCache: anonymous,
      shouldWriteToCache: anonymous,
    }),
  ];
}
