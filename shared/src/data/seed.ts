import crypto from 'node:crypto';
import fs from 'node:fs';
import type { DataSource, EntityManager } from 'typeorm';

/** DDL of the table that records which seed data sets a schema has applied (used by migrations). */
export function seedLogDdl(schema: string): string {
  return `CREATE TABLE "${schema}"."seed_log" (
    "name" text PRIMARY KEY,
    "checksum" text NOT NULL,
    "rows" integer NOT NULL,
    "applied_at" timestamptz NOT NULL DEFAULT now()
  )`;
}

export function checksumFiles(files: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const file of files) hash.update(fs.readFileSync(file));
  return hash.digest('hex');
}

export interface SeedResult {
  name: string;
  applied: boolean;
  rows: number;
}

/**
 * Applies a seed data set once. The set is identified by name and the checksum of its files: a
 * second start finds the same checksum and writes nothing. A changed file re-applies the set
 * (upserts by natural key). Runs in one transaction under an advisory lock, so a failure writes
 * nothing and two processes never seed at once.
 */
export async function seedOnce(
  ds: DataSource,
  schema: string,
  name: string,
  files: string[],
  apply: (manager: EntityManager) => Promise<number>,
): Promise<SeedResult> {
  const checksum = checksumFiles(files);
  return ds.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`seed:${schema}:${name}`]);
    const done: { checksum: string }[] = await manager.query(`SELECT checksum FROM "${schema}"."seed_log" WHERE name = $1`, [
      name,
    ]);
    if (done.length > 0 && done[0].checksum === checksum) return { name, applied: false, rows: 0 };
    const rows = await apply(manager);
    await manager.query(
      `INSERT INTO "${schema}"."seed_log" (name, checksum, rows) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, rows = EXCLUDED.rows, applied_at = now()`,
      [name, checksum, rows],
    );
    return { name, applied: true, rows };
  });
}

/** Splits a `; `-separated tag cell into a list; an empty cell is an empty list. */
export function splitList(cell: string | undefined, separator = ';'): string[] {
  if (!cell) return [];
  return cell
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
