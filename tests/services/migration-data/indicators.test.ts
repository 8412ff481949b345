import path from 'node:path';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';
import { readCsv } from '../../../shared/src/io/csv';
import { type Stack, startStack } from '../../support/stack';

// Every expected figure below is computed from the seed CSVs (services/migration-data/seed/indicators),
// not read back from the graph; the spot values are those the data README lists for testers.

const DIR = path.join(PROJECT_ROOT, 'services', 'migration-data', 'seed', 'indicators');
const VALUES = readCsv(path.join(DIR, 'values.csv'));
const CATALOGUE = readCsv(path.join(DIR, 'catalogue.csv'));
const BILATERAL = readCsv(path.join(DIR, 'unhcr-bilateral.csv'));
const COUNTRIES = readCsv(path.join(PROJECT_ROOT, 'shared', 'data', 'countries.csv'));

/** A row that the test's own data must have. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the seed CSV has no ${what}`);
  return value;
}
const catalogueEntry = (code: string) =>
  required(
    CATALOGUE.find((c) => c.code === code),
    `catalogue entry ${code}`,
  );

/** The value of values.csv for an indicator, country and year, or undefined when the file has no row. */
function csvValue(indicator: string, iso3: string, year: number): number | undefined {
  const row = VALUES.find((r) => r.indicator === indicator && r.iso3 === iso3 && Number(r.year) === year);
  return row ? Number(row.value) : undefined;
}

function csvLatest(indicator: string, iso3: string): { year: number; value: number } | null {
  const rows = VALUES.filter((r) => r.indicator === indicator && r.iso3 === iso3).sort((a, b) => Number(a.year) - Number(b.year));
  const last = rows.at(-1);
  return last ? { year: Number(last.year), value: Number(last.value) } : null;
}

/** West and Central Africa: the 27 ECOWAS and ECCAS states of the reference data. */
const WCA = 'AGO BDI BEN BFA CAF CIV CMR COD COG CPV GAB GHA GIN GMB GNB GNQ LBR MLI MRT NER NGA RWA SEN SLE STP TCD TGO'.split(
  ' ',
);
const WESTERN_AFRICA = COUNTRIES.filter((c) => c.intermediate_region === 'Western Africa').map((c) => c.iso3);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

describe('indicator series through the gateway', () => {
  it.each([
    ['UNHCR_REFUGEES_BY_ASYLUM', 'CMR', 2022, 473887],
    ['UNHCR_REFUGEES_BY_ASYLUM', 'TCD', 2023, 1100921],
    ['UNHCR_REFUGEES_BY_ASYLUM_MIDYEAR', 'TCD', 2024, 1239907],
    ['IDMC_IDP_STOCK_CONFLICT', 'NGA', 2024, 3359007],
    ['IDMC_NEW_DISPLACEMENTS_CONFLICT', 'BFA', 2022, 438462],
    ['WB_REMITTANCES_RECEIVED_USD', 'SEN', 2022, 3007014615.17769],
    ['WB_REMITTANCES_RECEIVED_PCT_GDP', 'SEN', 2022, 10.887297],
    ['WB_NET_MIGRATION', 'NGA', 2023, -57936],
    ['WPP_POPULATION', 'SEN', 2023, 18077574],
    ['UNHCR_STATELESS', 'CIV', 2023, 930978],
  ])('serves the README spot value %s %s %i as the CSV has it', async (indicator, iso3, year, readme) => {
    const expected = csvValue(indicator, iso3, year);
    expect(expected).toBe(readme);
    // Two operations: a series of a country set is priced at 300 countries, so it travels alone.
    const series = await stack.query(
      `query($i: ID!, $c: [ID!], $y: Int) {
        indicator(code: $i) { unit series(countries: { codes: $c }, fromYear: $y, toYear: $y) { country { code } values { year value } } }
      }`,
      { i: indicator, c: [iso3], y: year },
    );
    const latest = await stack.query(
      `query($i: ID!, $y: Int, $code: ID!) {
        country(code: $code) { latestIndicatorValue(indicator: $i, upToYear: $y) { year value provenance { confidence sources { url } } } }
      }`,
      { i: indicator, y: year, code: iso3 },
    );
    expect(series.errors).toBeUndefined();
    const r = { data: { ...(series.data as object), ...(latest.data as object) }, errors: latest.errors };
    expect(r.errors).toBeUndefined();
    const entry = catalogueEntry(indicator);
    expect(r.data).toEqual({
      indicator: {
        unit: entry.unit,
        series: [{ country: { code: iso3 }, values: [{ year, value: expected }] }],
      },
      country: {
        latestIndicatorValue: {
          year,
          value: expected,
          // The value's provenance is its indicator's: the catalogue's confidence, source and URL(s).
          provenance: {
            confidence: entry.confidence.toUpperCase(),
            sources: [
              ...entry.source.split(' | ').map(() => ({ url: null })),
              ...entry.source_url.split(' | ').map((url) => ({ url })),
            ],
          },
        },
      },
    });
  });

  it('gives no value where the source has none (absent, never zero), and counts missing countries in an aggregate', async () => {
    expect(csvLatest('UNHCR_REFUGEES_BY_ASYLUM', 'GNQ')).toBeNull();
    const r = await stack.query(`{
      country(code: "GNQ") { refugeesHosted { year value } }
      indicator(code: "UNHCR_REFUGEES_BY_ASYLUM") {
        series(countries: { codes: ["GNQ", "SEN"] }, fromYear: 2023, toYear: 2023) { country { code } values { value } }
      }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      country: { refugeesHosted: null },
      indicator: {
        series: [{ country: { code: 'SEN' }, values: [{ value: csvValue('UNHCR_REFUGEES_BY_ASYLUM', 'SEN', 2023) }] }],
      },
    });
  });

  it('sums an additive indicator over Western Africa per year, with the number of countries that have data', async () => {
    const r = await stack.query(`{ indicator(code: "UNHCR_REFUGEES_BY_ASYLUM") { additive
      aggregate(countries: { intermediateRegion: "Western Africa" }, fromYear: 2022, toYear: 2023) { year value countriesWithData countryCount } } }`);
    expect(r.errors).toBeUndefined();
    const expected = [2022, 2023].map((year) => {
      const rows = WESTERN_AFRICA.map((c) => csvValue('UNHCR_REFUGEES_BY_ASYLUM', c, year)).filter((v) => v !== undefined);
      return {
        year,
        value: rows.reduce((a, b) => a + b, 0),
        countriesWithData: rows.length,
        countryCount: WESTERN_AFRICA.length,
      };
    });
    expect(expected[1].countriesWithData).toBeLessThan(WESTERN_AFRICA.length);
    expect(r.data).toEqual({ indicator: { additive: true, aggregate: expected } });
  });

  it('leaves a net-migration value equal to a missing-value code out of a regional sum, counts its country as without data and says so', async () => {
    // The data's own check (checks.md FLAG): WB_NET_MIGRATION values equal to +/-999 or +/-9999 are not figures.
    const isCode = (v: number) => [-9999, -999, 999, 9999].includes(v);
    expect(csvValue('WB_NET_MIGRATION', 'SEN', 2023)).toBe(-9999);
    expect(csvValue('WB_NET_MIGRATION', 'ISR', 2023)).toBe(9999);
    const sets = { wca: WCA, coded: ['SEN', 'ISR'], withIsrael: [...WCA, 'ISR'] };
    const fields =
      'year value countriesWithData countryCount leftOutCount notes leftOut { country { code } year value provenance { confidence } }';
    // One operation per set: each list of left-out values is priced at its `first`, under every year.
    const answer = async (codes: string[], fromYear: number) => {
      const r = await stack.query(
        `query($c: [ID!], $y: Int) { indicator(code: "WB_NET_MIGRATION") { aggregate(countries: { codes: $c }, fromYear: $y, toYear: 2023) { ${fields} } } }`,
        { c: codes, y: fromYear },
      );
      expect(r.errors).toBeUndefined();
      return (r.data as { indicator: { aggregate: unknown[] } }).indicator.aggregate;
    };
    const expected = (codes: string[], years: number[]) =>
      years.map((year) => {
        const values = codes.flatMap((c) => {
          const value = csvValue('WB_NET_MIGRATION', c, year);
          return value === undefined ? [] : [{ code: c, value }];
        });
        const data = values.filter((v) => !isCode(v.value));
        const coded = values.filter((v) => isCode(v.value)).sort((a, b) => a.code.localeCompare(b.code));
        return {
          year,
          value: data.length ? data.reduce((a, b) => a + b.value, 0) : null,
          countriesWithData: data.length,
          countryCount: codes.length,
          leftOutCount: coded.length,
          notes: coded.length ? expect.stringContaining(coded.map((v) => `${v.code} (${v.value})`).join(', ')) : null,
          leftOut: coded.map((v) => ({
            country: { code: v.code },
            year,
            value: v.value,
            provenance: { confidence: 'UNVERIFIED' },
          })),
        };
      });
    const wca = expected(sets.wca, [2022, 2023]);
    // SEN has a figure in 2022 and the code in 2023: one country fewer with data, and no -9999 in the sum.
    expect(wca[1].countriesWithData).toBe(wca[0].countriesWithData - 1);
    expect(wca[1].leftOutCount).toBe(1);
    expect(await answer(sets.wca, 2022)).toEqual(wca);
    expect(await answer(sets.withIsrael, 2023)).toEqual(expected(sets.withIsrael, [2023]));
    // A year whose every value was left out: no sum (null, not zero), and both values listed.
    const coded = expected(sets.coded, [2023]);
    expect(coded[0]).toMatchObject({ value: null, countriesWithData: 0, leftOutCount: 2 });
    expect(await answer(sets.coded, 2023)).toEqual(coded);
    // `first` gives the start of the list; the count and the notes still tell of every value left out.
    const cut = await stack.query(
      `{ indicator(code: "WB_NET_MIGRATION") { aggregate(countries: { codes: ["SEN", "ISR"] }, fromYear: 2023, toYear: 2023) {
        leftOutCount notes leftOut(first: 1) { country { code } } } } }`,
    );
    expect(cut).toEqual({
      status: 200,
      data: {
        indicator: {
          aggregate: [
            { leftOutCount: 2, notes: coded[0].notes, leftOut: [coded[0].leftOut[0]].map((v) => ({ country: v.country })) },
          ],
        },
      },
    });
  });

  it.each(['WB_REMITTANCES_RECEIVED_PCT_GDP', 'WB_INFLATION_CPI_PCT', 'WB_WGI_POLITICAL_STABILITY', 'WB_GDP_PER_CAPITA_PPP'])(
    'refuses a regional aggregate of %s, whose unit does not add up, with NOT_ADDITIVE',
    async (code) => {
      const r = await stack.query(
        `query($c: ID!) { indicator(code: $c) { additive aggregate(countries: { codes: ["SEN", "MLI"] }) { year value } } }`,
        { c: code },
      );
      expect(r.errors?.[0]?.extensions?.code).toBe('NOT_ADDITIVE');
      expect(r.errors?.[0]?.message).toContain(catalogueEntry(code).unit);
      expect(JSON.stringify(r.errors)).not.toMatch(/SELECT|stack|\.ts:/);
    },
  );

  it("answers a country's dossier fields and its data sheet in one operation, each latest value with its year", async () => {
    const r = await stack.query(`{ country(code: "SEN") {
      refugeesHosted { year value } refugeesOriginating { year value } internallyDisplaced { year value } conflictIdps { year value }
      remittancesShareOfGdp { year value } netMigration(upToYear: 2020) { year value } totalPopulation { year value }
      dataSheet(indicators: ["wb_remittances_received_usd", "WPP_POPULATION"], fromYear: 2021) { indicator { code } latest { year value } values { year } }
    } }`);
    expect(r.errors).toBeUndefined();
    const latestUpTo = (i: string, c: string, up: number) => {
      const rows = VALUES.filter((v) => v.indicator === i && v.iso3 === c && Number(v.year) <= up);
      const last = rows.sort((a, b) => Number(a.year) - Number(b.year)).at(-1);
      return last ? { year: Number(last.year), value: Number(last.value) } : null;
    };
    const years = (i: string) =>
      VALUES.filter((v) => v.indicator === i && v.iso3 === 'SEN' && Number(v.year) >= 2021).map((v) => ({
        year: Number(v.year),
      }));
    expect(r.data).toEqual({
      country: {
        refugeesHosted: csvLatest('UNHCR_REFUGEES_BY_ASYLUM', 'SEN'),
        refugeesOriginating: csvLatest('UNHCR_REFUGEES_BY_ORIGIN', 'SEN'),
        internallyDisplaced: csvLatest('UNHCR_IDPS', 'SEN'),
        conflictIdps: csvLatest('IDMC_IDP_STOCK_CONFLICT', 'SEN'),
        remittancesShareOfGdp: csvLatest('WB_REMITTANCES_RECEIVED_PCT_GDP', 'SEN'),
        netMigration: latestUpTo('WB_NET_MIGRATION', 'SEN', 2020),
        totalPopulation: csvLatest('WPP_POPULATION', 'SEN'),
        dataSheet: [
          {
            indicator: { code: 'WB_REMITTANCES_RECEIVED_USD' },
            latest: csvLatest('WB_REMITTANCES_RECEIVED_USD', 'SEN'),
            values: years('WB_REMITTANCES_RECEIVED_USD'),
          },
          { indicator: { code: 'WPP_POPULATION' }, latest: csvLatest('WPP_POPULATION', 'SEN'), values: years('WPP_POPULATION') },
        ],
      },
    });
    expect(csvLatest('UNHCR_IDPS', 'SEN')).toBeNull();
  });

  it('serves each net-migration value equal to a missing-value code as unverified, with a note, in series, latest values and the dossier, and leaves it out of a change', async () => {
    // The data's own check (checks.md FLAG): WB_NET_MIGRATION values equal to +/-999 or +/-9999.
    const coded = VALUES.filter((r) => r.indicator === 'WB_NET_MIGRATION' && [-9999, -999, 999, 9999].includes(Number(r.value)));
    expect(coded.map((r) => `${r.iso3} ${r.year} ${r.value}`)).toEqual([
      'IMN 1997 999',
      'ISR 2023 9999',
      'MCO 2018 999',
      'MCO 2020 999',
      'MCO 2021 999',
      'MLT 2011 999',
      'SEN 2023 -9999',
    ]);
    const entry = catalogueEntry('WB_NET_MIGRATION');
    const isCoded = (iso3: string, year: number) => coded.some((r) => r.iso3 === iso3 && Number(r.year) === year);
    const provenance = (iso3: string, year: number, value: number) =>
      isCoded(iso3, year)
        ? {
            confidence: 'UNVERIFIED',
            verified: false,
            notes: `The value ${value} equals a common missing-value code (-9999, -999, 999 or 9999); it is kept as the source gives it and was not verified at the source.`,
          }
        : { confidence: entry.confidence.toUpperCase(), verified: entry.confidence !== 'unverified', notes: null };
    const countries = [...new Set(coded.map((r) => r.iso3))].sort();
    // Each country's data sheet (a series of a country set is priced at 300 countries, too dear with provenance).
    const sheets = await stack.query(
      `{ ${countries
        .map(
          (c) =>
            `${c}: country(code: "${c}") { dataSheet(indicators: ["WB_NET_MIGRATION"]) { values { year value provenance { confidence verified notes } } } }`,
        )
        .join(' ')} }`,
    );
    expect(sheets.errors).toBeUndefined();
    expect(sheets.data).toEqual(
      Object.fromEntries(
        countries.map((c) => [
          c,
          {
            dataSheet: [
              {
                values: VALUES.filter((r) => r.indicator === 'WB_NET_MIGRATION' && r.iso3 === c)
                  .map((r) => ({ year: Number(r.year), value: Number(r.value) }))
                  .sort((a, b) => a.year - b.year)
                  .map((v) => ({ ...v, provenance: provenance(c, v.year, v.value) })),
              },
            ],
          },
        ]),
      ),
    );
    const figure = (c: string, year: number) => {
      const value = required(csvValue('WB_NET_MIGRATION', c, year), `${c} ${year}`);
      return { year, value, provenance: provenance(c, year, value) };
    };
    const answer = await stack.query(`{
      indicator(code: "WB_NET_MIGRATION") {
        latest(countries: { codes: ["ISR", "SEN"] }) { country { code } year value provenance { confidence verified notes } }
        change(countries: { codes: ["SEN"] }, from: 2022, to: 2023) {
          from { year value provenance { confidence verified notes } } to { year value provenance { confidence verified notes } }
        }
      }
      country(code: "SEN") { netMigration { year value provenance { confidence verified notes } } }
    }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      indicator: {
        latest: ['ISR', 'SEN'].map((c) => ({ country: { code: c }, ...figure(c, 2023) })),
        // Not data in a change: SEN 2022 -> 2023 is absent (see the next test).
        change: [],
      },
      country: { netMigration: figure('SEN', 2023) },
    });
    expect(figure('SEN', 2023).provenance.confidence).toBe('UNVERIFIED');
    expect(figure('SEN', 2022).provenance.confidence).toBe('SEEN');
  });

  it('leaves a value left out as a suspected missing-value code out of a change, as a country without a value is', async () => {
    // SEN's 2023 net migration is -9999, a missing-value code (checks.md FLAG); SHN has no value at all.
    const isCode = (value: number) => [-9999, -999, 999, 9999].includes(value);
    expect(csvValue('WB_NET_MIGRATION', 'SEN', 2023)).toBe(-9999);
    expect(csvValue('WB_NET_MIGRATION', 'SHN', 2023)).toBeUndefined();
    expect(WESTERN_AFRICA).toEqual(expect.arrayContaining(['SEN', 'SHN', 'NGA']));
    const r = await stack.query(`{ indicator(code: "WB_NET_MIGRATION") {
      change(countries: { intermediateRegion: "Western Africa" }, from: 2022, to: 2023) { country { code } from { year value } to { year value } absolute percent }
    } }`);
    expect(r.errors).toBeUndefined();
    const expected = WESTERN_AFRICA.flatMap((c) => {
      const a = csvValue('WB_NET_MIGRATION', c, 2022);
      const b = csvValue('WB_NET_MIGRATION', c, 2023);
      if (a === undefined || b === undefined || isCode(a) || isCode(b)) return [];
      return [
        {
          country: { code: c },
          from: { year: 2022, value: a },
          to: { year: 2023, value: b },
          absolute: b - a,
          // + 0: JSON has no -0 (an unchanged negative value's percent).
          percent: a === 0 ? null : Math.round(((b - a) / a) * 1e4) / 1e2 + 0,
        },
      ];
    }).sort((x, y) => y.absolute - x.absolute || x.country.code.localeCompare(y.country.code));
    const codes = expected.map((e) => e.country.code);
    expect(codes).not.toContain('SEN');
    expect(codes).not.toContain('SHN');
    expect(codes).toContain('NGA');
    expect(r.data).toEqual({ indicator: { change: expected } });
  });

  it('gives the latest value and the change between two years for several countries', async () => {
    const r = await stack.query(`{ indicator(code: "WPP_POPULATION") {
      latest(countries: { codes: ["SEN", "NGA"] }, upToYear: 2010) { country { code } year value }
      change(countries: { codes: ["SEN", "NGA", "GNQ"] }, from: 2000, to: 2023) { country { code } from { year value } to { year value } absolute percent }
    } }`);
    expect(r.errors).toBeUndefined();
    const change = ['NGA', 'SEN', 'GNQ']
      .map((c) => {
        const a = required(csvValue('WPP_POPULATION', c, 2000), `${c} 2000`);
        const b = required(csvValue('WPP_POPULATION', c, 2023), `${c} 2023`);
        return {
          country: { code: c },
          from: { year: 2000, value: a },
          to: { year: 2023, value: b },
          absolute: b - a,
          percent: Math.round(((b - a) / a) * 1e4) / 1e2,
        };
      })
      .sort((x, y) => y.absolute - x.absolute);
    expect(r.data).toEqual({
      indicator: {
        latest: ['NGA', 'SEN'].map((c) => ({ country: { code: c }, year: 2010, value: csvValue('WPP_POPULATION', c, 2010) })),
        change,
      },
    });
  });

  it('describes each indicator with its unit, definition, licence, confidence and whether it adds up', async () => {
    const r = await stack.query(`{ indicators { code unit definition licence additive provenance { confidence } } }`);
    expect(r.errors).toBeUndefined();
    const served = (r.data as { indicators: { code: string }[] }).indicators;
    expect(served.map((i) => i.code)).toEqual(expect.arrayContaining(CATALOGUE.map((c) => c.code)));
    const remittanceShare = served.find((i) => i.code === 'WB_REMITTANCES_RECEIVED_PCT_GDP');
    const entry = catalogueEntry('WB_REMITTANCES_RECEIVED_PCT_GDP');
    expect(remittanceShare).toEqual({
      code: entry.code,
      unit: entry.unit,
      definition: entry.definition,
      licence: entry.licence,
      additive: false,
      provenance: { confidence: entry.confidence.toUpperCase() },
    });
  });
});

/** The corridors of unhcr-bilateral.csv for a year and population type, largest first (ties by origin, then asylum). */
function csvCorridors(year: number, population: string, keep: (r: Record<string, string>) => boolean = () => true) {
  return BILATERAL.filter((r) => Number(r.year) === year && r[population] !== '' && keep(r))
    .map((r) => ({ origin: r.origin_iso3, asylum: r.asylum_iso3, value: Number(r[population]) }))
    .sort((a, b) => b.value - a.value || a.origin.localeCompare(b.origin) || a.asylum.localeCompare(b.asylum));
}
const nodes = (r: { data?: unknown }) =>
  (
    r.data as {
      displacementCorridors: { edges: { node: { origin: { code: string }; asylum: { code: string }; value: number } }[] };
    }
  ).displacementCorridors.edges.map((e) => ({ origin: e.node.origin.code, asylum: e.node.asylum.code, value: e.node.value }));

describe('forced-displacement corridors through the gateway', () => {
  it('serves the README spot values of Sudanese in Chad (2023) and Nigerians in Cameroon (2022) as the CSV has them', async () => {
    const r = await stack.query(`{
      sdn: displacementSeries(origin: "SDN", asylum: "TCD", fromYear: 2023, toYear: 2023) { year population value midYear provenance { confidence sources { url } } }
      nga: displacementSeries(origin: "NGA", asylum: "CMR", fromYear: 2022, toYear: 2022) { population value }
    }`);
    expect(r.errors).toBeUndefined();
    const row = (y: string, o: string, a: string) =>
      required(
        BILATERAL.find((b) => b.year === y && b.origin_iso3 === o && b.asylum_iso3 === a),
        `${y} ${o} ${a}`,
      );
    const cells = (b: Record<string, string>) =>
      ['asylum_seekers', 'idp_returns', 'idps', 'others_of_concern', 'refugee_returns', 'refugees', 'stateless']
        .filter((p) => b[p] !== '')
        .map((p) => ({ population: p.toUpperCase(), value: Number(b[p]) }));
    const sdn = row('2023', 'SDN', 'TCD');
    expect([sdn.refugees, sdn.asylum_seekers, sdn.refugee_returns]).toEqual(['923323', '1990', '2050']);
    const data = r.data as { sdn: { year: number; midYear: boolean; provenance: { confidence: string } }[]; nga: unknown };
    expect(
      data.sdn.map((x) => ({
        population: (x as unknown as { population: string }).population,
        value: (x as unknown as { value: number }).value,
      })),
    ).toEqual(cells(sdn));
    expect(data.sdn.every((x) => x.year === 2023 && !x.midYear && x.provenance.confidence === 'SEEN')).toBe(true);
    expect(data.nga).toEqual(cells(row('2022', 'NGA', 'CMR')));
  });

  it('lists the top refugee corridors of 2023 world-wide with their total count, largest first', async () => {
    const r = await stack.query(`{ displacementCorridors(filter: { year: 2023, population: REFUGEES }, first: 5) {
      totalCount edges { node { origin { code } asylum { code } value } } } }`);
    expect(r.errors).toBeUndefined();
    const all = csvCorridors(2023, 'refugees');
    expect(nodes(r)).toEqual(all.slice(0, 5));
    expect((r.data as { displacementCorridors: { totalCount: number } }).displacementCorridors.totalCount).toBe(all.length);
  });

  it('leaves out unknown origins on request: top 5 corridors into West and Central Africa in 2024 (migrant stock and refugees)', async () => {
    const q = `query($wca: [ID!], $only: Boolean) {
      corridors(filter: { year: 2024, destinations: $wca, countriesOnly: $only }, first: 5) { totalCount edges { node { origin { code } destination { code } total } } }
      displacementCorridors(filter: { year: 2024, asylums: $wca, countriesOnly: $only }, first: 5) { totalCount edges { node { origin { code } asylum { code } value } } }
    }`;
    const without = await stack.query(q, { wca: WCA, only: false });
    const only = await stack.query(q, { wca: WCA, only: true });
    expect(without.errors).toBeUndefined();
    expect(only.errors).toBeUndefined();
    const stock = (r: { data?: unknown }) =>
      (r.data as { corridors: { edges: { node: { origin: { code: string } } }[] } }).corridors.edges.map(
        (e) => e.node.origin.code,
      );
    // The CSV's own top 5 into these countries has OOO at rank 4: the option must remove it.
    expect(stock(without)).toContain('OOO');
    expect(stock(only)).not.toContain('OOO');
    expect(stock(only)).toHaveLength(5);
    const nonPlaces = ['OOO', 'STL', 'TIB'];
    expect(nodes(only)).toEqual(
      csvCorridors(2024, 'refugees', (b) => WCA.includes(b.asylum_iso3) && !nonPlaces.includes(b.origin_iso3)).slice(0, 5),
    );
    expect(nodes(without)).toEqual(csvCorridors(2024, 'refugees', (b) => WCA.includes(b.asylum_iso3)).slice(0, 5));
  });

  it("gives a country of asylum's largest origins and an origin's largest countries of asylum", async () => {
    const r = await stack.query(`{ country(code: "TCD") {
      displacementOrigins(year: 2023, limit: 3) { origin { code } value }
      displacementDestinations(year: 2023, population: REFUGEES, limit: 2) { asylum { code } value }
    } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      country: {
        displacementOrigins: csvCorridors(2023, 'refugees', (b) => b.asylum_iso3 === 'TCD')
          .slice(0, 3)
          .map((c) => ({ origin: { code: c.origin }, value: c.value })),
        displacementDestinations: csvCorridors(2023, 'refugees', (b) => b.origin_iso3 === 'TCD')
          .slice(0, 2)
          .map((c) => ({ asylum: { code: c.asylum }, value: c.value })),
      },
    });
  });

  it('refuses a year outside the table and a country list over the cap with BAD_USER_INPUT', async () => {
    const r = await stack.query(`{ displacementCorridors(filter: { year: 1980 }, first: 5) { totalCount } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const many = await stack.query(
      `query($o: [ID!]) { displacementCorridors(filter: { year: 2023, origins: $o }) { totalCount } }`,
      {
        o: Array.from({ length: 301 }, () => 'SEN'),
      },
    );
    expect(many.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
