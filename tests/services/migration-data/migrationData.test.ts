import { definition } from '../../../services/migration-data/src/service';
import { danglingAt, entityErrors } from '../../support/entities';
import { startServiceHarness, type ServiceHarness } from '../../support/serviceHarness';

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Country { code FIELDS } } }`;
const countries = (codes: string[]) => codes.map((code) => ({ __typename: 'Country', code }));

describe('migration-data alone', () => {
  it("gives Senegal's 2020 immigrant stock in the 2024 revision and its three largest origins", async () => {
    const result = await svc.execute(
      ENTITIES.replace(
        'FIELDS',
        `
        immigrantStock(years: [2020]) { year revision male female total }
        topOrigins(year: 2020, limit: 3) { origin { code isoCode } destination { code } year revision male female total }`,
      ),
      { r: countries(['SEN']) },
    );
    expect(result).toEqual({
      data: {
        _entities: [
          {
            code: 'SEN',
            immigrantStock: [{ year: 2020, revision: 'REV_2024', male: 145591, female: 129338, total: 274929 }],
            topOrigins: [
              {
                origin: { code: 'GIN', isoCode: true },
                destination: { code: 'SEN' },
                year: 2020,
                revision: 'REV_2024',
                male: 34046,
                female: 19384,
                total: 53430,
              },
              {
                origin: { code: 'MRT', isoCode: true },
                destination: { code: 'SEN' },
                year: 2020,
                revision: 'REV_2024',
                male: 24819,
                female: 21557,
                total: 46376,
              },
              {
                origin: { code: 'OOO', isoCode: false },
                destination: { code: 'SEN' },
                year: 2020,
                revision: 'REV_2024',
                male: 20804,
                female: 23551,
                total: 44355,
              },
            ],
          },
        ],
      },
    });
  });

  it("keeps the revisions apart: Côte d'Ivoire's 2020 total is 2,564,857 in the 2020 revision and 2,760,255 in the 2024 revision", async () => {
    const result = await svc.execute(
      ENTITIES.replace(
        'FIELDS',
        `
        rev2020: immigrantStock(revision: REV_2020, years: [2020]) { year revision male female total }
        rev2024: immigrantStock(revision: REV_2024, years: [2020]) { year revision male female total }
        top2020: topOrigins(year: 2020, revision: REV_2020, limit: 1) { origin { code } total }
        top2024: topOrigins(year: 2020, limit: 1) { origin { code } total }`,
      ),
      { r: countries(['CIV']) },
    );
    expect(result).toEqual({
      data: {
        _entities: [
          {
            code: 'CIV',
            rev2020: [{ year: 2020, revision: 'REV_2020', male: 1420248, female: 1144609, total: 2564857 }],
            rev2024: [{ year: 2020, revision: 'REV_2024', male: 1655338, female: 1104917, total: 2760255 }],
            top2020: [{ origin: { code: 'BFA' }, total: 1376350 }],
            top2024: [{ origin: { code: 'BFA' }, total: 1715826 }],
          },
        ],
      },
    });
  });

  it("gives Senegal's emigrant stock and largest destinations in 2020, and its immigrant years per revision", async () => {
    const result = await svc.execute(
      ENTITIES.replace(
        'FIELDS',
        `
        emigrantStock(years: [2020]) { year male female total }
        topDestinations(year: 2020, limit: 2) { destination { code } origin { code } male female total }
        years2024: immigrantStock { year }
        years2020: immigrantStock(revision: REV_2020) { year }`,
      ),
      { r: countries(['SEN']) },
    );
    expect(result).toEqual({
      data: {
        _entities: [
          {
            code: 'SEN',
            emigrantStock: [{ year: 2020, male: 421431, female: 244304, total: 665735 }],
            topDestinations: [
              { destination: { code: 'FRA' }, origin: { code: 'SEN' }, male: 84734, female: 75331, total: 160065 },
              { destination: { code: 'GMB' }, origin: { code: 'SEN' }, male: 65541, female: 67137, total: 132678 },
            ],
            years2024: [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024].map((year) => ({ year })),
            years2020: [1990, 1995, 2000, 2005, 2010, 2015, 2020].map((year) => ({ year })),
          },
        ],
      },
    });
  });

  it('sums the world to 304,021,813 migrants in 2024 and to the published 2020 figures of each revision', async () => {
    const result = await svc.execute(`{
      rev2024: worldStock(years: [2020, 2024]) { year revision male female total }
      rev2020: worldStock(revision: REV_2020, years: [2020]) { year revision total }
    }`);
    expect(result).toEqual({
      data: {
        rev2024: [
          { year: 2020, revision: 'REV_2024', male: 143223497, female: 132060535, total: 275284032 },
          { year: 2024, revision: 'REV_2024', male: 158009795, female: 146012018, total: 304021813 },
        ],
        rev2020: [{ year: 2020, revision: 'REV_2020', total: 280598105 }],
      },
    });
  });

  it('stores only the source rows, male and female, for every row of both files', async () => {
    const rows: { revision: string; sex: string; n: string }[] = await svc.ds.query(
      `SELECT revision, sex, count(*) AS n FROM "data"."migrant_stock" WHERE revision IN ('2020', '2024') GROUP BY revision, sex ORDER BY revision, sex`,
    );
    const counts = Object.fromEntries(rows.map((r) => [`${r.revision}:${r.sex}`, Number(r.n)]));
    expect(Object.keys(counts)).toEqual(['2020:female', '2020:male', '2024:female', '2024:male']);
    expect(counts['2020:female'] + counts['2020:male']).toBe(170618);
    expect(counts['2024:female'] + counts['2024:male']).toBe(153296);
    const world: { total: string }[] = await svc.ds.query(
      `SELECT sum(stock) AS total FROM "data"."migrant_stock" WHERE revision = '2024' AND year = 2024`,
    );
    expect(world).toEqual([{ total: '304021813' }]);
  });

  it('lists both revisions with their citation, row count, years and checksum', async () => {
    const result = await svc.execute(`{
      stockRevisions { code title citation sourceUrl published rowCount years sha256 provenance { confidence verified sources { url } } }
    }`);
    const source = {
      confidence: 'SEEN',
      verified: true,
      sources: [
        { url: 'https://www.un.org/development/desa/pd/content/international-migrant-stock' },
        { url: 'https://github.com/iom/gdidata' },
      ],
    };
    expect(result).toEqual({
      data: {
        stockRevisions: [
          {
            code: 'REV_2024',
            title: 'International Migrant Stock 2024',
            citation:
              'United Nations Department of Economic and Social Affairs, Population Division (2024). International Migrant Stock 2024. Data as cleaned by the gdidata R package (github.com/iom/gdidata).',
            sourceUrl: 'https://www.un.org/development/desa/pd/content/international-migrant-stock',
            published: '2025-01',
            rowCount: 153296,
            years: [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024],
            sha256: 'f807f4e57b90fc99fd95fd3fef020554915a6a0ddb297568a8c6193634f7ecbc',
            provenance: source,
          },
          {
            code: 'REV_2020',
            title: 'International Migrant Stock 2020',
            citation:
              'United Nations Department of Economic and Social Affairs, Population Division (2020). International Migrant Stock 2020 (POP/DB/MIG/Stock/Rev.2020). Data as cleaned by the gdidata R package (github.com/iom/gdidata).',
            sourceUrl: 'https://www.un.org/development/desa/pd/content/international-migrant-stock',
            published: null,
            rowCount: 170618,
            years: [1990, 1995, 2000, 2005, 2010, 2015, 2020],
            sha256: '89411b7c7a8c8984612cb0d499a7054b0e6d1afaacb96b36545d7c150af498ab',
            provenance: source,
          },
        ],
      },
    });
  });

  it('pages the corridors of a year, largest first, filtered by destination', async () => {
    const query = `query($after: String) { corridors(filter: { year: 2024, destinations: ["sen"] }, first: 2, after: $after) {
      totalCount pageInfo { hasNextPage } edges { node { origin { code } destination { code } year total } }
    } }`;
    const first = await svc.execute(query);
    expect(first).toEqual({
      data: {
        corridors: {
          totalCount: 27,
          pageInfo: { hasNextPage: true },
          edges: [
            { node: { origin: { code: 'GIN' }, destination: { code: 'SEN' }, year: 2024, total: expect.any(Number) } },
            { node: { origin: { code: 'MRT' }, destination: { code: 'SEN' }, year: 2024, total: expect.any(Number) } },
          ],
        },
      },
    });
    const world = await svc.execute(`{ corridors(filter: { year: 2024 }, first: 3) {
      totalCount edges { node { origin { code } destination { code } total } }
    } }`);
    expect(world).toEqual({
      data: {
        corridors: {
          totalCount: 9581,
          edges: [
            { node: { origin: { code: 'MEX' }, destination: { code: 'USA' }, total: 11279561 } },
            { node: { origin: { code: 'AFG' }, destination: { code: 'IRN' }, total: 3752317 } },
            { node: { origin: { code: 'SYR' }, destination: { code: 'TUR' }, total: 3563983 } },
          ],
        },
      },
    });
    const corridor = await svc.execute(`{
      a: corridors(filter: { year: 2020, origins: ["BFA"], destinations: ["CIV"] }, revision: REV_2020) { totalCount edges { node { revision male female total } } }
      b: corridors(filter: { year: 2020, origins: ["BFA"], destinations: ["CIV"] }) { totalCount edges { node { revision male female total } } }
    }`);
    expect(corridor).toEqual({
      data: {
        a: { totalCount: 1, edges: [{ node: { revision: 'REV_2020', male: 769878, female: 606472, total: 1376350 } }] },
        b: { totalCount: 1, edges: [{ node: { revision: 'REV_2024', male: 1034588, female: 681238, total: 1715826 } }] },
      },
    });
  });

  it("lists Senegal's two migration profiles, the 2018 edition without publisher, ISBN or pages", async () => {
    const result = await svc.execute(`{
      migrationProfiles(country: "SEN") {
        totalCount
        pageInfo { hasNextPage hasPreviousPage }
        edges { node { id country { code } title year language isbn pages publisher url provenance { confidence verified sourceUrlRecorded } } }
      }
    }`);
    expect(result).toEqual({
      data: {
        migrationProfiles: {
          totalCount: 2,
          pageInfo: { hasNextPage: false, hasPreviousPage: false },
          edges: [
            {
              id: 'SEN-2009',
              country: { code: 'SEN' },
              title: 'Migration au Sénégal: Profil National 2009',
              year: 2009,
              language: 'FR',
              isbn: '978-92-9068-564-7',
              pages: 148,
              publisher: 'International Organization for Migration (IOM)',
              url: null,
              provenance: { confidence: 'SEEN', verified: true, sourceUrlRecorded: false },
            },
            {
              id: 'SEN-2018',
              country: { code: 'SEN' },
              title: 'Migration au Sénégal, profil national 2018',
              year: 2018,
              language: 'FR',
              isbn: null,
              pages: null,
              publisher: null,
              url: null,
              provenance: { confidence: 'SEEN', verified: true, sourceUrlRecorded: true },
            },
          ].map((node) => ({ node })),
        },
      },
    });
  });

  it('pages through every migration profile by country and edition year, each once', async () => {
    const page = (after: string | null) =>
      svc.execute(
        `query($after: String) { migrationProfiles(first: 3, after: $after) {
          totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        } }`,
        { after },
      );
    const seen: string[] = [];
    let after: string | null = null;
    for (let n = 0; n < 3; n += 1) {
      const result = await page(after);
      const connection = result.data?.migrationProfiles as {
        totalCount: number;
        edges: { cursor: string; node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
      };
      expect(connection.totalCount).toBe(7);
      expect(connection.pageInfo).toEqual({
        hasNextPage: n < 2,
        hasPreviousPage: n > 0,
        startCursor: connection.edges[0].cursor,
        endCursor: connection.edges[connection.edges.length - 1].cursor,
      });
      seen.push(...connection.edges.map((e) => e.node.id));
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(['GHA-2009', 'GHA-2019', 'MLI-2009', 'NGA-2009', 'NGA-2014', 'SEN-2009', 'SEN-2018']);
  });

  it('resolves Country and MigrationProfile through _entities, with null and a DANGLING_REFERENCE error for unknown keys', async () => {
    const result = await svc.execute(
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Country { code name migrationProfiles { id year language } }
        ... on MigrationProfile { id title pages country { code name } }
      } }`,
      {
        r: [
          { __typename: 'Country', code: 'NGA' },
          { __typename: 'MigrationProfile', id: 'NGA-2009' },
          { __typename: 'Country', code: 'BEN' },
          { __typename: 'MigrationProfile', id: 'BEN-2009' },
          { __typename: 'Country', code: 'ZZZ' },
        ],
      },
    );
    expect({ ...result, errors: entityErrors(result) }).toEqual({
      errors: [danglingAt(3, 'MigrationProfile', 'BEN-2009'), danglingAt(4, 'Country', 'ZZZ')],
      data: {
        _entities: [
          {
            code: 'NGA',
            name: 'Nigeria',
            migrationProfiles: [
              { id: 'NGA-2009', year: 2009, language: 'EN' },
              { id: 'NGA-2014', year: 2014, language: 'EN' },
            ],
          },
          {
            id: 'NGA-2009',
            title: 'Migration in Nigeria: A Country Profile 2009',
            pages: 128,
            country: { code: 'NGA', name: 'Nigeria' },
          },
          { code: 'BEN', name: 'Benin', migrationProfiles: [] },
          null,
          null,
        ],
      },
    });
  });

  it('answers stock, top corridors and profiles of many countries with as many SQL statements as for one', async () => {
    const query = ENTITIES.replace(
      'FIELDS',
      `
      migrationProfiles { id }
      immigrantStock(years: [2020, 2024]) { year total }
      emigrantStock(years: [2024]) { year total }
      topOrigins(year: 2024, limit: 5) { origin { code } total }
      topDestinations(year: 2024, limit: 3) { destination { code } total }`,
    );
    const many = ['SEN', 'NER', 'MLI', 'CMR', 'GAB', 'TCD', 'NGA', 'GHA', 'CIV', 'BFA', 'COD', 'MRT'];
    const one = await svc.executeCounting(query, { r: countries(['SEN']) });
    const all = await svc.executeCounting(query, { r: countries(many) });
    expect(one.errors).toBeUndefined();
    expect(all.errors).toBeUndefined();
    expect((all.data?._entities as { topOrigins: unknown[] }[]).map((c) => c.topOrigins.length)).toEqual(many.map(() => 5));
    // revision look-up, profiles, immigrant stock, emigrant stock, top origins, top destinations.
    expect(one.sql).toBe(6);
    expect(all.sql).toBe(one.sql);
  });

  it('rejects malformed and unknown codes, unknown profiles, bad years, limits and page sizes with codes', async () => {
    const codes = async (query: string) => (await svc.execute(query)).errors?.map((e) => e.extensions?.code);
    expect(await codes('{ migrationProfiles(country: "3SN") { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ migrationProfiles(country: "ZZZ") { totalCount } }')).toEqual(['NOT_FOUND']);
    expect(await codes('{ migrationProfiles(first: 101) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ migrationProfiles(after: "nonsense") { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ migrationProfile(id: "SEN-1999") { id } }')).toEqual(['NOT_FOUND']);
    expect(await codes('{ migrationProfile(id: "senegal") { id } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ corridors(filter: { year: 2024 }, first: 1000) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ corridors(filter: { year: 2024 }, first: -1) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ corridors(filter: { year: 2024, origins: ["XYZ"] }) { totalCount } }')).toEqual(['NOT_FOUND']);
    expect(await codes('{ corridors(filter: { year: 2024, destinations: ["3SN"] }) { totalCount } }')).toEqual([
      'BAD_USER_INPUT',
    ]);
    const badYear = await svc.execute('{ corridors(filter: { year: 2024 }, revision: REV_2020) { totalCount } }');
    expect(badYear.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      [
        'BAD_USER_INPUT',
        '`filter.year` must be one of the years of revision REV_2020: 1990, 1995, 2000, 2005, 2010, 2015, 2020; got 2024',
      ],
    ]);
    const badLimit = await svc.execute(ENTITIES.replace('FIELDS', 'topOrigins(year: 2024, limit: 51) { total }'), {
      r: countries(['SEN']),
    });
    expect(badLimit.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const badYears = await svc.execute(ENTITIES.replace('FIELDS', 'immigrantStock(years: [2023]) { total }'), {
      r: countries(['SEN']),
    });
    expect(badYears.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('writes nothing when seeded a second time', async () => {
    const count = `SELECT (SELECT count(*) FROM "data"."migrant_stock" WHERE revision IN ('2020', '2024')) AS stock,
      (SELECT count(*) FROM "data"."indicator_value") AS indicator_values, (SELECT count(*) FROM "data"."displacement") AS displacement,
      (SELECT count(*) FROM "data"."missing_migrant_incident") AS missing_migrants,
      (SELECT max(imported_at) FROM "data"."import_log") AS last_import`;
    const before: Record<string, unknown>[] = await svc.ds.query(count);
    const results = await definition.seed(svc.ds, undefined as never);
    expect(results).toEqual([
      { name: 'reference-data', applied: false, rows: 0 },
      { name: 'migrant-stock-2024', applied: false, rows: 0 },
      { name: 'migrant-stock-2020', applied: false, rows: 0 },
      { name: 'indicator-catalogue', applied: false, rows: 0 },
      { name: 'indicator-values', applied: false, rows: 0 },
      { name: 'displacement', applied: false, rows: 0 },
      { name: 'missing-migrants', applied: false, rows: 0 },
      { name: 'route-aliases', applied: false, rows: 0 },
    ]);
    expect(await svc.ds.query(count)).toEqual(before);
  });
});
