import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';
import {
  DISPLACEMENT_COLUMNS,
  ImportError,
  importDisplacement,
  importIndicatorSeries,
  importMissingMigrants,
} from '../../../services/migration-data/src/import';
import { type ImportFixture, openImportFixture } from '../../support/importFixture';
import { testDatabaseUrl } from '../../support/serviceHarness';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';

// The two loaders of the reference formats: UNHCR's origin × asylum table and the indicator values
// (indicator, iso3, year, value). A bad file is refused whole, with the file's line numbers, and
// nothing is written.

let fixture: ImportFixture;
let client: Client;
let dir: string;
beforeAll(async () => {
  fixture = await openImportFixture('mg-displacement-');
  ({ client, dir } = fixture);
});
afterAll(async () => {
  await fixture.close();
});

const state = async () =>
  (
    await client.query(`SELECT (SELECT count(*) FROM data.displacement)::int AS displacement,
      (SELECT count(*) FROM data.indicator_value)::int AS values,
      (SELECT sha256 FROM data.import_log WHERE kind = 'displacement') AS sha256`)
  ).rows[0] as { displacement: number; values: number; sha256: string };

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('the displacement import', () => {
  it('refuses a file with an unknown code, a bad count, an empty row and a duplicate, naming each line, and writes nothing', async () => {
    const before = await state();
    const file = write('bad-displacement.csv', [
      DISPLACEMENT_COLUMNS.join(','),
      '2023,SDN,TCD,923323,1990,2050,,,,,end-year',
      '2023,XYZ,TCD,10,,,,,,,end-year',
      '2023,NGA,CMR,12.5,,,,,,,end-year',
      '2023,MLI,NER,,,,,,,,end-year',
      '2023,SDN,TCD,5,,,,,,,end-year',
      '2023,CAF,TCD,5,,,,,,,yearly',
    ]);
    let error: unknown;
    try {
      await importDisplacement(client, file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    const rejects = (error as ImportError).rejects.map((r) => [r.line, r.reason]);
    expect(rejects).toEqual([
      [3, 'origin_iso3 "XYZ" is not a known country code'],
      [4, 'refugees "12.5": a count is a whole number (empty when the source has none)'],
      [5, 'every count is empty: a row needs at least one'],
      [6, 'duplicate row for SDN in TCD in 2023'],
      [7, 'reference_period "yearly" must be end-year or mid-year'],
    ]);
    expect(await state()).toEqual(before);
  });

  it('refuses a file without a valid row under --skip-invalid, with its rejects file written, and writes nothing', async () => {
    const before = await state();
    const rejectsFile = path.join(dir, 'none-valid.rejects.csv');
    const file = write('none-valid.csv', [DISPLACEMENT_COLUMNS.join(','), '2023,XYZ,TCD,10,,,,,,,end-year']);
    // The rejects file is closed before the rows are found to be none: the error path must not wait for it to close again.
    const error = await importDisplacement(client, file, { skipInvalid: true, rejectsFile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toMatch(/no valid rows; nothing was written$/);
    expect(fs.readFileSync(rejectsFile, 'utf8').trim().split('\n')).toEqual([
      'line,reason,row',
      '2,"origin_iso3 ""XYZ"" is not a known country code","2023,XYZ,TCD,10,,,,,,,end-year"',
    ]);
    expect(await state()).toEqual(before);
  });

  it('refuses a file with the wrong columns at once', async () => {
    const file = write('wrong-header.csv', ['year,origin,asylum,refugees', '2023,SDN,TCD,1']);
    await expect(importDisplacement(client, file)).rejects.toThrow(/expected the columns "year,origin_iso3,asylum_iso3,refugees/);
  });
});

describe('the indicator values in the reference format', () => {
  it('refuses an unknown indicator, an unknown code, a negative count and a duplicate, naming each line, and writes nothing', async () => {
    const before = await state();
    const file = write('bad-values.csv', [
      'indicator,iso3,year,value',
      'WPP_POPULATION,SEN,2023,18077574',
      'NOT_IN_CATALOGUE,SEN,2023,1',
      'WPP_POPULATION,QQQ,2023,1',
      'UNHCR_REFUGEES_BY_ASYLUM,SEN,2023,-5',
      'WB_NET_MIGRATION,SEN,2023,-9999',
      'WPP_POPULATION,SEN,2023,18077575',
      'WPP_POPULATION,SEN,20x3,1',
    ]);
    let error: unknown;
    try {
      await importIndicatorSeries(client, file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).rejects.map((r) => r.line)).toEqual([3, 4, 5, 7, 8]);
    expect((error as ImportError).rejects[2].reason).toBe(
      'value -5 is negative, and UNHCR_REFUGEES_BY_ASYLUM takes no negative values',
    );
    expect(await state()).toEqual(before);
  });

  /** `npm run import -- indicators -` with `input` piped in: its exit code and what it printed. */
  function importFromPipe(input: string): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', 'indicators', '-'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'error', NODE_ENV: 'test' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.stdin.end(input);
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
  }

  it('reads a reference-format file piped to the import command as "-": refused rows by line, the loaded series recognised', async () => {
    const before = await state();
    const bad = await importFromPipe('indicator,iso3,year,value\nWPP_POPULATION,SEN,2023,18077574\nWPP_POPULATION,QQQ,2023,1\n');
    expect(bad).toEqual({ code: 1, output: expect.stringContaining('line 3: iso3 "QQQ" is not a known country code') });
    // The whole of one indicator's values, as loaded: recognised as the same series, nothing written.
    const lines = fs
      .readFileSync(path.join(PROJECT_ROOT, 'services', 'migration-data', 'seed', 'indicators', 'values.csv'), 'utf8')
      .split('\n');
    const idps = lines.filter((l) => l.startsWith('IDMC_IDP_STOCK_CONFLICT,'));
    expect(idps.length).toBeGreaterThan(50);
    const same = await importFromPipe(`${lines[0]}\n${idps.join('\n')}\n`);
    expect(same).toEqual({ code: 0, output: expect.stringContaining('nothing changed') });
    expect(await state()).toEqual(before);
  }, 60_000);
});

describe('a whole-table import built beside the live table and swapped in', () => {
  /** The table's shape as the migrations made it: columns, constraints, indexes and triggers, by name; its owner and grants. */
  const shape = async (table: string) =>
    (
      await client.query(
        `SELECT (SELECT json_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END ORDER BY a.attnum)
                 FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
                (SELECT json_agg(conname || ' ' || pg_get_constraintdef(oid) ORDER BY conname) FROM pg_constraint WHERE conrelid = to_regclass($1)) AS constraints,
                (SELECT json_agg(indexdef ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'data' AND tablename = $2) AS indexes,
                (SELECT json_agg(tgname || ' ' || pg_get_triggerdef(oid) ORDER BY tgname) FROM pg_trigger WHERE tgrelid = to_regclass($1) AND NOT tgisinternal) AS triggers,
                (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'data' AND tablename LIKE 'load\\_%') AS load_tables,
                (SELECT json_build_object('owner', relowner::regrole::text, 'acl', relacl::text) FROM pg_class WHERE oid = to_regclass($1)) AS access`,
        [`data.${table}`, table],
      )
    ).rows[0] as Record<string, unknown>;

  it.each([
    ['displacement', 'displacement', 'indicators/unhcr-bilateral.csv', importDisplacement],
    ['missing_migrant_incident', 'missing-migrants', 'missing-migrants/incidents.csv', importMissingMigrants],
  ] as const)(
    'reloads %s with the same rows, key, indexes, checks and change trigger as before',
    async (table, kind, seedFile, load) => {
      const file = path.join(PROJECT_ROOT, 'services', 'migration-data', 'seed', seedFile);
      const before = {
        shape: await shape(table),
        rows: (await client.query(`SELECT count(*)::int AS n FROM data.${table}`)).rows[0].n,
      };
      // Forgotten by the import log, the same file is loaded again, through the swap.
      await client.query(`DELETE FROM data.import_log WHERE kind = $1`, [kind]);
      const result = await load(client, file);
      expect({ changed: result.changed, rejected: result.rejected }).toEqual({ changed: true, rejected: 0 });
      expect({
        shape: await shape(table),
        rows: (await client.query(`SELECT count(*)::int AS n FROM data.${table}`)).rows[0].n,
      }).toEqual(before);
      // This test's client is an administrator, not the service's role: the table stays the role's.
      expect((before.shape.access as { owner: string }).owner).toBe('mg_migration_data');
      // The seed itself loads through the swap, so the names and trigger are also checked against the migrations'.
      const after = await shape(table);
      expect(after.triggers).toEqual([
        `notify_change CREATE TRIGGER notify_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON data.${table} FOR EACH STATEMENT EXECUTE FUNCTION data.notify_change()`,
      ]);
      expect((after.indexes as string[]).map((d) => /^CREATE (UNIQUE )?INDEX (\S+)/.exec(d)?.[2])).toEqual(
        table === 'displacement'
          ? ['displacement_asylum', 'displacement_origin', 'displacement_pkey', 'displacement_ranked']
          : [
              'missing_migrant_incident_country',
              'missing_migrant_incident_largest',
              'missing_migrant_incident_pkey',
              'missing_migrant_incident_place',
              'missing_migrant_incident_recent',
              'missing_migrant_incident_route',
            ],
      );
      // The id check of the migration is the live table's own constraint, not only the import's test of the file's ids.
      if (table === 'missing_migrant_incident') {
        expect(after.constraints).toContain("missing_migrant_incident_id_check CHECK ((id ~ '^[A-Za-z0-9._-]{1,40}$'::text))");
        await client.query('BEGIN');
        try {
          const refused = await client
            .query(
              `UPDATE data.missing_migrant_incident SET id = repeat('x', 41) WHERE id = (SELECT min(id) FROM data.missing_migrant_incident)`,
            )
            .then(
              () => null,
              (e: { constraint?: string }) => e.constraint,
            );
          expect(refused).toBe('missing_migrant_incident_id_check');
        } finally {
          await client.query('ROLLBACK');
        }
      }
    },
    60_000,
  );
});
