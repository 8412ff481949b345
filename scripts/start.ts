// npm start: the whole system on one machine. Starts the gateway (which needs no database) and the
// four services' process (which loads its code meanwhile) while it starts (or reaches) PostgreSQL and
// migrates and seeds every service's schema, then lets the services connect (with
// SERVICE_PROCESSES=each, starts each in its own process only then), restarts
// any of them that exits (the others keep serving), and stops all of them, the database last, on
// Ctrl-C or SIGTERM, or when one cannot be kept running.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  type Config,
  loadConfig,
  perService,
  PROJECT_ROOT,
  SERVICE_NAMES,
  type ServiceName,
  serviceSecretVariable,
} from '../shared/src/runtime/config';
import { type ResolvedDatabase, resolveDatabase, withoutDatabaseSettings } from '../shared/src/data/resolveDatabase';
import { createLogger } from '../shared/src/runtime/logger';
import { randomServiceSecrets } from '../shared/src/auth/signing';
import { hostedServicesDatabaseSettings, serviceDatabaseUrl } from '../shared/src/data/databaseRoles';
import { LEAN_NODE_FLAGS, nodeArguments, SupervisedProcess } from './supervisor';

async function main(): Promise<void> {
  const started = Date.now();
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`[start] ${(e as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger('start', config.logLevel);
  if (!fs.existsSync(config.supergraphPath)) {
    log.error(`no supergraph at ${path.relative(PROJECT_ROOT, config.supergraphPath)}: run "npm run compose"`);
    process.exit(2);
  }
  const children: SupervisedProcess[] = [];
  let db: ResolvedDatabase | null = null;
  let migrate: ChildProcess | null = null;
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info(`${reason}: stopping`);
    if (migrate && migrate.exitCode === null && migrate.signalCode === null) {
      const exited = new Promise((resolve) => migrate?.once('exit', resolve));
      migrate.kill('SIGTERM');
      await exited;
    }
    const gateway = children.filter((c) => c.name === 'gateway');
    await Promise.all(gateway.map((c) => c.stop()));
    await Promise.all(children.filter((c) => c.name !== 'gateway').map((c) => c.stop()));
    if (db?.embedded) {
      await db.embedded.stop();
      log.info('the embedded PostgreSQL stopped');
    }
    log.info('stopped');
    process.exit(code);
  };
  const giveUp = (reason: string) => void shutdown(reason, 1);
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

  // Each service connects as its own database role; the gateway gets no database settings.
  const env = withoutDatabaseSettings(process.env);
  // Signing secrets: the configured ones, or (outside production) fresh random ones for this run.
  // Each service gets its own secret only; the gateway gets all four.
  const generated = randomServiceSecrets();
  const secretEnv = (name: ServiceName) =>
    config.serviceSecrets[name] || config.nodeEnv === 'production' ? {} : { [serviceSecretVariable(name)]: generated[name] };
  // Each process must start once; after that, an exit is restarted with backoff (see supervisor.ts)
  // while the others keep serving.
  const readyz = (port: number) => `http://127.0.0.1:${port}/readyz`;
  // The development layout keeps its footprint small; the deployed one (each service alone) runs as deployed.
  const nodeFlags = config.serviceProcesses === 'one' ? LEAN_NODE_FLAGS : [];
  // The gateway needs no database (it reads a static supergraph, not the services'), so it loads
  // while the database starts and the schemas are migrated and seeded; npm start is ready once all
  // five processes are.
  const gateway = new SupervisedProcess(
    'gateway',
    ['gateway/src/index'],
    Object.assign({ ...env }, ...SERVICE_NAMES.map(secretEnv)),
    [readyz(config.ports.gateway)],
    log,
    giveUp,
    nodeFlags,
  );
  children.push(gateway);
  const gatewayStarted = gateway.start();
  // A gateway that cannot start stops everything at once, even while the database is still being prepared.
  gatewayStarted.catch((error: unknown) => {
    if (stopping) return; // stopped on purpose
    log.error(error instanceof Error ? error.message : String(error));
    void shutdown('start-up failed', 1);
  });

  // With the four services in one process (the default), that process also starts now and loads
  // its code while the database is prepared; it gets the database's settings once they are known.
  let databaseSettings: (settings: Record<string, string>) => void = () => undefined;
  let servicesStarted: Promise<void> | null = null;
  if (config.serviceProcesses === 'one') {
    const services = new SupervisedProcess(
      'services',
      ['scripts/runService', ...SERVICE_NAMES],
      Object.assign({ ...env }, ...SERVICE_NAMES.map(secretEnv)),
      SERVICE_NAMES.map((name) => readyz(config.ports[name])),
      log,
      giveUp,
      nodeFlags,
    );
    children.push(services);
    servicesStarted = services.startBefore(new Promise((resolve) => (databaseSettings = resolve)));
    servicesStarted.catch((error: unknown) => {
      if (stopping) return;
      log.error(error instanceof Error ? error.message : String(error));
      void shutdown('start-up failed', 1);
    });
  }

  try {
    try {
      db = await resolveDatabase(config, log);
    } catch (error) {
      // Such as the embedded server already running under another npm start: the message says what to do.
      log.error(error instanceof Error ? error.message : String(error));
      await shutdown('start-up failed', 1);
      return;
    }
    const database = db;
    // Every service needs the database: restarting them without it would only loop.
    database.embedded?.process.once('exit', (code, signal) => {
      if (stopping) return;
      log.error(
        `the embedded PostgreSQL exited unexpectedly (${signal ? `killed by ${signal}` : `code ${code}`}): nothing works without it, so everything stops`,
      );
      void shutdown('database gone', 1);
    });
    // Migrating and seeding run in a child process that exits: the orchestrator itself never loads
    // the services' code, and stays small for the whole run.
    const migrating = spawn(process.execPath, nodeArguments(['scripts/migrate']), {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: database.url },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    migrate = migrating;
    const migrated = await new Promise<number | null>((resolve) => migrating.once('exit', (code) => resolve(code)));
    if (stopping) return;
    if (migrated !== 0) throw new Error(`migrating and seeding the services' schemas failed (code ${migrated})`);
    const databaseUrls = perService((name) => serviceDatabaseUrl(config.database, database.url, name));
    if (servicesStarted) {
      // The four services' process gets the server without credentials and each role's password,
      // never the administrator's.
      databaseSettings(hostedServicesDatabaseSettings(config.database, database.url, SERVICE_NAMES));
    } else {
      for (const name of SERVICE_NAMES) {
        children.push(
          new SupervisedProcess(
            name,
            ['scripts/runService', name],
            { ...env, DATABASE_URL: databaseUrls[name], ...secretEnv(name) },
            [readyz(config.ports[name])],
            log,
            giveUp,
          ),
        );
      }
    }
    await Promise.all([
      gatewayStarted,
      ...(servicesStarted ? [servicesStarted] : children.filter((c) => c !== gateway).map((c) => c.start())),
    ]);
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    log.info(
      `Migration Graph is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: open http://${host}:${config.ports.gateway}/graphql (Ctrl-C stops everything)`,
    );
  } catch (error) {
    if (stopping) return; // already stopping, and saying why
    log.error(error instanceof Error ? error.message : String(error));
    await shutdown('start-up failed', 1);
  }
}

void main();
