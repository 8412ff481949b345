import { Client } from 'pg';
import { definition } from '../../services/legal-instruments/src/service';
import { loadConfig } from '../../shared/src/runtime/config';
import { createLogger } from '../../shared/src/runtime/logger';
import { prepareDatabase } from '../../shared/src/runtime/service';
import { serviceDatabaseUrl } from '../../shared/src/data/databaseRoles';
import { sqlStatements } from '../../shared/src/data/dataSource';
import { ChangeListener, changeChannel, ReadCache, startReadCache } from '../../shared/src/data/readCache';
import type { Identity } from '../../shared/src/auth/identity';
import { as } from '../support/editing';
import { createEmptyDatabase } from '../support/privateDatabase';
import type { GraphQLResult } from '../support/serviceHarness';

// Two replicas of one service, each with its read cache, and one without: on a private database,
// since the test changes rows.
const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
const log = createLogger('read-cache', 'error');
let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
let url: string;

interface Replica {
  execute(query: string, variables?: Record<string, unknown>, identity?: Identity): Promise<GraphQLResult & { sql: number }>;
  cache: ReadCache | null;
  close(): Promise<void>;
}
const replicas: Replica[] = [];

async function replica(cached: boolean): Promise<Replica> {
  const ds = definition.createDataSource(url, config.database, log);
  await ds.initialize();
  const cache = cached ? await startReadCache(ds, url, definition.schema, log) : null;
  const server = definition.buildServer(log);
  await server.start();
  const r: Replica = {
    cache,
    execute: async (query, variables, identity) => {
      const before = sqlStatements.count;
      const response = await server.executeOperation(
        { query, variables },
        { contextValue: definition.createContext(ds, identity) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return { ...(JSON.parse(JSON.stringify(response.body.singleResult)) as GraphQLResult), sql: sqlStatements.count - before };
    },
    close: async () => {
      await server.stop();
      await cache?.stop();
      await ds.destroy();
    },
  };
  replicas.push(r);
  return r;
}

beforeAll(async () => {
  db = await createEmptyDatabase('mg_read_cache');
  await prepareDatabase(definition, db.url, config.database, log);
  url = serviceDatabaseUrl(config.database, db.url, definition.name);
});
afterAll(async () => {
  for (const r of replicas) await r.close();
  await db.drop();
});

// What the gateway asks of this service for a country dossier.
const DOSSIER = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Country {
  treatyActions { id version action date instrument { code shortTitle } }
  treatyStatuses(asOf: "2024-06-30") { instrument { code } status since }
  trainings { id activity }
} } }`;
const country = (code: string) => ({ r: [{ __typename: 'Country', code }] });

type Action = { id: string; version: number; date: string | null; instrument: { code: string } };
const actionsOf = (r: GraphQLResult) => (r.data?._entities as { treatyActions: Action[] }[])[0].treatyActions;

/** Reads until the answer differs from `before` (a notification is delivered on commit, not at once), for at most 5 s. */
async function changedFrom(r: Replica, before: GraphQLResult, code: string): Promise<GraphQLResult> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const now = await r.execute(DOSSIER, country(code));
    if (JSON.stringify(now.data) !== JSON.stringify(before.data) || Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the read cache', () => {
  it('is on by default, off in tests (which count statements) and with READ_CACHE=off', () => {
    const readCache = (env: Record<string, string>) => loadConfig({ ...process.env, READ_CACHE: '', ...env }).database.readCache;
    expect(readCache({ NODE_ENV: 'development' })).toBe(true);
    expect(readCache({ NODE_ENV: 'test' })).toBe(false);
    expect(readCache({ NODE_ENV: 'development', READ_CACHE: 'off' })).toBe(false);
    expect(readCache({ NODE_ENV: 'test', READ_CACHE: 'on' })).toBe(true);
  });

  it('answers a repeated read without SQL, and answers as the database does', async () => {
    const [a, plain] = [await replica(true), await replica(false)];
    for (const code of ['SEN', 'GHA', 'CIV', 'FRA']) {
      const first = await a.execute(DOSSIER, country(code));
      const again = await a.execute(DOSSIER, country(code));
      const uncached = await plain.execute(DOSSIER, country(code));
      expect(first.errors).toBeUndefined();
      expect(first.sql).toBeGreaterThan(0);
      expect(again.sql).toBe(0);
      expect(again.data).toEqual(first.data);
      expect(uncached.data).toEqual(first.data);
      expect(uncached.sql).toBeGreaterThan(0);
    }
  });

  it('is cleared in every replica by a change made outside them (an import, a script), once committed', async () => {
    const [a, b] = [await replica(true), await replica(true)];
    const beforeA = await a.execute(DOSSIER, country('SEN'));
    const beforeB = await b.execute(DOSSIER, country('SEN'));
    const target = actionsOf(beforeA)[0];
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query(`UPDATE legal.treaty_action SET date = '1901-01-01' WHERE id = $1`, [Number(target.id)]);
      // Not committed: both replicas still answer from what they read.
      expect((await a.execute(DOSSIER, country('SEN'))).sql).toBe(0);
      await admin.query('COMMIT');
      for (const [r, before] of [
        [a, beforeA],
        [b, beforeB],
      ] as const) {
        const after = await changedFrom(r, before, 'SEN');
        expect(actionsOf(after).find((x) => x.id === target.id)?.date).toBe('1901-01-01');
      }
    } finally {
      await admin.query(`UPDATE legal.treaty_action SET date = $2 WHERE id = $1`, [Number(target.id), target.date]);
      await admin.end();
    }
  });

  it("reads a replica's own write back at once, and the other replica sees it once notified", async () => {
    const [a, b] = [await replica(true), await replica(true)];
    const before = await a.execute(DOSSIER, country('GHA'));
    const beforeB = await b.execute(DOSSIER, country('GHA'));
    const target = actionsOf(before)[0];
    const changed = await a.execute(
      `mutation($input: UpdateTreatyActionInput!) { updateTreatyAction(input: $input) { treatyAction { id date } } }`,
      { input: { id: target.id, version: target.version, date: '1902-02' } },
      as('editor:legal-instruments', 'editor-1'),
    );
    expect(changed.errors).toBeUndefined();
    const own = await a.execute(DOSSIER, country('GHA'));
    expect(actionsOf(own).find((x) => x.id === target.id)?.date).toBe('1902-02');
    const other = await changedFrom(b, beforeB, 'GHA');
    expect(actionsOf(other).find((x) => x.id === target.id)?.date).toBe('1902-02');
  });

  it('keeps nothing while its listening connection is down, and caches again once it is back', async () => {
    const r = await replica(true);
    await r.execute(DOSSIER, country('CIV'));
    expect((await r.execute(DOSSIER, country('CIV'))).sql).toBe(0);
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      // Cut the listening connections: a change could be missed meanwhile, so nothing is served from the cache.
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '% change listener'`,
      );
      const deadline = Date.now() + 2000;
      let sql = 0;
      // Reads answered from memory never wait for I/O: pause between them so that the connection's end is seen.
      while (sql === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        sql = (await r.execute(DOSSIER, country('CIV'))).sql;
      }
      expect(sql).toBeGreaterThan(0);
      // It listens again after a backoff (half a second first), then caches again.
      const back = Date.now() + 5000;
      let cached = false;
      while (!cached && Date.now() < back) {
        await r.execute(DOSSIER, country('CIV'));
        cached = (await r.execute(DOSSIER, country('CIV'))).sql === 0;
        if (!cached) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(cached).toBe(true);
    } finally {
      await admin.end();
    }
  });

  it('shares one listening connection among the caches of services hosted together, each cleared by its own schema only', async () => {
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    const listeners = async () =>
      (
        await admin.query<{ name: string }>(
          `SELECT application_name AS name FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'hosted together change listener'`,
        )
      ).rows.map((r) => r.name);
    const shared = new ChangeListener(url, 'hosted together', log);
    const own = new ReadCache(url, definition.schema, log, undefined, shared);
    const other = new ReadCache(url, 'another_schema', log, undefined, shared);
    /** Whether a cache keeps and serves a value now. */
    const keeps = (cache: ReadCache) => {
      cache.scope<string, number>('probe').read(['k']).keep('k', 1);
      return cache.scope<string, number>('probe').read(['k']).hits[0] === 1;
    };
    const until = async (check: () => boolean | Promise<boolean>) => {
      const deadline = Date.now() + 5000;
      while (!(await check()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      return check();
    };
    try {
      await Promise.all([own.start(), other.start()]);
      expect(await listeners()).toEqual(['hosted together change listener']);
      expect([keeps(own), keeps(other)]).toEqual([true, true]);
      // A change to one schema clears that schema's cache, not the other's.
      await admin.query(`NOTIFY ${changeChannel('another_schema')}`);
      await until(() => other.scope<string, number>('probe').read(['k']).hits[0] === undefined);
      expect([own.scope('probe').read(['k']).hits[0], other.scope('probe').read(['k']).hits[0]]).toEqual([1, undefined]);
      // The connection lost, neither keeps anything; back, both do again.
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hosted together change listener'`,
      );
      expect(await until(() => !keeps(own) && !keeps(other))).toBe(true);
      expect(await until(() => keeps(own) && keeps(other))).toBe(true);
      expect(await listeners()).toEqual(['hosted together change listener']);
      // The connection ends with its last cache.
      await own.stop();
      expect(await listeners()).toEqual(['hosted together change listener']);
      expect(keeps(other)).toBe(true);
      await other.stop();
      expect(await until(async () => (await listeners()).length === 0)).toBe(true);
    } finally {
      await own.stop();
      await other.stop();
      await admin.end();
    }
  });
});
