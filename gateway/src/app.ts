import type http from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { closeServer, createHttpServer, type HttpAppOptions, listen } from '../../shared/src/runtime/http';
import type { Identity } from '../../shared/src/auth/identity';
import { gatewayContext } from './auth';
import { type ResponseCacheStore, responseCachePlugins } from './responseCache';
import { buildGateway, type GatewayOptions } from './server';

export interface GatewayAppOptions extends GatewayOptions {
  /** Verifies a request's bearer token; without it every request runs with an empty context. */
  authenticate?: (authorization: string | undefined) => Promise<Identity>;
  /** Whole responses cached in this store for this many seconds (after any other plugins). */
  responseCache?: { store: ResponseCacheStore; ttlSeconds: number };
  /** Readiness beyond being alive; always ready when not given. */
  ready?: HttpAppOptions<BaseContext>['ready'];
  extraRoutes?: HttpAppOptions<BaseContext>['extraRoutes'];
  /** Largest request body; limits.maxBodyBytes, then the HTTP front's default, when not given. */
  maxBodyBytes?: number;
  readTimeoutMs?: number;
}

export interface GatewayApp {
  apollo: ApolloServer<BaseContext>;
  gateway: ApolloGateway;
  http: http.Server;
  /** Starts Apollo Server and listens (port 0: any free port); resolves to the /graphql URL. */
  start(port?: number, host?: string): Promise<string>;
  /** Closes the HTTP server (cutting requests still open after closeTimeoutMs), then Apollo Server. */
  stop(closeTimeoutMs?: number): Promise<void>;
}

/**
 * The gateway assembled once, for the gateway process, the in-process stack, the benchmark and the
 * tests: the federated Apollo Server, its plugins and response cache, the auth context and the HTTP
 * front. Building does no I/O, so a bad supergraph fails here, before anything starts.
 */
export function createGatewayApp(opts: GatewayAppOptions): GatewayApp {
  const cachePlugins = opts.responseCache ? responseCachePlugins(opts.responseCache.store, opts.responseCache.ttlSeconds) : [];
  const { apollo, gateway } = buildGateway({ ...opts, plugins: [...(opts.plugins ?? []), ...cachePlugins] });
  const server = createHttpServer<BaseContext>({
    apollo,
    context: opts.authenticate ? gatewayContext(opts.authenticate) : async () => ({}),
    ready: opts.ready ?? (async () => ({ ok: true, checks: {} })),
    extraRoutes: opts.extraRoutes,
    maxBodyBytes: opts.maxBodyBytes ?? opts.limits?.maxBodyBytes,
    readTimeoutMs: opts.readTimeoutMs,
  });
  return {
    apollo,
    gateway,
    http: server,
    start: async (port = 0, host = '127.0.0.1') => {
      await apollo.start();
      const bound = await listen(server, port, host);
      return `http://${host}:${bound}/graphql`;
    },
    stop: async (closeTimeoutMs?: number) => {
      await closeServer(server, closeTimeoutMs);
      await apollo.stop();
    },
  };
}
