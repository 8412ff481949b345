// npm run token -- --role editor:migration-data --sub someone [--role partner] [--ttl 3600]
// Prints a local HS256 token that the gateway of this machine accepts (JWT_SECRET, or the local
// development secret the gateway keeps in .data/), to paste into the IDE's headers as
// {"Authorization": "Bearer <token>"}. Not for production, where tokens come from the identity provider.
import { type Config, DEFAULT_JWT_MAX_LIFETIME_S, loadConfig } from '../shared/src/config';
import { ALL_ROLES, isRole, type Role } from '../shared/src/identity';
import { issueLocalToken, localJwtSecret } from '../gateway/src/auth';

// The gateway refuses tokens that live longer (JWT_MAX_LIFETIME_S).
const MAX_TTL_SECONDS = DEFAULT_JWT_MAX_LIFETIME_S;

export interface TokenRequest {
  sub: string;
  roles: Role[];
  ttlSeconds: number;
}

/** Parses the command line; throws with a message for the user on anything wrong. */
export function parseTokenArgs(argv: string[]): TokenRequest {
  const roles: Role[] = [];
  let sub: string | undefined;
  let ttlSeconds = 3600;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag !== '--role' && flag !== '--sub' && flag !== '--ttl') throw new Error(`unknown option ${flag}`);
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
    i += 1;
    if (flag === '--role') {
      if (!isRole(value)) throw new Error(`unknown role "${value}"; one of: ${ALL_ROLES.join(', ')}`);
      if (!roles.includes(value)) roles.push(value);
    } else if (flag === '--sub') {
      sub = value;
    } else {
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_TTL_SECONDS) {
        throw new Error(`--ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`);
      }
      ttlSeconds = Number(value);
    }
  }
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
    process.stderr.write('[token] set JWT_SECRET (the same value as the gateway\'s) to make a local token\n');
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
