import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { readCsv } from '../../shared/src/io/csv';
import { freePort } from '../../shared/src/runtime/net';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../shared/src/data/embeddedPostgres';

// The commands a user runs in a second terminal while `npm start` runs on the embedded database.
// The embedded server is started here as npm start starts it (same function, same database name),
// in a data folder and on a port of this test's own.

const root = path.join(os.tmpdir(), `mg-beside-${crypto.randomBytes(4).toString('hex')}`);
const dir = path.join(root, 'pg');
let port: number;
let pg: EmbeddedPostgres;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function command(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env };
    delete childEnv.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: PROJECT_ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const beside = () => ({ EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: String(port) });

async function query(sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: pg.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  port = await freePort();
  pg = await startEmbeddedPostgres({ dir, port, database: 'migration_graph' });
}, 120_000);

afterAll(async () => {
  await pg.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('commands beside a running embedded database', () => {
  it('migrates on the running server instead of starting a second one, and leaves it running', async () => {
    const run = await command('scripts/migrate.ts', [], beside());
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 0,
      stderr: expect.not.stringContaining('already in use') as string,
    });
    expect(run.stdout + run.stderr).toContain(`using the embedded PostgreSQL already running on port ${port} (pid `);
    expect(pg.process.exitCode).toBeNull();
    expect(await query('SELECT count(*)::int AS n FROM "legal"."treaty_action"')).toEqual([{ n: 241 }]);
    // A second run finds everything current, on the same server.
    const again = await command('scripts/migrate.ts', [], beside());
    expect(again.code).toBe(0);
    expect(again.stdout + again.stderr).toContain('seeded nothing (already current)');
  }, 300_000);

  it('imports on the running server and leaves it running; token needs no database', async () => {
    const catalogue = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'migration-data', 'indicator-catalogue.csv');
    const run = await command('scripts/import.ts', ['catalogue', catalogue, '--json'], beside());
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual(expect.objectContaining({ changed: true }));
    expect(pg.process.exitCode).toBeNull();
    const codes = readCsv(catalogue).map((r) => r.code);
    expect(await query(`SELECT count(*)::int AS n FROM "data"."indicator" WHERE code = ANY('{${codes.join(',')}}')`)).toEqual([
      { n: codes.length },
    ]);
    const token = await command('scripts/token.ts', ['--sub', 'someone', '--role', 'partner'], beside());
    expect({ code: token.code, shape: /^[\w-]+\.[\w-]+\.[\w-]+\n$/.test(token.stdout) }).toEqual({ code: 0, shape: true });
  }, 300_000);

  it('refuses a second npm start on the same data folder, saying what to do', async () => {
    const ports = await Promise.all([0, 1, 2, 3, 4].map(() => freePort()));
    const run = await command('scripts/start.ts', [], {
      ...beside(),
      GATEWAY_PORT: String(ports[0]),
      LEGAL_INSTRUMENTS_PORT: String(ports[1]),
      MIGRATION_DATA_PORT: String(ports[2]),
      CONSULTATIVE_PROCESSES_PORT: String(ports[3]),
      UN_PARTNERSHIPS_PORT: String(ports[4]),
    });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain(
      `is already running (pid ${fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]}, port ${port})`,
    );
    expect(run.stdout + run.stderr).toContain('stop that one first (Ctrl-C in its terminal)');
    expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m);
    expect(pg.process.exitCode).toBeNull();
  }, 120_000);

  it('says what to do, without a stack trace, when the port is taken by something else', async () => {
    const held = net.createServer();
    const heldPort = await freePort();
    await new Promise<void>((resolve) => held.listen(heldPort, '127.0.0.1', resolve));
    try {
      const env = { EMBEDDED_PG_DIR: path.join(root, 'other'), EMBEDDED_PG_PORT: String(heldPort) };
      const migrate = await command('scripts/migrate.ts', [], env);
      const catalogue = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'migration-data', 'indicator-catalogue.csv');
      const imported = await command('scripts/import.ts', ['catalogue', catalogue], env);
      for (const [run, code] of [
        [migrate, 1],
        [imported, 4],
      ] as const) {
        expect(run.code).toBe(code);
        expect(run.stderr).toContain(`port ${heldPort} is already in use; set EMBEDDED_PG_PORT to a free port, or DATABASE_URL`);
        expect(run.stderr).not.toMatch(/^\s+at /m);
      }
    } finally {
      held.close();
    }
  }, 120_000);

  it('says what to do when the running server cannot be used (its password file unreadable)', async () => {
    const file = path.join(dir, 'superuser-password');
    fs.renameSync(file, `${file}.away`);
    try {
      const run = await command('scripts/migrate.ts', [], beside());
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`is running (pid `);
      expect(run.stderr).toContain('its password file cannot be read');
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(pg.process.exitCode).toBeNull();
    } finally {
      fs.renameSync(`${file}.away`, file);
    }
  }, 120_000);
});
