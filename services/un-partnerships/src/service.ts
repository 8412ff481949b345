import { defineService, type ServiceContext } from '../../../shared/src/runtime/service';
import { entities } from './entities';
import { createLoaders, type Loaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';

/** The un-partnerships service, as the orchestrator, the scripts and the tests run it; its schema and port are in shared/src/runtime/registry.ts. */
export const definition = defineService({
  name: 'un-partnerships',
  entities,
  resolvers,
  createLoaders,
  seed,
});

/** What this service's resolvers receive. */
export type Context = ServiceContext<Loaders>;
