// npm start: the whole system on one machine. Starts (or reaches) PostgreSQL, migrates and seeds
// every service's schema, starts the four services and the gateway as separate processes, and
// stops all of them, the database last, on Ctrl-C or SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, loadConfig, PROJECT_ROOT, SERVICE_NAMES, type ServiceName, serviceSecretVariable } from '../shared/src/config';
import { resolveDatabase, withoutDatabaseSettings } from '../shared/src/database';
import { createLogger } from '../shared/src/logger';
import { prepareDatabase } from '../shared/src/service';
import { randomServiceSecrets } from '../shared/src/signing';
import { loadServices } from './services';

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

function launch(name: string, entry: string, env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Own process group: Ctrl-C reaches the orchestrator only, which stops everything in order.
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, process: child, exited };
}

async function waitReady(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited during start-up (code ${child.process.exitCode})`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name} was not ready within ${timeoutMs} ms (${url})`);
}

async function stopChild(child: Child, timeoutMs = 10_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  await child.exited;
  clearTimeout(timer);
}

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
  const db = await resolveDatabase(config, log);
  const children: Child[] = [];
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info(`${reason}: stopping`);
    const gateway = children.filter((c) => c.name === 'gateway');
    await Promise.all(gateway.map((c) => stopChild(c)));
    await Promise.all(children.filter((c) => c.name !== 'gateway').map((c) => stopChild(c)));
    await db.embedded?.stop();
    log.info('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

  try {
    const databaseUrls: Partial<Record<ServiceName, string>> = {};
    for (const service of loadServices()) {
      const { migrations, seeds, url } = await prepareDatabase(service, db.url, config.database, log);
      databaseUrls[service.name] = url;
      const seeded = seeds.filter((s) => s.applied);
      log.info(
        `${service.name}: ${migrations.length} migration(s) applied, ` +
          (seeded.length > 0 ? `seeded ${seeded.map((s) => `${s.name} (${s.rows} rows)`).join(', ')}` : 'seed data already current'),
      );
    }
    // Each service connects as its own database role; the gateway gets no database settings.
    const env = withoutDatabaseSettings(process.env);
    // Signing secrets: the configured ones, or (outside production) fresh random ones for this run.
    // Each service gets its own secret only; the gateway gets all four.
    const generated = randomServiceSecrets();
    const secretEnv = (name: ServiceName) =>
      config.serviceSecrets[name] || config.nodeEnv === 'production' ? {} : { [serviceSecretVariable(name)]: generated[name] };
    for (const name of SERVICE_NAMES) {
      const child = launch(name, `services/${name}/src/index.ts`, { ...env, DATABASE_URL: databaseUrls[name], ...secretEnv(name) });
      children.push(child);
      child.exited.then((code) => {
        if (!stopping) void shutdown(`${name} exited unexpectedly (code ${code})`, 1);
      });
    }
    await Promise.all(
      SERVICE_NAMES.map((name, i) => waitReady(`http://127.0.0.1:${config.ports[name]}/readyz`, children[i], 60_000)),
    );
    const gateway = launch('gateway', 'gateway/src/index.ts', Object.assign({ ...env }, ...SERVICE_NAMES.map(secretEnv)));
    children.push(gateway);
    gateway.exited.then((code) => {
      if (!stopping) void shutdown(`gateway exited unexpectedly (code ${code})`, 1);
    });
    await waitReady(`http://127.0.0.1:${config.ports.gateway}/readyz`, gateway, 60_000);
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    log.info(`Migration Graph is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: open http://${host}:${config.ports.gateway}/graphql (Ctrl-C stops everything)`);
  } catch (error) {
    log.error(error instanceof Error ? error.message : String(error));
    await shutdown('start-up failed', 1);
  }
}

void main();
