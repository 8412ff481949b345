import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';
import { readCsv } from '../../../shared/src/io/csv';
import { definition } from '../../../services/migration-data/src/service';
import { ImportError, importMissingMigrants, INCIDENT_COLUMNS } from '../../../services/migration-data/src/import';
import { startServiceHarness, testDatabaseUrl, type ServiceHarness } from '../../support/serviceHarness';

// Every expected figure is computed from the seed CSV (services/migration-data/seed/missing-migrants),
// not read back from the graph; the spot values are those the data README lists for testers.

const FILE = path.join(PROJECT_ROOT, 'services', 'migration-data', 'seed', 'missing-migrants', 'incidents.csv');
const ROWS = readCsv(FILE);

const ATLANTIC = 'Western African Atlantic Route';
const CAUSE_ENUM: Record<string, string> = {
  Drowning: 'DROWNING',
  'Vehicle accident / death linked to hazardous transport': 'VEHICLE_ACCIDENT',
  Violence: 'VIOLENCE',
  'Sickness / lack of access to adequate healthcare': 'SICKNESS',
  'Harsh environmental conditions / lack of adequate shelter, food, water': 'HARSH_CONDITIONS',
  'Accidental death': 'ACCIDENTAL_DEATH',
  'Mixed or unknown': 'MIXED_OR_UNKNOWN',
};
type Row = (typeof ROWS)[number];

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Records, dead and missing and known survivors (a negative number is unknown) of some CSV rows, as the graph gives totals. */
function totalsOf(rows: Row[]) {
  const known = rows.filter((r) => r.survivors !== '' && Number(r.survivors) >= 0);
  return {
    incidents: rows.length,
    deadAndMissing: rows.reduce((s, r) => s + Number(r.dead_and_missing), 0),
    survivors: known.length === 0 ? null : known.reduce((s, r) => s + Number(r.survivors), 0),
  };
}

/** The CSV's rows in the connection's order: newest first, then by id. */
const newestFirst = (rows: Row[]) =>
  [...rows].sort((a, b) => (a.date === b.date ? (a.id < b.id ? -1 : 1) : a.date < b.date ? 1 : -1));

function byId(id: string): Row {
  const row = ROWS.find((r) => r.id === id);
  if (!row) throw new Error(`the seed CSV has no record ${id}`);
  return row;
}

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

const TOTALS = `query($by: [MissingMigrantsDimension!]!, $f: MissingMigrantsFilter, $limit: Int) {
  missingMigrantsTotals(by: $by, filter: $f, limit: $limit) { route { name } year country { code } cause incidents deadAndMissing survivors }
}`;

describe('Missing Migrants Project records in migration-data', () => {
  it('gives the README spot values: the whole file, and the Atlantic route in 2023', async () => {
    const all = await svc.execute(TOTALS, { by: [] });
    expect(totalsOf(ROWS)).toMatchObject({ incidents: 19669, deadAndMissing: 75068 });
    expect(all).toEqual({
      data: { missingMigrantsTotals: [{ route: null, year: null, country: null, cause: null, ...totalsOf(ROWS) }] },
    });

    const atlantic2023 = ROWS.filter((r) => r.route === ATLANTIC && r.year === '2023');
    expect(totalsOf(atlantic2023)).toMatchObject({ incidents: 47, deadAndMissing: 959 });
    const byCountry = await svc.execute(TOTALS, {
      by: ['COUNTRY'],
      f: { routes: [slug(ATLANTIC)], fromYear: 2023, toYear: 2023 },
    });
    const expected = [...new Set(atlantic2023.map((r) => r.incident_iso3))]
      .map((code) => ({
        route: null,
        year: null,
        country: { code },
        cause: null,
        ...totalsOf(atlantic2023.filter((r) => r.incident_iso3 === code)),
      }))
      .sort((a, b) => b.deadAndMissing - a.deadAndMissing || (a.country.code < b.country.code ? -1 : 1));
    expect(byCountry).toEqual({ data: { missingMigrantsTotals: expected } });
    // The README's record counts per incident country.
    expect(Object.fromEntries(expected.map((e) => [e.country.code, e.incidents]))).toEqual({
      ESP: 19,
      ESH: 9,
      MAR: 9,
      MRT: 4,
      SEN: 4,
      CPV: 2,
    });
  });

  it("gives the largest record whole, with its route, causes, origins and the licence's attribution", async () => {
    const row = byId('gdi-mmp-00638');
    expect([row.date, row.dead_and_missing, row.survivors]).toEqual(['2015-04-18', '1022', '28']);
    const result = await svc.execute(`{
      missingMigrantIncident(id: "gdi-mmp-00638") {
        id date year recordType route { id name } country { code } location latitude longitude deadAndMissing survivors causes
        origins { code } licence provenance { confidence verified sources { title url } }
      }
    }`);
    expect(result).toEqual({
      data: {
        missingMigrantIncident: {
          id: row.id,
          date: row.date,
          year: Number(row.year),
          recordType: row.record_type,
          route: { id: 'central-mediterranean-route', name: row.route },
          country: { code: row.incident_iso3 },
          location: row.location,
          latitude: Number(row.latitude),
          longitude: Number(row.longitude),
          deadAndMissing: Number(row.dead_and_missing),
          survivors: Number(row.survivors),
          causes: row.cause.split('|').map((c) => CAUSE_ENUM[c]),
          origins: row.origin_iso3.split('|').map((code) => ({ code })),
          licence: 'CC BY 4.0 (Creative Commons Attribution 4.0 International)',
          provenance: {
            confidence: 'SEEN',
            verified: true,
            sources: [
              { title: "IOM's Missing Migrants Project", url: null },
              { title: 'missingmigrants.iom.int', url: 'https://missingmigrants.iom.int/' },
              { title: 'gdidata R package, commit c9e4cc69', url: null },
              { title: 'github.com', url: 'https://github.com/iom/gdidata' },
            ],
          },
        },
      },
    });
    expect(row.origin_iso3.split('|')).toHaveLength(16);
  });

  it('serves an impossible negative number of survivors as unknown, and says so', async () => {
    const row = byId('gdi-mmp-08743');
    expect(row.survivors).toBe('-2');
    const result = await svc.execute(`{ missingMigrantIncident(id: "gdi-mmp-08743") { survivors provenance { notes } } }`);
    expect(result).toEqual({
      data: {
        missingMigrantIncident: {
          survivors: null,
          provenance: {
            notes:
              'Counts are minimum estimates; locations are approximate in most cases. The source gives -2 survivors, which is impossible: served as unknown.',
          },
        },
      },
    });
  });

  it("gives a country's records of a year on Country: Senegal 2023 as the README counts them", async () => {
    const sen2023 = ROWS.filter((r) => r.incident_iso3 === 'SEN' && r.year === '2023');
    expect(totalsOf(sen2023)).toMatchObject({ incidents: 4, deadAndMissing: 311 });
    const result = await svc.execute(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Country { code missingMigrants(fromYear: 2023, toYear: 2023) { country { code } incidents deadAndMissing survivors } } } }`,
      {
        r: [
          { __typename: 'Country', code: 'SEN' },
          { __typename: 'Country', code: 'ISL' },
        ],
      },
    );
    expect(result).toEqual({
      data: {
        _entities: [
          { code: 'SEN', missingMigrants: { country: { code: 'SEN' }, ...totalsOf(sen2023) } },
          { code: 'ISL', missingMigrants: { country: { code: 'ISL' }, incidents: 0, deadAndMissing: 0, survivors: null } },
        ],
      },
    });
  });

  it('sums by route and by year as the CSV does, and by cause counts a record under each of its causes', async () => {
    const byRoute = await svc.execute(TOTALS, { by: ['ROUTE'], limit: 2000 });
    const routes = [...new Set(ROWS.map((r) => r.route))];
    expect(byRoute).toEqual({
      data: {
        missingMigrantsTotals: routes
          .map((name) => ({
            route: { name },
            year: null,
            country: null,
            cause: null,
            ...totalsOf(ROWS.filter((r) => r.route === name)),
          }))
          .sort((a, b) => b.deadAndMissing - a.deadAndMissing),
      },
    });

    const byYearAndCause = await svc.execute(TOTALS, { by: ['YEAR', 'CAUSE'], f: { fromYear: 2023, toYear: 2024 }, limit: 2000 });
    const groups = new Map<string, Row[]>();
    for (const r of ROWS.filter((x) => x.year === '2023' || x.year === '2024')) {
      for (const cause of r.cause.split('|')) {
        const key = `${r.year}|${cause}`;
        groups.set(key, [...(groups.get(key) ?? []), r]);
      }
    }
    const expected = [...groups].map(([key, rows]) => {
      const [year, cause] = key.split('|');
      return { route: null, year: Number(year), country: null, cause: CAUSE_ENUM[cause], ...totalsOf(rows) };
    });
    const sortKey = (t: { year: number | null; cause: string | null }) => `${t.year}|${t.cause}`;
    const served = (byYearAndCause.data as { missingMigrantsTotals: typeof expected }).missingMigrantsTotals;
    expect([...served].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))).toEqual(
      expected.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)),
    );
    // Largest first.
    expect(served.map((t) => t.deadAndMissing)).toEqual([...served.map((t) => t.deadAndMissing)].sort((a, b) => b - a));
  });

  it('filters by countries, years, a bounding box and a cause, newest first, as the CSV does', async () => {
    const box = { west: -20, south: 10, east: -10, north: 30 };
    const inBox = (r: Row) =>
      Number(r.latitude) >= box.south &&
      Number(r.latitude) <= box.north &&
      Number(r.longitude) >= box.west &&
      Number(r.longitude) <= box.east;
    const matching = newestFirst(
      ROWS.filter(
        (r) =>
          ['ESP', 'ESH', 'MRT', 'SEN', 'MAR'].includes(r.incident_iso3) &&
          Number(r.year) >= 2020 &&
          Number(r.year) <= 2023 &&
          inBox(r) &&
          r.cause.split('|').includes('Drowning'),
      ),
    );
    expect(matching.length).toBeGreaterThan(25);
    const query = `query($f: MissingMigrantsFilter, $after: String) {
      missingMigrantIncidents(filter: $f, first: 25, after: $after) { totalCount pageInfo { hasNextPage } edges { node { id date } } }
    }`;
    const f = {
      countries: ['esp', 'ESH', 'MRT', 'SEN', 'MAR'],
      fromYear: 2020,
      toYear: 2023,
      boundingBox: box,
      cause: 'DROWNING',
    };
    const first = await svc.execute(query, { f });
    expect(first).toEqual({
      data: {
        missingMigrantIncidents: {
          totalCount: matching.length,
          pageInfo: { hasNextPage: true },
          edges: matching.slice(0, 25).map((r) => ({ node: { id: r.id, date: r.date } })),
        },
      },
    });

    const within = await svc.execute(
      `{ missingMigrantIncidents(filter: { within: { intermediateRegion: "Western Africa" }, fromYear: 2024, toYear: 2024 }, first: 0) { totalCount } }`,
    );
    const westernAfrica = new Set(
      readCsv(path.join(PROJECT_ROOT, 'shared', 'data', 'countries.csv'))
        .filter((c) => c.intermediate_region === 'Western Africa')
        .map((c) => c.iso3),
    );
    expect(within).toEqual({
      data: {
        missingMigrantIncidents: {
          totalCount: ROWS.filter((r) => r.year === '2024' && westernAfrica.has(r.incident_iso3)).length,
        },
      },
    });
  });

  it('sums, counts and maps the records in a box that crosses the antimeridian as the CSV does', async () => {
    // From 100° east across the antimeridian to 60° west: South-East Asia and the Americas' northern borders.
    const box = { west: 100, south: 10, east: -60, north: 40 };
    const inBox = ROWS.filter(
      (r) =>
        r.latitude !== '' &&
        Number(r.latitude) >= box.south &&
        Number(r.latitude) <= box.north &&
        (Number(r.longitude) >= box.west || Number(r.longitude) <= box.east),
    );
    const east = inBox.filter((r) => Number(r.longitude) > 0).length;
    expect({ east: east > 50, west: inBox.length - east > 1000 }).toEqual({ east: true, west: true });
    const byYear = await svc.execute(TOTALS, { by: ['YEAR'], f: { boundingBox: box }, limit: 100 });
    const years = [...new Set(inBox.map((r) => r.year))];
    expect(byYear).toEqual({
      data: {
        missingMigrantsTotals: years
          .map((year) => ({
            route: null,
            year: Number(year),
            country: null,
            cause: null,
            ...totalsOf(inBox.filter((r) => r.year === year)),
          }))
          .sort((a, b) => b.deadAndMissing - a.deadAndMissing || a.year - b.year),
      },
    });
    const counted = await svc.execute(
      `query($f: MissingMigrantsFilter) {
        missingMigrantIncidents(filter: $f, first: 0) { totalCount }
        missingMigrantsGeoJson(filter: $f, limit: 1) { totalCount truncated }
      }`,
      { f: { boundingBox: box, cause: 'VIOLENCE' } },
    );
    const violent = inBox.filter((r) => r.cause.split('|').includes('Violence')).length;
    expect(violent).toBeGreaterThan(10);
    expect(counted).toEqual({
      data: {
        missingMigrantIncidents: { totalCount: violent },
        missingMigrantsGeoJson: { totalCount: violent, truncated: true },
      },
    });
  });

  it('draws the filtered records as a GeoJSON FeatureCollection, largest first and capped', async () => {
    const atlantic2023 = ROWS.filter((r) => r.route === ATLANTIC && r.year === '2023').sort(
      (a, b) =>
        Number(b.dead_and_missing) - Number(a.dead_and_missing) ||
        (a.date === b.date ? (a.id < b.id ? -1 : 1) : a.date < b.date ? 1 : -1),
    );
    const result = await svc.execute(`{
      missingMigrantsGeoJson(filter: { routes: ["western-african-atlantic-route"], fromYear: 2023, toYear: 2023 }, limit: 3) {
        type totalCount truncated
        features { type id geometry { type coordinates } properties { date route country deadAndMissing survivors causes recordType } }
      }
    }`);
    expect(result).toEqual({
      data: {
        missingMigrantsGeoJson: {
          type: 'FeatureCollection',
          totalCount: 47,
          truncated: true,
          features: atlantic2023.slice(0, 3).map((r) => ({
            type: 'Feature',
            id: r.id,
            geometry: { type: 'Point', coordinates: [Number(r.longitude), Number(r.latitude)] },
            properties: {
              date: r.date,
              route: ATLANTIC,
              country: r.incident_iso3,
              deadAndMissing: Number(r.dead_and_missing),
              survivors: r.survivors === '' ? null : Number(r.survivors),
              causes: r.cause.split('|'),
              recordType: r.record_type,
            },
          })),
        },
      },
    });
  });

  it.each([
    ['western african atlantic', ['Western African Atlantic Route']],
    ['SAHARA Désert', ['Intra-African routes']],
    ['Central Mediterranean', ['Central Mediterranean Route']],
    ['méditerranéen', []],
    ['MEDITERRANEAN', ['Central Mediterranean Route', 'Eastern Mediterranean Route', 'Western Mediterranean Route']],
  ])('finds routes by a part of their name or another name: %s', async (search, names) => {
    const result = await svc.execute(`query($s: String) { migrationRoutes(search: $s) { id name incidents deadAndMissing } }`, {
      s: search,
    });
    expect(result).toEqual({
      data: {
        migrationRoutes: names.map((name) => ({
          id: slug(name),
          name,
          ...(({ incidents, deadAndMissing }) => ({ incidents, deadAndMissing }))(totalsOf(ROWS.filter((r) => r.route === name))),
        })),
      },
    });
  });

  it('says why the Sahara crossing points to the Intra-African routes', async () => {
    const result = await svc.execute(`{ migrationRoutes(search: "sahara") { name aliases { name confidence } } }`);
    expect(result).toEqual({
      data: {
        migrationRoutes: [{ name: 'Intra-African routes', aliases: [{ name: 'Sahara Desert crossing', confidence: 'DERIVED' }] }],
      },
    });
  });

  it.each([
    [
      'a box out of range',
      '{ missingMigrantIncidents(filter: { boundingBox: { west: -200, south: 0, east: 10, north: 95 } }) { totalCount } }',
    ],
    [
      'a box upside down',
      '{ missingMigrantsGeoJson(filter: { boundingBox: { west: 0, south: 20, east: 10, north: 10 } }) { totalCount } }',
    ],
    ['years reversed', '{ missingMigrantsTotals(by: [YEAR], filter: { fromYear: 2024, toYear: 2020 }) { year } }'],
    ['a year out of range', '{ missingMigrantsTotals(by: [], filter: { fromYear: 1800 }) { incidents } }'],
    ['first too large', '{ missingMigrantIncidents(first: 101) { totalCount } }'],
    ['a limit too large', '{ missingMigrantsGeoJson(limit: 5001) { totalCount } }'],
    ['a blank search', '{ migrationRoutes(search: "  ") { name } }'],
    ['a malformed country', '{ missingMigrantIncidents(filter: { countries: ["SENEGAL"] }) { totalCount } }'],
  ])('refuses %s with BAD_USER_INPUT and no data', async (_, query) => {
    const result = await svc.execute(query);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(result.errors)).not.toMatch(/SELECT|at .*\.ts/);
  });

  it('answers an unknown route or record with NOT_FOUND', async () => {
    const route = await svc.execute('{ missingMigrantIncidents(filter: { routes: ["sahara"] }) { totalCount } }');
    const record = await svc.execute('{ missingMigrantIncident(id: "gdi-mmp-99999") { id } }');
    expect([route.errors?.map((e) => e.extensions?.code), record.errors?.map((e) => e.extensions?.code)]).toEqual([
      ['NOT_FOUND'],
      ['NOT_FOUND'],
    ]);
  });
});

describe('the Missing Migrants import', () => {
  it('changes nothing when the loaded file is imported again (same checksum)', async () => {
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const before = (await client.query(`SELECT imported_at, rows FROM data.import_log WHERE kind = 'missing-migrants'`)).rows;
      const result = await importMissingMigrants(client, FILE);
      const after = (await client.query(`SELECT imported_at, rows FROM data.import_log WHERE kind = 'missing-migrants'`)).rows;
      expect({ changed: result.changed, rows: result.rows, after }).toEqual({ changed: false, rows: 0, after: before });
      expect(before).toEqual([{ imported_at: expect.any(Date) as Date, rows: ROWS.length }]);
    } finally {
      await client.end();
    }
  });
});

describe('the Missing Migrants import of a bad file', () => {
  it('refuses the file, naming each bad line and why, and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-missing-'));
    const file = path.join(dir, 'bad.csv');
    const good = ROWS[0];
    const line = (r: Record<string, string>) =>
      INCIDENT_COLUMNS.map((c) => (/[",]/.test(r[c]) ? `"${r[c].replace(/"/g, '""')}"` : r[c])).join(',');
    fs.writeFileSync(
      file,
      [
        INCIDENT_COLUMNS.join(','),
        line({ ...good, id: 'x-1', date: '2023-02', year: '2023' }),
        line({ ...good, id: 'x-2', date: '2023-02-30', year: '2023' }),
        line({ ...good, id: 'x-3', latitude: '95' }),
        line({ ...good, id: 'x-4', cause: 'Drowning|Shipwreck' }),
        line({ ...good, id: 'x-5', incident_iso3: 'XYZ' }),
        line({ ...good, id: 'x-1', year: '2014' }),
        line({ ...good, id: 'x-6', dead_and_missing: 'two' }),
        '',
      ].join('\n'),
    );
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    const state = async () =>
      (
        await client.query(`SELECT (SELECT count(*) FROM data.missing_migrant_incident)::int AS records,
          (SELECT sha256 FROM data.import_log WHERE kind = 'missing-migrants') AS sha256`)
      ).rows[0] as { records: number; sha256: string };
    try {
      const before = await state();
      let error: unknown;
      try {
        await importMissingMigrants(client, file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ImportError);
      expect((error as ImportError).rejects.map((r) => [r.line, r.reason])).toEqual([
        [3, 'date "2023-02-30" is not a date (YYYY, YYYY-MM or YYYY-MM-DD) from 2000 to ' + new Date().getUTCFullYear()],
        [4, 'latitude "95" and longitude "' + good.longitude + '" must both be empty or both be decimal degrees in range'],
        [5, 'cause "Drowning|Shipwreck": each of its |-separated parts must be one of MMP\'s seven causes'],
        [6, 'incident_iso3 "XYZ" is not a known country code'],
        [7, 'duplicate id "x-1"'],
        [8, 'dead_and_missing "two" is not a whole number'],
      ]);
      expect(await state()).toEqual(before);
    } finally {
      await client.end();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
