import path from 'node:path';
import { definition } from '../../../services/consultative-processes/src/service';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';
import { readCsv } from '../../../shared/src/io/csv';
import { startServiceHarness, type ServiceHarness } from '../../support/serviceHarness';

// The ISO 3166-1 list is the reference file; the other codes are those the data READMEs name
// (UN DESA: OOO, XCX; UNHCR: OOO, STL, TIB; World Bank: CHI, XKX; WGI: ANT; IDMC: AB9).
const ISO = readCsv(path.join(PROJECT_ROOT, 'shared', 'data', 'countries.csv'))
  .map((r) => r.iso3)
  .sort();
const OTHER_CODES = ['AB9', 'ANT', 'CHI', 'OOO', 'STL', 'TIB', 'XCX', 'XKX'];
const codesOf = (result: { data?: Record<string, unknown> | null }, field = 'countries') =>
  (result.data?.[field] as { edges: { node: { code: string } }[] }).edges.map((e) => e.node.code);

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

describe('the country list', () => {
  it('lists the ISO 3166-1 countries and territories by default, none of the data sets’ other codes', async () => {
    const result = await svc.execute('{ countries(first: 300) { totalCount edges { node { code isoCode } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      countries: { totalCount: ISO.length, edges: ISO.map((code) => ({ node: { code, isoCode: true } })) },
    });
  });

  it('adds the other codes, areas and groups of people, when asked, each marked as not ISO', async () => {
    const result = await svc.execute(`{
      countries(filter: { includeOtherCodes: true }, first: 300) { totalCount edges { node { code isoCode } } }
    }`);
    expect(result.errors).toBeUndefined();
    const all = [...ISO, ...OTHER_CODES].sort();
    expect(result.data).toEqual({
      countries: {
        totalCount: all.length,
        edges: all.map((code) => ({ node: { code, isoCode: !OTHER_CODES.includes(code) } })),
      },
    });
  });

  it('keeps the Channel Islands codes out of a region and a name search unless asked, and lists a code named in codes', async () => {
    const result = await svc.execute(`{
      europe: countries(filter: { region: "Europe" }, first: 100) { edges { node { code } } }
      europeAll: countries(filter: { region: "Europe", includeOtherCodes: true }, first: 100) { edges { node { code } } }
      kosovo: countries(filter: { nameContains: "kosovo" }) { edges { node { code } } }
      kosovoAll: countries(filter: { nameContains: "kosovo", includeOtherCodes: true }) { edges { node { code } } }
      named: countries(filter: { codes: ["xkx", "SEN", "AB9", "OOO"] }) { edges { node { code name } } }
    }`);
    expect(result.errors).toBeUndefined();
    const europe = readCsv(path.join(PROJECT_ROOT, 'shared', 'data', 'countries.csv'))
      .filter((r) => r.region === 'Europe')
      .map((r) => r.iso3)
      .sort();
    expect(codesOf(result, 'europe')).toEqual(europe);
    expect(codesOf(result, 'europeAll')).toEqual([...europe, 'CHI', 'XCX'].sort());
    expect(codesOf(result, 'kosovo')).toEqual([]);
    expect(codesOf(result, 'kosovoAll')).toEqual(['XKX']);
    expect(result.data?.named).toEqual({
      edges: [
        { node: { code: 'AB9', name: 'Abyei Area' } },
        { node: { code: 'OOO', name: 'Other or unknown origin' } },
        { node: { code: 'SEN', name: 'Senegal' } },
        { node: { code: 'XKX', name: 'Kosovo' } },
      ],
    });
  });

  it('takes a data set’s code with a digit (AB9) as an argument, refuses a malformed code and does not find an unknown one, suggesting the nearest codes', async () => {
    const abyei = await svc.execute('{ country(code: "ab9") { code name isoCode } }');
    expect(abyei).toEqual({ data: { country: { code: 'AB9', name: 'Abyei Area', isoCode: false } } });
    const malformed = await svc.execute('{ country(code: "9AB") { code } }');
    expect(malformed.errors?.map((e) => ({ message: e.message, extensions: e.extensions }))).toEqual([
      {
        message:
          '"9AB" is not a country code (ISO 3166-1 alpha-3, such as SEN, or a data set\'s code, such as AB9). Did you mean AB9 (Abyei Area) or GAB (Gabon)?',
        extensions: {
          code: 'BAD_USER_INPUT',
          problems: [{ field: 'code', message: 'must be three letters or digits, the first a letter, such as SEN' }],
          suggestions: [
            { code: 'AB9', name: 'Abyei Area' },
            { code: 'GAB', name: 'Gabon' },
          ],
        },
      },
    ]);
    const unknown = await svc.execute('{ country(code: "AB8") { code } }');
    expect(unknown.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['No country has the code "AB8". Did you mean AB9 (Abyei Area) or ABW (Aruba)?', 'NOT_FOUND'],
    ]);
  });
});
