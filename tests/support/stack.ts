import crypto from 'node:crypto';
import { loadConfig } from '../../shared/src/runtime/config';
import { sqlStatements } from '../../shared/src/data/dataSource';
import type { Role } from '../../shared/src/auth/identity';
import { createLogger } from '../../shared/src/runtime/logger';
import type { RunningService } from '../../shared/src/runtime/service';
import type { ServiceSecrets } from '../../shared/src/auth/signing';
import { type InProcessStackOptions, postGraphQL, startInProcessStack } from '../../gateway/src/inProcessStack';
import { issueLocalToken } from '../../gateway/src/auth';
import { createPrivateDatabase } from './privateDatabase';
import { testDatabaseUrl, type GraphQLResult } from './serviceHarness';

export interface Stack {
  gatewayUrl: string;
  services: RunningService[];
  serviceSecrets: ServiceSecrets;
  /** POSTs one operation to the gateway over HTTP, as a client would; with a bearer token when given. */
  query(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult & { status: number }>;
  /** The same, also returning the SQL statements all four services sent for it. */
  queryCounting(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResult & { status: number; sql: number }>;
  /** A valid token for this stack's gateway (HS256, one hour). */
  token(sub: string, roles: Role[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The whole graph in the test process, over the test database (or `url`, a private one, for tests that
 * delete seeded records); the gateway accepts tokens from `token()`.
 */
export async function startStack(options: InProcessStackOptions & { url?: string } = {}): Promise<Stack> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const hsSecret = crypto.randomBytes(32).toString('hex');
  const issuer = config.jwt.issuer ?? 'migration-graph-local';
  const audience = config.jwt.audience ?? 'migration-graph';
  const auth = options.auth ?? { hsSecret, issuer, audience, clockSkewSeconds: config.jwt.clockSkewSeconds };
  const stack = await startInProcessStack(options.url ?? testDatabaseUrl(), config, createLogger('stack', 'error'), [], {
    ...options,
    auth,
  });
  const query = (q: string, variables?: Record<string, unknown>, token?: string) =>
    postGraphQL<Record<string, unknown>>(
      stack.gatewayUrl,
      q,
      variables,
      token ? { authorization: `Bearer ${token}` } : {},
    ) as Promise<GraphQLResult & { status: number }>;
  return {
    ...stack,
    query,
    queryCounting: async (q, variables, token) => {
      const before = sqlStatements.count;
      const result = await query(q, variables, token);
      return { ...result, sql: sqlStatements.count - before };
    },
    token: (sub, roles) => issueLocalToken({ secret: hsSecret, sub, roles, issuer, audience, ttlSeconds: 3600 }),
  };
}

export interface PrivateStack extends Stack {
  /** The URL of its database, for tests that change records behind the graph's back. */
  databaseUrl: string;
}

/**
 * The whole graph on a database of its own, migrated and seeded (named from `prefix`), for tests that
 * delete seeded records or store broken ones; `stop()` also drops the database.
 */
export async function startPrivateStack(prefix: string): Promise<PrivateStack> {
  const db = await createPrivateDatabase(prefix);
  let stack: Stack;
  try {
    stack = await startStack({ url: db.url });
  } catch (error) {
    await db.drop();
    throw error;
  }
  return {
    ...stack,
    databaseUrl: db.url,
    stop: async () => {
      await stack.stop();
      await db.drop();
    },
  };
}
