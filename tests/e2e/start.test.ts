import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { runNode } from '../support/childProcess';
import { commandLine, listenerPid } from '../support/listener';
import { freeStackPorts, startNpmStart } from '../support/npmStart';
import { testDatabaseUrl } from '../support/serviceHarness';
import { createTestDatabase } from '../support/testDatabase';

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  it('is the compiled launcher that these tests start', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
    expect(pkg.scripts.start).toBe(`node ${path.join('scripts', 'startCompiled.mjs')}`);
  });

  it('starts four services and the gateway, answers a query, and stops everything on SIGTERM', async () => {
    const { child, ports, output, exited } = await startNpmStart(testDatabaseUrl(), 90_000);
    try {
      expect(output()).toContain(`open http://127.0.0.1:${ports[0]}/graphql`);
      const res = await fetch(`http://127.0.0.1:${ports[0]}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ country(code: "SEN") { name(lang: FR) } }' }),
      });
      expect(await res.json()).toEqual({ data: { country: { name: 'Sénégal' } } });
      // The gateway and the services' process keep a small young generation (npm start's memory setting).
      const flags = ports.map((port) => commandLine(listenerPid(port)).filter((a) => a.startsWith('--max-semi-space-size')));
      expect(flags).toEqual(ports.map(() => ['--max-semi-space-size=1']));
      // The four services of the one process hear of changes through one listening connection.
      const admin = new Client({ connectionString: testDatabaseUrl() });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ name: string }>(
          `SELECT application_name AS name FROM pg_stat_activity
            WHERE datname = current_database() AND application_name LIKE '% change listener' ORDER BY 1`,
        );
        expect(rows.map((r) => r.name)).toEqual(['services change listener']);
      } finally {
        await admin.end();
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output()).toContain('stopped');
    const stillBound = await Promise.all(ports.map(portInUse));
    expect(stillBound).toEqual([false, false, false, false, false]);
  }, 150_000);

  it('on SIGTERM while the schemas are still being migrated and seeded, stops that work, the gateway and every port, and exits 0', async () => {
    // A database nothing has seeded yet: preparing it takes seconds, and the signal lands meanwhile.
    const db = await createTestDatabase();
    const sessions = async () => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: number }>(
          // Client sessions only: an autovacuum worker may be visiting the tables.
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        );
        return rows[0].n;
      } finally {
        await client.end();
      }
    };
    try {
      const { ports, env } = await freeStackPorts();
      const { child, output, exited } = runNode([path.join('scripts', 'startCompiled.mjs')], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', DATABASE_URL: db.url, ...env },
      });
      const deadline = Date.now() + 60_000;
      while (!output().includes('[migrate] using the PostgreSQL server at DATABASE_URL')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`migrating did not start:\n${output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output()).toContain('[start] SIGTERM: stopping');
      expect(output()).not.toContain('is ready in');
      // The services' process was already loading its code, and is stopped too.
      expect(output()).toMatch(/services stopped \((code \d+|killed by SIGTERM)\)/);
      // Nothing keeps working on the database after npm start has exited, and nothing listens.
      await new Promise((r) => setTimeout(r, 1000));
      expect(await sessions()).toBe(0);
      expect(await Promise.all(ports.map(portInUse))).toEqual([false, false, false, false, false]);
    } finally {
      await db.drop();
    }
  }, 120_000);
});
