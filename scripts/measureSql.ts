// npm run measure:sql: SQL statements per operation, by service, for the countries overview
// (operations/countries-overview.graphql) over 1 country and over the 27 West and Central African
// countries. Uses DATABASE_URL or the embedded PostgreSQL; migrates and seeds first.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../shared/src/runtime/config';
import { sqlStatements } from '../shared/src/data/dataSource';
import { createLogger } from '../shared/src/runtime/logger';
import { measureOnStack, postGraphQL } from '../gateway/src/inProcessStack';
import { WCA_27 } from '../operations/countrySets';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('measure', 'warn');
  await measureOnStack(config, log, async (stack) => {
    const query = fs.readFileSync(path.join(PROJECT_ROOT, 'operations', 'countries-overview.graphql'), 'utf8');
    const rows: string[] = [];
    for (const codes of [['SEN'], WCA_27]) {
      const before = { ...sqlStatements.byService };
      const started = process.hrtime.bigint();
      const result = await postGraphQL(stack.gatewayUrl, query, { codes });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      const per = stack.services.map((s) => (sqlStatements.byService[s.name] ?? 0) - (before[s.name] ?? 0));
      rows.push(`| ${codes.length} | ${per.join(' | ')} | ${per.reduce((a, b) => a + b, 0)} | ${ms.toFixed(0)} ms |`);
    }
    console.log(`| countries | ${stack.services.map((s) => s.name).join(' | ')} | total SQL | first-run latency |`);
    console.log(`|---:|${stack.services.map(() => '---:|').join('')}---:|---:|`);
    for (const r of rows) console.log(r);
  });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
