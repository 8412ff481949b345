import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../../shared/src/config';
import { createServiceDataSource } from '../../../shared/src/db';
import type { Logger } from '../../../shared/src/logger';
import { entities } from './entities';
import { Initial1732900000000 } from './migrations/1732900000000-Initial';
import { Editing1733500000000 } from './migrations/1733500000000-Editing';

export const SERVICE_NAME = 'un-partnerships' as const;
export const SCHEMA = 'partners';
export const migrations = [Initial1732900000000, Editing1733500000000];

export function createDataSource(url: string, database: DatabaseConfig, log: Logger): DataSource {
  return createServiceDataSource({ url, schema: SCHEMA, entities, migrations, database, applicationName: SERVICE_NAME, log });
}
