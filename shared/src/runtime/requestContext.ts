import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The header a request id travels in: from a client or proxy, to the services, back in every response. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What is known of the request being served, filled in as it goes and written as its access line. */
export interface RequestRecord {
  id: string;
  startedAt: bigint;
  operationName?: string;
  operationType?: string;
  /** The caller's roles, comma-separated, or "anonymous": never the token. */
  role?: string;
  /** The distinct error codes of the answer, in order of appearance. */
  errorCodes: string[];
  /** Calls made to services while answering (the gateway's). */
  subgraphCalls: number;
}

const scope = new AsyncLocalStorage<RequestRecord>();

// Ids from uuids, trace ids and the usual proxies' formats fit in 128 characters of this set; anything
// else (control characters, spaces, quotes) could forge a log line or a header, and is replaced.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:/+=@-]{1,128}$/;

/** The request id a client sent, when it is well formed; a new one otherwise. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && VALID_REQUEST_ID.test(given) ? given : randomUUID();
}

export function newRequestRecord(header: string | string[] | undefined): RequestRecord {
  return { id: requestIdFrom(header), startedAt: process.hrtime.bigint(), errorCodes: [], subgraphCalls: 0 };
}

/** Runs `fn` (and everything it starts) as part of the request `record` describes. */
export function runInRequest<T>(record: RequestRecord, fn: () => T): T {
  return scope.run(record, fn);
}

/** The request being served, when code runs on behalf of one. */
export function currentRequest(): RequestRecord | undefined {
  return scope.getStore();
}

export function elapsedMs(record: RequestRecord): number {
  return Number(process.hrtime.bigint() - record.startedAt) / 1e6;
}

/** The fields of a request's access line. */
export function accessFields(
  record: RequestRecord,
  http: { method: string; path: string; status: number },
  gateway: boolean,
): Record<string, unknown> {
  return {
    method: http.method,
    path: http.path,
    status: http.status,
    operationName: record.operationName ?? null,
    operationType: record.operationType ?? null,
    role: record.role ?? 'anonymous',
    errorCodes: record.errorCodes,
    durationMs: Math.round(elapsedMs(record) * 10) / 10,
    ...(gateway ? { subgraphCalls: record.subgraphCalls } : {}),
  };
}
