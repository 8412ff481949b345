import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { loadConfig, PROJECT_ROOT } from '../../shared/src/runtime/config';
import { createLogger } from '../../shared/src/runtime/logger';
import { prepareDatabase } from '../../shared/src/runtime/service';
import { type InProcessStack, startInProcessStack } from '../../gateway/src/inProcessStack';
import { loadServices } from '../../services/definitions';
import { runScript } from '../support/childProcess';
import { createEmptyDatabase, type PrivateDatabase } from '../support/privateDatabase';

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
      header: '\ufeffacronym,unAgency name,role,instrument code,shortTitle',
    });
  });

  it('writes one table of the report as xlsx with --format xlsx --table', async () => {
    const out = path.join(dir, 'parties.xlsx');
    const run = await reportProcess(
      ['agency-view', '--var', 'acronym=UNHCR', '--format', 'xlsx', '--table', 'parties', '--out', out],
      stack.gatewayUrl,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect({
      code: run.code,
      sheets: workbook.worksheets.map((w) => w.name),
      header: workbook.worksheets[0].getRow(1).values,
    }).toEqual({
      code: 0,
      sheets: ['parties'],
      header: [undefined, 'acronym', 'unAgency name', 'instrument code', 'shortTitle', 'country code', 'since'],
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
