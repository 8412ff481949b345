import type http from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import compression from 'compression';
import { createHttpFront, type Handler, type HttpFrontOptions, listen } from '../../shared/src/runtime/http';
import type { Identity } from '../../shared/src/auth/identity';
import { gatewayContext } from './auth';
import { corsMiddleware } from './cors';
import { type ResponseCacheStore, responseCachePlugins } from './responseCache';
import { buildGateway, type GatewayOptions } from './server';
import type { SupergraphSource } from './supergraph';
import { createMetrics, type Metrics } from '../../shared/src/runtime/metrics';
import { createReportsRoute } from './reports/route';
import type { Execute, GraphQLBody } from './reports/run';

export interface GatewayAppOptions extends GatewayOptions {
  /** Verifies a request's bearer token; without it every request runs with an empty context. */
  authenticate?: (authorization: string | undefined) => Promise<Identity>;
  /** Whole responses cached in this store for this many seconds (after any other plugins). */
  responseCache?: { store: ResponseCacheStore; ttlSeconds: number };
  /** Readiness beyond being alive; always ready when not given. */
  ready?: HttpFrontOptions<BaseContext>['ready'];
  /** Run first on every request, health checks included. */
  middleware?: HttpFrontOptions<BaseContext>['middleware'];
  /** Routes tried before the GraphQL endpoint (the IDE). */
  routes?: HttpFrontOptions<BaseContext>['routes'];
  /** Largest request body; limits.maxBodyBytes, then the HTTP front's default, when not given. */
  maxBodyBytes?: number;
  readTimeoutMs?: number;
  /** How long stop() lets requests in flight finish before it cuts them (10 s when not given). */
  stopGracePeriodMs?: number;
  /** Origins whose pages may call the gateway (config.corsOrigins); none when not given. */
  corsOrigins?: readonly string[];
  /** METRICS_TOKEN: GET /metrics answers only this bearer token when set. */
  metricsToken?: string;
  /** The folder of the named reports served at /reports; no /reports without it. */
  reportsDir?: string;
}

/** Answers smaller than this go uncompressed: below it, the encoding's overhead outweighs the bytes saved. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

export interface GatewayApp {
  apollo: ApolloServer<BaseContext>;
  gateway: ApolloGateway;
  /** The supergraph served, swappable while the gateway runs. */
  supergraph: SupergraphSource;
  /** What GET /metrics serves. */
  metrics: Metrics;
  http: http.Server;
  /** Starts Apollo Server and listens (port 0: any free port); resolves to the /graphql URL. */
  start(port?: number, host?: string): Promise<string>;
  /** Drains the HTTP server (cutting requests still open after stopGracePeriodMs), then stops Apollo Server. */
  stop(): Promise<void>;
}

/**
 * The gateway assembled once, for the gateway process, the in-process stack, the benchmark and the
 * tests: the federated Apollo Server, its plugins and response cache, the auth context and the HTTP
 * front. Building does no I/O, so a bad supergraph fails here, before anything starts.
 */
export function createGatewayApp(opts: GatewayAppOptions): GatewayApp {
  const cachePlugins = opts.responseCache ? responseCachePlugins(opts.responseCache.store, opts.responseCache.ttlSeconds) : [];
  const metrics = createMetrics();
  const { apollo, gateway, supergraph } = buildGateway({ ...opts, metrics, plugins: [...(opts.plugins ?? []), ...cachePlugins] });
  const context = opts.authenticate ? gatewayContext(opts.authenticate) : async () => ({});
  // A report's request goes through Apollo Server as a POSTed query would, as its caller: token
  // checks, validation rules, cost and list limits, plugins and errors are the GraphQL endpoint's.
  const execute =
    (req: http.IncomingMessage): Execute =>
    async (query, variables) => {
      const headers = new HeaderMap([['content-type', 'application/json']]);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query, variables } },
        context: () => context(req),
      });
      let text = '';
      if (response.body.kind === 'complete') text = response.body.string;
      else for await (const chunk of response.body.asyncIterator) text += chunk;
      return { status: response.status ?? 200, body: JSON.parse(text) as GraphQLBody };
    };
  const reportsRoute = opts.reportsDir
    ? [createReportsRoute({ operationsDir: opts.reportsDir, supergraphSdl: () => supergraph.current(), execute })]
    : [];
  const front = createHttpFront<BaseContext>({
    apollo,
    context,
    ready: opts.ready ?? (async () => ({ ok: true, checks: {} })),
    // CORS first: a preflight is answered before anything else runs. Then brotli or gzip as the
    // client accepts, for GraphQL answers; the IDE route compresses its page and assets itself, once.
    middleware: [
      corsMiddleware(opts.corsOrigins ?? []),
      // Typed for express, but connect middleware: it uses only Node's request and response.
      compression({ threshold: COMPRESSION_THRESHOLD_BYTES }) as unknown as Handler,
      ...(opts.middleware ?? []),
    ],
    routes: [...reportsRoute, ...(opts.routes ?? [])],
    maxBodyBytes: opts.maxBodyBytes ?? opts.limits?.maxBodyBytes,
    readTimeoutMs: opts.readTimeoutMs,
    stopGracePeriodMs: opts.stopGracePeriodMs,
    observer: { log: opts.log, metrics, gateway: true, metricsToken: opts.metricsToken },
  });
  return {
    apollo,
    gateway,
    supergraph,
    metrics,
    http: front.server,
    start: async (port = 0, host = '127.0.0.1') => {
      await apollo.start();
      const bound = await listen(front.server, port, host);
      return `http://${host}:${bound}/graphql`;
    },
    // The front's drain plugin closes the HTTP server first.
    stop: () => apollo.stop(),
  };
}
