import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../../shared/src/config';
import { createServiceDataSource } from '../../../shared/src/db';
import type { Logger } from '../../../shared/src/logger';
import { entities } from './entities';
import { Initial1732900000000 } from './migrations/1732900000000-Initial';
import { ImportAndIndicators1733100000000 } from './migrations/1733100000000-ImportAndIndicators';
import { Editing1733500000000 } from './migrations/1733500000000-Editing';
import { StockCorridors1733700000000 } from './migrations/1733700000000-StockCorridors';

export const SERVICE_NAME = 'migration-data' as const;
export const SCHEMA = 'data';
export const migrations = [Initial1732900000000, ImportAndIndicators1733100000000, Editing1733500000000, StockCorridors1733700000000];

export function createDataSource(url: string, database: DatabaseConfig, log: Logger): DataSource {
  return createServiceDataSource({ url, schema: SCHEMA, entities, migrations, database, applicationName: SERVICE_NAME, log });
}
