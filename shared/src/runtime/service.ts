import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { ApolloServer, BaseContext } from '@apollo/server';
import type { DataSource, MixedList } from 'typeorm';
import {
  CODE_ROOT,
  type Config,
  type DatabaseConfig,
  loadConfig,
  PROJECT_ROOT,
  SERVICE_SCHEMAS,
  type ServiceName,
  serviceSecretVariable,
} from './config';
import { type CallerSignal, createHttpFront, listen, type Readiness } from './http';
import { createLogger, type Logger } from './logger';
import { createMetrics, observeDatabasePool } from './metrics';
import { activeTracing } from './tracing';
import { createServiceDataSource, runMigrations, type EntityClass, type MigrationClass } from '../data/dataSource';
import { migrationsIn } from '../data/migrationFiles';
import { provisionServiceRole, serviceDatabaseUrl } from '../data/databaseRoles';
import { ChangeListener, startReadCache } from '../data/readCache';
import type { SeedResult } from '../data/seed';
import { ANONYMOUS, type Identity } from '../auth/identity';
import { buildServiceSchema, createSubgraphServer, type ServiceResolvers } from '../graphql/subgraph';
import { verifySignedRequest } from '../auth/signing';
import { bindRequest } from '../graphql/requestBudget';

/**
 * What a service declares about itself in services/<name>/src/service.ts; its Postgres schema and
 * port come from shared/src/runtime/registry.ts, its schema file is services/<name>/schema.graphql.
 */
export interface ServiceDeclaration<TLoaders> {
  name: ServiceName;
  entities: MixedList<EntityClass>;
  /** The service's resolver map, typed with its generated Resolvers. */
  resolvers: ServiceResolvers;
  /** Fresh DataLoaders for one request. */
  createLoaders(ds: DataSource): TLoaders;
  seed(ds: DataSource, log: Logger): Promise<SeedResult | SeedResult[]>;
}

/** What every resolver of a service receives. */
export interface ServiceContext<TLoaders> {
  ds: DataSource;
  /** Who is asking, as the gateway verified and signed it. */
  identity: Identity;
  loaders: TLoaders;
}

/** A declared service, with what tests of its schema and migrations need. */
export type DeclaredService<TLoaders> = ServiceDefinition<ServiceContext<TLoaders>> & {
  schemaFile: string;
  migrations: MigrationClass[];
  resolvers: ServiceDeclaration<TLoaders>['resolvers'];
};

/** Turns a service's declaration into the definition the orchestrator, the scripts and the tests run. */
export function defineService<TLoaders>(service: ServiceDeclaration<TLoaders>): DeclaredService<TLoaders> {
  const schema = SERVICE_SCHEMAS[service.name];
  const schemaFile = path.join(PROJECT_ROOT, 'services', service.name, 'schema.graphql');
  const migrations = migrationsIn(path.join(CODE_ROOT, 'services', service.name, 'src', 'migrations'));
  return {
    name: service.name,
    schema,
    schemaFile,
    migrations,
    resolvers: service.resolvers,
    createDataSource: (url, database, log) =>
      createServiceDataSource({
        url,
        schema,
        entities: service.entities,
        migrations,
        database,
        applicationName: service.name,
        log,
      }),
    buildServer: (log) =>
      createSubgraphServer<ServiceContext<TLoaders>>({ schema: buildServiceSchema(schemaFile, service.resolvers), log }),
    // A fresh context (and fresh loaders) for every request.
    createContext: (ds, identity = ANONYMOUS) => ({ ds, identity, loaders: service.createLoaders(ds) }),
    seed: async (ds, log) => [await service.seed(ds, log)].flat(),
  };
}

/** What the shared wiring needs of a service; defineService builds it from a declaration. */
export interface ServiceDefinition<TContext extends BaseContext> {
  name: ServiceName;
  schema: string;
  createDataSource(url: string, database: DatabaseConfig, log: Logger): DataSource;
  buildServer(log: Logger): ApolloServer<TContext>;
  createContext(ds: DataSource, identity?: Identity): TContext;
  seed(ds: DataSource, log: Logger): Promise<SeedResult[]>;
}

export interface RunningService {
  name: ServiceName;
  port: number;
  url: string;
  ds: DataSource;
  stop(): Promise<void>;
}

/**
 * Gives the service its own database role owning its schema (as the administrator at `url`), then
 * runs pending migrations and applies seed data once as that role. Returns the URL the service
 * connects with: its own role's, never the administrator's.
 */
export async function prepareDatabase<T extends BaseContext>(
  def: ServiceDefinition<T>,
  url: string,
  database: DatabaseConfig,
  log: Logger,
  opts: { seed: boolean } = { seed: true },
): Promise<{ migrations: string[]; seeds: SeedResult[]; url: string }> {
  const ownUrl = await provisionServiceRole(database, url, def.name, def.schema);
  // A service may load independent seed sets on parallel connections.
  const ds = def.createDataSource(ownUrl, { ...database, poolSize: 4 }, log);
  await ds.initialize();
  try {
    const migrations = await runMigrations(ds, def.schema);
    const seeds = opts.seed ? await def.seed(ds, log) : [];
    return { migrations, seeds, url: ownUrl };
  } finally {
    await ds.destroy();
  }
}

/** Opens the database and serves the subgraph over HTTP. Used by runService and by the test harness. */
export async function startService<T extends BaseContext>(
  def: ServiceDefinition<T>,
  opts: {
    url: string;
    database: DatabaseConfig;
    port: number;
    host: string;
    log: Logger;
    /** This service's secret: only requests the gateway signed with it are answered. */
    secret: string;
    /** HTTP_READ_TIMEOUT_MS: how long a client may take to send a request. */
    readTimeoutMs?: number;
    /** METRICS_TOKEN: GET /metrics answers only this bearer token when set. */
    metricsToken?: string;
    /** Where its read cache hears of changes: a listener shared with the other services of the process, or one of its own. */
    changeListener?: ChangeListener;
  },
): Promise<RunningService> {
  // A service never connects as the administrator: given the administrator's URL (tests, the
  // in-process stack), it logs in as its own role on the same server and database.
  const url = serviceDatabaseUrl(opts.database, opts.url, def.name);
  const ds = def.createDataSource(url, opts.database, opts.log);
  await ds.initialize();
  const cache = opts.database.readCache ? await startReadCache(ds, url, def.schema, opts.log, opts.changeListener) : null;
  const apollo = def.buildServer(opts.log);
  const ready = async (): Promise<Readiness> => {
    const checks: Record<string, boolean | string> = {};
    try {
      await ds.query('SELECT 1');
      checks.database = true;
      checks.migrations = !(await ds.showMigrations());
    } catch {
      checks.database = false;
    }
    return { ok: checks.database === true && checks.migrations === true, checks };
  };
  // The signature is checked while the context is built: a request the gateway did not sign gets
  // a 401/403 before Apollo parses it, so no resolver runs (not even _entities or _service).
  const context = async (req: IncomingMessage, body: Buffer, signal: CallerSignal) => {
    const ctx = def.createContext(
      ds,
      verifySignedRequest({ secret: opts.secret, service: def.name, method: req.method, headers: req.headers, body }),
    );
    bindRequest(ctx, { signal });
    return ctx;
  };
  const metrics = createMetrics();
  observeDatabasePool(metrics, ds);
  const front = createHttpFront<T>({
    apollo,
    context,
    ready,
    readTimeoutMs: opts.readTimeoutMs,
    observer: { log: opts.log, metrics, gateway: false, metricsToken: opts.metricsToken },
  });
  await apollo.start();
  const port = await listen(front.server, opts.port, opts.host);
  return {
    name: def.name,
    port,
    url: `http://${opts.host}:${port}/graphql`,
    ds,
    stop: async () => {
      // Drains the HTTP server first (the front's plugin), then stops Apollo Server.
      await apollo.stop();
      await cache?.stop();
      await ds.destroy();
    },
  };
}

/**
 * Entry point of a service process: config, database, HTTP, and a clean stop on SIGINT/SIGTERM. It
 * serves one service (compose, Kubernetes), or several side by side (npm start in development): each
 * still on its own port, with its own schema, database role, secret and logger.
 */
export async function runService<T extends BaseContext>(...defs: ServiceDefinition<T>[]): Promise<void> {
  const label = defs.map((d) => d.name).join(', ');
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`[${label}] ${(e as Error).message}\n`);
    process.exit(2);
  }
  const tracing = activeTracing();
  const starting = defs.map((def) => {
    const log = createLogger(def.name, config.logLevel, { format: config.logFormat });
    if (!config.database.url) {
      log.error('DATABASE_URL must be set to run a service on its own (npm start sets it for the embedded database)');
      process.exit(2);
    }
    let url: string;
    try {
      url = serviceDatabaseUrl(config.database, config.database.url, def.name);
    } catch (e) {
      log.error((e as Error).message);
      process.exit(2);
    }
    const secret = config.serviceSecrets[def.name];
    if (!secret) {
      log.error(
        `${serviceSecretVariable(def.name)} must be set (or, in development and test, SERVICE_SIGNING_SECRET): npm start sets it`,
      );
      process.exit(2);
    }
    return { def, log, url, secret };
  });
  // Services hosted together hear of changes through one listening connection (a PostgreSQL backend
  // fewer for each), opened as the first one's role: LISTEN needs no privilege on the schema.
  const changeListener =
    starting.length > 1 && config.database.readCache
      ? new ChangeListener(starting[0].url, 'services', starting[0].log)
      : undefined;
  const running = await Promise.all(
    starting.map(async ({ def, log, url, secret }) => {
      const service = await startService(def, {
        url,
        database: config.database,
        port: config.ports[def.name],
        host: config.host,
        log,
        secret,
        readTimeoutMs: config.httpReadTimeoutMs,
        metricsToken: config.metricsToken,
        changeListener,
      });
      log.info(`listening on ${service.url}`);
      return { service, log };
    }),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      running.map(async ({ service, log }) => {
        log.info(`${signal}: stopping`);
        await service.stop().catch((e: unknown) => log.error('stop failed', { error: String(e) }));
      }),
    );
    await tracing
      ?.shutdown()
      .catch((e: unknown) => process.stderr.write(`[${label}] traces not sent: ${e instanceof Error ? e.message : String(e)}\n`));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Started by the orchestrator with an IPC channel: stop when it goes away, so nothing is orphaned.
  if (process.send) process.on('disconnect', () => void stop('parent gone'));
}
