import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { readCsv } from '../../shared/src/io/csv';
import { reportNames } from '../../gateway/src/reports/definitions';
import { type Stack, startStack } from '../support/stack';
import { expectedStatus } from '../support/expectedTreatyStatus';
import { runScript } from '../support/childProcess';

// Downloads as an analyst makes them: plain HTTP GETs to the gateway of the whole graph, over the
// seeded test database. Expected rows are computed from the reference CSVs the services are seeded from.

const seed = (file: string) => readCsv(path.join(PROJECT_ROOT, 'services', file));
const recMemberships = seed('consultative-processes/seed/rec-memberships.csv');
const ratifications = seed('legal-instruments/seed/ratifications.csv');
const countryRows = readCsv(path.join(PROJECT_ROOT, 'shared', 'data', 'countries.csv'));
const nameOf = (code: string) => countryRows.find((c) => c.iso3 === code)?.name;
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const AS_OF = '2024-06-30';
const earliestDay = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);

function membersOn(rec: string): string[] {
  return recMemberships
    .filter((m) => m.rec === rec && m.membership_type === 'member')
    .filter((m) => (m.from === '' || earliestDay(m.from) <= AS_OF) && (m.to === '' || AS_OF < m.to))
    .map((m) => m.iso3)
    .sort(byCode);
}

const BOM = '\ufeff';
/** A CSV line as RFC 4180 writes it: a cell with a comma or a quote is quoted. */
const csvLine = (cells: (string | undefined)[]) =>
  cells.map((c = '') => (/[,"]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let stack: Stack;
let base: string;
beforeAll(async () => {
  stack = await startStack();
  base = stack.gatewayUrl.replace(/\/graphql$/, '');
});
afterAll(async () => {
  await stack.stop();
});

async function get(pathAndQuery: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${pathAndQuery}`, { headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** The error of a refused download: its status and JSON body. */
async function refusal(pathAndQuery: string, headers: Record<string, string> = {}) {
  const res = await get(pathAndQuery, headers);
  return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(res.body.toString('utf8')) as unknown };
}

const error = (code: string, message: string | RegExp) => ({
  errors: [{ message: typeof message === 'string' ? message : expect.stringMatching(message), extensions: { code } }],
});

async function sheets(body: Buffer): Promise<Record<string, (string | number | boolean | null)[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const out: Record<string, (string | number | boolean | null)[][]> = {};
  workbook.eachSheet((sheet) => {
    const rows: (string | number | boolean | null)[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      const cells: (string | number | boolean | null)[] = [];
      for (let j = 1; j <= sheet.columnCount; j++) {
        const v = row.getCell(j).value;
        cells.push(v === undefined || v === null ? null : (v as string | number | boolean));
      }
      rows.push(cells);
    });
    out[sheet.name] = rows;
  });
  return out;
}

const GAP_CSV = [
  'consultativeProcess code,consultativeProcess name,country code,country name,status,party,since,verified',
  'MIDWA,Migration Dialogue for West Africa,LBR,Liberia,SIGNATORY,UNKNOWN,2004-09-22,false',
  'MIDWA,Migration Dialogue for West Africa,SLE,Sierra Leone,SIGNATORY,UNKNOWN,2000-09-15,false',
  'MIDWA,Migration Dialogue for West Africa,TGO,Togo,SIGNATORY,UNKNOWN,2001-11-15,false',
];

describe('GET /reports', () => {
  it('lists every report file with its description, variables (type and default), tables and download links', async () => {
    const res = await get('/reports');
    const body = JSON.parse(res.body.toString('utf8')) as { reports: { name: string }[] };
    expect(res.status).toBe(200);
    expect(body.reports.map((r) => r.name)).toEqual(reportNames(path.join(PROJECT_ROOT, 'operations')));
    expect(body.reports.find((r) => r.name === 'gap-analysis')).toEqual({
      name: 'gap-analysis',
      description:
        'Gap analysis: the member states of a consultative process (MIDWA) that are not established as parties to an instrument ' +
        '(the Migrant Workers Convention) on a day (`party` NO or UNKNOWN: not a party, or maybe one by an undated or unverified ' +
        'action), with the trainings held there and the UN programmes present. The report keeps only the gaps.',
      variables: [
        { name: 'process', type: 'String!', default: 'MIDWA', required: false },
        { name: 'instrument', type: 'ID!', default: 'ICRMW', required: false },
        { name: 'asOf', type: 'Date!', default: '2024-06-30', required: false },
      ],
      tables: ['participants', 'trainings', 'programmes'],
      downloads: {
        csv: '/reports/gap-analysis.csv',
        json: '/reports/gap-analysis.json',
        xlsx: '/reports/gap-analysis.xlsx',
      },
    });
  });
});

describe('GET /reports/<name>.csv', () => {
  it('downloads the first table as UTF-8 CSV with a BOM, short column names and no empty column', async () => {
    const res = await get('/reports/gap-analysis.csv');
    expect({
      status: res.status,
      type: res.headers.get('content-type'),
      disposition: res.headers.get('content-disposition'),
      tables: res.headers.get('x-report-tables'),
      body: res.body.toString('utf8'),
    }).toEqual({
      status: 200,
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="gap-analysis.csv"',
      tables: 'participants, trainings, programmes',
      body: BOM + [...GAP_CSV, ''].join('\r\n'),
    });
  });

  it('downloads another table by name, each row led by the keys and names of the records it belongs to', async () => {
    const res = await get('/reports/gap-analysis.csv?table=programmes&sep=semicolon');
    expect({ disposition: res.headers.get('content-disposition'), body: res.body.toString('utf8') }).toEqual({
      disposition: 'attachment; filename="gap-analysis-programmes.csv"',
      body:
        BOM +
        [
          'consultativeProcess code;consultativeProcess name;country code;country name;programmes id;programmes name;agencies acronym',
          'MIDWA;Migration Dialogue for West Africa;LBR;Liberia;FMM-WEST-AFRICA;FMM West Africa;ILO',
          'MIDWA;Migration Dialogue for West Africa;SLE;Sierra Leone;FMM-WEST-AFRICA;FMM West Africa;ILO',
          'MIDWA;Migration Dialogue for West Africa;TGO;Togo;FMM-WEST-AFRICA;FMM West Africa;ILO',
          '',
        ].join('\r\n'),
    });
  });

  it('makes the ratification matrix a real matrix: one row per member, one column per instrument, the status in each cell', async () => {
    const res = await get('/reports/regional-ratification-matrix.csv?organization=ECCAS');
    const members = membersOn('ECCAS');
    const instruments = [...new Set(ratifications.filter((r) => members.includes(r.iso3)).map((r) => r.instrument))].sort(byCode);
    const cell = (c: string, i: string) =>
      ratifications.some((r) => r.iso3 === c && r.instrument === i) ? expectedStatus(c, i, AS_OF).status : '';
    const lines = res.body.toString('utf8').slice(BOM.length).split('\r\n');
    expect(lines).toEqual([
      csvLine(['regionalOrganization code', 'regionalOrganization name', 'country code', 'country name', ...instruments]),
      ...members.map((c) =>
        csvLine(['ECCAS', 'Economic Community of Central African States', c, nameOf(c), ...instruments.map((i) => cell(c, i))]),
      ),
      '',
    ]);
    expect(members.length).toBeGreaterThan(5);
  });

  it('pages through a root list cut by its page size: the countries overview has every country, not its first 30', async () => {
    const res = await get('/reports/countries-overview.csv');
    const count = await stack.query('{ countries(first: 1) { totalCount } }');
    const total = (count.data as { countries: { totalCount: number } }).countries.totalCount;
    const lines = res.body.toString('utf8').trimEnd().split('\r\n');
    expect({ status: res.status, rows: lines.length - 1, incomplete: res.headers.get('x-report-incomplete') }).toEqual({
      status: 200,
      rows: total,
      incomplete: null,
    });
    // Several pages of 30: the report's own page size.
    expect(total).toBeGreaterThan(200);
  }, 60000);
});

describe('GET /reports/<name>.json and .xlsx', () => {
  it('gives the answer as JSON, or one table as records', async () => {
    const whole = JSON.parse((await get('/reports/gap-analysis.json')).body.toString('utf8')) as {
      consultativeProcess: { participants: unknown[] };
    };
    expect(whole.consultativeProcess.participants).toHaveLength(3);
    const records = JSON.parse((await get('/reports/gap-analysis.json?table=participants')).body.toString('utf8')) as unknown;
    expect(records).toEqual(
      GAP_CSV.slice(1).map((line) => {
        const [code, name, country, countryName, status, party, since] = line.split(',');
        return {
          'consultativeProcess code': code,
          'consultativeProcess name': name,
          'country code': country,
          'country name': countryName,
          status,
          party,
          since,
          verified: false,
        };
      }),
    );
  });

  it('gives every table as a sheet of an xlsx workbook, read back whole with exceljs', async () => {
    const res = await get('/reports/gap-analysis.xlsx');
    expect({ type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition') }).toEqual({
      type: XLSX,
      disposition: 'attachment; filename="gap-analysis.xlsx"',
    });
    const book = await sheets(res.body);
    expect(Object.keys(book)).toEqual(['participants', 'trainings', 'programmes']);
    expect(book.participants).toEqual(
      GAP_CSV.map((line, i) => line.split(',').map((v, j) => (i > 0 && j === 7 ? v === 'true' : v))),
    );
    expect(book.trainings).toEqual([
      ['consultativeProcess code', 'consultativeProcess name', 'country code', 'country name', 'trainings id', 'activity'],
      [
        'MIDWA',
        'Migration Dialogue for West Africa',
        'TGO',
        'Togo',
        'IML-CEDEAO-TGO',
        'Training on the protection of the human rights of migrants, refugees and displaced persons; national adaptation of the core curriculum',
      ],
    ]);
  });

  it('writes the dates of a CSV as text formulas with dates=text, and refuses another value of dates', async () => {
    const csv = async (code: string, dates: string) =>
      (await get(`/reports/country-dossier.csv?code=${code}&table=organizationMemberships&dates=${dates}`)).body
        .toString('utf8')
        .slice(BOM.length)
        .split('\r\n');
    const fromColumn = (lines: string[]) => lines.slice(0, 2).map((l) => l.split(',')[lines[0].split(',').indexOf('from')]);
    expect({
      mrt: fromColumn(await csv('MRT', 'text')),
      cpv: fromColumn(await csv('CPV', 'text')),
      iso: fromColumn(await csv('MRT', 'iso')),
    }).toEqual({
      mrt: ['from', '"=""2017-08"""'],
      cpv: ['from', '"=""1977"""'],
      iso: ['from', '2017-08'],
    });
    expect(await refusal('/reports/country-dossier.csv?dates=day')).toEqual({
      status: 400,
      type: 'application/json; charset=utf-8',
      body: error('BAD_USER_INPUT', 'dates must be text or iso, not "day"'),
    });
  });

  it('keeps dates of every precision as text cells in xlsx (2017-08 and 1977 stay what they say)', async () => {
    const mrt = await sheets((await get('/reports/country-dossier.xlsx?code=MRT&table=organizationMemberships')).body);
    const cpv = await sheets((await get('/reports/country-dossier.xlsx?code=CPV&table=organizationMemberships')).body);
    const fromColumn = (rows: (string | number | boolean | null)[][]) => rows.map((r) => r[rows[0].indexOf('from')]);
    expect(fromColumn(mrt.organizationMemberships)).toEqual(['from', '2017-08']);
    expect(fromColumn(cpv.organizationMemberships)).toEqual(['from', '1977']);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await get('/reports/country-dossier.xlsx?code=CPV')).body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('organizationMemberships');
    const column = (sheet?.getRow(1).values as unknown[]).indexOf('from');
    expect({ type: sheet?.getRow(2).getCell(column).type, format: sheet?.getRow(2).getCell(column).numFmt }).toEqual({
      type: ExcelJS.ValueType.String,
      format: '@',
    });
  });
});

describe('refused downloads', () => {
  it('answers an unknown report or format with 404 and a code', async () => {
    expect(await refusal('/reports/nope.csv')).toEqual({
      status: 404,
      type: 'application/json; charset=utf-8',
      body: error('NOT_FOUND', /^No report is called "nope"\. Reports: agency-view, /),
    });
    expect(await refusal('/reports/gap-analysis.pdf')).toEqual({
      status: 404,
      type: 'application/json; charset=utf-8',
      body: error('NOT_FOUND', 'No such download: a report is at /reports/<name>.csv, .json or .xlsx (/reports lists them)'),
    });
  });

  it('refuses a bad variable with 400 and a message naming it, before or at the gateway', async () => {
    expect(await refusal('/reports/country-dossier.csv?country=SEN')).toEqual({
      status: 400,
      type: 'application/json; charset=utf-8',
      body: error('BAD_USER_INPUT', 'The report "country-dossier" has no variable "country" (it takes: code, asOf)'),
    });
    expect(await refusal('/reports/country-dossier.csv?asOf=30/06/2024')).toEqual({
      status: 400,
      type: 'application/json; charset=utf-8',
      body: error('BAD_USER_INPUT', /\$asOf.*30\/06\/2024/),
    });
    expect(await refusal('/reports/country-dossier.csv?code=XYZ')).toEqual({
      status: 404,
      type: 'application/json; charset=utf-8',
      body: error('NOT_FOUND', /No country has the code "XYZ"/),
    });
    expect(await refusal('/reports/gap-analysis.csv?table=nope')).toEqual({
      status: 400,
      type: 'application/json; charset=utf-8',
      body: error(
        'BAD_USER_INPUT',
        'The report "gap-analysis" has no table "nope" (its tables: participants, trainings, programmes)',
      ),
    });
    expect(await refusal('/reports/gap-analysis.csv?sep=tab')).toEqual({
      status: 400,
      type: 'application/json; charset=utf-8',
      body: error('BAD_USER_INPUT', 'sep must be semicolon or comma, not "tab"'),
    });
  });

  it('answers only GET', async () => {
    const res = await fetch(`${base}/reports/gap-analysis.csv`, { method: 'POST' });
    expect({ status: res.status, allow: res.headers.get('allow') }).toEqual({ status: 405, allow: 'GET' });
  });
});

describe('downloads run as the caller, within the limits of a query', () => {
  let restricted: Stack;
  let restrictedBase: string;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-reports-'));
    fs.writeFileSync(
      path.join(dir, 'instrument-history.graphql'),
      '# Who changed an instrument: admins only.\nquery InstrumentHistory($code: ID! = "ICRMW") { instrument(code: $code) { code history { edges { node { id actor } } } } }\n',
    );
    // Depth 14, over the gateway's limit of 12.
    fs.writeFileSync(
      path.join(dir, 'too-deep.graphql'),
      'query TooDeep { countries(first: 1) { edges { node { treatyStatuses { instrument { custodians { agency { custodianships { instrument { custodians { agency { custodianships { role } } } } } } } } } } } } }\n',
    );
    // The first parties of an instrument, as many as asked: a list cut on purpose.
    fs.writeFileSync(
      path.join(dir, 'first-parties.graphql'),
      '# The first parties of an instrument.\nquery FirstParties($n: Int = 3) { instrument(code: "ICRMW") { code parties(asOf: "2024-06-30", first: $n) { country { code } status } } }\n',
    );
    restricted = await startStack({ reportsDir: dir });
    restrictedBase = restricted.gatewayUrl.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await restricted?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const refusedAt = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { headers });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('refuses a role-restricted report without a token (403) or with a bad one (401), and serves it to an admin', async () => {
    const url = `${restrictedBase}/reports/instrument-history.csv`;
    expect(await refusedAt(url)).toEqual({ status: 403, body: error('FORBIDDEN', /admin/i) });
    expect(await refusedAt(url, { authorization: 'Bearer not.a.token' })).toEqual({
      status: 401,
      body: error('UNAUTHENTICATED', 'The token is not valid'),
    });
    const partner = await restricted.token('partner-1', ['partner']);
    expect((await refusedAt(url, { authorization: `Bearer ${partner}` })).status).toBe(403);
    const admin = await restricted.token('admin-1', ['admin']);
    const res = await fetch(url, { headers: { authorization: `Bearer ${admin}` } });
    // Decoded by hand: fetch's text() drops the byte order mark.
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    expect({ status: res.status, header: text.split('\r\n')[0] }).toEqual({
      status: 200,
      header: `${BOM}code,id,actor`,
    });
  });

  it('says in x-report-incomplete which list came back as long as its page size, whether the size is the default or given', async () => {
    const download = async (query: string) => {
      const res = await fetch(`${restrictedBase}/reports/first-parties.csv${query}`);
      const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
      return {
        status: res.status,
        rows: text.trimEnd().split('\r\n').length - 1,
        incomplete: res.headers.get('x-report-incomplete'),
      };
    };
    const whole = await restricted.query('{ instrument(code: "ICRMW") { parties(asOf: "2024-06-30", first: 60) { status } } }');
    const parties = (whole.data as { instrument: { parties: unknown[] } }).instrument.parties.length;
    // Under the cap of 60, so that asking for 60 gets them all.
    expect(parties).toBeGreaterThan(5);
    expect(parties).toBeLessThan(60);
    expect([await download(''), await download('?n=5'), await download('?n=60')]).toEqual([
      { status: 200, rows: 3, incomplete: 'instrument.parties (3, the most it gives)' },
      { status: 200, rows: 5, incomplete: 'instrument.parties (5, the most it gives)' },
      { status: 200, rows: parties, incomplete: null },
    ]);
  });

  it('has the report command write such a download and say on stderr that it may be incomplete', async () => {
    const out = path.join(dir, 'first-parties-out.csv');
    const run = async (args: string[]) => {
      const cli = runScript('scripts/report.ts', [...args, '--out', out], { ...process.env, GATEWAY_URL: restricted.gatewayUrl });
      const code = await cli.exited;
      const rows = fs.readFileSync(out, 'utf8').trimEnd().split('\r\n').length - 1;
      fs.rmSync(out);
      return { code, rows, stderr: cli.stderr() };
    };
    expect([await run(['first-parties']), await run(['first-parties', '--var', 'n=60'])]).toEqual([
      {
        code: 0,
        rows: 3,
        stderr: expect.stringMatching(
          /^\[report\] first-parties may be incomplete: instrument\.parties \(3, the most it gives\)\n\[report\] first-parties: \d+ bytes of csv written to .+\n$/,
        ),
      },
      {
        code: 0,
        rows: expect.any(Number),
        stderr: expect.stringMatching(/^\[report\] first-parties: \d+ bytes of csv written to .+\n$/),
      },
    ]);
  });

  it('refuses a report over the depth limit as a query would be, with 400 and the code', async () => {
    expect(await refusedAt(`${restrictedBase}/reports/too-deep.csv`)).toEqual({
      status: 400,
      body: error('GRAPHQL_VALIDATION_FAILED', /depth/i),
    });
  });
});

describe('the README for analysts', () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Downloads for analysts'),
    readme.indexOf('\n## ', readme.indexOf('## Downloads for analysts') + 5),
  );

  it('runs every curl example of its section against the gateway, and each downloads what the section says', async () => {
    const commands = [...section.matchAll(/^curl (.+)$/gm)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThanOrEqual(4);
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-curl-'));
    const results: { file: string; starts: string }[] = [];
    try {
      const token = await stack.token('analyst-1', ['partner']);
      for (const command of commands) {
        const args = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) =>
          (m[1] ?? m[2]).replace('http://127.0.0.1:4000', base).replace('$TOKEN', token),
        );
        const { stdout } = await promisify(execFile)('curl', ['--fail-with-body', ...args], { cwd, encoding: 'buffer' });
        const saved = fs.readdirSync(cwd);
        const output = saved.length > 0 ? fs.readFileSync(path.join(cwd, saved[0])) : stdout;
        results.push({ file: saved[0] ?? '(stdout)', starts: output.subarray(0, 2).toString('latin1') });
        for (const file of saved) fs.rmSync(path.join(cwd, file));
      }
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
    expect(results).toEqual([
      { file: '(stdout)', starts: '{\n' },
      { file: 'gap-analysis.csv', starts: '\xef\xbb' },
      { file: 'regional-ratification-matrix.csv', starts: '\xef\xbb' },
      { file: 'country-dossier-organizationMemberships.csv', starts: '\xef\xbb' },
      { file: 'country-dossier.xlsx', starts: 'PK' },
      { file: 'data-coverage.json', starts: '{\n' },
    ]);
  }, 60000);

  it('shows the gap analysis as the download gives it', async () => {
    const shown = /Sample \(`npm run report -- gap-analysis`\):\n\n```csv\n([^`]+)```/.exec(readme)?.[1];
    expect(shown).toBe((await get('/reports/gap-analysis.csv')).body.toString('utf8').slice(BOM.length).replace(/\r\n/g, '\n'));
  });
});
