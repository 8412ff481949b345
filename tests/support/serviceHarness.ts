import type { BaseContext } from '@apollo/server';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../shared/src/runtime/config';
import { serviceDatabaseUrl } from '../../shared/src/data/databaseRoles';
import { sqlStatements } from '../../shared/src/data/dataSource';
import { createLogger } from '../../shared/src/runtime/logger';
import type { ServiceDefinition } from '../../shared/src/runtime/service';
import type { Identity } from '../../shared/src/auth/identity';

export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface ServiceHarness {
  ds: DataSource;
  /** Runs one operation through executeOperation with a fresh context (fresh loaders). */
  execute(query: string, variables?: Record<string, unknown>, identity?: Identity): Promise<GraphQLResult>;
  /** Runs one operation and also returns how many SQL statements it sent. */
  executeCounting(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult & { sql: number }>;
  close(): Promise<void>;
}

export function testDatabaseUrl(): string {
  const url = process.env.MG_TEST_DATABASE_URL;
  if (!url) throw new Error('MG_TEST_DATABASE_URL is not set: run the tests with jest (globalSetup creates the database)');
  return url;
}

/**
 * A service alone, on the test database that globalSetup migrated and seeded (or on `url`, already
 * migrated), connected as its own database role, as the service process is.
 */
export async function startServiceHarness<T extends BaseContext>(
  def: ServiceDefinition<T>,
  url = testDatabaseUrl(),
): Promise<ServiceHarness> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const log = createLogger(def.name, 'error');
  const ds = def.createDataSource(serviceDatabaseUrl(config.database, url, def.name), config.database, log);
  await ds.initialize();
  const server = def.buildServer(log);
  await server.start();
  const execute = async (query: string, variables?: Record<string, unknown>, identity?: Identity): Promise<GraphQLResult> => {
    const response = await server.executeOperation({ query, variables }, { contextValue: def.createContext(ds, identity) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return JSON.parse(JSON.stringify(response.body.singleResult)) as GraphQLResult;
  };
  return {
    ds,
    execute,
    executeCounting: async (query, variables) => {
      const before = sqlStatements.count;
      const result = await execute(query, variables);
      return { ...result, sql: sqlStatements.count - before };
    },
    close: async () => {
      await server.stop();
      await ds.destroy();
    },
  };
}
