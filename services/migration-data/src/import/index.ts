import type { ClientBase } from 'pg';
import type { DataSource } from 'typeorm';
import { quoted } from '../../../../shared/src/io/printable';
import { ImportError } from './common';
import { REVISION_NAME } from './stock';

export * from './common';
export * from './displacement';
export * from './indicators';
export * from './missingMigrants';
export * from './stock';

/** Runs `fn` on one raw pg connection of a DataSource (COPY needs the driver's client). */
export async function withClient<T>(ds: DataSource, fn: (client: ClientBase) => Promise<T>): Promise<T> {
  const [client, release] = (await ds.driver.obtainMasterConnection()) as [ClientBase, (err?: unknown) => void];
  try {
    return await fn(client);
  } finally {
    release();
  }
}

/** Removes a revision (its partition, sums, counts, ranking, import record and row) in one transaction. */
export async function dropStockRevision(client: ClientBase, revision: string): Promise<void> {
  if (!REVISION_NAME.test(revision)) throw new ImportError(`revision ${quoted(revision)} is not a revision name`);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`import:stock:${revision}`]);
    await client.query(`DROP TABLE IF EXISTS "data"."stock_corridor_${revision}"`);
    await client.query(`DROP TABLE IF EXISTS "data"."stock_country_year_${revision}"`);
    await client.query(`DELETE FROM "data"."stock_revision" WHERE "code" = $1`, [revision]);
    await client.query(`DELETE FROM "data"."import_log" WHERE "kind" = 'stock' AND "target" = $1`, [revision]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
