import path from 'node:path';
import { PROJECT_ROOT } from '../../../shared/src/config';
import { definition } from '../../../services/migration-data/src/definition';
import { ImportError, importCatalogue, importIndicatorSeries, withClient } from '../../../services/migration-data/src/import';
import { startServiceHarness, type ServiceHarness } from '../../support/serviceHarness';

const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'migration-data');
const fixture = (name: string) => path.join(FIXTURES, name);
const WESTERN_AFRICA = ['BEN', 'BFA', 'CIV', 'CPV', 'GHA', 'GIN', 'GMB', 'GNB', 'LBR', 'MLI', 'MRT', 'NER', 'NGA', 'SEN', 'SHN', 'SLE', 'TGO'];

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.ds.query(`DELETE FROM "data"."indicator" WHERE code LIKE 'TEST\\_%'`);
  await svc.ds.query(`DELETE FROM "data"."import_log" WHERE kind = 'indicators' AND target LIKE 'TEST\\_%'`);
  await svc.close();
});

/** Independent oracle: sums straight from the bilateral source rows. */
async function bilateralSum(where: string, params: unknown[]): Promise<{ male: number; female: number }> {
  const [r] = await svc.ds.query(
    `SELECT coalesce(sum(stock) FILTER (WHERE sex = 'male'), 0)::bigint AS male, coalesce(sum(stock) FILTER (WHERE sex = 'female'), 0)::bigint AS female
     FROM "data"."migrant_stock" WHERE revision = '2024' AND ${where}`,
    params,
  );
  return { male: Number(r.male), female: Number(r.female) };
}

const withShare = ({ male, female }: { male: number; female: number }) => ({
  male, female, total: male + female, femaleShare: Math.round((female / (male + female)) * 1e4) / 1e4,
});

describe('migration-data analytics', () => {
  it('sums Western Africa (a region given by name) per year: immigrants, emigrants and migrants from one member living in another', async () => {
    const result = await svc.execute(`{ regionalStock(countries: { intermediateRegion: "western africa" }, years: [2024, 2000]) {
      year revision countryCount
      immigrants { male female total femaleShare } emigrants { male female total femaleShare } withinSet { male female total femaleShare }
    } }`);
    const expected = [];
    for (const year of [2000, 2024]) {
      expected.push({
        year, revision: 'REV_2024', countryCount: WESTERN_AFRICA.length,
        immigrants: withShare(await bilateralSum('year = $1 AND destination_code = ANY($2)', [year, WESTERN_AFRICA])),
        emigrants: withShare(await bilateralSum('year = $1 AND origin_code = ANY($2)', [year, WESTERN_AFRICA])),
        withinSet: withShare(await bilateralSum('year = $1 AND destination_code = ANY($2) AND origin_code = ANY($2)', [year, WESTERN_AFRICA])),
      });
    }
    expect(result).toEqual({ data: { regionalStock: expected } });
  });

  it("gives the change of Senegal's and Côte d'Ivoire's immigrant stock between 2020 and 2024, largest increase first", async () => {
    const result = await svc.execute(`{ stockChange(countries: { codes: ["sen", "CIV"] }, from: 2020, to: 2024) {
      country { code } side from { year total femaleShare } to { year total } absolute percent femaleShareChange
    } }`);
    const rows = [];
    for (const code of ['CIV', 'SEN']) {
      const a = withShare(await bilateralSum('year = 2020 AND destination_code = $1', [code]));
      const b = withShare(await bilateralSum('year = 2024 AND destination_code = $1', [code]));
      rows.push({
        country: { code }, side: 'DESTINATION',
        from: { year: 2020, total: a.total, femaleShare: a.femaleShare }, to: { year: 2024, total: b.total },
        absolute: b.total - a.total, percent: Math.round(((b.total - a.total) / a.total) * 1e4) / 100,
        femaleShareChange: Math.round((b.femaleShare - a.femaleShare) * 1e4) / 100,
      });
    }
    rows.sort((x, y) => y.absolute - x.absolute);
    expect(result).toEqual({ data: { stockChange: rows } });
    expect(rows.find((r) => r.country.code === 'SEN')!.from.total).toBe(274929);
  });

  it('ranks the largest corridors with both ends among a set of countries, as a client passes the members of an organisation', async () => {
    const ecowasOn20240630 = ['BEN', 'BFA', 'CIV', 'CPV', 'GHA', 'GIN', 'GMB', 'GNB', 'LBR', 'MLI', 'NER', 'NGA', 'SEN', 'SLE', 'TGO'];
    const result = await svc.execute(`query($codes: [ID!]) { corridors(filter: { year: 2024, within: { codes: $codes } }, first: 3) {
      totalCount edges { node { origin { code } destination { code } total } }
    } }`, { codes: ecowasOn20240630 });
    const top: { origin_code: string; destination_code: string; total: string }[] = await svc.ds.query(
      `SELECT origin_code, destination_code, sum(stock)::bigint AS total FROM "data"."migrant_stock"
       WHERE revision = '2024' AND year = 2024 AND origin_code = ANY($1) AND destination_code = ANY($1)
       GROUP BY 1, 2 HAVING count(*) = 2 ORDER BY 3 DESC, 2, 1`,
      [ecowasOn20240630],
    );
    const [{ n }]: { n: string }[] = await svc.ds.query(
      `SELECT count(DISTINCT (origin_code, destination_code)) AS n FROM "data"."migrant_stock"
       WHERE revision = '2024' AND year = 2024 AND origin_code = ANY($1) AND destination_code = ANY($1)`,
      [ecowasOn20240630],
    );
    expect(result).toEqual({
      data: {
        corridors: {
          totalCount: Number(n),
          edges: top.slice(0, 3).map((r) => ({ node: { origin: { code: r.origin_code }, destination: { code: r.destination_code }, total: Number(r.total) } })),
        },
      },
    });
    expect(top[0]).toEqual({ origin_code: 'BFA', destination_code: 'CIV', total: expect.any(String) });
  });

  it('rejects an empty or unknown country set and years outside the revision with BAD_USER_INPUT', async () => {
    const codes = async (query: string) => (await svc.execute(query)).errors?.map((e) => [e.extensions?.code, e.message]);
    expect(await codes('{ regionalStock(countries: {}) { year } }')).toEqual([['BAD_USER_INPUT', '`countries` needs codes or a region']]);
    expect(await codes('{ regionalStock(countries: { region: "Atlantis" }) { year } }')).toEqual([['BAD_USER_INPUT', 'No country has the region "Atlantis"']]);
    expect(await codes('{ stockChange(countries: { codes: ["SEN"] }, from: 2019, to: 2024) { absolute } }')).toEqual([
      ['BAD_USER_INPUT', '`from` must be one of the years of revision REV_2024: 1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024; got 2019'],
    ]);
  });
});

describe('indicator series', () => {
  it('loads a catalogue and a series, serves them per country and per set with provenance, and re-imports without change', async () => {
    const catalogue = await withClient(svc.ds, (c) => importCatalogue(c, fixture('indicator-catalogue.csv')));
    const series = await withClient(svc.ds, (c) => importIndicatorSeries(c, fixture('indicator-series.csv')));
    const again = await withClient(svc.ds, (c) => importIndicatorSeries(c, fixture('indicator-series.csv')));
    expect([catalogue.rows, series.changed, series.rows, series.target, again.changed]).toEqual([2, true, 4, 'TEST_NET_MIGRATION,TEST_REFUGEES', false]);
    const result = await svc.execute(`query($r: [_Any!]!) {
      indicator(code: "test_net_migration") { code name unit allowsNegative provenance { confidence verified }
        series(countries: { codes: ["MLI", "SEN", "GHA"] }, toYear: 2019) { country { code } values { year value } } }
      _entities(representations: $r) { ... on Country { code indicatorSeries(indicator: "TEST_REFUGEES") { indicator { code } year value unit provenance { confidence verified sources { title } } } } }
    }`, { r: [{ __typename: 'Country', code: 'SEN' }] });
    expect(result).toEqual({
      data: {
        indicator: {
          code: 'TEST_NET_MIGRATION', name: 'Net migration (test data)', unit: 'persons', allowsNegative: true,
          provenance: { confidence: 'UNVERIFIED', verified: false },
          series: [
            { country: { code: 'MLI' }, values: [{ year: 2019, value: 3000 }] },
            { country: { code: 'SEN' }, values: [{ year: 2018, value: -1500 }, { year: 2019, value: -1200.5 }] },
          ],
        },
        _entities: [{
          code: 'SEN',
          indicatorSeries: [{
            indicator: { code: 'TEST_REFUGEES' }, year: 2019, value: 14000, unit: 'persons',
            provenance: { confidence: 'UNVERIFIED', verified: false, sources: [{ title: 'Test fixture, second table' }] },
          }],
        }],
      },
    });
    const unknown = await svc.execute('{ indicator(code: "NOPE") { code } }');
    expect(unknown.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });

  it('names every bad series row and writes nothing', async () => {
    await withClient(svc.ds, (c) => importCatalogue(c, fixture('indicator-catalogue.csv')));
    const before = await svc.ds.query(`SELECT * FROM "data"."indicator_value" ORDER BY 1, 2, 3`);
    const error = await withClient(svc.ds, (c) => importIndicatorSeries(c, fixture('indicator-series-bad.csv'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'value -3 is negative, and TEST_REFUGEES takes no negative values'],
      [4, 'indicator "TEST_UNKNOWN" is not in the catalogue (import it first with the catalogue kind)'],
      [5, 'duplicate row for TEST_NET_MIGRATION in SEN in 2018'],
      [6, 'value "abc" is not a number'],
      [7, 'unit "dollars" differs from the catalogue\'s unit of TEST_NET_MIGRATION ("persons")'],
    ]);
    expect(await svc.ds.query(`SELECT * FROM "data"."indicator_value" ORDER BY 1, 2, 3`)).toEqual(before);
  });
});
