// npm run measure:hostile: what the hostile documents of operations/hostile.ts cost now. For
// each: the gateway's cost estimate, and the time to refuse it (median of several runs, over HTTP
// to the in-process stack). Then the costliest documents an anonymous caller can still get
// accepted (each shape grown until one more page item would pass the cost limit): their cost, how
// many values their answer holds and its size in bytes. Uses DATABASE_URL or the embedded
// PostgreSQL; migrates and seeds first.
import fs from 'node:fs';
import { parse } from 'graphql';
import { loadConfig } from '../shared/src/runtime/config';
import { listBounds } from '../shared/src/graphql/listBounds';
import { createLogger } from '../shared/src/runtime/logger';
import { documentCost } from '../gateway/src/limits';
import { apiSchemaOf } from '../gateway/src/compose';
import { measureOnStack } from '../gateway/src/inProcessStack';
import { HOSTILE_DOCUMENTS } from '../operations/hostile';

const RUNS = 7;

/** Shapes an anonymous caller can grow by their page size `n` (the costliest ones we found). */
const ACCEPTED_SHAPES: { name: string; query: (n: number) => string; max: number }[] = [
  {
    name: 'countries x top 50 origins and destinations',
    max: 300,
    query: (n) =>
      `{ countries(first: ${n}) { edges { node { code ` +
      `topOrigins(year: 2024, limit: 50) { origin { code name } total male female } ` +
      `topDestinations(year: 2024, limit: 50) { destination { code name } total male female } } } } }`,
  },
  {
    name: 'countries x every scalar, 30 aliased names',
    max: 300,
    query: (n) =>
      `{ countries(first: ${n}) { edges { cursor node { code name iso2 m49 region subregion intermediateRegion isoCode ` +
      `${Array.from({ length: 30 }, (_, i) => `n${i}: name(lang: ${i % 2 === 0 ? 'FR' : 'EN'})`).join(' ')} } } } }`,
  },
  {
    name: 'instruments x parties x country',
    max: 100,
    query: (n) => `{ instruments(first: ${n}) { edges { node { code title parties { country { code name } status since } } } } }`,
  },
  {
    name: 'corridors pages, aliased',
    max: 100,
    query: (n) =>
      `{ ${Array.from({ length: 30 }, (_, i) => `c${i}: corridors(filter: { year: 2024 }, first: ${n}) { edges { node { origin { code name } destination { code name } total male female } } }`).join(' ')} }`,
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** How many values (objects, scalars, list items) a JSON answer holds. */
function countValues(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + countValues(v), 0);
  if (value !== null && typeof value === 'object')
    return Object.values(value).reduce((sum: number, v) => sum + 1 + countValues(v), 0);
  return 0;
}

async function post(url: string, query: string): Promise<{ status: number; text: string; ms: number }> {
  const started = process.hrtime.bigint();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  return { status: res.status, text, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('measure', 'warn');
  const supergraphSdl = fs.readFileSync(config.supergraphPath, 'utf8');
  const schema = apiSchemaOf(supergraphSdl);
  const bounds = listBounds(supergraphSdl);
  const estimate = (query: string, limit = Number.POSITIVE_INFINITY) => {
    const document = parse(query);
    const started = process.hrtime.bigint();
    const cost = documentCost(schema, document, undefined, {}, bounds, limit);
    return { cost, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  };

  await measureOnStack(config, log, async (stack) => {
    console.log(
      `limit: cost ${config.limits.maxCost}, depth ${config.limits.maxDepth}, aliases ${config.limits.maxAliases}, tokens ${config.limits.maxTokens}, page ${config.limits.maxListLength}`,
    );
    console.log(
      '\n| hostile document | characters | full cost estimate | analysis until refused | HTTP status, code | time to refuse (median of 7) |',
    );
    console.log('|---|---:|---:|---:|---|---:|');
    for (const { name, query } of HOSTILE_DOCUMENTS) {
      const full = estimate(query);
      const stopped = estimate(query, config.limits.maxCost);
      const answers = [];
      for (let i = 0; i < RUNS; i++) answers.push(await post(stack.gatewayUrl, query));
      const first = JSON.parse(answers[0].text) as { errors?: { extensions?: { code?: string } }[] };
      console.log(
        `| ${name} | ${query.length} | ${full.cost.toExponential(2)} | ${stopped.ms.toFixed(2)} ms | ${answers[0].status} ${first.errors?.[0]?.extensions?.code ?? ''} | ${median(answers.map((a) => a.ms)).toFixed(1)} ms |`,
      );
    }

    console.log('\n| costliest accepted shape | page size | cost | HTTP status | values in the answer | answer bytes | time |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    let largest = { values: 0, bytes: 0, name: '' };
    for (const shape of ACCEPTED_SHAPES) {
      // The largest page size whose cost is still within the limit.
      let n = 1;
      for (let k = shape.max; k >= 1; k--) {
        if (estimate(shape.query(k)).cost <= config.limits.maxCost) {
          n = k;
          break;
        }
      }
      const query = shape.query(n);
      const answer = await post(stack.gatewayUrl, query);
      const body = JSON.parse(answer.text) as { data?: unknown; errors?: unknown[] };
      const values = countValues(body.data ?? null);
      const bytes = Buffer.byteLength(answer.text);
      if (answer.status === 200 && bytes > largest.bytes) largest = { values, bytes, name: shape.name };
      console.log(
        `| ${shape.name} | ${n} | ${Math.round(estimate(query).cost)} | ${answer.status}${body.errors ? ' (with errors)' : ''} | ${values} | ${bytes} | ${answer.ms.toFixed(0)} ms |`,
      );
    }
    console.log(`\nlargest accepted answer: ${largest.values} values, ${largest.bytes} bytes (${largest.name})`);
  });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
