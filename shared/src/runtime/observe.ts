import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './logger';
import type { createMetrics } from './metrics';
import { accessFields, elapsedMs, newRequestRecord, REQUEST_ID_HEADER, runInRequest } from './requestContext';

export interface Observer {
  log: Logger;
  metrics: ReturnType<typeof createMetrics>;
  /** The gateway's access lines count the calls it made to services. */
  gateway: boolean;
  /** When set, GET /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

// Probes and scrapes come every few seconds: their lines are debug, and they are not GraphQL requests.
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Serves one request as part of its record: the request id (the client's x-request-id when well
 * formed, a new one otherwise) is set on the response at once, every line logged meanwhile carries
 * it, and once the response is sent (or the client goes away) one access line is written and the
 * request counted in the metrics.
 */
export function observeRequest<T>(observer: Observer, req: IncomingMessage, res: ServerResponse, serve: () => T): T {
  const record = newRequestRecord(req.headers[REQUEST_ID_HEADER]);
  res.setHeader(REQUEST_ID_HEADER, record.id);
  const path = (req.url ?? '/').split('?')[0];
  res.once('close', () => {
    const status = res.writableFinished ? res.statusCode : 499;
    const fields = accessFields(record, { method: req.method ?? 'GET', path, status }, observer.gateway);
    runInRequest(record, () => {
      if (PROBES.has(path)) {
        observer.log.debug('request', fields);
        return;
      }
      observer.log.info('request', fields);
    });
    if (!PROBES.has(path)) observer.metrics.observeRequest(record, status, elapsedMs(record) / 1000);
  });
  return runInRequest(record, serve);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** GET /metrics: the registry in Prometheus's text format, behind the bearer token when one is set. */
export async function serveMetrics(observer: Observer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (observer.metricsToken && !tokenMatches(req.headers.authorization, observer.metricsToken)) {
    res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
    res.end('a bearer token is required\n');
    return;
  }
  const text = await observer.metrics.registry.metrics();
  res.writeHead(200, { 'content-type': observer.metrics.registry.contentType });
  res.end(text);
}
