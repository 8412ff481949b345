import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource, type Logger as OrmLogger, type MigrationInterface, type MixedList } from 'typeorm';
import type { DatabaseConfig } from '../runtime/config';
import type { Logger } from '../runtime/logger';

/**
 * Counts every SQL statement the process sends through TypeORM. Tests and benchmarks read the
 * difference across one operation to prove batching ("SQL statements per operation").
 */
export const sqlStatements: { count: number; byService: Record<string, number> } = { count: 0, byService: {} };

class CountingLogger implements OrmLogger {
  constructor(
    private readonly out: Logger,
    private readonly service: string,
  ) {}
  logQuery(query: string): void {
    sqlStatements.count += 1;
    sqlStatements.byService[this.service] = (sqlStatements.byService[this.service] ?? 0) + 1;
    this.out.debug('sql', { query: query.slice(0, 500) });
  }
  logQueryError(error: string | Error, query: string): void {
    this.out.warn('sql failed', { error: error instanceof Error ? error.message : error, query: query.slice(0, 500) });
  }
  logQuerySlow(time: number, query: string): void {
    this.out.warn('slow sql', { ms: time, query: query.slice(0, 500) });
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.out.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.out.warn(String(message));
  }
}

/** A class TypeORM maps to a table. */
export type EntityClass = new () => object;
/** A class of a migrations folder. */
export type MigrationClass = new () => MigrationInterface;

export interface ServiceDataSourceOptions {
  url: string;
  schema: string;
  entities: MixedList<EntityClass>;
  migrations: MixedList<MigrationClass>;
  database: Pick<DatabaseConfig, 'poolSize' | 'statementTimeoutMs' | 'connectTimeoutMs'>;
  applicationName: string;
  log: Logger;
}

/** One DataSource per service, bound to the service's own Postgres schema. Never synchronize. */
export function createServiceDataSource(opts: ServiceDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    schema: opts.schema,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logger: new CountingLogger(opts.log, opts.applicationName),
    maxQueryExecutionTime: 1000,
    applicationName: opts.applicationName,
    extra: {
      max: opts.database.poolSize,
      connectionTimeoutMillis: opts.database.connectTimeoutMs,
      statement_timeout: opts.database.statementTimeoutMs,
      idleTimeoutMillis: 30000,
    },
  });
}

/** TypeORM does not create a missing Postgres schema: each service creates its own before migrating. */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
  } finally {
    await client.end();
  }
}

/**
 * Runs pending migrations under a session advisory lock keyed by the schema, so two processes
 * starting at once never migrate the same schema twice.
 */
export async function runMigrations(ds: DataSource, schema: string): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${schema}`]).catch(() => undefined);
    await runner.release();
  }
}
