import crypto from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../../shared/src/runtime/config';
import { createLogger } from '../../shared/src/runtime/logger';
import { withDatabase } from '../../shared/src/runtime/net';
import { prepareDatabase } from '../../shared/src/runtime/service';
import { loadServices } from '../../services/definitions';
import { testDatabaseUrl } from './serviceHarness';

export interface PrivateDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** An empty database of its own on the test server, named `<prefix>_<random hex>`; `drop()` removes it. */
export async function createEmptyDatabase(prefix: string): Promise<PrivateDatabase> {
  const shared = testDatabaseUrl();
  const name = `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: withDatabase(shared, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  await admin.end();
  return {
    name,
    url: withDatabase(shared, name),
    drop: async () => {
      const c = new Client({ connectionString: withDatabase(shared, 'postgres') });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A database of its own on the test server, migrated and seeded for all four services: tests that
 * delete seeded records (or store broken ones) never disturb the read tests running beside them.
 */
export async function createPrivateDatabase(prefix = 'mg_private'): Promise<PrivateDatabase> {
  const db = await createEmptyDatabase(prefix);
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  for (const def of loadServices()) await prepareDatabase(def, db.url, config.database, createLogger(def.name, 'error'));
  return db;
}
