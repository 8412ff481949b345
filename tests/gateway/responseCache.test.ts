import { loadConfig } from '../../shared/src/runtime/config';
import { sqlStatements } from '../../shared/src/data/dataSource';
import { createLogger, type Logger } from '../../shared/src/runtime/logger';
import { memoryStore, redisStore, responseCachePlugins } from '../../gateway/src/responseCache';
import { type InProcessStack, startInProcessStack } from '../../gateway/src/inProcessStack';
import { testDatabaseUrl } from '../support/serviceHarness';

let stack: InProcessStack;
beforeAll(async () => {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  stack = await startInProcessStack(
    testDatabaseUrl(),
    config,
    createLogger('cache', 'error'),
    responseCachePlugins(memoryStore(), 60),
  );
});
afterAll(async () => {
  await stack.stop();
});

async function post(query: string, variables?: Record<string, unknown>) {
  const before = sqlStatements.count;
  const res = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { cache: res.headers.get('x-response-cache'), body: await res.json(), sql: sqlStatements.count - before };
}

describe('the gateway response cache', () => {
  const query = 'query($c: ID!) { country(code: $c) { name immigrantStock(years: [2020]) { total } treatyActions { action } } }';

  it('answers a repeated query from the cache, with the same body and no SQL', async () => {
    const first = await post(query, { c: 'GHA' });
    const second = await post(query, { c: 'GHA' });
    expect(first.cache).toBeNull();
    expect(first.sql).toBeGreaterThan(0);
    expect(second).toEqual({ cache: 'hit', body: first.body, sql: 0 });
  });

  it('keys entries by variables, so another country is a miss', async () => {
    const other = await post(query, { c: 'TGO' });
    expect(other.cache).toBeNull();
    expect((other.body as { data: { country: { name: string } } }).data.country.name).toBe('Togo');
  });

  it('never caches a response that carries errors', async () => {
    const bad = 'query($c: ID!) { country(code: $c) { name } }';
    const first = await post(bad, { c: 'QQQ' });
    const second = await post(bad, { c: 'QQQ' });
    expect(second.cache).toBeNull();
    expect(second.body).toEqual(first.body);
  });
});

describe('the Redis store of the response cache', () => {
  const warnings: string[] = [];
  const log: Logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (m) => warnings.push(m) };
  const redisUrl = loadConfig({ ...process.env, NODE_ENV: 'test' }).redisUrl;

  it('treats an unreachable Redis as a miss, at once, and logs why', async () => {
    const store = redisStore('redis://127.0.0.1:1', log);
    const started = Date.now();
    await store.cache.set('key', 'value', { ttl: 60 });
    const value = await store.cache.get('key');
    const elapsed = Date.now() - started;
    await store.close();
    expect({ value, fast: elapsed < 500, logged: warnings.some((w) => w.startsWith('response cache: Redis failed')) }).toEqual({
      value: undefined,
      fast: true,
      logged: true,
    });
  });

  // Needs a Redis server: set REDIS_URL to run it.
  (redisUrl ? it : it.skip)('keeps entries in Redis for their TTL', async () => {
    const store = redisStore(redisUrl ?? '', log);
    const key = `test-${process.pid}-${Date.now()}`;
    // The store connects in the background: until then every write is dropped and every read a miss.
    let value: string | undefined;
    for (let attempt = 0; attempt < 50 && value === undefined; attempt++) {
      await store.cache.set(key, 'value', { ttl: 60 });
      value = await store.cache.get(key);
      if (value === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await store.close();
    expect(value).toBe('value');
  });
});
