import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { type Config, PROJECT_ROOT, type ServiceName } from '../shared/src/config';
import { closeServer, createHttpServer, listen } from '../shared/src/http';
import type { Logger } from '../shared/src/logger';
import { type RunningService, startService } from '../shared/src/service';
import { createIdeRoute } from '../gateway/src/ide';
import { buildGateway } from '../gateway/src/server';
import { loadServices } from './services';

export interface InProcessStack {
  gatewayUrl: string;
  services: RunningService[];
  stop(): Promise<void>;
}

/**
 * The four services and the gateway in one process, each behind its own HTTP server on a free
 * port, over an already migrated database: for tests and measurements that count SQL statements.
 */
export async function startInProcessStack(
  url: string,
  config: Config,
  log: Logger,
  plugins: ApolloServerPlugin<BaseContext>[] = [],
): Promise<InProcessStack> {
  const services: RunningService[] = [];
  for (const def of loadServices()) {
    services.push(await startService(def, { url, database: config.database, port: 0, host: '127.0.0.1', log }));
  }
  const serviceUrls = Object.fromEntries(services.map((s) => [s.name, s.url])) as Record<ServiceName, string>;
  const { apollo } = buildGateway({
    supergraphSdl: fs.readFileSync(config.supergraphPath, 'utf8'),
    serviceUrls,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    plugins,
    log,
  });
  await apollo.start();
  const http = createHttpServer<BaseContext>({
    apollo,
    context: async () => ({}),
    ready: async () => ({ ok: true, checks: {} }),
    extraRoutes: createIdeRoute({ operationsDir: path.join(PROJECT_ROOT, 'operations') }),
  });
  const port = await listen(http, 0, '127.0.0.1');
  return {
    gatewayUrl: `http://127.0.0.1:${port}/graphql`,
    services,
    stop: async () => {
      await closeServer(http, 2000);
      await apollo.stop();
      for (const s of services) await s.stop();
    },
  };
}

/** POSTs one operation to a gateway, as a client would. */
export async function postGraphQL<T = unknown>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}
