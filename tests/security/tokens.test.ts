import crypto from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import { GraphQLError } from 'graphql';
import { loadConfig } from '../../shared/src/runtime/config';
import { createAuthenticator } from '../../gateway/src/auth';
import {
  encodeIdentity,
  signatureHeaders,
  SIGNATURE_MAX_AGE_MS,
  SIGNATURE_MAX_AHEAD_MS,
  verifySignedRequest,
} from '../../shared/src/auth/signing';

const ISSUER = 'https://id.example.test/';
const AUDIENCE = 'migration-graph-test';
const SECRET = crypto.randomBytes(32).toString('hex');
const HOUR = 3600;
const DAY = 24 * HOUR;

const now = () => Math.floor(Date.now() / 1000);
const token = (overrides: JWTPayload, omit: string[] = []) => {
  const claims: JWTPayload = {
    sub: 'ada',
    roles: ['partner'],
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    exp: now() + 600,
    ...overrides,
  };
  const payload = Object.fromEntries(Object.entries(claims).filter(([claim]) => !omit.includes(claim)));
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
};

/** What the authenticator makes of a token: the identity, or the error a client would see. */
async function outcome(authenticate: ReturnType<typeof createAuthenticator>, jwt: string): Promise<unknown> {
  try {
    return await authenticate(`Bearer ${jwt}`);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { message: error.message, extensions: error.extensions };
  }
}

const refused = (message: string) => ({ message, extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
const ADA = { sub: 'ada', roles: ['partner'] };

describe('token lifetimes at the gateway', () => {
  // The settings the gateway runs with by default: 30 s of clock skew, tokens of a day at most.
  const config = loadConfig({ NODE_ENV: 'test' });
  const authenticate = createAuthenticator({
    hsSecret: SECRET,
    issuer: ISSUER,
    audience: AUDIENCE,
    clockSkewSeconds: config.jwt.clockSkewSeconds,
    maxLifetimeSeconds: config.jwt.maxLifetimeSeconds,
  });

  it('refuses a token that expires in 100 years, with or without an issue time', async () => {
    const century = now() + 100 * 365 * DAY;
    expect(await outcome(authenticate, await token({ exp: century }))).toEqual(
      refused('The token lives longer than the 86400 s allowed'),
    );
    expect(await outcome(authenticate, await token({ exp: century }, ['iat']))).toEqual(
      refused('The token lives longer than the 86400 s allowed'),
    );
  });

  it('refuses a token issued an hour in the future, even with a short lifetime', async () => {
    expect(await outcome(authenticate, await token({ iat: now() + HOUR, exp: now() + HOUR + 600 }))).toEqual(
      refused('The token was issued in the future'),
    );
  });

  it('refuses a token whose issue and expiry times are more than a day apart, though it expires within a day', async () => {
    expect(await outcome(authenticate, await token({ iat: now() - 2 * DAY, exp: now() + HOUR }))).toEqual(
      refused('The token lives longer than the 86400 s allowed'),
    );
  });

  it('accepts a token of exactly a day, and one issued within the clock skew ahead of the gateway', async () => {
    expect(await outcome(authenticate, await token({ exp: now() + DAY }))).toEqual(ADA);
    expect(await outcome(authenticate, await token({ iat: now() + 10, exp: now() + HOUR }))).toEqual(ADA);
  });

  it('takes the longest lifetime from JWT_MAX_LIFETIME_S', async () => {
    const hourly = loadConfig({ NODE_ENV: 'test', JWT_MAX_LIFETIME_S: '3600' });
    const strict = createAuthenticator({
      hsSecret: SECRET,
      issuer: ISSUER,
      audience: AUDIENCE,
      clockSkewSeconds: 30,
      maxLifetimeSeconds: hourly.jwt.maxLifetimeSeconds,
    });
    expect(await outcome(strict, await token({ exp: now() + 2 * HOUR }))).toEqual(
      refused('The token lives longer than the 3600 s allowed'),
    );
    expect(await outcome(strict, await token({ exp: now() + HOUR }))).toEqual(ADA);
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_MAX_LIFETIME_S: 'forever' })).toThrow(
      'Configuration error: JWT_MAX_LIFETIME_S must be a whole number, got "forever"',
    );
  });
});

describe('the window of a gateway signature', () => {
  const secret = crypto.randomBytes(32).toString('hex');
  const body = '{"query":"{ __typename }"}';
  const identity = { sub: 'ada', roles: ['editor:legal-instruments' as const] };
  const t = 1_800_000_000_000;
  const signed = signatureHeaders(secret, 'legal-instruments', encodeIdentity(identity), body, t);
  const verifyAt = (serviceClock: number) => {
    try {
      return verifySignedRequest({
        secret,
        service: 'legal-instruments',
        method: 'POST',
        headers: signed,
        body,
        now: serviceClock,
      });
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('refuses a signature dated 59 s ahead of the service clock', () => {
    expect(verifyAt(t - 59_000)).toBe('The request signature has expired');
  });

  it('accepts a few seconds of clock skew ahead and up to the window behind, and nothing beyond', () => {
    expect([
      verifyAt(t - SIGNATURE_MAX_AHEAD_MS),
      verifyAt(t - SIGNATURE_MAX_AHEAD_MS - 1),
      verifyAt(t + SIGNATURE_MAX_AGE_MS),
      verifyAt(t + SIGNATURE_MAX_AGE_MS + 1),
    ]).toEqual([identity, 'The request signature has expired', identity, 'The request signature has expired']);
  });
});
