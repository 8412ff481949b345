import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import { DEFAULT_GATEWAY_LIMITS, DEFAULT_READ_TIMEOUT_MS } from './config';

export interface Readiness {
  ok: boolean;
  checks: Record<string, boolean | string>;
}

export interface HttpAppOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /**
   * Builds the request's context; `body` is the raw request body (what a signature covers), `signal`
   * aborts when the caller goes away before the answer is sent.
   */
  context: (req: IncomingMessage, body: string, signal: AbortSignal) => Promise<TContext>;
  /** Readiness beyond being alive: database reachable, migrations current, supergraph loaded... */
  ready: () => Promise<Readiness>;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** How long a client may take to send a request's head, and then its body, in ms. */
  readTimeoutMs?: number;
  /** Routes tried before the GraphQL endpoint (the gateway's IDE); true when it answered the request. */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
}

const DEFAULT_MAX_BODY = DEFAULT_GATEWAY_LIMITS.maxBodyBytes;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A request the front refuses before GraphQL sees it, as a GraphQL-shaped error. */
const requestErrorBody = (message: string) => ({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });

function requestError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, requestErrorBody(message));
}

class BodyTooLarge extends Error {}
class BodyTimeout extends Error {}

function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: Error) => {
      clearTimeout(timer);
      req.off('data', onData);
      reject(error);
    };
    // Bounds the whole body, not the gap between bytes: a client sending one byte a second never idles.
    const timer = setTimeout(() => stop(new BodyTimeout()), timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) stop(new BodyTooLarge());
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => stop(error));
  });
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
    'content-length': Buffer.byteLength(text),
    connection: 'close',
  });
  res.write(text);
  let timer: NodeJS.Timeout | undefined;
  const close = () => {
    clearTimeout(timer);
    res.end();
  };
  if (req.readableEnded) {
    close();
    return;
  }
  timer = setTimeout(close, LINGER_MS);
  req.once('end', close);
  req.once('close', close);
  req.resume();
}

/**
 * The HTTP front of a service or the gateway: POST/GET /graphql, GET /healthz (alive) and
 * GET /readyz (ready to serve). No framework: Apollo Server executes the GraphQL request.
 */
export function createHttpServer<TContext extends BaseContext>(opts: HttpAppOptions<TContext>): http.Server {
  const limit = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const readTimeoutMs = opts.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (url.pathname === '/readyz') {
      const readiness = await opts.ready().catch((e: unknown) => ({ ok: false, checks: { error: String(e) } }));
      sendJson(res, readiness.ok ? 200 : 503, { status: readiness.ok ? 'ready' : 'not ready', ...readiness });
      return;
    }
    if (opts.extraRoutes && (await opts.extraRoutes(req, res, url))) return;
    if (url.pathname !== '/graphql' && url.pathname !== '/') {
      sendJson(res, 404, { error: 'not found' });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'OPTIONS') {
      res.writeHead(405, { allow: 'GET, POST, OPTIONS' });
      res.end();
      return;
    }
    let raw = '';
    try {
      raw = await readBody(req, limit, readTimeoutMs);
    } catch (e) {
      // The rest of the body is never read: answer, then close the connection rather than leave it waiting.
      if (e instanceof BodyTooLarge) refuseBody(req, res, 413, `Request body is larger than ${limit} bytes`);
      else if (e instanceof BodyTimeout) refuseBody(req, res, 408, `Request body was not received within ${readTimeoutMs} ms`);
      else requestError(res, 400, 'Request body could not be read');
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = raw;
    const contentType = headers.get('content-type') ?? '';
    if (req.method === 'POST' && contentType.startsWith('application/json')) {
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        requestError(res, 400, 'Request body is not valid JSON');
        return;
      }
    }
    // A client that disconnects (or a gateway that times out) stops the work done for it.
    const abandoned = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abandoned.abort();
    });
    const result = await opts.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => opts.context(req, raw, abandoned.signal),
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  };
  // Node checks its head and request timeouts every connectionsCheckingInterval (30 s by default).
  const server = http.createServer({ connectionsCheckingInterval: Math.min(1000, readTimeoutMs) }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) requestError(res, 500, 'Internal server error');
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  // A request head must arrive within the read timeout; Node's whole-request timeout (300 s by
  // default) is only a backstop behind readBody's own timer, which answers with a JSON error.
  server.headersTimeout = readTimeoutMs;
  server.requestTimeout = 2 * readTimeoutMs;
  trackSockets(server);
  return server;
}

const ACTIVE = new WeakMap<http.Server, Map<Socket, number>>();

/** Counts requests in flight per socket, so that a stop can close idle sockets at once. */
function trackSockets(server: http.Server): void {
  const sockets = new Map<Socket, number>();
  ACTIVE.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, 0);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    sockets.set(socket, (sockets.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (sockets.get(socket) ?? 1) - 1;
      if (!server.listening) {
        if (left <= 0) socket.destroy();
      }
      if (sockets.has(socket)) sockets.set(socket, left);
    });
  });
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

/**
 * Stops accepting connections, closes idle keep-alive sockets at once, lets requests in flight
 * finish (closing each socket when its last response is sent), and cuts whatever is left after
 * the bound.
 */
export function closeServer(server: http.Server, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    for (const [socket, active] of ACTIVE.get(server) ?? []) {
      if (active <= 0) socket.destroy();
    }
  });
}
