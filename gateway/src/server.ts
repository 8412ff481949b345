import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import type { GatewayLimits, ServiceName } from '../../shared/src/runtime/config';
import { ANONYMOUS, type Identity } from '../../shared/src/auth/identity';
import { encodeIdentity, SIGNATURE_HEADERS, type ServiceSecrets, signatureHeaders } from '../../shared/src/auth/signing';
import { DEFAULT_LIMITS, gatewayLimits } from './limits';
import { apolloLogger, type Logger } from '../../shared/src/runtime/logger';
import { recordRequest } from '../../shared/src/graphql/requestRecord';
import { maskError, unavailableStatus } from '../../shared/src/graphql/subgraph';
import { type ErrorCode, graphError, isPublicErrorCode } from '../../shared/src/graphql/errors';
import { nullDanglingReferences } from './danglingReferences';
import { type SupergraphSource, supergraphSource } from './supergraph';
import { getOperationAST, GraphQLError, type GraphQLSchema, isScalarType } from 'graphql';
import { DateScalar, PartialDateScalar } from '../../shared/src/graphql/scalars';
import { getVariableValues } from 'graphql/execution/values';
import { Agent, type Dispatcher } from 'undici';
import { context as otelContext, propagation } from '@opentelemetry/api';
import type { Metrics } from '../../shared/src/runtime/metrics';
import { currentRequest, REQUEST_ID_HEADER } from '../../shared/src/runtime/requestContext';

export interface GatewayOptions {
  supergraphSdl: string;
  serviceUrls: Record<ServiceName, string>;
  subgraphTimeoutMs: number;
  /** Most open sockets to one service; further calls queue for a free one. */
  subgraphMaxSockets?: number;
  /** Share concurrent identical subgraph reads (default true). */
  deduplicateSubgraphCalls?: boolean;
  /** More Apollo Server plugins (the response cache, for one). */
  plugins?: ApolloServerPlugin<BaseContext>[];
  log: Logger;
  /** Each service's secret: every subgraph call carries the caller's identity signed with it. */
  serviceSecrets: ServiceSecrets;
  /** Depth, aliases, tokens, cost, list lengths; DEFAULT_LIMITS when not given. */
  limits?: GatewayLimits;
  /** Production: introspection for partners and above only, no field suggestions. */
  production?: boolean;
  /** Where subgraph calls are counted and timed. */
  metrics?: Metrics;
}

const DEFAULT_SUBGRAPH_MAX_SOCKETS = 32;

/**
 * A subgraph's answer, read whole: what Apollo Gateway uses of a fetch Response. The body is
 * already a string, so a copy for another reader (a shared call's) costs nothing; undici's fetch
 * wraps every answer in web streams, which cost about a fifth of the gateway's CPU time per request.
 */
class SubgraphResponse implements FetcherResponse {
  readonly redirected = false;
  bodyUsed = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: Headers,
    private readonly body: string,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(await this.text());
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  clone(): SubgraphResponse {
    return new SubgraphResponse(this.url, this.status, this.headers, this.body);
  }
}

/**
 * Subgraph calls go through one keep-alive pool with a bounded number of sockets per service (a
 * slow service cannot make the gateway open sockets without limit) and a per-call timeout, which
 * Apollo Gateway does not have by default, covering the answer's body too. A refused, reset or
 * timed-out call becomes an error naming the service only: never its URL.
 */
function timedFetcher(service: string, timeoutMs: number, pool: Agent, metrics?: Metrics): Fetcher {
  return async (url, init) => {
    const started = process.hrtime.bigint();
    const observe = (outcome: 'ok' | 'error', code?: string) => {
      metrics?.subgraphDuration.observe({ service, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
      if (code) metrics?.subgraphErrors.inc({ service, code });
    };
    // An emitter rather than an AbortSignal: undici takes either, and a signal per call is costly in Node 20.
    const abort = new EventEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.emit('abort');
    }, timeoutMs);
    try {
      const target = new URL(url);
      const { statusCode, headers, body } = await pool.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: (init?.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: init?.headers,
        body: init?.body,
        signal: abort,
      });
      const text = await body.text();
      const response = new SubgraphResponse(url, statusCode, headersOf(headers), text);
      if (response.ok) observe('ok');
      else observe('error', `HTTP_${statusCode}`);
      return response;
    } catch (error) {
      observe('error', timedOut ? 'TIMEOUT' : 'UNREACHABLE');
      throw graphError(
        'DOWNSTREAM_SERVICE_ERROR',
        timedOut ? `The ${service} service did not answer within ${timeoutMs} ms` : `The ${service} service is unavailable`,
        { serviceName: service },
        // The cause (refused, reset, DNS...) is for the gateway's log, never for the response.
        { originalError: error as Error },
      );
    } finally {
      clearTimeout(timer);
    }
  };
}

/** undici's raw response headers as a Headers object (a repeated header's values joined, as fetch does). */
function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/**
 * Signs each subgraph call over the exact bytes sent. RemoteGraphQLDataSource serializes the body
 * after willSendRequest, so willSendRequest attaches the identity and the signature is made here,
 * where the body is final.
 */
function signingFetcher(service: ServiceName, secret: string, inner: Fetcher): Fetcher {
  return async (url, init) => {
    const headers: Record<string, string> = { ...(init?.headers ?? {}) };
    const identity = headers[SIGNATURE_HEADERS.identity] ?? encodeIdentity(ANONYMOUS);
    const body = typeof init?.body === 'string' ? init.body : '';
    Object.assign(headers, signatureHeaders(secret, service, identity, body));
    return inner(url, { ...init, headers });
  };
}

/**
 * Concurrent identical subgraph reads share one call: the same service, body and caller identity
 * while the first call is in flight get the same answer (each its own copy). Mutations are
 * never shared. The share ends when the answer arrives, so nothing is cached.
 */
function deduplicatingFetcher(inner: Fetcher): Fetcher {
  const inFlight = new Map<string, Promise<FetcherResponse>>();
  return async (url, init) => {
    const body = typeof init?.body === 'string' ? init.body : null;
    if (body === null || /^\{"query":"\s*mutation\b/.test(body)) return inner(url, init);
    const key = `${url}\n${init?.headers?.[SIGNATURE_HEADERS.identity] ?? ''}\n${body}`;
    let shared = inFlight.get(key);
    if (!shared) {
      shared = inner(url, init).finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    // Each reader its own copy: reading one's body leaves the others' unread.
    return (await shared).clone();
  };
}

/**
 * A subgraph answers a request it rejects (an invalid Date literal, say) with HTTP 400 and GraphQL
 * errors. Pass those errors on as they are; anything else becomes a plain downstream error, without
 * the subgraph's URL or response body.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly service: string,
    url: string,
    fetcher: Fetcher,
  ) {
    super({ url, fetcher });
  }

  /**
   * The caller's identity, from the gateway's context (anonymous when it has none), the request's id
   * for the service's logs, and the trace context (W3C traceparent) when tracing is on.
   */
  override willSendRequest(options: Parameters<NonNullable<RemoteGraphQLDataSource['willSendRequest']>>[0]): void {
    const identity = (options.context as { identity?: Identity } | undefined)?.identity ?? ANONYMOUS;
    const headers = options.request.http?.headers;
    headers?.set(SIGNATURE_HEADERS.identity, encodeIdentity(identity));
    const request = currentRequest();
    if (request) {
      request.subgraphCalls += 1;
      headers?.set(REQUEST_ID_HEADER, request.id);
    }
    if (headers) propagation.inject(otelContext.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
  }

  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body = (await this.parseBody(response).catch(() => null)) as {
      errors?: { message?: unknown; extensions?: { code?: unknown; retryable?: unknown; retryAfterSeconds?: unknown } }[];
    } | null;
    const first = body?.errors?.[0];
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : undefined;
    if (first && typeof first.message === 'string' && code && isPublicErrorCode(code)) {
      // A 503 from a service whose database is down says when to retry: keep that for the client.
      const { retryable, retryAfterSeconds } = first.extensions ?? {};
      const retry = retryable === true ? { retryable, retryAfterSeconds } : {};
      return graphError(code, first.message, { ...retry, serviceName: this.service });
    }
    return graphError('DOWNSTREAM_SERVICE_ERROR', `The ${this.service} service failed (HTTP ${response.status})`, {
      serviceName: this.service,
    });
  }
}

const MAX_VARIABLE_ERRORS = 50;

/** The graph's own scalars, as every service reads them. */
const GRAPH_SCALARS = [DateScalar, PartialDateScalar];
const scalarsInstalled = new WeakSet<GraphQLSchema>();

/**
 * The API schema Apollo Gateway builds from the supergraph knows the graph's scalars by name only:
 * any value passes. Give its Date and PartialDate the services' parseValue, so that variables are
 * read at the gateway as the services would read them (once per schema, when it is first used).
 */
function installGraphScalars(schema: GraphQLSchema): GraphQLSchema {
  if (scalarsInstalled.has(schema)) return schema;
  for (const scalar of GRAPH_SCALARS) {
    const type = schema.getType(scalar.name);
    if (isScalarType(type)) type.parseValue = scalar.parseValue;
  }
  scalarsInstalled.add(schema);
  return schema;
}

function requestError(message: string, code: ErrorCode): GraphQLError {
  return graphError(code, message, {}, { refusesRequest: true });
}

/**
 * Apollo Gateway throws plain errors (answered as 500) for an operation it cannot pick or a root
 * type the graph lacks, and checks variables without an error cap (a list of 20,000 bad values
 * costs seconds and megabytes) and without the graph's scalars (an invalid Date went on to every
 * service that received it, each answering with an error of its own). All are the request's fault:
 * answer 400 (BAD_USER_INPUT for variables, naming them) before planning.
 */
const requestGuard: ApolloServerPlugin<BaseContext> = {
  requestDidStart: async () => ({
    didResolveOperation: async ({ document, operation, request, schema }) => {
      const chosen = operation ?? getOperationAST(document, request.operationName);
      if (!chosen) {
        throw requestError(
          request.operationName
            ? `No operation named "${request.operationName}"`
            : 'Several operations: name the one to run in operationName',
          'OPERATION_RESOLUTION_FAILURE',
        );
      }
      if (chosen.operation !== 'query' && !schema.getRootType(chosen.operation)) {
        throw requestError(`The graph has no ${chosen.operation} operations`, 'BAD_REQUEST');
      }
      const { errors } = getVariableValues(
        installGraphScalars(schema),
        chosen.variableDefinitions ?? [],
        request.variables ?? {},
        {
          maxErrors: MAX_VARIABLE_ERRORS,
        },
      );
      if (errors && errors.length >= MAX_VARIABLE_ERRORS) {
        throw requestError(
          `${MAX_VARIABLE_ERRORS} or more variable values are invalid; the first: ${errors[0].message}`,
          'BAD_USER_INPUT',
        );
      }
      if (errors && errors.length > 0) {
        const message =
          errors.length === 1
            ? errors[0].message
            : `${errors.length} variable values are invalid: ${errors.map((e) => e.message).join(' | ')}`;
        throw requestError(message, 'BAD_USER_INPUT');
      }
    },
  }),
};

/**
 * Builds the gateway server from a supergraph and the configured service URLs; no I/O. The supergraph
 * can be swapped while it runs (see supergraph.ts).
 */
export function buildGateway(opts: GatewayOptions): {
  apollo: ApolloServer<BaseContext>;
  gateway: ApolloGateway;
  supergraph: SupergraphSource;
} {
  const supergraph = supergraphSource(opts.supergraphSdl);
  const pool = new Agent({
    connections: opts.subgraphMaxSockets ?? DEFAULT_SUBGRAPH_MAX_SOCKETS,
    connect: { timeout: opts.subgraphTimeoutMs },
    // Below the services' keep-alive timeout, so the gateway never reuses a socket they are closing.
    keepAliveTimeout: 4_000,
  });
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.manager,
    logger: apolloLogger(opts.log),
    buildService: ({ name, url }) => {
      const configured = opts.serviceUrls[name as ServiceName];
      const secret = opts.serviceSecrets[name as ServiceName];
      if (!secret) throw new Error(`no signing secret for the ${name} service`);
      const signed = signingFetcher(name as ServiceName, secret, timedFetcher(name, opts.subgraphTimeoutMs, pool, opts.metrics));
      const fetcher = opts.deduplicateSubgraphCalls === false ? signed : deduplicatingFetcher(signed);
      return new SubgraphDataSource(name, configured ?? url ?? '', fetcher);
    },
  });
  const limits = gatewayLimits(opts.limits ?? DEFAULT_LIMITS, opts.production ?? false, supergraph.current);
  const apollo = new ApolloServer<BaseContext>({
    gateway,
    logger: apolloLogger(opts.log),
    includeStacktraceInErrorResponses: false,
    // Open here, and limited to partners and above in production by gatewayLimits.
    introspection: true,
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    parseOptions: { maxTokens: (opts.limits ?? DEFAULT_LIMITS).maxTokens },
    formatError: maskError(opts.log),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      recordRequest,
      // Stopping the server closes the subgraph pool's sockets.
      { serverWillStart: async () => ({ serverWillStop: () => pool.close() }) },
      requestGuard,
      unavailableStatus,
      nullDanglingReferences,
      ...limits.plugins,
      ...(opts.plugins ?? []),
    ],
    csrfPrevention: true,
    // The process owns its shutdown order (HTTP first, then Apollo, then the database).
    stopOnTerminationSignals: false,
  });
  return { apollo, gateway, supergraph };
}
