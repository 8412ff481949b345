import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig, PROJECT_ROOT } from '../../shared/src/runtime/config';
import { createLogger } from '../../shared/src/runtime/logger';
import { prepareDatabase } from '../../shared/src/runtime/service';
import { type InProcessStack, startInProcessStack } from '../../gateway/src/inProcessStack';
import { applyKeep, flattenRows, loadReport, parseArgs, reportVariables, toCsv } from '../../scripts/report';
import { loadServices } from '../../services/definitions';
import { runScript } from '../support/childProcess';
import { createEmptyDatabase, type PrivateDatabase } from '../support/privateDatabase';

describe('the report writer', () => {
  it('makes one row per leaf record, repeats the scalars above it, and gives sibling lists rows of their own', () => {
    const data = {
      country: {
        code: 'SEN',
        status: { value: 'PARTY' },
        themes: ['a', 'b'],
        trainings: [{ id: 'T1' }, { id: 'T2' }],
        programmes: [{ id: 'P1', agencies: [{ agency: { acronym: 'ILO' } }, { agency: { acronym: 'UNDP' } }] }],
        meetings: [],
      },
    };
    expect(flattenRows(data)).toEqual([
      {
        'country.code': 'SEN',
        'country.status.value': 'PARTY',
        'country.themes': 'a; b',
        'country.meetings': null,
        'country.trainings.id': 'T1',
      },
      {
        'country.code': 'SEN',
        'country.status.value': 'PARTY',
        'country.themes': 'a; b',
        'country.meetings': null,
        'country.trainings.id': 'T2',
      },
      {
        'country.code': 'SEN',
        'country.status.value': 'PARTY',
        'country.themes': 'a; b',
        'country.meetings': null,
        'country.programmes.id': 'P1',
        'country.programmes.agencies.agency.acronym': 'ILO',
      },
      {
        'country.code': 'SEN',
        'country.status.value': 'PARTY',
        'country.themes': 'a; b',
        'country.meetings': null,
        'country.programmes.id': 'P1',
        'country.programmes.agencies.agency.acronym': 'UNDP',
      },
    ]);
  });

  it('keeps a record whose lists are all empty as one row, an empty list and a null object as empty cells', () => {
    expect(flattenRows({ list: [{ code: 'A', items: [], country: null }] })).toEqual([
      { 'list.code': 'A', 'list.items': null, 'list.country': null },
    ]);
  });

  it('writes RFC 4180 CSV with every column in order of first appearance', () => {
    expect(
      toCsv([
        { a: 'x,y', b: null },
        { a: 'say "hi"', c: 3 },
      ]),
    ).toBe('a,b,c\r\n"x,y",,\r\n"say ""hi""",,3\r\n');
  });

  it('keeps only the list items a keep rule selects, dropping those without the value', () => {
    const rule = { list: ['p', 'items'], field: ['country', 'status'], op: '!=' as const, value: 'PARTY' };
    const data = { p: { items: [{ country: { status: 'PARTY' } }, { country: { status: 'SIGNATORY' } }, { country: null }] } };
    expect(applyKeep(data, [rule])).toEqual({ p: { items: [{ country: { status: 'SIGNATORY' } }] } });
    expect(data.p.items).toHaveLength(3);
  });

  it('types --var values by the operation, splitting lists on commas, and rejects bad ones with a message', () => {
    expect(reportVariables(loadReport('data-coverage'), ['codes=SEN, MLI', 'asOf=2024-01-01'])).toEqual({
      codes: ['SEN', 'MLI'],
      asOf: '2024-01-01',
    });
    expect(() => reportVariables(loadReport('gap-analysis'), ['process'])).toThrow('--var takes key=value, not "process"');
    expect(loadReport('gap-analysis').keep).toEqual([
      { list: ['consultativeProcess', 'participants'], field: ['country', 'treatyStatus', 'party'], op: '!=', value: 'YES' },
    ]);
  });

  it('reads the command line and refuses what it does not know', () => {
    expect(parseArgs(['gap-analysis', '--var', 'process=MIDCAS', '--format', 'json', '--out', 'x.json'])).toEqual({
      name: 'gap-analysis',
      vars: ['process=MIDCAS'],
      format: 'json',
      out: 'x.json',
    });
    expect(() => parseArgs(['a', '--format', 'xml'])).toThrow('--format must be csv or json, not "xml"');
    expect(() => parseArgs(['a', '--verbose'])).toThrow('Unknown option --verbose');
    expect(() => parseArgs(['a', 'b'])).toThrow('One report at a time (got "a" and "b")');
  });
});

/** The report command as an analyst runs it, against the gateway at `gatewayUrl`. */
function reportProcess(args: string[], gatewayUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const report = runScript('scripts/report.ts', args, { ...process.env, GATEWAY_URL: gatewayUrl, LOG_LEVEL: 'error' });
  return report.exited.then((code) => ({ code, stdout: report.stdout(), stderr: report.stderr() }));
}

describe('the report command', () => {
  // A database of its own: the test soft-deletes a seeded instrument, which the read tests beside it must not see.
  let db: PrivateDatabase | undefined;
  let url: string;
  let stack: InProcessStack;
  let dir: string;
  beforeAll(async () => {
    db = await createEmptyDatabase('mg_report');
    url = db.url;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-report-'));
    // A gateway one deploy ahead of un-partnerships: its supergraph says an agency always has a
    // mandate, the service still answers null for one without. Apollo's gateway then blanks the
    // agency and reports it only in extensions.valueCompletion, with no error.
    const supergraph = fs.readFileSync(path.join(PROJECT_ROOT, 'gateway', 'supergraph.graphql'), 'utf8');
    // The field is found inside UnAgency's own block (other types have a mandate too), whatever its
    // directives after the type.
    const agency = supergraph.indexOf('\ntype UnAgency\n');
    const end = supergraph.indexOf('\n}\n', agency);
    const mandate = supergraph.indexOf('\n  mandate: String', agency);
    expect([agency > 0, mandate > agency, mandate < end]).toEqual([true, true, true]);
    const at = mandate + '\n  mandate: String'.length;
    expect(supergraph[at]).not.toBe('!');
    const drifted = path.join(dir, 'supergraph-drifted.graphql');
    fs.writeFileSync(drifted, `${supergraph.slice(0, at)}!${supergraph.slice(at)}`);
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', SUPERGRAPH_PATH: drifted });
    for (const def of loadServices()) await prepareDatabase(def, url, config.database, createLogger(def.name, 'error'));
    stack = await startInProcessStack(url, config, createLogger('stack', 'error'));
  }, 120000);
  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the report and exits 0 when the answer is whole', async () => {
    const out = path.join(dir, 'whole.csv');
    const run = await reportProcess(['agency-view', '--var', 'acronym=UNHCR', '--out', out], stack.gatewayUrl);
    expect({ code: run.code, stdout: run.stdout, header: fs.readFileSync(out, 'utf8').split('\r\n')[0] }).toEqual({
      code: 0,
      stdout: '',
      header:
        'unAgency.acronym,unAgency.name,unAgency.mandate,unAgency.programmes,unAgency.custodianships.role,unAgency.custodianships.instrument.code,' +
        'unAgency.custodianships.instrument.shortTitle,unAgency.custodianships.instrument.parties.country.code,unAgency.custodianships.instrument.parties.since',
    });
  });

  it('exits 2 and writes nothing, not even an empty file, when the answer has a GraphQL error', async () => {
    const out = path.join(dir, 'error.csv');
    const run = await reportProcess(
      ['agency-view', '--var', 'acronym=UNHCR', '--var', 'asOf=2024-02-30', '--out', out],
      stack.gatewayUrl,
    );
    expect({ code: run.code, stdout: run.stdout, written: fs.existsSync(out) }).toEqual({ code: 2, stdout: '', written: false });
    expect(run.stderr).toMatch(/^\[report\] BAD_USER_INPUT: .*2024-02-30/);
  });

  it('exits 2 and writes nothing, with the message on stderr, when a service answers null where the gateway promises a value (valueCompletion, or the error the gateway makes of it)', async () => {
    const c = new Client({ connectionString: url });
    await c.connect();
    await c.query(`UPDATE "partners"."un_agency" SET "mandate" = NULL WHERE "acronym" = 'UNODC'`);
    await c.end();
    const out = path.join(dir, 'blank.csv');
    const run = await reportProcess(['agency-view', '--var', 'acronym=UNODC', '--out', out], stack.gatewayUrl);
    expect({ code: run.code, stdout: run.stdout, written: fs.existsSync(out) }).toEqual({ code: 2, stdout: '', written: false });
    expect(run.stderr).toMatch(/^\[report\] [^\n]*Cannot return null for non-nullable field UnAgency\.mandate\.[^\n]*\n$/);
  });

  it('exits 2 and writes nothing when a deletion in another service leaves the answer incomplete (valueCompletion or an error)', async () => {
    // What an editor's delete leaves: UNHCR is custodian of the 1967 Protocol, which is now soft-deleted.
    const c = new Client({ connectionString: url });
    await c.connect();
    await c.query(`UPDATE "legal"."instrument" SET "deleted_at" = now() WHERE "code" = 'PSR1967'`);
    await c.end();
    const out = path.join(dir, 'incomplete.csv');
    const toFile = await reportProcess(['agency-view', '--var', 'acronym=UNHCR', '--out', out], stack.gatewayUrl);
    expect({ code: toFile.code, stdout: toFile.stdout, written: fs.existsSync(out) }).toEqual({
      code: 2,
      stdout: '',
      written: false,
    });
    expect(toFile.stderr).toMatch(/^\[report\] .+/);
    const toStdout = await reportProcess(['agency-view', '--var', 'acronym=UNHCR', '--format', 'json'], stack.gatewayUrl);
    expect({ code: toStdout.code, stdout: toStdout.stdout, stderr: toStdout.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: toFile.stderr,
    });
  });
});
