import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { loadConfig, SERVICE_NAMES, type ServiceName } from '../../shared/src/runtime/config';
import { listen } from '../../shared/src/runtime/http';
import { createLogger } from '../../shared/src/runtime/logger';
import { type RunningService, startService } from '../../shared/src/runtime/service';
import { ANONYMOUS } from '../../shared/src/auth/identity';
import { encodeIdentity, randomServiceSecrets, signatureHeaders, signatureHeadersOf } from '../../shared/src/auth/signing';
import { createGatewayApp } from '../../gateway/src/app';
import { loadServices } from '../../services/definitions';
import { freePort } from '../../shared/src/runtime/net';
export { freePort };

export interface Answer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
  ms: number;
}

/** The signing secrets shared by the services and gateways this kit starts. */
export const SECRETS = randomServiceSecrets();

/** POSTs one operation and times the answer; signed as the gateway would when `signFor` names a service. */
export async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  signFor?: ServiceName,
): Promise<Answer> {
  const started = Date.now();
  const payload = JSON.stringify({ query, variables });
  const signature = signFor ? signatureHeaders(SECRETS[signFor], signFor, encodeIdentity(ANONYMOUS), payload) : {};
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signature },
    body: payload,
  });
  const body = (await res.json()) as Answer['body'];
  return { status: res.status, body, ms: Date.now() - started };
}

/** Starts services in this process on the given database; port 0 (any free port) unless given. */
export async function startServices(
  url: string,
  names: readonly ServiceName[] = SERVICE_NAMES,
  port = 0,
  secrets: Record<ServiceName, string> = SECRETS,
): Promise<RunningService[]> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const log = createLogger('faults', 'silent');
  const running: RunningService[] = [];
  for (const def of loadServices(names)) {
    running.push(
      await startService(def, { url, database: config.database, port, host: '127.0.0.1', log, secret: secrets[def.name] }),
    );
  }
  return running;
}

export interface TestGateway {
  url: string;
  stop(): Promise<void>;
}

/** The gateway over HTTP in front of whatever URLs it is given (live, dead or slow services). */
export async function startGateway(
  serviceUrls: Record<ServiceName, string>,
  subgraphTimeoutMs: number,
  subgraphMaxSockets?: number,
  deduplicateSubgraphCalls = true,
): Promise<TestGateway> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const app = createGatewayApp({
    supergraphSdl: fs.readFileSync(config.supergraphPath, 'utf8'),
    serviceUrls,
    subgraphTimeoutMs,
    subgraphMaxSockets,
    deduplicateSubgraphCalls,
    log: createLogger('gateway', 'silent'),
    serviceSecrets: SECRETS,
    stopGracePeriodMs: 2000,
  });
  return { url: await app.start(), stop: () => app.stop() };
}

export interface SlowProxy {
  url: string;
  /** Sockets opened to the proxy so far, and the most open at one time. */
  sockets: { opened: number; open: number; maxOpen: number };
  stop(): Promise<void>;
}

/** An HTTP server that forwards every request to the same path at `target` after `delayMs`: a slow service. */
export async function startSlowProxy(target: string, delayMs: number, port = 0): Promise<SlowProxy> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const timer = setTimeout(async () => {
        try {
          const upstream = await fetch(new URL(req.url ?? '/graphql', target), {
            method: req.method,
            headers: { 'content-type': req.headers['content-type'] ?? 'application/json', ...signatureHeadersOf(req.headers) },
            body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
          });
          const text = await upstream.text();
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        } catch {
          res.destroy();
        }
      }, delayMs);
      res.once('close', () => clearTimeout(timer));
    });
  });
  const sockets = { opened: 0, open: 0, maxOpen: 0 };
  server.on('connection', (socket: net.Socket) => {
    sockets.opened += 1;
    sockets.open += 1;
    sockets.maxOpen = Math.max(sockets.maxOpen, sockets.open);
    socket.once('close', () => (sockets.open -= 1));
  });
  const bound = await listen(server, port, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${bound}/graphql`,
    sockets,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
