// npm start: the whole system on one machine. Starts (or reaches) PostgreSQL, migrates and seeds
// every service's schema, starts the four services (in one process, or each in its own with
// SERVICE_PROCESSES=each) and the gateway in another, restarts
// any of them that exits (the others keep serving), and stops all of them, the database last, on
// Ctrl-C or SIGTERM, or when one cannot be kept running.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  type Config,
  databasePasswordVariable,
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
import { serviceDatabaseUrl } from '../shared/src/data/databaseRoles';
import { nodeArguments, SupervisedProcess } from './supervisor';

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
  let db: ResolvedDatabase;
  try {
    db = await resolveDatabase(config, log);
  } catch (error) {
    // Such as the embedded server already running under another npm start: the message says what to do.
    log.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  const children: SupervisedProcess[] = [];
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info(`${reason}: stopping`);
    const gateway = children.filter((c) => c.name === 'gateway');
    await Promise.all(gateway.map((c) => c.stop()));
    await Promise.all(children.filter((c) => c.name !== 'gateway').map((c) => c.stop()));
    if (db.embedded) {
      await db.embedded.stop();
      log.info('the embedded PostgreSQL stopped');
    }
    log.info('stopped');
    process.exit(code);
  };
  // Every service needs the database: restarting them without it would only loop.
  db.embedded?.process.once('exit', (code, signal) => {
    if (stopping) return;
    log.error(
      `the embedded PostgreSQL exited unexpectedly (${signal ? `killed by ${signal}` : `code ${code}`}): nothing works without it, so everything stops`,
    );
    void shutdown('database gone', 1);
  });
  const giveUp = (reason: string) => void shutdown(reason, 1);
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

  try {
    // Migrating and seeding run in a child process that exits: the orchestrator itself never loads
    // the services' code, and stays small for the whole run.
    const migrate = spawn(process.execPath, nodeArguments(['scripts/migrate']), {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const migrated = await new Promise<number | null>((resolve) => migrate.once('exit', (code) => resolve(code)));
    if (migrated !== 0) throw new Error(`migrating and seeding the services' schemas failed (code ${migrated})`);
    const databaseUrls = perService((name) => serviceDatabaseUrl(config.database, db.url, name));
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
    if (config.serviceProcesses === 'one') {
      // One process for the four services (each on its own port, as its own role): it gets the server
      // without credentials and each role's password, never the administrator's.
      const server = new URL(db.url);
      server.username = '';
      server.password = '';
      children.push(
        new SupervisedProcess(
          'services',
          ['scripts/runService', ...SERVICE_NAMES],
          Object.assign(
            { ...env, DATABASE_URL: server.toString() },
            ...SERVICE_NAMES.map((name) => ({
              [databasePasswordVariable(name)]: decodeURIComponent(new URL(databaseUrls[name]).password),
              ...secretEnv(name),
            })),
          ),
          SERVICE_NAMES.map((name) => readyz(config.ports[name])),
          log,
          giveUp,
        ),
      );
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
    // The gateway starts beside the services (it reads a static supergraph, not theirs), so that loading its code overlaps
    // theirs; npm start is ready once all five are.
    children.push(
      new SupervisedProcess(
        'gateway',
        ['gateway/src/index'],
        Object.assign({ ...env }, ...SERVICE_NAMES.map(secretEnv)),
        [readyz(config.ports.gateway)],
        log,
        giveUp,
      ),
    );
    await Promise.all(children.map((c) => c.start()));
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    log.info(
      `Migration Graph is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: open http://${host}:${config.ports.gateway}/graphql (Ctrl-C stops everything)`,
    );
  } catch (error) {
    log.error(error instanceof Error ? error.message : String(error));
    await shutdown('start-up failed', 1);
  }
}

void main();
