// npm run token -- --role editor:migration-data --sub someone [--role partner] [--ttl 3600]
// Prints a local HS256 token that the gateway of this machine accepts (JWT_SECRET, or the local
// development secret the gateway keeps in .data/), to paste into the IDE's headers as
// {"Authorization": "Bearer <token>"}. Not for production, where tokens come from the identity provider.
import { type Config, DEFAULT_JWT_MAX_LIFETIME_S, loadConfig } from '../shared/src/runtime/config';
import { ALL_ROLES, isRole, type Role } from '../shared/src/auth/identity';
import { issueLocalToken, localJwtSecret } from '../gateway/src/auth';
import { parseCommandLine } from './commandLine';

// The gateway refuses tokens that live longer (JWT_MAX_LIFETIME_S).
const MAX_TTL_SECONDS = DEFAULT_JWT_MAX_LIFETIME_S;

export interface TokenRequest {
  sub: string;
  roles: Role[];
  ttlSeconds: number;
}

/** Parses the command line; throws with a message for the user on anything wrong. */
export function parseTokenArgs(argv: string[]): TokenRequest {
  const { values } = parseCommandLine(argv, {
    role: { type: 'string', multiple: true },
    sub: { type: 'string' },
    ttl: { type: 'string' },
  });
  const roles: Role[] = [];
  for (const value of values.role ?? []) {
    if (!isRole(value)) throw new Error(`unknown role "${value}"; one of: ${ALL_ROLES.join(', ')}`);
    if (!roles.includes(value)) roles.push(value);
  }
  const { sub, ttl = '3600' } = values;
  if (!/^\d+$/.test(ttl) || Number(ttl) < 1 || Number(ttl) > MAX_TTL_SECONDS) {
    throw new Error(`--ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`);
  }
  const ttlSeconds = Number(ttl);
  if (!sub) throw new Error('--sub is required (who the token is for)');
  return { sub, roles, ttlSeconds };
}

async function main(): Promise<void> {
  let config: Config;
  let request: TokenRequest;
  try {
    config = loadConfig();
    request = parseTokenArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`[token] ${(e as Error).message}\n`);
    process.exit(2);
  }
  if (config.nodeEnv === 'production') {
    process.stderr.write('[token] local tokens are not accepted in production: get one from the identity provider\n');
    process.exit(2);
  }
  const secret = localJwtSecret(config);
  if (!secret) {
    process.stderr.write("[token] set JWT_SECRET (the same value as the gateway's) to make a local token\n");
    process.exit(2);
  }
  const token = await issueLocalToken({
    secret,
    sub: request.sub,
    roles: request.roles,
    issuer: config.jwt.issuer ?? '',
    audience: config.jwt.audience ?? '',
    ttlSeconds: request.ttlSeconds,
  });
  process.stdout.write(`${token}\n`);
}

if (require.main === module) void main();
