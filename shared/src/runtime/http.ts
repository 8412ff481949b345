import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express, { type ErrorRequestHandler } from 'express';
import getRawBody from 'raw-body';
import { DEFAULT_GATEWAY_LIMITS, DEFAULT_READ_TIMEOUT_MS } from './config';
import { observeRequest, type Observer, serveMetrics } from './observe';

export interface Readiness {
  ok: boolean;
  checks: Record<string, boolean | string>;
  /** The gateway's view of each service, reported without deciding its readiness. */
  services?: Record<string, boolean | string>;
}

/** Says whether the caller went away (closed the connection) before its answer was sent. */
export interface CallerSignal {
  readonly aborted: boolean;
}

/** Called by a handler that did not answer: with an error, the front answers 500. */
export type Next = (error?: unknown) => void;

/**
 * A handler of the front's middleware and routes, connect style, on Node's own request and response:
 * express runs it as it is, and so does the direct path of POST /graphql, which has no express.
 * A promise it rejects is passed on as an error, as express 5 does.
 */
export type Handler = (req: IncomingMessage, res: ServerResponse, next: Next) => unknown;

export interface HttpFrontOptions<TContext extends BaseContext> {
  /** Not started yet: the front adds the plugin that drains its HTTP server when Apollo Server stops. */
  apollo: ApolloServer<TContext>;
  /**
   * Builds the request's context; `body` is the raw request body as received (the bytes a signature
   * covers), `signal` says whether the caller went away before the answer was sent.
   */
  context: (req: IncomingMessage, body: Buffer, signal: CallerSignal) => Promise<TContext>;
  /** Readiness beyond being alive: database reachable, migrations current, supergraph loaded... */
  ready: () => Promise<Readiness>;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** How long a client may take to send a request's head, and then its body, in ms. */
  readTimeoutMs?: number;
  /** Run first on every request, health checks included (CORS, compression, request ids). */
  middleware?: Handler[];
  /** Tried before the GraphQL endpoint (the gateway's IDE); a route that does not answer calls next(). */
  routes?: Handler[];
  /** How long a stop lets requests in flight finish before it cuts them, in ms. */
  stopGracePeriodMs?: number;
  /** Request ids, access lines and GET /metrics; none of them without it. */
  observer?: Observer;
}

export interface HttpFront {
  app: express.Express;
  server: http.Server;
}

/** The paths the GraphQL endpoint answers on. */
const GRAPHQL_PATHS = ['/graphql', '/'];

/** A request the front refuses before GraphQL sees it, as a GraphQL-shaped error. */
const requestErrorBody = (message: string) => ({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** How long a refused body is still read (and dropped) after the answer, so that the client reads the answer. */
const LINGER_MS = 1000;

/**
 * Answers a request whose body will not be read, then closes the connection. Closing a socket with
 * unread bytes makes TCP send a reset, and a client still sending would lose the answer with it: so
 * the answer is written at once, what still arrives is discarded for a moment, and then it closes.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse, status: 408 | 413, message: string): void {
  const text = JSON.stringify(requestErrorBody(message));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    connection: 'close',
  });
  res.write(text);
  if (req.readableEnded) {
    res.end();
    return;
  }
  const close = () => {
    clearTimeout(timer);
    res.end();
  };
  const timer = setTimeout(close, LINGER_MS);
  req.once('end', close);
  req.once('close', close);
  req.resume();
}

/** Where readBody leaves the raw body, and the parsed one, for the GraphQL endpoint. */
const RAW_BODIES = new WeakMap<IncomingMessage, Buffer>();
const BODIES = new WeakMap<IncomingMessage, unknown>();

/**
 * Reads the whole body within the size limit and the read timeout, keeps its raw bytes and parses
 * JSON. raw-body refuses a declared or streamed size past the limit at once; body-parser (express.json)
 * would first read the rest of the body, however long it is or however slowly it trickles in.
 */
function readBody(limit: number, timeoutMs: number): Handler {
  return (req, res, next) => {
    // Bounds the whole body, not the gap between bytes: a client sending one byte a second never idles.
    const timer = setTimeout(() => refuseBody(req, res, 408, `Request body was not received within ${timeoutMs} ms`), timeoutMs);
    getRawBody(req, { length: req.headers['content-length'], limit }, (error, raw) => {
      clearTimeout(timer);
      if (res.headersSent) return;
      if (error) {
        // The rest of the body is never read: answer, then close the connection rather than leave it waiting.
        if (error.type === 'entity.too.large') refuseBody(req, res, 413, `Request body is larger than ${limit} bytes`);
        else sendJson(res, 400, requestErrorBody('Request body could not be read'));
        return;
      }
      RAW_BODIES.set(req, raw);
      const text = raw.toString('utf8');
      let body: unknown = text;
      if (req.method === 'POST' && (req.headers['content-type'] ?? '').startsWith('application/json')) {
        try {
          body = text === '' ? undefined : (JSON.parse(text) as unknown);
        } catch {
          sendJson(res, 400, requestErrorBody('Request body is not valid JSON'));
          return;
        }
      }
      BODIES.set(req, body);
      next();
    });
  };
}

/** Only GET, POST and OPTIONS reach GraphQL. */
const allowedMethods: Handler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'POST' || req.method === 'OPTIONS') {
    next();
    return;
  }
  res.writeHead(405, { allow: 'GET, POST, OPTIONS' });
  res.end();
};

/** Never the error itself: no stack trace or message of an unexpected failure reaches the client. */
const internalError: ErrorRequestHandler = (error, _req, res, next) => {
  // Too late for an answer: express's own handler closes the connection.
  if (res.headersSent) next(error);
  else sendJson(res, 500, requestErrorBody('Internal server error'));
};

/** internalError on the direct path, where no express handler is behind it. */
function answerError(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) req.socket.destroy();
  else sendJson(res, 500, requestErrorBody('Internal server error'));
}

/** Runs `handlers` in turn, each calling the next; `done` when the last one passes the request on. */
function runHandlers(
  handlers: readonly Handler[],
  req: IncomingMessage,
  res: ServerResponse,
  done: () => void,
  fail: (error: unknown) => void,
): void {
  let n = 0;
  const next: Next = (error) => {
    if (error !== undefined && error !== null) {
      fail(error);
      return;
    }
    const handler = handlers[n++];
    if (!handler) {
      done();
      return;
    }
    try {
      const result = handler(req, res, next);
      if (result instanceof Promise) result.catch(fail);
    } catch (e) {
      fail(e);
    }
  };
  next();
}

/**
 * The GraphQL endpoint, after readBody: the request as Apollo Server takes it, and its answer
 * written as is (what Apollo Server's express integration did, without express's response helpers).
 */
function graphqlEndpoint<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  context: HttpFrontOptions<TContext>['context'],
): Handler {
  return async (req, res) => {
    const headers = new HeaderMap();
    for (const name in req.headers) {
      const value = req.headers[name];
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (req.method ?? 'GET').toUpperCase(),
        headers,
        search: query === -1 ? '' : url.slice(query),
        body: BODIES.get(req),
      },
      context: () => {
        // A client that disconnects (or a gateway that times out) stops the work done for it.
        const caller = { aborted: false };
        res.once('close', () => {
          if (!res.writableFinished) caller.aborted = true;
        });
        return context(req, RAW_BODIES.get(req) ?? Buffer.alloc(0), caller);
      },
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      const text = response.body.string;
      res.setHeader('content-length', Buffer.byteLength(text));
      res.end(text);
      return;
    }
    for await (const chunk of response.body.asyncIterator) {
      res.write(chunk);
      // Compression buffers what is written: an incremental answer's parts go out as they come.
      (res as ServerResponse & { flush?: () => void }).flush?.();
    }
    res.end();
  };
}

/**
 * The HTTP front of a service or the gateway: GET /healthz (alive), GET /readyz (ready to serve),
 * then the given routes, then POST/GET /graphql. A POST to the GraphQL endpoint, nearly every
 * request, goes straight from Node's HTTP server through the same steps (request id and access
 * line, middleware, routes, method, body, GraphQL) without express, whose routing and request and
 * response decoration cost a noticeable part of a service's time per request; everything else is
 * routed by express. Apollo Server's drain plugin closes it when Apollo Server stops: idle
 * keep-alive sockets at once, requests in flight when they finish, whatever is left after the grace
 * period.
 */
export function createHttpFront<TContext extends BaseContext>(opts: HttpFrontOptions<TContext>): HttpFront {
  const limit = opts.maxBodyBytes ?? DEFAULT_GATEWAY_LIMITS.maxBodyBytes;
  const readTimeoutMs = opts.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const app = express();
  app.disable('x-powered-by');
  // Apollo Server sets the response headers it means to; no ETag on GraphQL answers.
  app.disable('etag');
  app.enable('case sensitive routing');
  app.enable('strict routing');
  const observer = opts.observer;
  const middleware = opts.middleware ?? [];
  const routes = opts.routes ?? [];
  const graphql = [allowedMethods, readBody(limit, readTimeoutMs), graphqlEndpoint(opts.apollo, opts.context)];
  const direct = [...middleware, ...routes, ...graphql];
  const serveDirect = (req: IncomingMessage, res: ServerResponse) =>
    runHandlers(
      direct,
      req,
      res,
      () => sendJson(res, 404, { error: 'not found' }),
      () => answerError(req, res),
    );
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (req.method !== 'POST' || !GRAPHQL_PATHS.includes(path)) {
      app(req, res);
      return;
    }
    // Before anything else, so that every request, refused or not, has its id and its access line.
    if (observer) observeRequest(observer, req, res, () => serveDirect(req, res));
    else serveDirect(req, res);
  };
  // Node checks its head and request timeouts every connectionsCheckingInterval (30 s by default).
  const server = http.createServer({ connectionsCheckingInterval: Math.min(1000, readTimeoutMs) }, handle);
  server.keepAliveTimeout = 65_000;
  // A request head must arrive within the read timeout; Node's whole-request timeout (300 s by
  // default) is only a backstop behind readBody's own timer, which answers with a JSON error.
  server.headersTimeout = readTimeoutMs;
  server.requestTimeout = 2 * readTimeoutMs;
  opts.apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: opts.stopGracePeriodMs }));

  if (observer) app.use((req, res, next) => observeRequest(observer, req, res, next));
  for (const handler of middleware) app.use(handler);
  app.get('/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const readiness = await opts.ready().catch((e: unknown) => ({ ok: false, checks: { error: String(e) } }));
    sendJson(res, readiness.ok ? 200 : 503, { status: readiness.ok ? 'ready' : 'not ready', ...readiness });
  });
  if (observer) app.get('/metrics', (req, res) => serveMetrics(observer, req, res));
  for (const handler of routes) app.use(handler);
  app.all(GRAPHQL_PATHS, ...graphql);
  app.use((_req, res) => sendJson(res, 404, { error: 'not found' }));
  app.use(internalError);
  return { app, server };
}

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
