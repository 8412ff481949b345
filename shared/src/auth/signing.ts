import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { GraphQLError } from 'graphql';
import { SERVICE_NAMES, type ServiceName } from '../runtime/config';
import { graphError } from '../graphql/errors';
import { type Identity, isRole } from './identity';

/**
 * Gateway-to-service request signing. The gateway forwards the caller's verified identity in a
 * header and signs, with the secret of the one service it calls, the identity, a timestamp and a
 * hash of the exact request body. A service accepts a request only with a valid, fresh signature
 * made with its own secret: a captured header cannot be replayed onto another body, onto another
 * service, or after the window.
 */
export const SIGNATURE_HEADERS = {
  identity: 'x-mg-identity',
  timestamp: 'x-mg-timestamp',
  signature: 'x-mg-signature',
} as const;

/** How old a signature's timestamp may be by the service's clock: transit and clock skew, with room to spare. */
export const SIGNATURE_MAX_AGE_MS = 60_000;

/**
 * How far ahead of the service's clock a timestamp may be: the gateway and the services keep time by
 * the same NTP, so a few seconds of skew is plenty; more would stretch a captured signature's life.
 */
export const SIGNATURE_MAX_AHEAD_MS = 5_000;

const VERSION = 'mg-gateway-v1';

export type ServiceSecrets = Record<ServiceName, string>;

export function encodeIdentity(identity: Identity): string {
  return Buffer.from(JSON.stringify({ sub: identity.sub, roles: identity.roles }), 'utf8').toString('base64url');
}

/** `body` as sent: a string is hashed as its UTF-8 bytes, the same bytes a service receives. */
function canonical(service: ServiceName, timestamp: string, identityHeader: string, body: string | Buffer): string {
  const bodyHash = crypto.createHash('sha256').update(body).digest('base64url');
  return [VERSION, service, timestamp, identityHeader, bodyHash].join('\n');
}

function mac(secret: string, data: string): Buffer {
  return crypto.createHmac('sha256', secret).update(data, 'utf8').digest();
}

/** The headers that sign one request body for one service; `identityHeader` is encodeIdentity's output. */
export function signatureHeaders(
  secret: string,
  service: ServiceName,
  identityHeader: string,
  body: string,
  now: number = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  return {
    [SIGNATURE_HEADERS.identity]: identityHeader,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.signature]: mac(secret, canonical(service, timestamp, identityHeader, body)).toString('base64url'),
  };
}

function rejected(status: 401 | 403, message: string): GraphQLError {
  return graphError(status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message, {}, { refusesRequest: true });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

function decodeIdentity(header: string): Identity | null {
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { sub, roles } = parsed as { sub?: unknown; roles?: unknown };
    if (!(sub === null || typeof sub === 'string') || !Array.isArray(roles)) return null;
    if (!roles.every((r): r is string => typeof r === 'string')) return null;
    return { sub, roles: roles.filter(isRole) };
  } catch {
    return null;
  }
}

/**
 * Checks the gateway's signature on a request to `service` and returns the identity it carries.
 * Throws a GraphQLError (401 when unsigned, 403 when the signature is wrong, stale or for another
 * body or service) before anything runs. Only POST is accepted: the gateway never sends anything else.
 */
export function verifySignedRequest(opts: {
  secret: string;
  service: ServiceName;
  method: string | undefined;
  headers: IncomingHttpHeaders;
  /** The request body's bytes as received, never re-serialized. */
  body: string | Buffer;
  now?: number;
}): Identity {
  const identityHeader = single(opts.headers[SIGNATURE_HEADERS.identity]);
  const timestamp = single(opts.headers[SIGNATURE_HEADERS.timestamp]);
  const signature = single(opts.headers[SIGNATURE_HEADERS.signature]);
  if (identityHeader === undefined || timestamp === undefined || signature === undefined) {
    throw rejected(401, 'This service answers only requests signed by the gateway');
  }
  if (opts.method !== 'POST') throw rejected(403, 'This service answers only signed POST requests');
  const now = opts.now ?? Date.now();
  const age = now - Number(timestamp);
  if (!/^\d{1,15}$/.test(timestamp) || age > SIGNATURE_MAX_AGE_MS || age < -SIGNATURE_MAX_AHEAD_MS) {
    throw rejected(403, 'The request signature has expired');
  }
  const expected = mac(opts.secret, canonical(opts.service, timestamp, identityHeader, opts.body));
  const given = Buffer.from(signature, 'base64url');
  // Equal lengths first: timingSafeEqual throws on a length mismatch, and the length is no secret.
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw rejected(403, 'The request signature is not valid');
  }
  const identity = decodeIdentity(identityHeader);
  if (!identity) throw rejected(403, 'The signed identity is malformed');
  return identity;
}

/** Fresh random secrets for the four services: for an orchestrator or a test stack. */
export function randomServiceSecrets(): ServiceSecrets {
  return Object.fromEntries(SERVICE_NAMES.map((name) => [name, crypto.randomBytes(32).toString('hex')])) as ServiceSecrets;
}

/** The signature headers of an incoming request, for a proxy that passes a signed call on unchanged. */
export function signatureHeadersOf(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.values(SIGNATURE_HEADERS)) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
