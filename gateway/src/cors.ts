import cors from 'cors';
import type { Handler } from '../../shared/src/runtime/http';

/** Request headers a page on an allowed origin may send: JSON bodies, tokens, Apollo's CSRF header, request ids. */
export const CORS_ALLOWED_HEADERS = ['content-type', 'authorization', 'apollo-require-preflight', 'x-request-id'];
/**
 * Response headers such a page may read: the request id, and of a report download (/reports) its
 * file name, its tables and the lists that may have been cut.
 */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'content-disposition', 'x-report-tables', 'x-report-incomplete'];
/** How long a browser may reuse a preflight's answer, in seconds. */
export const CORS_MAX_AGE_S = 600;

/**
 * Whether an Origin header matches one of the configured origins (CORS_ORIGINS): the same origin,
 * or the same scheme and host on any port for an entry ending in `:*`.
 */
export function originAllowed(patterns: readonly string[], origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // A browser sends the origin serialized; anything else (a path, user info, upper case) is no origin.
  if (url.origin !== origin) return false;
  return patterns.some((pattern) =>
    pattern.endsWith(':*') ? pattern.slice(0, -2) === `${url.protocol}//${url.hostname}` : pattern === origin,
  );
}

/**
 * CORS for the gateway: a page on an allowed origin gets its preflight answered 204 with the
 * Access-Control-* headers and its requests the Access-Control-Allow-Origin header; any other origin
 * gets no CORS header, so its browser keeps the answer from it. Apollo's CSRF prevention still
 * applies to every request: a cross-origin call must be preflighted to pass it.
 */
export function corsMiddleware(patterns: readonly string[]): Handler {
  return cors({
    origin: (origin, allow) => allow(null, origin !== undefined && originAllowed(patterns, origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_S,
    optionsSuccessStatus: 204,
  });
}
