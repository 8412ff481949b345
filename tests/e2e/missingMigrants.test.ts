import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { readCsv } from '../../shared/src/io/csv';
import { type Stack, startStack } from '../support/stack';

// The Missing Migrants Project records through the gateway, with the countries the country service
// names; expected figures are computed from the seed CSV.

const ROWS = readCsv(path.join(PROJECT_ROOT, 'services', 'migration-data', 'seed', 'missing-migrants', 'incidents.csv'));
const sum = (rows: typeof ROWS) => rows.reduce((s, r) => s + Number(r.dead_and_missing), 0);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

describe('missing migrants through the gateway', () => {
  it("finds the Atlantic route by name, then gives its 2023 toll by country with the countries' names, and Senegal's own", async () => {
    const routes = await stack.query('{ migrationRoutes(search: "atlantic") { id name } }');
    expect(routes).toEqual({
      status: 200,
      data: { migrationRoutes: [{ id: 'western-african-atlantic-route', name: 'Western African Atlantic Route' }] },
    });

    const atlantic2023 = ROWS.filter((r) => r.route === 'Western African Atlantic Route' && r.year === '2023');
    const sen2023 = ROWS.filter((r) => r.incident_iso3 === 'SEN' && r.year === '2023');
    const result = await stack.query(`{
      missingMigrantsTotals(by: [], filter: { routes: ["western-african-atlantic-route"], fromYear: 2023, toYear: 2023 }) { incidents deadAndMissing }
      byCountry: missingMigrantsTotals(by: [COUNTRY], filter: { routes: ["western-african-atlantic-route"], fromYear: 2023, toYear: 2023 }, limit: 1) {
        country { code name(lang: FR) } deadAndMissing
      }
      country(code: "SEN") { name missingMigrants(fromYear: 2023, toYear: 2023) { incidents deadAndMissing } }
    }`);
    // The country with the most dead and missing on the route in 2023.
    const [top] = [...new Set(atlantic2023.map((r) => r.incident_iso3))]
      .map((code) => ({ code, deadAndMissing: sum(atlantic2023.filter((r) => r.incident_iso3 === code)) }))
      .sort((a, b) => b.deadAndMissing - a.deadAndMissing);
    expect(result).toEqual({
      status: 200,
      data: {
        missingMigrantsTotals: [{ incidents: atlantic2023.length, deadAndMissing: sum(atlantic2023) }],
        byCountry: [{ country: { code: top.code, name: 'Sénégal' }, deadAndMissing: top.deadAndMissing }],
        country: { name: 'Senegal', missingMigrants: { incidents: sen2023.length, deadAndMissing: sum(sen2023) } },
      },
    });
    expect([atlantic2023.length, sum(atlantic2023), sen2023.length, sum(sen2023), top.code]).toEqual([47, 959, 4, 311, 'SEN']);
  });

  it('serves a whole GeoJSON map of a year at the default cap, and refuses a page over the cap before any service is called', async () => {
    const rows2024 = ROWS.filter((r) => r.year === '2024');
    const map = await stack.query(`{
      missingMigrantsGeoJson(filter: { fromYear: 2024, toYear: 2024 }) {
        type totalCount truncated features { type id geometry { type coordinates } properties { date deadAndMissing } }
      }
    }`);
    const collection = (
      map.data as { missingMigrantsGeoJson: { type: string; totalCount: number; truncated: boolean; features: unknown[] } }
    ).missingMigrantsGeoJson;
    expect(map.errors).toBeUndefined();
    expect([collection.type, collection.totalCount, collection.truncated, collection.features.length]).toEqual([
      'FeatureCollection',
      rows2024.length,
      rows2024.length > 1000,
      Math.min(1000, rows2024.length),
    ]);

    const tooLarge = await stack.query('{ missingMigrantIncidents(first: 101) { totalCount } }');
    expect(tooLarge.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(tooLarge.data ?? null).toBeNull();
  });
});
