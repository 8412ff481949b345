import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../shared/src/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../shared/src/embeddedPostgres';
import { createLogger } from '../../shared/src/logger';
import { prepareDatabase, type RunningService, startService } from '../../shared/src/service';
import { loadServices } from '../../scripts/services';
import { freePort, post as postTo, SECRETS } from './faultKit';

// A PostgreSQL server of its own, which this file stops and starts: the shared test server stays up.
const dir = path.join(os.tmpdir(), `mg-faults-${crypto.randomBytes(4).toString('hex')}`, 'pg');
let port: number;
let pg: EmbeddedPostgres;
let service: RunningService;
const [legal] = loadServices(['legal-instruments']);
const QUERY = `{ instrument(code: "ICRMW") { shortTitle } }`;
// The service answers only requests signed as the gateway signs them.
const post = (url: string, query: string) => postTo(url, query, undefined, 'legal-instruments');

async function readyz(): Promise<{ status: number; body: unknown; ms: number }> {
  const started = Date.now();
  const res = await fetch(service.url.replace('/graphql', '/readyz'));
  return { status: res.status, body: await res.json(), ms: Date.now() - started };
}

beforeAll(async () => {
  port = await freePort();
  pg = await startEmbeddedPostgres({ dir, port, database: 'faults' });
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const database = { ...config.database, connectTimeoutMs: 1000, statementTimeoutMs: 1000, poolSize: 4 };
  const log = createLogger('faults', 'silent');
  await prepareDatabase(legal, pg.url, database, log);
  service = await startService(legal, { url: pg.url, database, port: 0, host: '127.0.0.1', log, secret: SECRETS['legal-instruments'] });
}, 120_000);

afterAll(async () => {
  await service?.stop().catch(() => undefined);
  await pg?.stop();
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

describe('a service whose PostgreSQL goes away and comes back', () => {
  it('answers and is ready while the database is up', async () => {
    expect((await post(service.url, QUERY)).body).toEqual({ data: { instrument: { shortTitle: 'Migrant Workers Convention' } } });
    const ready = await readyz();
    expect({ status: ready.status, body: ready.body }).toEqual({
      status: 200,
      body: { status: 'ready', ok: true, checks: { database: true, migrations: true } },
    });
  });

  it('cancels a statement that waits longer than the statement timeout instead of hanging', async () => {
    const locker = new Client({ connectionString: pg.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE legal.instrument IN ACCESS EXCLUSIVE MODE');
      const answer = await post(service.url, QUERY);
      expect(answer.body).toEqual({
        data: { instrument: null },
        errors: [{ message: 'Internal server error', path: ['instrument'], locations: [{ line: 1, column: 3 }], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
      expect(answer.ms).toBeLessThan(3000);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  it('fails fast while the database is down, reports not ready, and recovers by itself when it returns', async () => {
    await pg.stop();
    const down = await post(service.url, QUERY);
    expect(down.body).toEqual({
      data: { instrument: null },
      errors: [{ message: 'Internal server error', path: ['instrument'], locations: [{ line: 1, column: 3 }], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(down.ms).toBeLessThan(3000);
    const notReady = await readyz();
    expect({ status: notReady.status, body: notReady.body }).toEqual({
      status: 503,
      body: { status: 'not ready', ok: false, checks: { database: false } },
    });
    expect(notReady.ms).toBeLessThan(3000);

    pg = await startEmbeddedPostgres({ dir, port, database: 'faults' });
    const back = Date.now();
    let answer = await post(service.url, QUERY);
    while (answer.body.errors && Date.now() - back < 15_000) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await post(service.url, QUERY);
    }
    expect(answer.body).toEqual({ data: { instrument: { shortTitle: 'Migrant Workers Convention' } } });
    expect(Date.now() - back).toBeLessThan(10_000);
    expect((await readyz()).status).toBe(200);
  }, 60_000);
});
