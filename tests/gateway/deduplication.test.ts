import { loadConfig } from '../../shared/src/runtime/config';
import { sqlStatements } from '../../shared/src/data/dataSource';
import { createLogger } from '../../shared/src/runtime/logger';
import { type InProcessStack, postGraphQL, startInProcessStack } from '../../gateway/src/inProcessStack';
import { testDatabaseUrl } from '../support/serviceHarness';

const QUERY = '{ country(code: "GHA") { name immigrantStock(years: [2020]) { total } treatyActions { action } } }';

async function concurrentSql(stack: InProcessStack, n: number): Promise<{ sql: number; bodies: string[] }> {
  const before = sqlStatements.count;
  const results = await Promise.all(Array.from({ length: n }, () => postGraphQL(stack.gatewayUrl, QUERY)));
  return { sql: sqlStatements.count - before, bodies: results.map((r) => JSON.stringify(r)) };
}

describe('sharing concurrent identical subgraph reads', () => {
  it('sends fewer subgraph calls for ten identical concurrent queries than without sharing, with the same answers', async () => {
    const log = createLogger('dedupe', 'error');
    const on = await startInProcessStack(testDatabaseUrl(), loadConfig({ ...process.env, NODE_ENV: 'test' }), log);
    const off = await startInProcessStack(
      testDatabaseUrl(),
      loadConfig({ ...process.env, NODE_ENV: 'test', SUBGRAPH_DEDUPLICATION: 'off' }),
      log,
    );
    try {
      const single = await concurrentSql(off, 1);
      const shared = await concurrentSql(on, 10);
      const unshared = await concurrentSql(off, 10);
      expect(unshared.sql).toBe(10 * single.sql);
      expect(shared.sql).toBeLessThan(unshared.sql);
      expect(new Set([...shared.bodies, ...unshared.bodies])).toEqual(new Set(single.bodies));
    } finally {
      await on.stop();
      await off.stop();
    }
  });
});
