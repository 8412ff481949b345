import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { required } from '../../shared/src/runtime/required';
import { createEmptyDatabase, type PrivateDatabase } from '../support/privateDatabase';

// The four services' schemas, and one that is not theirs and must survive.
const SCHEMAS = ['data', 'dialogue', 'keep_me', 'legal', 'partners'];
const INTACT = { data: 1, dialogue: 1, keep_me: 1, legal: 1, partners: 1 };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A database of this test's own on the test server, with the four schemas holding a row each. */
async function freshDatabase(): Promise<PrivateDatabase> {
  const db = await createEmptyDatabase('mg_reset');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  for (const schema of SCHEMAS) {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.fact (n integer)`);
    await client.query(`INSERT INTO ${schema}.fact VALUES (1)`);
  }
  await client.end();
  return db;
}

/** Rows left in each of the schemas this test made (absent: dropped). */
async function contents(url: string): Promise<Record<string, number>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      'SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY nspname',
      [SCHEMAS],
    );
    const left: Record<string, number> = {};
    for (const { nspname } of rows) {
      left[nspname] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${nspname}.fact`)).rows[0].n);
    }
    return left;
  } finally {
    await client.end();
  }
}

/** Only what db:reset reads: nothing of the test run's own settings leaks in. */
function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', ...extra };
}

function collect(child: ChildProcess): { run: Promise<Run>; stdout: () => string } {
  let stdout = '';
  let stderr = '';
  required(child.stdout, 'the standard output').on('data', (d: Buffer) => (stdout += d.toString()));
  required(child.stderr, 'the standard error').on('data', (d: Buffer) => (stderr += d.toString()));
  const run = new Promise<Run>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { run, stdout: () => stdout };
}

/** npm run db:reset without a terminal (stdin a pipe, as in CI or a script). */
function reset(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'reset.ts'), ...args], {
    cwd: PROJECT_ROOT,
    env: environment(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  return collect(child).run;
}

const HAVE_SCRIPT = spawnSync('script', ['--version']).status === 0;

/**
 * npm run db:reset in a terminal (a pseudo-terminal from util-linux's `script`): waits for the
 * question, runs `meanwhile`, then types `answer`. The terminal merges stderr into stdout.
 */
async function resetInTerminal(
  answer: string,
  env: Record<string, string>,
  meanwhile: () => Promise<void> = async () => {},
): Promise<Run> {
  const command = `'${process.execPath}' --import tsx ${path.join('scripts', 'reset.ts')}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: PROJECT_ROOT,
    env: environment(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const { run, stdout } = collect(child);
  const deadline = Date.now() + 30_000;
  while (!stdout().includes('Type yes to delete it all: ')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no question asked:\n${stdout()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await meanwhile();
  child.stdin.write(`${answer}\n`);
  const result = await run;
  child.stdin.end();
  return result;
}

/** What the terminal showed, as lines, without its cursor control sequences and carriage returns. */
function screen(output: string): string[] {
  return (
    output
      // eslint-disable-next-line no-control-regex -- removing the terminal's escape sequences is what it is for
      .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
      .replace(/\r/g, '')
      .split('\n')
      .filter((l) => l !== '')
  );
}

describe('npm run db:reset', () => {
  let db: PrivateDatabase;
  beforeEach(async () => {
    db = await freshDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('refuses in production, even with --yes, exits 2 and deletes nothing', async () => {
    const run = await reset(['--yes'], { NODE_ENV: 'production', DATABASE_URL: db.url });
    expect({ ...run, left: await contents(db.url) }).toEqual({
      code: 2,
      stdout: '',
      stderr: "[db:reset] refused: NODE_ENV is production: db:reset deletes every service's data and never runs in production\n",
      left: INTACT,
    });
  });

  it('refuses while another session uses the database, even with --yes, naming who is connected', async () => {
    const stack = new Client({ connectionString: db.url, application_name: 'mg-test-stack' });
    await stack.connect();
    try {
      const run = await reset(['--yes'], { DATABASE_URL: db.url });
      expect({ ...run, left: await contents(db.url) }).toEqual({
        code: 2,
        stdout: '',
        stderr: expect.stringMatching(
          new RegExp(
            `^\\[db:reset\\] refused: database "${db.name}" is in use by 1 other session\\(s\\): \\S+ \\(mg-test-stack\\); stop npm start and every other client first\\n$`,
          ),
        ),
        left: INTACT,
      });
    } finally {
      await stack.end();
    }
  });

  it('without a terminal and without --yes, refuses and deletes nothing', async () => {
    const run = await reset([], { DATABASE_URL: db.url });
    expect({ ...run, left: await contents(db.url) }).toEqual({
      code: 2,
      stdout: '',
      stderr: '[db:reset] refused: not confirmed, and there is no terminal to ask on: pass --yes to delete without asking\n',
      left: INTACT,
    });
  });

  it('refuses an unknown option with its usage', async () => {
    const run = await reset(['--force'], { DATABASE_URL: db.url });
    expect({ ...run, left: await contents(db.url) }).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "[db:reset] refused: Unknown option '--force'\nusage: npm run db:reset [-- --yes]   (--yes: do not ask; needed without a terminal)\n",
      left: INTACT,
    });
  });

  it("with --yes and nobody connected, drops the four services' schemas and nothing else, and exits 0", async () => {
    const run = await reset(['--yes'], { DATABASE_URL: db.url });
    expect({ ...run, left: await contents(db.url) }).toEqual({
      code: 0,
      stdout: `[db:reset] dropped the schemas data, dialogue, legal, partners of database "${db.name}": the next npm start migrates and seeds afresh\n`,
      stderr: '',
      left: { keep_me: 1 },
    });
  });

  (HAVE_SCRIPT ? it : it.skip)('in a terminal, asks, and deletes nothing unless the answer is yes', async () => {
    const host = new URL(db.url).host;
    const no = await resetInTerminal('no', { DATABASE_URL: db.url });
    const afterNo = await contents(db.url);
    const yes = await resetInTerminal('yes', { DATABASE_URL: db.url });
    expect({
      no: { code: no.code, screen: screen(no.stdout), left: afterNo },
      yes: { code: yes.code, screen: screen(yes.stdout), left: await contents(db.url) },
    }).toEqual({
      no: {
        code: 2,
        screen: [
          `This deletes the schemas data, dialogue, legal, partners (every service's data) of database "${db.name}" on ${host}.`,
          'Type yes to delete it all: no',
          '[db:reset] refused: not confirmed: nothing deleted',
        ],
        left: INTACT,
      },
      yes: {
        code: 0,
        screen: [
          `This deletes the schemas data, dialogue, legal, partners (every service's data) of database "${db.name}" on ${host}.`,
          'Type yes to delete it all: yes',
          `[db:reset] dropped the schemas data, dialogue, legal, partners of database "${db.name}": the next npm start migrates and seeds afresh`,
        ],
        left: { keep_me: 1 },
      },
    });
  });

  (HAVE_SCRIPT ? it : it.skip)(
    'a client that connects while it asks is seen before anything is committed, and nothing is deleted',
    async () => {
      const late = new Client({ connectionString: db.url, application_name: 'mg-test-late' });
      try {
        const run = await resetInTerminal('yes', { DATABASE_URL: db.url }, async () => {
          await late.connect();
        });
        expect({ code: run.code, last: screen(run.stdout).at(-1), left: await contents(db.url) }).toEqual({
          code: 2,
          last: expect.stringMatching(
            new RegExp(
              `^\\[db:reset\\] refused: database "${db.name}" is in use by 1 other session\\(s\\): \\S+ \\(mg-test-late\\);`,
            ),
          ),
          left: INTACT,
        });
      } finally {
        await late.end();
      }
    },
  );
});

describe('npm run db:reset on the embedded database', () => {
  // A data folder of this test's own (never the shared one), as the embedded server leaves it.
  let dir: string;
  let postmaster: ChildProcess | undefined;
  beforeEach(() => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-reset-'));
    // As root the data folder must be reachable by the "postgres" user, or db:reset looks elsewhere.
    fs.chmodSync(parent, 0o755);
    dir = path.join(parent, 'postgres');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '18\n');
  });
  afterEach(() => {
    postmaster?.kill('SIGKILL');
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('refuses while the server named by postmaster.pid is alive, and deletes the folder once it has gone', async () => {
    // A live process stands for the server: what the check reads is the pid file and whether that process lives.
    const server = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    postmaster = server;
    const gone = new Promise((resolve) => server.once('exit', resolve));
    fs.writeFileSync(path.join(dir, 'postmaster.pid'), `${postmaster.pid}\n${dir}\n`);
    const whileRunning = await reset(['--yes'], { EMBEDDED_PG_DIR: dir });
    const keptWhileRunning = fs.existsSync(path.join(dir, 'PG_VERSION'));
    postmaster.kill('SIGKILL');
    await gone;
    const afterwards = await reset(['--yes'], { EMBEDDED_PG_DIR: dir });
    expect({ whileRunning, keptWhileRunning, afterwards, exists: fs.existsSync(dir) }).toEqual({
      whileRunning: {
        code: 2,
        stdout: '',
        stderr: `[db:reset] refused: the embedded PostgreSQL is running (pid ${postmaster.pid}, data in ${dir}): stop npm start first\n`,
      },
      keptWhileRunning: true,
      afterwards: {
        code: 0,
        stdout: `[db:reset] deleted the embedded database in ${dir}: the next npm start creates, migrates and seeds it afresh\n`,
        stderr: '',
      },
      exists: false,
    });
  });

  it('without a terminal and without --yes, keeps the folder', async () => {
    const run = await reset([], { EMBEDDED_PG_DIR: dir });
    expect({ ...run, exists: fs.existsSync(path.join(dir, 'PG_VERSION')) }).toEqual({
      code: 2,
      stdout: '',
      stderr: '[db:reset] refused: not confirmed, and there is no terminal to ask on: pass --yes to delete without asking\n',
      exists: true,
    });
  });
});
