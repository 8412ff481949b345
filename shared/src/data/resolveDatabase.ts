import type { Config } from '../runtime/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embeddedPostgres';
import type { Logger } from '../runtime/logger';

export interface ResolvedDatabase {
  url: string;
  embedded: EmbeddedPostgres | null;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL, with its data in the project's .data folder. */
export async function resolveDatabase(config: Config, log: Logger): Promise<ResolvedDatabase> {
  if (config.database.url) {
    log.info('using the PostgreSQL server at DATABASE_URL');
    return { url: config.database.url, embedded: null };
  }
  const embedded = await startEmbeddedPostgres({
    dir: config.database.embeddedDir,
    port: config.database.embeddedPort,
    database: 'migration_graph',
    verbose: config.logLevel === 'debug',
  });
  log.info(
    `${embedded.created ? 'created and started' : 'started'} the embedded PostgreSQL on port ${config.database.embeddedPort} (data in ${config.database.embeddedDir})`,
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
