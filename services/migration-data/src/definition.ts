import type { ServiceDefinition } from '../../../shared/src/service';
import type { Context } from './context';
import { createContext } from './context';
import { createDataSource, SCHEMA, SERVICE_NAME } from './dataSource';
import { seed } from './seed';
import { buildServer } from './server';

/** The migration-data service, as the orchestrator, the migrate script and tests see it. */
export const definition: ServiceDefinition<Context> = {
  name: SERVICE_NAME,
  schema: SCHEMA,
  createDataSource,
  buildServer,
  createContext,
  seed: (ds) => seed(ds),
};
