import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, decodeProtectedHeader, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import {
  type Config,
  ConfigError,
  DEFAULT_JWT_MAX_LIFETIME_S,
  PROJECT_ROOT,
  SERVICE_NAMES,
  serviceSecretVariable,
} from '../../shared/src/runtime/config';
import { ANONYMOUS, type Identity, isRole, type Role } from '../../shared/src/auth/identity';
import { localSecret } from '../../shared/src/auth/localSecret';
import { graphError } from '../../shared/src/graphql/errors';
import type { ServiceSecrets } from '../../shared/src/auth/signing';

/** What the gateway's context carries: the caller as the bearer token proved it. */
export interface GatewayContext {
  identity: Identity;
}

export interface AuthOptions {
  /** HS256 secret for local tokens. */
  hsSecret?: string;
  /** Keys of the identity provider, for RS256 and ES256 tokens. */
  jwks?: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
  /** The longest lifetime a token may claim (JWT_MAX_LIFETIME_S); the configuration's default when not given. */
  maxLifetimeSeconds?: number;
}

// Each key type accepts only its own algorithms: an HS256 token is never checked against a public
// key (the classic RS/HS confusion), an RS256 or ES256 token never against the shared secret, and
// anything else ("none" included) is refused before any key is looked at.
const HS_ALGORITHMS = ['HS256'];
const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'];
const MAX_TOKEN_LENGTH = 8192;

export function unauthenticated(message: string): GraphQLError {
  return graphError('UNAUTHENTICATED', message, {}, { refusesRequest: true });
}

function rolesFrom(claim: unknown): Role[] {
  if (claim === undefined) return [];
  if (!Array.isArray(claim) || !claim.every((r): r is string => typeof r === 'string')) {
    throw unauthenticated("The token's roles claim must be a list of strings");
  }
  // Unknown roles grant nothing; they are dropped rather than refused so that an identity
  // provider may carry roles of other systems in the same claim.
  return [...new Set(claim.filter(isRole))];
}

function describe(error: unknown): string {
  const { code, claim } = (error ?? {}) as { code?: unknown; claim?: unknown };
  if (code === 'ERR_JWT_EXPIRED') return 'The token has expired';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    if (claim === 'nbf') return 'The token is not valid yet';
    if (typeof claim === 'string') return `The token's ${claim} claim is not accepted`;
  }
  return 'The token is not valid';
}

/**
 * jose checks that a token has not expired, not that it is sane: a stolen token that expires in a
 * century, or one minted with a clock set ahead, would stay usable for as long as it claims.
 */
function checkLifetime(payload: { iat?: number; exp?: number }, skewSeconds: number, maxLifetimeSeconds: number): void {
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp } = payload;
  if (iat !== undefined && iat > now + skewSeconds) throw unauthenticated('The token was issued in the future');
  const tooLong =
    exp !== undefined && (exp - now > maxLifetimeSeconds + skewSeconds || (iat !== undefined && exp - iat > maxLifetimeSeconds));
  if (tooLong) throw unauthenticated(`The token lives longer than the ${maxLifetimeSeconds} s allowed`);
}

/**
 * Turns an Authorization header into an identity: none is anonymous; a valid bearer token gives
 * its subject and roles; anything else (malformed, expired, not yet valid, wrong issuer or
 * audience, wrong algorithm, bad signature) throws UNAUTHENTICATED with HTTP 401.
 */
export function createAuthenticator(opts: AuthOptions): (authorization: string | undefined) => Promise<Identity> {
  const hsKey = opts.hsSecret ? new TextEncoder().encode(opts.hsSecret) : undefined;
  const maxLifetimeSeconds = opts.maxLifetimeSeconds ?? DEFAULT_JWT_MAX_LIFETIME_S;
  const claims = {
    issuer: opts.issuer,
    audience: opts.audience,
    clockTolerance: opts.clockSkewSeconds,
    requiredClaims: ['exp', 'sub'],
  };
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return ANONYMOUS;
    const match = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/i.exec(authorization.trim());
    if (!match || match[1].length > MAX_TOKEN_LENGTH) throw unauthenticated('The Authorization header must be "Bearer <token>"');
    const token = match[1];
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthenticated('The token is not valid');
    }
    let payload: { sub?: unknown; roles?: unknown; iat?: number; exp?: number };
    try {
      if (alg !== undefined && HS_ALGORITHMS.includes(alg) && hsKey) {
        ({ payload } = await jwtVerify(token, hsKey, { ...claims, algorithms: HS_ALGORITHMS }));
      } else if (alg !== undefined && ASYMMETRIC_ALGORITHMS.includes(alg) && opts.jwks) {
        ({ payload } = await jwtVerify(token, opts.jwks, { ...claims, algorithms: ASYMMETRIC_ALGORITHMS }));
      } else {
        throw unauthenticated(`Tokens signed with ${alg ?? 'no algorithm'} are not accepted`);
      }
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      throw unauthenticated(describe(error));
    }
    checkLifetime(payload, opts.clockSkewSeconds, maxLifetimeSeconds);
    if (typeof payload.sub !== 'string' || payload.sub === '') throw unauthenticated('The token has no subject');
    return { sub: payload.sub, roles: rolesFrom(payload.roles) };
  };
}

/** The local HS256 secret in development: JWT_SECRET, or one kept (0600) in the git-ignored .data/. */
export function localJwtSecret(config: Config, file = path.join(PROJECT_ROOT, '.data', 'local-jwt-secret')): string | undefined {
  if (config.jwt.secret) return config.jwt.secret;
  if (config.nodeEnv !== 'development') return undefined;
  return localSecret(file);
}

/**
 * The gateway's token settings from the configuration. Production needs JWT_JWKS_URL, JWT_ISSUER
 * and JWT_AUDIENCE; elsewhere the local HS256 secret is enough.
 */
export function authOptionsFromConfig(config: Config, hsSecret: string | undefined = config.jwt.secret): AuthOptions {
  const { jwt } = config;
  if (config.nodeEnv === 'production') {
    if (!jwt.jwksUrl) throw new ConfigError('JWT_JWKS_URL', "must be set in production (the identity provider's JWKS)");
    if (!jwt.issuer) throw new ConfigError('JWT_ISSUER', 'must be set in production');
    if (!jwt.audience) throw new ConfigError('JWT_AUDIENCE', 'must be set in production');
  }
  return {
    hsSecret,
    jwks: jwt.jwksUrl ? createRemoteJWKSet(new URL(jwt.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 }) : undefined,
    issuer: jwt.issuer ?? '',
    audience: jwt.audience ?? '',
    clockSkewSeconds: jwt.clockSkewSeconds,
    maxLifetimeSeconds: jwt.maxLifetimeSeconds,
  };
}

/** All four services' secrets, which the gateway needs; stops with the first missing variable. */
export function gatewayServiceSecrets(config: Config): ServiceSecrets {
  const secrets = {} as ServiceSecrets;
  for (const name of SERVICE_NAMES) {
    const secret = config.serviceSecrets[name];
    if (!secret)
      throw new ConfigError(serviceSecretVariable(name), 'must be set (or, in development and test, SERVICE_SIGNING_SECRET)');
    secrets[name] = secret;
  }
  return secrets;
}

/** A local HS256 token, as `npm run token` prints it. */
export async function issueLocalToken(opts: {
  secret: string;
  sub: string;
  roles: Role[];
  issuer: string;
  audience: string;
  ttlSeconds: number;
}): Promise<string> {
  return new SignJWT({ roles: opts.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(opts.sub)
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setIssuedAt()
    .setExpirationTime(`${opts.ttlSeconds}s`)
    .sign(new TextEncoder().encode(opts.secret));
}

/** The gateway's HTTP context function: verifies the bearer token before anything is parsed or run. */
export function gatewayContext(authenticate: (authorization: string | undefined) => Promise<Identity>) {
  return async (req: IncomingMessage): Promise<GatewayContext> => ({ identity: await authenticate(req.headers.authorization) });
}
