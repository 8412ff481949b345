import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig, perService } from '../../shared/src/runtime/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../shared/src/data/embeddedPostgres';
import { createLogger } from '../../shared/src/runtime/logger';
import { prepareDatabase, type RunningService, startService } from '../../shared/src/runtime/service';
import { loadServices } from '../../services/definitions';
import { serviceStatus } from '../../gateway/src/readiness';
import { ANONYMOUS } from '../../shared/src/auth/identity';
import { encodeIdentity, signatureHeaders } from '../../shared/src/auth/signing';
import { freePort, post as postTo, SECRETS, startGateway, type TestGateway } from './faultKit';

// A PostgreSQL server of its own, which this file stops and starts: the shared test server stays up.
const dir = path.join(os.tmpdir(), `mg-faults-${crypto.randomBytes(4).toString('hex')}`, 'pg');
let port: number;
let pg: EmbeddedPostgres;
let service: RunningService;
let gateway: TestGateway;
const [legal] = loadServices(['legal-instruments']);
const QUERY = `{ instrument(code: "ICRMW") { shortTitle } }`;
// The service answers only requests signed as the gateway signs them.
const post = (url: string, query: string) => postTo(url, query, undefined, 'legal-instruments');

/** The status, Retry-After header and body of one POST, signed as the gateway signs when sent to the service. */
async function postWithHeaders(
  url: string,
  signed: boolean,
): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const payload = JSON.stringify({ query: QUERY });
  const signature = signed
    ? signatureHeaders(SECRETS['legal-instruments'], 'legal-instruments', encodeIdentity(ANONYMOUS), payload)
    : {};
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signature }, body: payload });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

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
  service = await startService(legal, {
    url: pg.url,
    database,
    port: 0,
    host: '127.0.0.1',
    log,
    secret: SECRETS['legal-instruments'],
  });
  // A gateway in front of it; the other services are not running (the query below does not need them).
  const nowhere = `http://127.0.0.1:${await freePort()}/graphql`;
  gateway = await startGateway({ ...perService(() => nowhere), 'legal-instruments': service.url }, 5000);
}, 120_000);

afterAll(async () => {
  await gateway?.stop().catch(() => undefined);
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
        errors: [
          {
            message: 'Internal server error',
            path: ['instrument'],
            locations: [{ line: 1, column: 3 }],
            // The id of the request, to quote when reporting the failure.
            extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
          },
        ],
      });
      expect(answer.ms).toBeLessThan(3000);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  it('fails fast while the database is down with a retryable SERVICE_UNAVAILABLE (503, Retry-After), and the service and the gateway report not ready', async () => {
    await pg.stop();
    const started = Date.now();
    const down = await postWithHeaders(service.url, true);
    expect(Date.now() - started).toBeLessThan(3000);
    const unavailable = { code: 'SERVICE_UNAVAILABLE', retryable: true, retryAfterSeconds: 5 };
    const message = "The service's database is unavailable: retry in 5 seconds";
    expect(down).toEqual({
      status: 503,
      retryAfter: '5',
      body: {
        data: { instrument: null },
        errors: [{ message, path: ['instrument'], locations: [{ line: 1, column: 3 }], extensions: unavailable }],
      },
    });
    expect(await postWithHeaders(gateway.url, false)).toEqual({
      status: 503,
      retryAfter: '5',
      // The service's whole answer failed, so the gateway's error names the service rather than a path.
      body: {
        data: { instrument: null },
        errors: [{ message, extensions: { ...unavailable, serviceName: 'legal-instruments' } }],
      },
    });
    const notReady = await readyz();
    expect({ status: notReady.status, body: notReady.body }).toEqual({
      status: 503,
      body: { status: 'not ready', ok: false, checks: { database: false } },
    });
    expect(notReady.ms).toBeLessThan(3000);
    expect(await serviceStatus({ 'legal-instruments': service.url })).toEqual({ 'legal-instruments': 'not ready: database' });
  });

  it('recovers by itself when the database returns, and the gateway sees it ready again', async () => {
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
    expect(await serviceStatus({ 'legal-instruments': service.url })).toEqual({ 'legal-instruments': true });
  }, 60_000);
});
