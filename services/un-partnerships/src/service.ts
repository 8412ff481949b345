import { defineService, type ServiceContext } from '../../../shared/src/service';
import { entities } from './entities';
import { createLoaders, type Loaders } from './loaders';
import { Initial1732900000000 } from './migrations/1732900000000-Initial';
import { Editing1733500000000 } from './migrations/1733500000000-Editing';
import { resolvers } from './resolvers';
import { seed } from './seed';

/** The un-partnerships service, as the orchestrator, the scripts and the tests run it; its schema and port are in services/registry.ts. */
export const definition = defineService({
  name: 'un-partnerships',
  entities,
  migrations: [Initial1732900000000, Editing1733500000000],
  resolvers,
  createLoaders,
  seed,
});

/** What this service's resolvers receive. */
export type Context = ServiceContext<Loaders>;
