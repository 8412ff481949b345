import type { BaseContext } from '@apollo/server';
import type { DataSource } from 'typeorm';
import type { ServiceDefinition } from '../../shared/src/runtime/service';
import { createLogger } from '../../shared/src/runtime/logger';
import { definition as consultativeProcesses } from '../../services/consultative-processes/src/service';
import { definition as legalInstruments } from '../../services/legal-instruments/src/service';
import { definition as migrationData } from '../../services/migration-data/src/service';
import { definition as unPartnerships } from '../../services/un-partnerships/src/service';
import { startPrivateHarness } from '../support/editing';
import type { ServiceHarness } from '../support/serviceHarness';

/** Every row of the schema's seeded tables, without serial ids (a replaced set gets new ones). */
async function snapshot(ds: DataSource, schema: string, only?: string[]): Promise<Record<string, string[]>> {
  const tables: { name: string }[] = await ds.query(
    `SELECT c.table_name AS name FROM information_schema.columns c
     WHERE c.table_schema = $1 AND c.column_name = 'notes' AND ($2::text[] IS NULL OR c.table_name = ANY($2)) ORDER BY 1`,
    [schema, only ?? null],
  );
  const entries = await Promise.all(
    tables.map(async ({ name }) => {
      const rows: { row: string }[] = await ds.query(
        `SELECT (to_jsonb(t) - 'id')::text AS row FROM "${schema}"."${name}" t ORDER BY 1`,
      );
      return [name, rows.map((r) => r.row)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

// The upserts take their column lists from the entities' metadata: a re-applied seed must write
// back every column it gives, which this proves by spoiling the notes of every seeded row first.
/**
 * `only`: the tables to compare (default every table with notes); `sets`: the seed sets to re-apply
 * (default every set the service's seed names).
 */
function reseeds<T extends BaseContext>(def: ServiceDefinition<T>, only?: string[], sets?: string[]): void {
  describe(`re-applying the ${def.name} seed`, () => {
    let svc: ServiceHarness;
    beforeAll(async () => {
      svc = await startPrivateHarness(def);
    });
    afterAll(async () => {
      await svc.close();
    });

    it('writes back the seeded values over changed rows and adds no row', async () => {
      const before = await snapshot(svc.ds, def.schema, only);
      for (const table of Object.keys(before)) {
        await svc.ds.query(`UPDATE "${def.schema}"."${table}" SET notes = 'changed by a test'`);
      }
      const log = createLogger('test', 'error');
      const names = sets ?? (await def.seed(svc.ds, log)).map((r) => r.name);
      expect(names.length).toBeGreaterThan(0);
      await svc.ds.query(`DELETE FROM "${def.schema}"."seed_log" WHERE name = ANY($1)`, [names]);
      const results = await def.seed(svc.ds, log);
      for (const name of names)
        expect({ name, applied: results.find((r) => r.name === name)?.applied }).toEqual({ name, applied: true });
      expect(await snapshot(svc.ds, def.schema, only)).toEqual(before);
    });
  });
}

reseeds(legalInstruments);
reseeds(consultativeProcesses);
reseeds(unPartnerships);
// Migration-data's reference data is its profiles; its stock revisions are imports with seed sets of their own.
reseeds(migrationData, ['migration_profile'], ['reference-data']);
