import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../../shared/src/runtime/config';
import { createServiceDataSource, ensureSchema } from '../../../shared/src/data/dataSource';
import { createLogger } from '../../../shared/src/runtime/logger';
import { entities } from '../../../services/migration-data/src/entities';
import { findIncidents, findRoutes, incidentTotals } from '../../../services/migration-data/src/entities/missingMigrants';
import { importMissingMigrants, INCIDENT_COLUMNS } from '../../../services/migration-data/src/import';
import { definition } from '../../../services/migration-data/src/service';
import { createEmptyDatabase, type PrivateDatabase } from '../../support/privateDatabase';

// The import on a scratch database of its own (migrated, not seeded), since it replaces the
// records: dates at reduced precision stay as given, a reload renumbers nothing, the same file
// twice writes nothing.

let db: PrivateDatabase;
let ds: DataSource;
let client: Client;
let dir: string;

beforeAll(async () => {
  db = await createEmptyDatabase('mg_missing');
  await ensureSchema(db.url, definition.schema);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'error' });
  ds = createServiceDataSource({
    url: db.url,
    schema: definition.schema,
    entities,
    migrations: definition.migrations,
    database: config.database,
    applicationName: 'missing-migrants-test',
    log: createLogger('missing-migrants-test', 'error'),
  });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  client = new Client({ connectionString: db.url });
  await client.connect();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-missing-import-'));
}, 120_000);
afterAll(async () => {
  await client?.end();
  await ds?.destroy();
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const NONE = { routeIds: null, countries: null, fromYear: null, toYear: null, bbox: null, cause: null };

/** One CSV cell, quoted when it holds a comma or a quote. */
const cell = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function write(name: string, rows: string[][]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${[INCIDENT_COLUMNS.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n')}\n`);
  return file;
}

describe('the Missing Migrants import', () => {
  it('keeps a year-only or year-month date as given, orders it by its first day, and filters it by its year', async () => {
    const file = write('partial.csv', [
      [
        't-1',
        '2019',
        '2019',
        'Cumulative Incident',
        'Sahel route',
        'NER',
        'Ténéré',
        '',
        '',
        '12',
        '',
        'Harsh environmental conditions / lack of adequate shelter, food, water',
        'UNK',
      ],
      [
        't-2',
        '2019-07',
        '2019',
        'Incident',
        'Sahel route',
        'NER',
        'Agadez',
        '16.97',
        '7.99',
        '3',
        '1',
        'Violence|Mixed or unknown',
        'MLI|NGA',
      ],
      ['t-3', '2019-07-02', '2019', 'Incident', 'Coast route', 'SEN', 'Off Dakar', '14.7', '-17.5', '5', '-1', 'Drowning', 'SEN'],
      ['t-4', '2020-01-05', '2020', 'Incident', 'Coast route', 'SEN', 'Off Dakar', '14.7', '-17.5', '2', '', 'Drowning', 'GMB'],
    ]);
    const result = await importMissingMigrants(client, file);
    expect([result.changed, result.rows, result.rejected]).toEqual([true, 4, 0]);

    const [rows, total] = await findIncidents(ds, { ...NONE, fromYear: 2019, toYear: 2019 }, 10, 0);
    expect([total, rows.map((r) => [r.id, r.date, r.year, r.latitude, r.survivors, r.causes, r.originCodes])]).toEqual([
      3,
      [
        ['t-3', '2019-07-02', 2019, 14.7, -1, ['Drowning'], ['SEN']],
        ['t-2', '2019-07', 2019, 16.97, 1, ['Violence', 'Mixed or unknown'], ['MLI', 'NGA']],
        ['t-1', '2019', 2019, null, null, ['Harsh environmental conditions / lack of adequate shelter, food, water'], ['UNK']],
      ],
    ]);
    // The negative number of survivors is left out of the sum; a group with none known has null.
    expect(await incidentTotals(ds, NONE, ['route'], 10)).toEqual([
      {
        routeId: expect.any(Number) as number,
        year: null,
        countryCode: null,
        cause: null,
        incidents: 2,
        deadAndMissing: 15,
        survivors: 1,
      },
      {
        routeId: expect.any(Number) as number,
        year: null,
        countryCode: null,
        cause: null,
        incidents: 2,
        deadAndMissing: 7,
        survivors: null,
      },
    ]);
  });

  it('keeps the routes and their numbers when a file without one of them is loaded, with the counts of the new file', async () => {
    const before = await findRoutes(ds);
    const file = write('coast-only.csv', [
      [
        't-9',
        '2021-03',
        '2021',
        'Incident',
        'Coast route',
        'SEN',
        'Off Saint-Louis',
        '16.0',
        '-16.5',
        '40',
        '',
        'Drowning',
        'UNK',
      ],
    ]);
    expect((await importMissingMigrants(client, file)).rows).toBe(1);
    const after = await findRoutes(ds);
    expect(after.map((r) => [r.id, r.name, r.incidents, r.deadAndMissing])).toEqual([
      [before.find((r) => r.name === 'Coast route')?.id, 'Coast route', 1, 40],
      [before.find((r) => r.name === 'Sahel route')?.id, 'Sahel route', 0, 0],
    ]);

    const again = await importMissingMigrants(client, file);
    expect([again.changed, again.rows]).toEqual([false, 0]);
  });
});
