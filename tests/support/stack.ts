import { loadConfig } from '../../shared/src/config';
import { sqlStatements } from '../../shared/src/db';
import { createLogger } from '../../shared/src/logger';
import type { RunningService } from '../../shared/src/service';
import { postGraphQL, startInProcessStack } from '../../scripts/inProcessStack';
import { testDatabaseUrl, type GraphQLResult } from './serviceHarness';

export interface Stack {
  gatewayUrl: string;
  services: RunningService[];
  /** POSTs one operation to the gateway over HTTP, as a client would. */
  query(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult & { status: number }>;
  /** The same, also returning the SQL statements all four services sent for it. */
  queryCounting(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult & { status: number; sql: number }>;
  stop(): Promise<void>;
}

/** The whole graph in the test process, over the test database. */
export async function startStack(): Promise<Stack> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const stack = await startInProcessStack(testDatabaseUrl(), config, createLogger('stack', 'error'));
  const query = (q: string, variables?: Record<string, unknown>) =>
    postGraphQL<Record<string, unknown>>(stack.gatewayUrl, q, variables) as Promise<GraphQLResult & { status: number }>;
  return {
    ...stack,
    query,
    queryCounting: async (q, variables) => {
      const before = sqlStatements.count;
      const result = await query(q, variables);
      return { ...result, sql: sqlStatements.count - before };
    },
  };
}
