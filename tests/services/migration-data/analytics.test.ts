import path from 'node:path';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';
import { readCsv } from '../../../shared/src/io/csv';
import { definition } from '../../../services/migration-data/src/service';
import type { DataSource } from 'typeorm';
import { indicatorValuesByCountry } from '../../../services/migration-data/src/entities/analytics';
import { ImportError, importCatalogue, importIndicatorSeries, withClient } from '../../../services/migration-data/src/import';
import { RANKING_DEPTH } from '../../../services/migration-data/src/import';
import { bilateralRows, type BilateralRow, rankedCorridors, sumBySex } from '../../support/bilateral';
import { startServiceHarness, type ServiceHarness } from '../../support/serviceHarness';
import { ECOWAS_ON_2024_06_30 } from '../../../operations/countrySets';

const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'migration-data');
const fixture = (name: string) => path.join(FIXTURES, name);
const WESTERN_AFRICA = [
  'BEN',
  'BFA',
  'CIV',
  'CPV',
  'GHA',
  'GIN',
  'GMB',
  'GNB',
  'LBR',
  'MLI',
  'MRT',
  'NER',
  'NGA',
  'SEN',
  'SHN',
  'SLE',
  'TGO',
];

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.ds.query(`DELETE FROM "data"."indicator" WHERE code LIKE 'TEST\\_%'`);
  await svc.ds.query(`DELETE FROM "data"."import_log" WHERE kind = 'indicators' AND target LIKE 'TEST\\_%'`);
  await svc.close();
});

/** Independent oracle: sums straight from the 2024 bilateral file, not from the database. */
function bilateralSum(keep: (r: BilateralRow) => boolean): { male: number; female: number } {
  return sumBySex(bilateralRows(), keep);
}

const withShare = ({ male, female }: { male: number; female: number }) => ({
  male,
  female,
  total: male + female,
  femaleShare: Math.round((female / (male + female)) * 1e4) / 1e4,
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
        year,
        revision: 'REV_2024',
        countryCount: WESTERN_AFRICA.length,
        immigrants: withShare(await bilateralSum((r) => r.year === year && WESTERN_AFRICA.includes(r.destination))),
        emigrants: withShare(await bilateralSum((r) => r.year === year && WESTERN_AFRICA.includes(r.origin))),
        withinSet: withShare(
          await bilateralSum(
            (r) => r.year === year && WESTERN_AFRICA.includes(r.destination) && WESTERN_AFRICA.includes(r.origin),
          ),
        ),
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
      const a = withShare(await bilateralSum((r) => r.year === 2020 && r.destination === code));
      const b = withShare(await bilateralSum((r) => r.year === 2024 && r.destination === code));
      rows.push({
        country: { code },
        side: 'DESTINATION',
        from: { year: 2020, total: a.total, femaleShare: a.femaleShare },
        to: { year: 2024, total: b.total },
        absolute: b.total - a.total,
        percent: Math.round(((b.total - a.total) / a.total) * 1e4) / 100,
        femaleShareChange: Math.round((b.femaleShare - a.femaleShare) * 1e4) / 100,
      });
    }
    rows.sort((x, y) => y.absolute - x.absolute);
    expect(result).toEqual({ data: { stockChange: rows } });
    expect(rows.find((r) => r.country.code === 'SEN')?.from.total).toBe(274929);
  });

  it('ranks the largest corridors with both ends among a set of countries, as a client passes the members of an organisation', async () => {
    const result = await svc.execute(
      `query($codes: [ID!]) { corridors(filter: { year: 2024, within: { codes: $codes } }, first: 3) {
      totalCount edges { node { origin { code } destination { code } total } }
    } }`,
      { codes: ECOWAS_ON_2024_06_30 },
    );
    const top = rankedCorridors(
      bilateralRows(),
      2024,
      (r) => ECOWAS_ON_2024_06_30.includes(r.origin) && ECOWAS_ON_2024_06_30.includes(r.destination),
    );
    expect(result).toEqual({
      data: {
        corridors: {
          totalCount: top.length,
          edges: top
            .slice(0, 3)
            .map((r) => ({ node: { origin: { code: r.origin }, destination: { code: r.destination }, total: r.total } })),
        },
      },
    });
    expect(top[0]).toMatchObject({ origin: 'BFA', destination: 'CIV' });
  });

  it('pages through the world-wide ranking of a year in the order of the source figures, past the end of the stored ranking (RANKING_DEPTH places)', async () => {
    const expected = rankedCorridors(bilateralRows(), 2024);
    const seen: { origin: string; destination: string; male: number | null; female: number | null; total: number | null }[] = [];
    let after: string | null = null;
    let totalCount = 0;
    // Pages of 30, 35 of them: the 17th (places 481 to 510) crosses the end of the stored ranking.
    expect(RANKING_DEPTH).toBe(500);
    for (let page = 0; page < 35; page += 1) {
      const result = await svc.execute(
        `query($after: String) { corridors(filter: { year: 2024 }, first: 30, after: $after) {
        totalCount pageInfo { endCursor } edges { node { origin { code } destination { code } male female total } }
      } }`,
        { after },
      );
      expect(result.errors).toBeUndefined();
      const data = result.data as {
        corridors: {
          totalCount: number;
          pageInfo: { endCursor: string };
          edges: {
            node: {
              origin: { code: string };
              destination: { code: string };
              male: number | null;
              female: number | null;
              total: number | null;
            };
          }[];
        };
      };
      totalCount = data.corridors.totalCount;
      seen.push(
        ...data.corridors.edges.map(({ node: n }) => ({
          origin: n.origin.code,
          destination: n.destination.code,
          male: n.male,
          female: n.female,
          total: n.total,
        })),
      );
      after = data.corridors.pageInfo.endCursor;
    }
    expect(totalCount).toBe(expected.length);
    expect(seen).toHaveLength(1050);
    expect(seen).toEqual(
      expected
        .slice(0, 1050)
        .map((c) => ({ origin: c.origin, destination: c.destination, male: c.male, female: c.female, total: c.total })),
    );
    // The last page of the year, where corridors with one sex missing (no total) come last.
    const tail = await svc.execute(
      `{ corridors(filter: { year: 2024, destinations: ["SEN"] }, first: 100) { totalCount edges { node { origin { code } total } } } }`,
    );
    const senegal = rankedCorridors(bilateralRows(), 2024, (r) => r.destination === 'SEN');
    expect(tail.data).toEqual({
      corridors: {
        totalCount: senegal.length,
        edges: senegal.slice(0, 100).map((c) => ({ node: { origin: { code: c.origin }, total: c.total } })),
      },
    });
  });

  it('rejects an empty or unknown country set and years outside the revision with BAD_USER_INPUT', async () => {
    const codes = async (query: string) => (await svc.execute(query)).errors?.map((e) => [e.extensions?.code, e.message]);
    expect(await codes('{ regionalStock(countries: {}) { year } }')).toEqual([
      ['BAD_USER_INPUT', '`countries` needs codes or a region'],
    ]);
    expect(await codes('{ regionalStock(countries: { region: "Atlantis" }) { year } }')).toEqual([
      ['BAD_USER_INPUT', 'No country has the region "Atlantis"'],
    ]);
    expect(await codes('{ stockChange(countries: { codes: ["SEN"] }, from: 2019, to: 2024) { absolute } }')).toEqual([
      [
        'BAD_USER_INPUT',
        '`from` must be one of the years of revision REV_2024: 1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024; got 2019',
      ],
    ]);
  });
});

describe('indicator series', () => {
  it('loads a catalogue and a series, serves them per country and per set with provenance, and re-imports without change', async () => {
    const catalogue = await withClient(svc.ds, (c) => importCatalogue(c, fixture('indicator-catalogue.csv')));
    const series = await withClient(svc.ds, (c) => importIndicatorSeries(c, fixture('indicator-series.csv')));
    const again = await withClient(svc.ds, (c) => importIndicatorSeries(c, fixture('indicator-series.csv')));
    expect([catalogue.rows, series.changed, series.rows, series.target, again.changed]).toEqual([
      2,
      true,
      4,
      'TEST_NET_MIGRATION,TEST_REFUGEES',
      false,
    ]);
    // The import log holds each indicator of the file with its own row count and the file's checksum.
    const fileRows = readCsv(fixture('indicator-series.csv'));
    const logged = await svc.ds.query(
      `SELECT target, rows, rejected, sha256 FROM "data"."import_log" WHERE kind = 'indicators' AND target LIKE 'TEST\\_%' ORDER BY target`,
    );
    expect(logged).toEqual(
      [...new Set(fileRows.map((r) => r.indicator))].sort().map((target) => ({
        target,
        rows: fileRows.filter((r) => r.indicator === target).length,
        rejected: 0,
        sha256: series.sha256,
      })),
    );
    const result = await svc.execute(
      `query($r: [_Any!]!) {
      indicator(code: "test_net_migration") { code name unit allowsNegative provenance { confidence verified }
        series(countries: { codes: ["MLI", "SEN", "GHA"] }, toYear: 2019) { country { code } values { year value } } }
      _entities(representations: $r) { ... on Country { code indicatorSeries(indicator: "TEST_REFUGEES") { indicator { code } year value unit provenance { confidence verified sources { title } } } } }
    }`,
      { r: [{ __typename: 'Country', code: 'SEN' }] },
    );
    expect(result).toEqual({
      data: {
        indicator: {
          code: 'TEST_NET_MIGRATION',
          name: 'Net migration (test data)',
          unit: 'persons',
          allowsNegative: true,
          provenance: { confidence: 'UNVERIFIED', verified: false },
          series: [
            { country: { code: 'MLI' }, values: [{ year: 2019, value: 3000 }] },
            {
              country: { code: 'SEN' },
              values: [
                { year: 2018, value: -1500 },
                { year: 2019, value: -1200.5 },
              ],
            },
          ],
        },
        _entities: [
          {
            code: 'SEN',
            indicatorSeries: [
              {
                indicator: { code: 'TEST_REFUGEES' },
                year: 2019,
                value: 14000,
                unit: 'persons',
                provenance: { confidence: 'UNVERIFIED', verified: false, sources: [{ title: 'Test fixture, second table' }] },
              },
            ],
          },
        ],
      },
    });
    const unknown = await svc.execute('{ indicator(code: "NOPE") { code } }');
    expect(unknown.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });

  it('gives every stored column of every live value, oldest first per country, as the rows themselves read', async () => {
    await svc.ds
      .query(`INSERT INTO "data"."indicator" (code, name, unit, definition, allow_negative, source, source_url, confidence)
      VALUES ('TEST_ODD_VALUES', 'Odd values', 'US$', 'Edge cases of the value columns.', true, 'Test', NULL, 'seen')`);
    // Inserted out of year order, with floats and texts that a lossy encoding would change.
    await svc.ds.query(`INSERT INTO "data"."indicator_value"
      (indicator_code, country_code, year, value, unit, source, confidence, version, internal_note, deleted_at) VALUES
      ('TEST_ODD_VALUES', 'SEN', 2001, 0.1, 'US$', E'quote " backslash \\ newline\n tab\t é 😀', 'seen', 3, E'note\nline 2', NULL),
      ('TEST_ODD_VALUES', 'SEN', 1999, -1e300, 'US$', 'src', 'derived', 1, NULL, NULL),
      ('TEST_ODD_VALUES', 'SEN', 2000, 5e-324, 'US$', 'src', 'unverified', 2, '', NULL),
      ('TEST_ODD_VALUES', 'SEN', 2002, 123456789.123456789, 'US$', 'src', 'seen', 1, NULL, now()),
      ('TEST_ODD_VALUES', 'MLI', 2024, 1.7976931348623157e308, 'US$', 'other', 'seen', 1, NULL, NULL),
      ('TEST_ODD_VALUES', 'MLI', 1990, '-0'::float8, 'US$', 'other', 'seen', 7, 'm', NULL)`);
    // The oracle: one row per value, mapped as the driver returns each column.
    const expected = async (codes: string[], from: number | null, to: number | null) => {
      const rows: Record<string, unknown>[] = await svc.ds.query(
        `SELECT * FROM "data"."indicator_value" WHERE indicator_code = 'TEST_ODD_VALUES' AND country_code = ANY($1::bpchar[])
           AND deleted_at IS NULL AND ($2::int IS NULL OR year >= $2) AND ($3::int IS NULL OR year <= $3) ORDER BY country_code, year`,
        [codes, from, to],
      );
      const out = new Map<string, unknown[]>();
      for (const r of rows) {
        const code = String(r.country_code);
        out.set(code, [
          ...(out.get(code) ?? []),
          {
            indicatorCode: 'TEST_ODD_VALUES',
            countryCode: code,
            year: Number(r.year),
            value: Number(r.value),
            unit: r.unit,
            source: r.source,
            confidence: r.confidence,
            version: Number(r.version),
            internalNote: r.internal_note,
          },
        ]);
      }
      return out;
    };
    for (const [codes, from, to] of [
      [['SEN', 'MLI', 'GHA'], null, null],
      [['SEN'], 2000, 2001],
      [['MLI'], 1991, null],
    ] as const) {
      const got = await indicatorValuesByCountry(svc.ds, 'TEST_ODD_VALUES', codes, from, to);
      expect(got).toEqual(await expected([...codes], from, to));
    }
    const all = await indicatorValuesByCountry(svc.ds, 'TEST_ODD_VALUES', ['SEN', 'MLI', 'GHA'], null, null);
    expect(all.get('SEN')?.map((v) => v.year)).toEqual([1999, 2000, 2001]);
    expect(all.has('GHA')).toBe(false);
    expect(Object.is(all.get('MLI')?.[0].value, -0)).toBe(true);

    // Values that arrive out of year order (PostgreSQL does not promise the subquery's order) are sorted.
    const unordered = {
      query: async () => [
        { country_code: 'SEN', columns: '[[2001,1999],[1.5,"NaN"],["u","u"],["s","t"],["seen","derived"],[2,1],[null,"n"]]' },
      ],
    };
    const sorted = await indicatorValuesByCountry(unordered as unknown as DataSource, 'X', ['SEN'], null, null);
    expect(sorted.get('SEN')).toEqual([
      {
        indicatorCode: 'X',
        countryCode: 'SEN',
        year: 1999,
        value: NaN,
        unit: 'u',
        source: 't',
        confidence: 'derived',
        version: 1,
        internalNote: 'n',
      },
      {
        indicatorCode: 'X',
        countryCode: 'SEN',
        year: 2001,
        value: 1.5,
        unit: 'u',
        source: 's',
        confidence: 'seen',
        version: 2,
        internalNote: null,
      },
    ]);
  });

  it('names every bad series row and writes nothing', async () => {
    await withClient(svc.ds, (c) => importCatalogue(c, fixture('indicator-catalogue.csv')));
    const before = await svc.ds.query(`SELECT * FROM "data"."indicator_value" ORDER BY 1, 2, 3`);
    const error = await withClient(svc.ds, (c) => importIndicatorSeries(c, fixture('indicator-series-bad.csv'))).catch(
      (e: unknown) => e,
    );
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
