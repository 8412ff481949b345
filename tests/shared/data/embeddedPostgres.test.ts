import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, usableDataDir, type EmbeddedPostgres } from '../../../shared/src/data/embeddedPostgres';
import { freePort } from '../../../shared/src/runtime/net';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';
import { runScript } from '../../support/childProcess';

// The embedded server is the development database of npm start and the tests: set for a fast first
// start and a small footprint, never for surviving an operating-system crash.

const root = path.join(os.tmpdir(), `mg-embedded-${crypto.randomBytes(4).toString('hex')}`);
const dir = path.join(root, 'pg');
let pg: EmbeddedPostgres | null = null;

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The process group of a process, from /proc. */
function processGroup(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  await pg?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the embedded PostgreSQL', () => {
  it('runs as a development database: no flush to disk, minimal WAL, no I/O workers', async () => {
    pg = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'migration_graph' });
    const settings = await query<{ name: string; setting: string; unit: string | null }>(
      pg.url,
      `SELECT name, setting, unit FROM pg_settings WHERE name IN
        ('fsync', 'full_page_writes', 'synchronous_commit', 'wal_level', 'max_wal_senders', 'io_method',
         'max_logical_replication_workers', 'max_connections') ORDER BY name`,
    );
    expect(settings).toEqual([
      { name: 'fsync', setting: 'off', unit: null },
      { name: 'full_page_writes', setting: 'off', unit: null },
      { name: 'io_method', setting: 'sync', unit: null },
      { name: 'max_connections', setting: '200', unit: null },
      { name: 'max_logical_replication_workers', setting: '0', unit: null },
      { name: 'max_wal_senders', setting: '0', unit: null },
      { name: 'synchronous_commit', setting: 'on', unit: null },
      { name: 'wal_level', setting: 'minimal', unit: null },
    ]);
  }, 120_000);

  it('keeps every committed row when the server is killed, and recovers at the next start', async () => {
    if (!pg) throw new Error('the server of the first test did not start');
    await query(pg.url, 'CREATE TABLE kept (n integer)');
    await query(pg.url, 'INSERT INTO kept SELECT generate_series(1, 1000)');
    const postmaster = Number(fs.readFileSync(path.join(usableDataDir(dir).dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const runnerExited = new Promise((resolve) => pg?.process.once('exit', resolve));
    process.kill(postmaster, 'SIGKILL');
    await runnerExited;
    pg = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'migration_graph' });
    expect(pg.created).toBe(false);
    expect(await query(pg.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1000 }]);
  }, 120_000);

  it('is the server process itself, a child of the process that started it, in a process group of its own', async () => {
    if (!pg) throw new Error('the server of the first test did not start');
    const postmaster = Number(fs.readFileSync(path.join(usableDataDir(dir).dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    // No process in between (the server is not run by a node process of its own).
    expect(pg.process.pid).toBe(postmaster);
    if (process.platform !== 'linux') return;
    // A terminal's Ctrl-C reaches the process group of the command, not the server: the command stops it last.
    expect(processGroup(postmaster)).toBe(postmaster);
    expect(processGroup(postmaster)).not.toBe(processGroup(process.pid));
  });

  it('stops when the process that started it is killed, so that nothing holds its data folder and port', async () => {
    if (process.platform !== 'linux') return;
    const orphanDir = path.join(root, 'orphan');
    const port = await freePort();
    const program = [
      "import { startEmbeddedPostgres } from './shared/src/data/embeddedPostgres';",
      `void startEmbeddedPostgres({ dir: ${JSON.stringify(orphanDir)}, port: ${port}, database: 'postgres' })`,
      '  .then((pg) => process.stdout.write(`ready ${pg.process.pid}\\n`));',
      'setInterval(() => undefined, 1000);',
    ].join('\n');
    const script = path.join(root, 'startOnly.ts');
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(script, program.replace(/'\.\/shared/g, `'${PROJECT_ROOT}/shared`));
    const run = runScript(script, [], process.env);
    const deadline = Date.now() + 60_000;
    while (!/ready \d+/.test(run.stdout())) {
      if (Date.now() > deadline || run.child.exitCode !== null) throw new Error(`the server did not start:\n${run.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const server = Number(/ready (\d+)/.exec(run.stdout())?.[1]);
    expect(alive(server)).toBe(true);
    run.child.kill('SIGKILL');
    await run.exited;
    const stopDeadline = Date.now() + 20_000;
    while (alive(server) && Date.now() < stopDeadline) await new Promise((r) => setTimeout(r, 100));
    const left = alive(server);
    if (left) process.kill(server, 'SIGQUIT'); // not left behind when this fails
    expect(left).toBe(false);
    expect(fs.existsSync(path.join(usableDataDir(orphanDir).dir, 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
