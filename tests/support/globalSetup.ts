import { loadConfig, SERVICE_NAMES, type ServiceName } from '../../shared/src/runtime/config';
import { createLogger } from '../../shared/src/runtime/logger';
import { prepareDatabase } from '../../shared/src/runtime/service';
import { loadServices } from '../../services/definitions';
import { createTestDatabase } from './testDatabase';

/** One database for the whole run: created, migrated and seeded once; dropped by globalTeardown. */
export default async function globalSetup(): Promise<void> {
  const db = await createTestDatabase();
  (globalThis as { __MG_TEST_DB__?: unknown }).__MG_TEST_DB__ = db;
  process.env.MG_TEST_DATABASE_URL = db.url;
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const log = createLogger('test-setup', 'warn');
  // MG_TEST_SERVICES=a,b limits the run to some services (while one is being built); default all four.
  const only = process.env.MG_TEST_SERVICES?.split(',').filter((n): n is ServiceName =>
    (SERVICE_NAMES as readonly string[]).includes(n),
  );
  for (const service of loadServices(only && only.length > 0 ? only : SERVICE_NAMES)) {
    await prepareDatabase(service, db.url, config.database, log);
  }
}
