import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { applyKeep, loadReport, type Json, reportVariables } from '../../gateway/src/reports/definitions';
import { type GraphQLBody, MAX_PAGES, pagedDocument, runReport } from '../../gateway/src/reports/run';
import { ReportTables, shortNames } from '../../gateway/src/reports/tables';

// The report machinery on its own: report files written here, the committed supergraph's schema, and
// answers shaped by hand as the gateway gives them. The downloads over HTTP are tested end to end.

const schema = buildSchema(fs.readFileSync(path.join(PROJECT_ROOT, 'gateway', 'supergraph.graphql'), 'utf8'));
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-report-unit-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function report(name: string, text: string) {
  fs.writeFileSync(path.join(dir, `${name}.graphql`), text);
  return loadReport(name, dir);
}

const col = (label: string, date = false) => ({ label, date });

describe('report tables', () => {
  it('makes one table per list of records, rows carrying the columns above them, one-value lists joined in a cell', () => {
    const r = report(
      'members',
      `query Members { consultativeProcess(code: "MIDWA") { code participants { country { code name trainings { id startDate }
         programmes(asOf: "2024-06-30") { id agencies { agency { acronym } } } } } } }`,
    );
    const data = {
      consultativeProcess: {
        code: 'MIDWA',
        participants: [
          {
            country: {
              code: 'SEN',
              name: 'Senegal',
              trainings: [{ id: 'T1', startDate: '2019-05' }],
              programmes: [{ id: 'P1', agencies: [{ agency: { acronym: 'ILO' } }, { agency: { acronym: 'IOM' } }] }],
            },
          },
          { country: { code: 'MLI', name: 'Mali', trainings: [], programmes: [] } },
        ],
      },
    };
    const tables = new ReportTables(r, schema);
    expect(tables.names).toEqual(['participants', 'trainings', 'programmes']);
    const above = [col('consultativeProcess code'), col('country code'), col('name')];
    expect(tables.tables(data)).toEqual([
      {
        name: 'participants',
        columns: above,
        rows: [
          ['MIDWA', 'SEN', 'Senegal'],
          ['MIDWA', 'MLI', 'Mali'],
        ],
      },
      {
        name: 'trainings',
        columns: [...above, col('trainings id'), col('startDate', true)],
        rows: [['MIDWA', 'SEN', 'Senegal', 'T1', '2019-05']],
      },
      {
        name: 'programmes',
        columns: [...above, col('programmes id'), col('agencies acronym')],
        rows: [['MIDWA', 'SEN', 'Senegal', 'P1', 'ILO; IOM']],
      },
    ]);
  });

  it('leads a child table with the keys and label of the records above it, not every column of theirs', () => {
    const r = report(
      'dossier',
      `query Dossier { country(code: "SEN") { code name nameFr: name(lang: FR) subregion
         treatyStatuses(asOf: "2024-06-30") { instrument { code shortTitle } status party since }
         trainings { id activity startDate } } }`,
    );
    const data = {
      country: {
        code: 'SEN',
        name: 'Senegal',
        nameFr: 'Sénégal',
        subregion: 'Sub-Saharan Africa',
        treatyStatuses: [
          {
            instrument: { code: 'ICRMW', shortTitle: 'Migrant Workers Convention' },
            status: 'PARTY',
            party: 'YES',
            since: '1999-06-09',
          },
        ],
        trainings: [{ id: 'T1', activity: 'Border management', startDate: '2019-05' }],
      },
    };
    expect(new ReportTables(r, schema).tables(data)).toEqual([
      {
        name: 'treatyStatuses',
        columns: [
          col('country code'),
          col('name'),
          col('instrument code'),
          col('shortTitle'),
          col('status'),
          col('party'),
          col('since', true),
        ],
        rows: [['SEN', 'Senegal', 'ICRMW', 'Migrant Workers Convention', 'PARTY', 'YES', '1999-06-09']],
      },
      {
        name: 'trainings',
        columns: [col('country code'), col('name'), col('id'), col('activity'), col('startDate', true)],
        rows: [['SEN', 'Senegal', 'T1', 'Border management', '2019-05']],
      },
      {
        name: 'country',
        columns: [col('country code'), col('name'), col('nameFr'), col('subregion')],
        rows: [['SEN', 'Senegal', 'Sénégal', 'Sub-Saharan Africa']],
      },
    ]);
  });

  it('keeps on child rows only the keys and labels of every record above, and all the columns of a record with no key selected', () => {
    const r = report(
      'nested',
      `query Nested { consultativeProcess(code: "MIDWA") { code name abbreviation: name(lang: FR)
         participants { country { code name treatyStatus(instrument: "ICRMW", asOf: "2024-06-30") { status since }
           trainings { id } programmes(asOf: "2024-06-30") { id name agencies { agency { acronym } } } } }
         members: participants { role country { subregion trainings { id } } } } }`,
    );
    const data = {
      consultativeProcess: {
        code: 'MIDWA',
        name: 'Migration Dialogue for West Africa',
        abbreviation: 'Dialogue',
        participants: [
          {
            country: {
              code: 'TGO',
              name: 'Togo',
              treatyStatus: { status: 'SIGNATORY', since: '2001-11-15' },
              trainings: [{ id: 'T1' }],
              programmes: [{ id: 'P1', name: 'FMM', agencies: [{ agency: { acronym: 'ILO' } }] }],
            },
          },
        ],
        members: [{ role: 'MEMBER', country: { subregion: 'Western Africa', trainings: [{ id: 'T1' }] } }],
      },
    };
    const above = [col('consultativeProcess code'), col('consultativeProcess name'), col('country code'), col('country name')];
    const tables = new ReportTables(r, schema);
    expect(tables.names).toEqual(['participants', 'programmes', 'members', 'consultativeProcess']);
    expect(tables.tables(data).map((t) => ({ name: t.name, columns: t.columns.map((c) => c.label), rows: t.rows }))).toEqual([
      {
        name: 'participants',
        columns: [
          'consultativeProcess code',
          'consultativeProcess name',
          'country code',
          'country name',
          'status',
          'since',
          'participants country trainings id',
        ],
        rows: [['MIDWA', 'Migration Dialogue for West Africa', 'TGO', 'Togo', 'SIGNATORY', '2001-11-15', 'T1']],
      },
      {
        name: 'programmes',
        columns: [...above.map((c) => c.label), 'id', 'programmes name', 'agencies acronym'],
        rows: [['MIDWA', 'Migration Dialogue for West Africa', 'TGO', 'Togo', 'P1', 'FMM', 'ILO']],
      },
      {
        name: 'members',
        columns: ['consultativeProcess code', 'consultativeProcess name', 'role', 'subregion', 'members country trainings id'],
        rows: [['MIDWA', 'Migration Dialogue for West Africa', 'MEMBER', 'Western Africa', 'T1']],
      },
      {
        name: 'consultativeProcess',
        columns: ['consultativeProcess code', 'consultativeProcess name', 'abbreviation'],
        rows: [['MIDWA', 'Migration Dialogue for West Africa', 'Dialogue']],
      },
    ]);
  });

  it('turns a declared pivot into one column per key, leaves out columns empty in every row, keeps the header of an empty table', () => {
    const r = report(
      'matrix',
      `# @pivot regionalOrganization.members.country.treatyStatuses by instrument.code value status
       query Matrix { regionalOrganization(code: "ECOWAS") { code members(asOf: "2024-06-30") { country { code name
         treatyStatuses(asOf: "2024-06-30") { instrument { code } status } } } } }`,
    );
    const member = (code: string, statuses: [string, string][]) => ({
      country: { code, name: null, treatyStatuses: statuses.map(([i, status]) => ({ instrument: { code: i }, status })) },
    });
    const tables = new ReportTables(r, schema);
    expect(
      tables.tables({
        regionalOrganization: {
          code: 'ECOWAS',
          members: [
            member('SEN', [['ICRMW', 'PARTY']]),
            member('LBR', [
              ['CSR1951', 'PARTY'],
              ['ICRMW', 'SIGNATORY'],
            ]),
          ],
        },
      }),
    ).toEqual([
      {
        name: 'members',
        columns: [col('regionalOrganization code'), col('country code'), col('CSR1951'), col('ICRMW')],
        rows: [
          ['ECOWAS', 'SEN', null, 'PARTY'],
          ['ECOWAS', 'LBR', 'PARTY', 'SIGNATORY'],
        ],
      },
    ]);
    expect(tables.tables({ regionalOrganization: { code: 'ECOWAS', members: [] } })).toEqual([
      { name: 'members', columns: [col('regionalOrganization code'), col('country code'), col('name')], rows: [] },
    ]);
  });

  it("takes a connection's nodes as its items, and makes a root field with no list under it a one-row table", () => {
    const r = report(
      'connection',
      `query Connection { country(code: "SEN") { code subregion }
         countries(first: 2) { totalCount edges { node { code stock: immigrantStock(years: [2024]) { year total } } } } }`,
    );
    const tables = new ReportTables(r, schema);
    const data = {
      country: { code: 'SEN', subregion: 'Sub-Saharan Africa' },
      countries: {
        totalCount: 2,
        edges: [{ node: { code: 'SEN', stock: [{ year: 2024, total: 10 }] } }, { node: { code: 'MLI', stock: [] } }],
      },
    };
    expect(tables.tables(data)).toEqual([
      { name: 'countries', columns: [col('countries code')], rows: [['SEN'], ['MLI']] },
      { name: 'stock', columns: [col('countries code'), col('year'), col('total')], rows: [['SEN', 2024, 10]] },
      { name: 'country', columns: [col('country code'), col('subregion')], rows: [['SEN', 'Sub-Saharan Africa']] },
    ]);
  });

  it('names the capped lists that came back as long as their cap, which may have been cut', () => {
    const r = report(
      'cut',
      `query Cut { instrument(code: "ICRMW") { code parties(asOf: "2024-06-30", first: 2) { country { code } }
         actions: parties(asOf: "2024-06-30") { since } } }`,
    );
    const tables = new ReportTables(r, schema);
    const parties = (n: number) => Array.from({ length: n }, (_, i) => ({ country: { code: `C${i}` } }));
    expect(tables.cutLists({ instrument: { code: 'ICRMW', parties: parties(2), actions: [] } })).toEqual([
      'instrument.parties (2, the most it gives)',
    ]);
    expect(
      tables.cutLists({ instrument: { code: 'ICRMW', parties: parties(1), actions: Array(60).fill({ since: null }) } }),
    ).toEqual(['instrument.actions (60, the most it gives)']);
    expect(tables.cutLists({ instrument: null })).toEqual([]);
  });

  it('reads the cap of a list sized by a variable from the value given, else the default of the variable, else the field', () => {
    const r = report(
      'cut-by-variable',
      `query CutByVariable($n: Int = 3, $m: Int) { instrument(code: "ICRMW") { code parties(asOf: "2024-06-30", first: $n) { country { code } }
         actions: treatyActions(first: $m) { action } } }`,
    );
    const tables = new ReportTables(r, schema);
    const items = (n: number, item: Json) => Array.from({ length: n }, () => item);
    const answer = (parties: number, actions: number) => ({
      instrument: {
        code: 'ICRMW',
        parties: items(parties, { country: { code: 'SEN' } }),
        actions: items(actions, { action: 'RATIFICATION' }),
      },
    });
    // $n given: its value is the cap; $n not given: its default, 3.
    expect(tables.cutLists(answer(5, 0), { n: 5 })).toEqual(['instrument.parties (5, the most it gives)']);
    expect(tables.cutLists(answer(4, 0), { n: 5 })).toEqual([]);
    expect(tables.cutLists(answer(3, 0), {})).toEqual(['instrument.parties (3, the most it gives)']);
    // $m has no default: the field's own default (or none) applies, and a value given is the cap.
    expect(tables.cutLists(answer(0, 2), { m: 2 })).toEqual(['instrument.actions (2, the most it gives)']);
    expect(tables.cutLists(answer(0, 2), {})).toEqual([]);
  });

  it('names a column by the fewest last keys that tell it from the others', () => {
    expect(
      shortNames([
        ['country', 'code'],
        ['instrument', 'code'],
        ['country', 'name'],
        ['status'],
        ['a', 'b', 'x'],
        ['c', 'b', 'x'],
      ]),
    ).toEqual(['country code', 'instrument code', 'name', 'status', 'a b x', 'c b x']);
    expect(shortNames([['programmes', 'id']], [2])).toEqual(['programmes id']);
  });
});

describe('report definitions', () => {
  it('keeps only the list items a keep rule selects, dropping those without the value', () => {
    const rule = { list: ['p', 'items'], field: ['country', 'status'], op: '!=' as const, value: 'PARTY' };
    const data = { p: { items: [{ country: { status: 'PARTY' } }, { country: { status: 'SIGNATORY' } }, { country: null }] } };
    expect(applyKeep(data, [rule])).toEqual({ p: { items: [{ country: { status: 'SIGNATORY' } }] } });
    expect(data.p.items).toHaveLength(3);
  });

  it('reads keep rules, pivots and variables from a report file, and types text values by the variables', () => {
    const operations = path.join(PROJECT_ROOT, 'operations');
    expect(loadReport('gap-analysis', operations).keep).toEqual([
      { list: ['consultativeProcess', 'participants'], field: ['country', 'treatyStatus', 'party'], op: '!=', value: 'YES' },
    ]);
    expect(loadReport('regional-ratification-matrix', operations).pivots).toEqual([
      { list: ['regionalOrganization', 'members', 'country', 'treatyStatuses'], key: ['instrument', 'code'], value: ['status'] },
    ]);
    const coverage = loadReport('data-coverage', operations);
    expect(
      reportVariables(coverage, [
        ['codes', 'SEN, MLI'],
        ['asOf', '2024-01-01'],
      ]),
    ).toEqual({ codes: ['SEN', 'MLI'], asOf: '2024-01-01' });
    expect(() => reportVariables(coverage, [['country', 'SEN']])).toThrow(
      /^The report "data-coverage" has no variable "country" \(it takes: codes, asOf/,
    );
    const typed = report('typed', 'query Typed($n: Int = 3, $flag: Boolean) { countries(first: $n) { totalCount } }');
    expect(() => reportVariables(typed, [['n', 'three']])).toThrow('The variable "n" must be a number, not "three"');
    expect(() => reportVariables(typed, [['flag', 'yes']])).toThrow('The variable "flag" must be true or false, not "yes"');
    expect(() => report('reserved', 'query Reserved($table: String) { countries(first: 1) { totalCount } }')).toThrow(
      'The report "reserved" names a variable "table", which downloads use for themselves',
    );
  });
});

describe('paging', () => {
  const r = () =>
    report(
      'paged',
      `query Paged($codes: [ID!]) { countries(filter: { codes: $codes }, first: 2) { edges { node { code } } } country(code: "SEN") { code } }`,
    );

  it('asks a root connection for its cursor, and the other root fields on the first page only', () => {
    expect(pagedDocument(r(), schema)).toEqual({
      query: [
        'query Paged($codes: [ID!], $reportAfter0: String, $reportPage0: Boolean!, $reportRest: Boolean!) {',
        '  countries(filter: {codes: $codes}, first: 2, after: $reportAfter0) @include(if: $reportPage0) {',
        '    edges {',
        '      node {',
        '        code',
        '      }',
        '    }',
        '    reportPageInfo: pageInfo {',
        '      hasNextPage',
        '      endCursor',
        '    }',
        '  }',
        '  country(code: "SEN") @include(if: $reportRest) {',
        '    code',
        '  }',
        '}',
      ].join('\n'),
      paged: [{ key: 'countries', edges: 'edges' }],
      usesRest: true,
    });
  });

  /** A gateway answering pages of two from `codes`, and recording the variables of each request. */
  function pages(codes: string[]) {
    const seen: Record<string, unknown>[] = [];
    const execute = async (_query: string, variables: Record<string, unknown>) => {
      seen.push(variables);
      const start = variables.reportAfter0 === null ? 0 : Number(variables.reportAfter0);
      const page = codes.slice(start, start + 2);
      const more = start + 2 < codes.length;
      const body: GraphQLBody = {
        data: {
          countries: {
            edges: page.map((code) => ({ node: { code } })),
            reportPageInfo: { hasNextPage: more, endCursor: String(start + 2) },
          },
          ...(variables.reportRest === true ? { country: { code: 'SEN' } } : {}),
        },
      };
      return { status: 200, body };
    };
    return { seen, execute };
  }

  it('follows the cursor until the list is whole, merging the pages into the first answer', async () => {
    const gateway = pages(['AGO', 'BEN', 'CIV', 'SEN', 'TGO']);
    const answer = await runReport(r(), schema, { codes: null }, gateway.execute);
    const codes = (codes: string[]): Json => codes.map((code) => ({ node: { code } }));
    expect(answer).toEqual({
      data: { countries: { edges: codes(['AGO', 'BEN', 'CIV', 'SEN', 'TGO']) }, country: { code: 'SEN' } },
      incomplete: [],
      pages: 3,
    });
    expect(gateway.seen).toEqual([
      { codes: null, reportRest: true, reportPage0: true, reportAfter0: null },
      { codes: null, reportRest: false, reportPage0: true, reportAfter0: '2' },
      { codes: null, reportRest: false, reportPage0: true, reportAfter0: '4' },
    ]);
  });

  it(`stops after ${MAX_PAGES} requests with REQUEST_BUDGET_EXCEEDED rather than loop on`, async () => {
    const gateway = pages(Array.from({ length: 2 * MAX_PAGES + 1 }, (_, i) => `C${i}`));
    await expect(runReport(r(), schema, {}, gateway.execute)).rejects.toMatchObject({
      status: 400,
      errors: [
        {
          message: `The report "paged" needs more than ${MAX_PAGES} pages of countries: narrow it with its variables`,
          extensions: { code: 'REQUEST_BUDGET_EXCEEDED' },
        },
      ],
    });
    expect(gateway.seen).toHaveLength(MAX_PAGES);
  });
});
