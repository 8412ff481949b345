import crypto from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig, PROJECT_ROOT } from '../../shared/src/runtime/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../shared/src/data/embeddedPostgres';
import { freePort, withDatabase } from '../../shared/src/runtime/net';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named database for one test run: on DATABASE_URL's server when it is set,
 * else on the server of the run's shared database (a test asking for a second database while the
 * run's embedded server holds the data folder), otherwise on an embedded PostgreSQL whose data
 * folder lives under .data/ (reused across runs).
 */
export async function createTestDatabase(): Promise<TestDatabase & { embedded: EmbeddedPostgres | null }> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  let embedded: EmbeddedPostgres | null = null;
  let serverUrl = config.database.url ?? process.env.MG_TEST_DATABASE_URL;
  if (!serverUrl) {
    const dir = process.env.EMBEDDED_PG_TEST_DIR
      ? path.resolve(process.env.EMBEDDED_PG_TEST_DIR)
      : path.join(PROJECT_ROOT, '.data', 'postgres-test');
    embedded = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'postgres' });
    serverUrl = embedded.adminUrl;
  }
  const name = `mg_test_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`;
  const maintenanceUrl = withDatabase(serverUrl, 'postgres');
  const admin = new Client({ connectionString: maintenanceUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  return {
    url,
    embedded,
    drop: async () => {
      const c = new Client({ connectionString: maintenanceUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
      await c.end();
      if (embedded) await embedded.stop();
    },
  };
}
