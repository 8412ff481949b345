import type { Config } from '../runtime/config';
import { runningEmbeddedPostgres, startEmbeddedPostgres, type EmbeddedPostgres } from './embeddedPostgres';
import type { Logger } from '../runtime/logger';

export interface ResolvedDatabase {
  url: string;
  embedded: EmbeddedPostgres | null;
}

const DATABASE = 'migration_graph';

export interface ResolveOptions {
  /**
   * When the embedded server already runs on the data folder (npm start in another terminal), use
   * it instead of starting a second one; it is left running. Without this, a running server is an
   * error that says what to do (a stack of its own needs its own data folder and port).
   */
  shareRunning?: boolean;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL, with its data in the project's .data
 * folder: the one already running there (commands beside npm start), or a new one.
 */
export async function resolveDatabase(config: Config, log: Logger, opts: ResolveOptions = {}): Promise<ResolvedDatabase> {
  if (config.database.url) {
    log.info('using the PostgreSQL server at DATABASE_URL');
    return { url: config.database.url, embedded: null };
  }
  const dir = config.database.embeddedDir;
  const running = await runningEmbeddedPostgres(dir, DATABASE);
  if (running && opts.shareRunning) {
    log.info(`using the embedded PostgreSQL already running on port ${running.port} (pid ${running.pid}, data in ${dir})`);
    return { url: running.url, embedded: null };
  }
  if (running) {
    throw new Error(
      `the embedded PostgreSQL of ${dir} is already running (pid ${running.pid}, port ${running.port}), most likely under ` +
        'another npm start: stop that one first (Ctrl-C in its terminal), or give this one its own EMBEDDED_PG_DIR and EMBEDDED_PG_PORT',
    );
  }
  const embedded = await startEmbeddedPostgres({
    dir,
    port: config.database.embeddedPort,
    database: DATABASE,
    verbose: config.logLevel === 'debug',
  });
  log.info(
    `${embedded.created ? 'created and started' : 'started'} the embedded PostgreSQL on port ${config.database.embeddedPort} (data in ${dir})`,
  );
  return { url: embedded.url, embedded };
}

/**
 * A child process's environment without any database setting: the gateway needs none, and a
 * service is then given only its own role's URL (never the administrator's, nor another's password).
 */
export function withoutDatabaseSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => key !== 'DATABASE_URL' && !key.startsWith('DATABASE_PASSWORD_')),
  );
}
