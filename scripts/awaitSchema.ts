// The init container of a service's pod: `node dist/scripts/awaitSchema.js <service>` waits until the
// migrate Job has created the service's database role and brought its schema up to date, checking
// with the service's own credentials, then exits 0; so a new version's pods start only on the schema
// they expect. Exits 1 when that takes longer than the migrate Job may run, 2 on a wrong command line
// or setting.
import { type Config, loadConfig, SERVICE_NAMES, type ServiceName } from '../shared/src/runtime/config';
import { serviceDatabaseUrl } from '../shared/src/data/databaseRoles';
import { createLogger, describeError } from '../shared/src/runtime/logger';
import { loadServices } from '../services/definitions';

const POLL_MS = 2000;
/** The migrate Job's activeDeadlineSeconds (deploy/k8s/migrate-job.yaml). */
const TIMEOUT_MS = 900_000;

/** True when the service's role logs in and no migration is pending; otherwise what is missing. */
async function schemaIsCurrent(config: Config, name: ServiceName): Promise<true | string> {
  if (!config.database.url) return 'DATABASE_URL is not set';
  const [definition] = loadServices([name]);
  const url = serviceDatabaseUrl(config.database, config.database.url, name);
  const ds = definition.createDataSource(url, { ...config.database, poolSize: 1 }, createLogger(name, 'error'));
  try {
    await ds.initialize();
    return (await ds.showMigrations()) ? 'migrations pending' : true;
  } catch (error) {
    return describeError(error);
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}

async function main(): Promise<void> {
  const name = process.argv[2];
  let config: Config;
  try {
    if (!(SERVICE_NAMES as readonly (string | undefined)[]).includes(name)) {
      throw new Error(`usage: scripts/awaitSchema.ts <service>, with <service> one of ${SERVICE_NAMES.join(', ')}`);
    }
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`[await-schema] ${(e as Error).message}\n`);
    process.exit(2);
  }
  const service = name as ServiceName;
  const log = createLogger(service, config.logLevel);
  const deadline = Date.now() + TIMEOUT_MS;
  let last = '';
  for (;;) {
    const state = await schemaIsCurrent(config, service);
    if (state === true) {
      log.info('schema current: starting');
      return;
    }
    if (state !== last) log.info(`waiting for the migrate job: ${state}`);
    last = state;
    if (Date.now() > deadline) {
      log.error(`the schema was not current within ${TIMEOUT_MS / 1000} s (${state})`);
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

void main();
