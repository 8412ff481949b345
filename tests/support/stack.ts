import fs from 'node:fs';
import type { BaseContext } from '@apollo/server';
import { loadConfig, SERVICE_NAMES, type ServiceName } from '../../shared/src/config';
import { sqlStatements } from '../../shared/src/db';
import { closeServer, createHttpServer, listen } from '../../shared/src/http';
import { createLogger } from '../../shared/src/logger';
import { type RunningService, startService } from '../../shared/src/service';
import { buildGateway } from '../../gateway/src/server';
import { loadServices } from '../../scripts/services';
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

/**
 * The whole graph in one test process: the four services on free ports over the test database,
 * and the gateway on the committed supergraph, each behind its own HTTP server.
 */
export async function startStack(): Promise<Stack> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const log = createLogger('stack', 'error');
  const services: RunningService[] = [];
  for (const def of loadServices()) {
    services.push(await startService(def as never, { url: testDatabaseUrl(), database: config.database, port: 0, host: '127.0.0.1', log }));
  }
  const serviceUrls = Object.fromEntries(services.map((s) => [s.name, s.url])) as Record<ServiceName, string>;
  const { apollo } = buildGateway({
    supergraphSdl: fs.readFileSync(config.supergraphPath, 'utf8'),
    serviceUrls,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    log,
  });
  await apollo.start();
  const http = createHttpServer<BaseContext>({ apollo, context: async () => ({}), ready: async () => ({ ok: true, checks: {} }) });
  const port = await listen(http, 0, '127.0.0.1');
  const gatewayUrl = `http://127.0.0.1:${port}/graphql`;
  const query = async (q: string, variables?: Record<string, unknown>) => {
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: q, variables }),
    });
    return { status: res.status, ...((await res.json()) as GraphQLResult) };
  };
  return {
    gatewayUrl,
    services,
    query,
    queryCounting: async (q, variables) => {
      const before = sqlStatements.count;
      const result = await query(q, variables);
      return { ...result, sql: sqlStatements.count - before };
    },
    stop: async () => {
      await closeServer(http, 2000);
      await apollo.stop();
      for (const s of services) await s.stop();
    },
  };
}

export { SERVICE_NAMES };
