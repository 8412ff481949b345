import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, usableDataDir, type EmbeddedPostgres } from '../../../shared/src/data/embeddedPostgres';
import { freePort } from '../../../shared/src/runtime/net';

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
});
