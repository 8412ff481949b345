import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { type Config, type GatewayLimits, PROJECT_ROOT, type ServiceName } from '../../shared/src/runtime/config';
import { resolveDatabase } from '../../shared/src/data/resolveDatabase';
import type { Logger } from '../../shared/src/runtime/logger';
import { prepareDatabase, type RunningService, type ServiceDefinition, startService } from '../../shared/src/runtime/service';
import { randomServiceSecrets, type ServiceSecrets } from '../../shared/src/auth/signing';
import { loadServices } from '../../services/definitions';
import { createGatewayApp } from './app';
import { type AuthOptions, authOptionsFromConfig, createAuthenticator } from './auth';
import { createIdeRoute } from './ide';

export interface InProcessStack {
  gatewayUrl: string;
  services: RunningService[];
  /** The secrets the gateway signs each service's calls with (fresh for each stack). */
  serviceSecrets: ServiceSecrets;
  stop(): Promise<void>;
}

export interface InProcessStackOptions {
  /** Token verification at the gateway; from the configuration when not given. */
  auth?: AuthOptions;
  /** Gateway limits; from the configuration when not given. */
  limits?: GatewayLimits;
  /** Production behaviour at the gateway (introspection for partners and above, no suggestions). */
  production?: boolean;
  /** Origins whose pages may call the gateway; from the configuration when not given. */
  corsOrigins?: string[];
  /** The folder of the named reports served at /reports; `operations/` when not given. */
  reportsDir?: string;
  /** The four service definitions, when a test wraps them; loadServices() otherwise. */
  definitions?: ServiceDefinition<BaseContext>[];
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
  options: InProcessStackOptions = {},
): Promise<InProcessStack> {
  const serviceSecrets = randomServiceSecrets();
  const limits = options.limits ?? config.limits;
  const services: RunningService[] = [];
  for (const def of options.definitions ?? loadServices()) {
    services.push(
      await startService(def, {
        url,
        database: config.database,
        port: 0,
        host: '127.0.0.1',
        log,
        secret: serviceSecrets[def.name],
      }),
    );
  }
  const serviceUrls = Object.fromEntries(services.map((s) => [s.name, s.url])) as Record<ServiceName, string>;
  const app = createGatewayApp({
    supergraphSdl: fs.readFileSync(config.supergraphPath, 'utf8'),
    serviceUrls,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    deduplicateSubgraphCalls: config.subgraphDeduplication,
    plugins,
    log,
    serviceSecrets,
    limits,
    production: options.production ?? false,
    authenticate: createAuthenticator(options.auth ?? authOptionsFromConfig(config)),
    corsOrigins: options.corsOrigins ?? config.corsOrigins,
    routes: [createIdeRoute({ operationsDir: path.join(PROJECT_ROOT, 'operations') })],
    reportsDir: options.reportsDir ?? path.join(PROJECT_ROOT, 'operations'),
    stopGracePeriodMs: 2000,
  });
  return {
    gatewayUrl: await app.start(),
    services,
    serviceSecrets,
    stop: async () => {
      await app.stop();
      for (const s of services) await s.stop();
    },
  };
}

/**
 * For measurements: the stack over DATABASE_URL or the embedded PostgreSQL, migrated and seeded
 * first, while `measure` runs; the stack and an embedded server are stopped afterwards.
 */
export async function measureOnStack(
  config: Config,
  log: Logger,
  measure: (stack: InProcessStack) => Promise<void>,
): Promise<void> {
  const db = await resolveDatabase(config, log);
  const stack = await (async () => {
    for (const def of loadServices()) await prepareDatabase(def, db.url, config.database, log);
    return startInProcessStack(db.url, config, log);
  })();
  try {
    await measure(stack);
  } finally {
    await stack.stop();
    await db.embedded?.stop();
  }
}

/** POSTs one operation to a gateway, as a client would. */
export async function postGraphQL<T = unknown>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}
