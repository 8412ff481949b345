import type { TestDatabase } from './testDatabase';

export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as { __MG_TEST_DB__?: TestDatabase }).__MG_TEST_DB__;
  if (db) await db.drop();
}
