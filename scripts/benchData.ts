// npm run bench:data: the migration-data benchmark. Prints figures; it is not a test.
// - import throughput of the real 2024 file (153,296 rows) beside a plain COPY of the same file into
//   a scratch table, and the import's peak RSS (the import runs as its own process);
// - p50 and p95 of each analytics query through the gateway, at real scale and at ten times
//   (the 2024 revision reloaded as the real rows plus 1.5 million synthetic rows; the indicator
//   values with nine copies of every indicator; UNHCR's displacement table with nine synthetic
//   corridors per real one in each year; the Missing Migrants Project records with nine copies of each);
// - EXPLAIN (ANALYZE, BUFFERS) of the SQL behind the two slowest queries at ten times.
// Everything happens in a scratch database (on DATABASE_URL's server, or on an embedded PostgreSQL
// in .data/postgres-bench on a free port), dropped at the end. `-- --runs N` sets the runs per query (40).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { loadConfig, PROJECT_ROOT } from '../shared/src/runtime/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../shared/src/data/embeddedPostgres';
import { createLogger } from '../shared/src/runtime/logger';
import { prepareDatabase } from '../shared/src/runtime/service';
import { postGraphQL, startInProcessStack } from '../gateway/src/inProcessStack';
import { type ImportRun, runImport } from './import/process';
import {
  writeBenchIndicatorFiles,
  writeSyntheticStock,
  writeTenfoldDisplacement,
  writeTenfoldIncidents,
  writeTenfoldIndicatorFiles,
} from '../services/migration-data/src/import/synthetic';
import { loadServices } from '../services/definitions';
import { freePort, withDatabase } from '../shared/src/runtime/net';
import { required } from '../shared/src/runtime/required';
import { parseCommandLine, wholeNumber } from './commandLine';
import { ECOWAS_ON_2024_06_30 } from '../operations/countrySets';

const SEED_DIR = path.join(PROJECT_ROOT, 'services', 'migration-data', 'seed');
const REAL_FILE = path.join(SEED_DIR, 'migrant-stock-bilateral.csv');
const INDICATOR_CATALOGUE = path.join(SEED_DIR, 'indicators', 'catalogue.csv');
const INDICATOR_VALUES = path.join(SEED_DIR, 'indicators', 'values.csv');
const DISPLACEMENT = path.join(SEED_DIR, 'indicators', 'unhcr-bilateral.csv');
const INCIDENTS = path.join(SEED_DIR, 'missing-migrants', 'incidents.csv');
/** West and Central Africa: the 27 ECOWAS and ECCAS states of the reference data. */
const WCA = 'AGO BDI BEN BFA CAF CIV CMR COD COG CPV GAB GHA GIN GMB GNB GNQ LBR MLI MRT NER NGA RWA SEN SLE STP TCD TGO'.split(
  ' ',
);
const WARMUP = 5;
const IMPORT_RUNS = 5;
const RUNS = wholeNumber(
  'runs',
  parseCommandLine(process.argv.slice(2), { runs: { type: 'string', default: '40' } }).values.runs,
  1,
  10_000,
);
const SYNTHETIC_ROWS = 1_500_000;

/** The analytics questions, as a client sends them to the gateway. */
const QUERIES: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  {
    name: 'stock series by sex (SEN, immigrants + emigrants)',
    query:
      '{ country(code: "SEN") { immigrantStock { year male female total femaleShare } emigrantStock { year male female total femaleShare } } }',
  },
  {
    name: 'top 10 corridors 2024, world',
    query:
      '{ corridors(filter: { year: 2024 }, first: 10) { totalCount edges { node { origin { code } destination { code } male female total } } } }',
  },
  {
    // A page past the stored ranking (its first RANKING_DEPTH places): the year's corridors are sorted.
    name: 'corridors 2024, world, places 601-700',
    query:
      'query($after: String) { corridors(filter: { year: 2024 }, first: 100, after: $after) { totalCount edges { node { origin { code } destination { code } total } } } }',
    variables: { after: Buffer.from('o:599', 'utf8').toString('base64url') },
  },
  {
    name: 'top 10 corridors 2024, within Western Africa',
    query:
      '{ corridors(filter: { year: 2024, within: { intermediateRegion: "Western Africa" } }, first: 10) { totalCount edges { node { origin { code } destination { code } total } } } }',
  },
  {
    name: 'top 10 corridors 2024, within ECOWAS members (codes)',
    query:
      'query($codes: [ID!]) { corridors(filter: { year: 2024, within: { codes: $codes } }, first: 10) { totalCount edges { node { origin { code } destination { code } total } } } }',
    variables: { codes: ECOWAS_ON_2024_06_30 },
  },
  {
    name: 'change 2020-2024, every African country',
    query:
      '{ stockChange(countries: { region: "Africa" }, from: 2020, to: 2024) { country { code } absolute percent femaleShareChange } }',
  },
  {
    name: 'regional aggregate, Western Africa, every year',
    query:
      '{ regionalStock(countries: { intermediateRegion: "Western Africa" }) { year immigrants { total femaleShare } emigrants { total } withinSet { total } } }',
  },
  {
    name: 'stock by origin for a destination (CIV, 2024, top 50)',
    query: '{ country(code: "CIV") { topOrigins(year: 2024, limit: 50) { origin { code } male female total } } }',
  },
  {
    name: 'stock by destination for an origin (SEN, 2024, top 50)',
    query: '{ country(code: "SEN") { topDestinations(year: 2024, limit: 50) { destination { code } male female total } } }',
  },
  {
    name: 'corridors to USA 2024, page of 100',
    query:
      '{ corridors(filter: { year: 2024, destinations: ["USA"] }, first: 100) { totalCount edges { node { origin { code } total } } } }',
  },
  { name: 'world stock per year', query: '{ worldStock { year male female total femaleShare } }' },
  {
    name: 'stock: top 5 corridors into West and Central Africa 2024, countries only',
    query:
      'query($codes: [ID!]) { corridors(filter: { year: 2024, destinations: $codes, countriesOnly: true }, first: 5) { totalCount edges { node { origin { code } destination { code } total } } } }',
    variables: { codes: WCA },
  },
  {
    name: 'stock: top origins of CIV 2024, countries only (top 20)',
    query: '{ country(code: "CIV") { topOrigins(year: 2024, limit: 20, countriesOnly: true) { origin { code } total } } }',
  },
  {
    name: 'displacement: top 10 refugee corridors 2023, world',
    query:
      '{ displacementCorridors(filter: { year: 2023, population: REFUGEES }, first: 10) { totalCount edges { node { origin { code } asylum { code } value } } } }',
  },
  {
    name: 'displacement: top 10 into West and Central Africa 2024, countries only',
    query:
      'query($codes: [ID!]) { displacementCorridors(filter: { year: 2024, asylums: $codes, countriesOnly: true }, first: 10) { totalCount edges { node { origin { code } asylum { code } value midYear } } } }',
    variables: { codes: WCA },
  },
  {
    name: 'displacement: within Western Africa 2023, asylum-seekers',
    query:
      '{ displacementCorridors(filter: { year: 2023, population: ASYLUM_SEEKERS, within: { intermediateRegion: "Western Africa" } }, first: 10) { totalCount edges { node { origin { code } asylum { code } value } } } }',
  },
  {
    name: 'displacement: origins of refugees in TCD 2023 (top 20)',
    query: '{ country(code: "TCD") { displacementOrigins(year: 2023, limit: 20) { origin { code } value } } }',
  },
  {
    name: 'displacement: where refugees from SDN are, 2023 (top 20)',
    query: '{ country(code: "SDN") { displacementDestinations(year: 2023, limit: 20) { asylum { code } value } } }',
  },
  {
    name: 'displacement: series SDN to TCD, every type',
    query: '{ displacementSeries(origin: "SDN", asylum: "TCD") { year population value midYear } }',
  },
  {
    name: 'missing migrants: Atlantic route 2023, newest 20',
    query:
      '{ missingMigrantIncidents(filter: { routes: ["western-african-atlantic-route"], fromYear: 2023, toYear: 2023 }, first: 20) { totalCount edges { node { id date country { code } latitude longitude deadAndMissing survivors causes } } } }',
  },
  {
    name: 'missing migrants: drownings in a box off West Africa 2020-2024, newest 20',
    query:
      '{ missingMigrantIncidents(filter: { boundingBox: { west: -25, south: 5, east: -5, north: 30 }, fromYear: 2020, toYear: 2024, cause: DROWNING }, first: 20) { totalCount edges { node { id date deadAndMissing } } } }',
  },
  {
    name: 'missing migrants: totals by route and year',
    query: '{ missingMigrantsTotals(by: [ROUTE, YEAR], limit: 500) { route { name } year incidents deadAndMissing survivors } }',
  },
  {
    name: 'missing migrants: totals by country, 27 WCA states, 2023',
    query:
      'query($codes: [ID!]) { missingMigrantsTotals(by: [COUNTRY], filter: { countries: $codes, fromYear: 2023, toYear: 2023 }) { country { code } incidents deadAndMissing } }',
    variables: { codes: WCA },
  },
  {
    name: 'missing migrants: totals by cause, Central Mediterranean',
    query:
      '{ missingMigrantsTotals(by: [CAUSE], filter: { routes: ["central-mediterranean-route"] }) { cause incidents deadAndMissing } }',
  },
  {
    name: 'missing migrants: GeoJSON of 2024 (1000 largest)',
    query:
      '{ missingMigrantsGeoJson(filter: { fromYear: 2024, toYear: 2024 }) { type totalCount truncated features { type id geometry { type coordinates } properties { date route country location deadAndMissing survivors causes recordType } } } }',
  },
  {
    name: 'missing migrants: routes matching "sahara"',
    query: '{ migrationRoutes(search: "sahara") { id name incidents deadAndMissing aliases { name notes } } }',
  },
  {
    name: 'missing migrants: SEN records 2023 on Country',
    query: '{ country(code: "SEN") { missingMigrants(fromYear: 2023, toYear: 2023) { incidents deadAndMissing } } }',
  },
  {
    name: 'indicators: data sheet of SEN, 8 indicators, 2000-2023',
    query:
      '{ country(code: "SEN") { dataSheet(indicators: ["UNHCR_REFUGEES_BY_ASYLUM", "UNHCR_REFUGEES_BY_ORIGIN", "UNHCR_IDPS", "IDMC_NEW_DISPLACEMENTS_DISASTER", "WB_REMITTANCES_RECEIVED_USD", "WB_REMITTANCES_RECEIVED_PCT_GDP", "WB_NET_MIGRATION", "WPP_POPULATION"], fromYear: 2000) { indicator { code unit } latest { year value } values { year value } } } }',
  },
  {
    name: 'indicators: dossier fields of the 27 WCA states',
    query:
      'query($codes: [ID!]) { countries(filter: { codes: $codes }, first: 30) { edges { node { code refugeesHosted { year value } refugeesOriginating { year value } internallyDisplaced { year value } conflictIdps { year value } remittancesShareOfGdp { year value } netMigration { year value } totalPopulation { year value } } } } }',
    variables: { codes: WCA },
  },
  {
    name: 'indicators: latest refugees hosted, every African country',
    query:
      '{ indicator(code: "UNHCR_REFUGEES_BY_ASYLUM") { latest(countries: { region: "Africa" }) { country { code } year value } } }',
  },
  {
    name: 'indicators: population change 2000-2023, every African country',
    query:
      '{ indicator(code: "WPP_POPULATION") { change(countries: { region: "Africa" }, from: 2000, to: 2023) { country { code } absolute percent } } }',
  },
  {
    name: 'indicators: refugees hosted summed over Western Africa, 1990-2023',
    query:
      '{ indicator(code: "UNHCR_REFUGEES_BY_ASYLUM") { aggregate(countries: { intermediateRegion: "Western Africa" }) { year value countriesWithData } } }',
  },
  {
    name: 'indicator series, Africa, 1990-2024',
    query:
      '{ indicator(code: "BENCH_SYNTHETIC") { series(countries: { region: "Africa" }) { country { code } values { year value } } } }',
  },
];

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

async function plainCopy(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('DROP TABLE IF EXISTS bench_plain_copy');
    await c.query(
      'CREATE TABLE bench_plain_copy (destination_iso3 char(3), origin_iso3 char(3), year smallint, sex text, stock bigint)',
    );
    const started = process.hrtime.bigint();
    await pipeline(
      fs.createReadStream(REAL_FILE),
      c.query(copyFrom('COPY bench_plain_copy FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    await c.query('DROP TABLE bench_plain_copy');
    return elapsed;
  } finally {
    await c.end();
  }
}

/** Records the SQL the migration-data service sends while `fn` runs. */
async function recordSql(ds: DataSource, fn: () => Promise<unknown>): Promise<{ sql: string; params: unknown[] }[]> {
  const seen: { sql: string; params: unknown[] }[] = [];
  const original = ds.query.bind(ds);
  (ds as { query: unknown }).query = (sql: string, params?: unknown[]) => {
    seen.push({ sql, params: params ?? [] });
    return original(sql, params);
  };
  try {
    await fn();
  } finally {
    (ds as { query: unknown }).query = original;
  }
  return seen;
}

async function timeQueries(gatewayUrl: string): Promise<Map<string, { p50: number; p95: number }>> {
  const out = new Map<string, { p50: number; p95: number }>();
  for (const q of QUERIES) {
    const times: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i += 1) {
      const started = process.hrtime.bigint();
      const result = await postGraphQL(gatewayUrl, q.query, q.variables);
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.errors) throw new Error(`${q.name}: ${JSON.stringify(result.errors)}`);
      if (i >= WARMUP) times.push(elapsed);
    }
    out.set(q.name, { p50: median(times), p95: quantile(times, 0.95) });
  }
  return out;
}

async function main(): Promise<void> {
  const config = loadConfig({
    // The benchmark's own embedded server, unless one is given.
    EMBEDDED_PG_DIR: '.data/postgres-bench',
    EMBEDDED_PG_PORT: String(await freePort()),
    ...process.env,
    LOG_LEVEL: 'error',
  });
  const log = createLogger('bench', 'error');
  let embedded: EmbeddedPostgres | null = null;
  let serverUrl = config.database.url;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({
      dir: config.database.embeddedDir,
      port: config.database.embeddedPort,
      database: 'postgres',
    });
    serverUrl = embedded.adminUrl;
  }
  const name = `mg_bench_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  const url = withDatabase(serverUrl, name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-bench-'));
  let stop: (() => Promise<void>) | null = null;
  try {
    const started = Date.now();
    for (const def of loadServices()) await prepareDatabase(def, url, config.database, log);
    const [{ server_version: serverVersion }] = (await admin.query('SHOW server_version')).rows as { server_version: string }[];
    console.log(
      `# migration-data benchmark (PostgreSQL ${serverVersion}${embedded ? ', embedded' : ''}; ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; ${RUNS} runs per query after ${WARMUP} warm-up)`,
    );
    console.log(`scratch database migrated and seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    // Import against plain COPY: three runs each, medians.
    const imports: ImportRun[] = [];
    const copies: number[] = [];
    for (let i = 0; i < IMPORT_RUNS; i += 1) {
      imports.push(await runImport(url, ['stock', REAL_FILE, '--revision', `bench_real_${i}`]));
      copies.push(await plainCopy(url));
    }
    const importMs = median(imports.map((r) => r.ms));
    const copyMs = median(copies);
    console.log(`## Import of the real 2024 file (153,296 rows), median of ${IMPORT_RUNS}, import and COPY alternating`);
    console.log('| | time | rows/s |');
    console.log('|---|---:|---:|');
    console.log(
      `| npm run import (validate, merge, COPY, index, derived tables, swap) | ${ms(importMs)} | ${Math.round(153296 / (importMs / 1000)).toLocaleString('en-US')} |`,
    );
    console.log(
      `| plain COPY into a scratch table | ${ms(copyMs)} | ${Math.round(153296 / (copyMs / 1000)).toLocaleString('en-US')} |`,
    );
    console.log(`ratio import / COPY: ${(importMs / copyMs).toFixed(2)}`);
    console.log(`peak RSS of the import process: ${mb(Math.max(...imports.map((r) => r.peakRssBytes)))}`);
    const phaseNames = Object.keys(imports[0].phases ?? {});
    console.log(
      `where the import's time goes (medians): ${phaseNames.map((p) => `${p} ${ms(median(imports.map((r) => r.phases?.[p] ?? 0)))}`).join(', ')}`,
    );

    // The same rows in another order: every female row, then every male row, so no corridor's two
    // rows are next to each other (the import merges them in SQL either way; this shows the order costs nothing).
    const apart = path.join(dir, 'stock-sexes-apart.csv');
    const [header, ...rows] = fs.readFileSync(REAL_FILE, 'utf8').trim().split('\n');
    fs.writeFileSync(
      apart,
      `${[header, ...rows.filter((l) => l.includes(',female,')), ...rows.filter((l) => l.includes(',male,'))].join('\n')}\n`,
    );
    const apartRuns: ImportRun[] = [];
    for (let i = 0; i < IMPORT_RUNS; i += 1)
      apartRuns.push(await runImport(url, ['stock', apart, '--revision', `bench_apart_${i}`]));
    const apartMs = median(apartRuns.map((r) => r.ms));
    console.log(
      `the same rows with the two sexes of each corridor apart: ${ms(apartMs)}, ratio to the plain COPY ${(apartMs / copyMs).toFixed(2)}\n`,
    );

    const [catalogue, series] = writeBenchIndicatorFiles(dir);
    await runImport(url, ['catalogue', catalogue]);
    await runImport(url, ['indicators', series]);

    // The missing-migrants records at real scale, as npm run import loads them: the real rows in reverse order (another
    // checksum, so they are loaded; each import command seeds first, which leaves the real file loaded).
    const incidentsReversed = path.join(dir, 'incidents-reversed.csv');
    const [incidentHeader, ...incidentRows] = fs.readFileSync(INCIDENTS, 'utf8').trimEnd().split('\n');
    fs.writeFileSync(incidentsReversed, `${[incidentHeader, ...incidentRows.reverse()].join('\n')}\n`);
    const incidentsReal = await runImport(url, ['missing-migrants', incidentsReversed]);
    console.log(
      `missing-migrants records: the real rows (${incidentsReal.rows.toLocaleString('en-US')}) load in ${ms(incidentsReal.ms)}\n`,
    );

    const stack = await startInProcessStack(url, config, log);
    stop = () => stack.stop();
    const real = await timeQueries(stack.gatewayUrl);

    // Ten times: the 2024 revision becomes the real rows plus 1.5 million synthetic ones.
    const big = path.join(dir, 'stock-10x.csv');
    await writeSyntheticStock(
      big,
      SYNTHETIC_ROWS,
      [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024, 1991, 1992, 1993, 1994, 1996, 1997],
      REAL_FILE,
    );
    const bigImport = await runImport(url, ['stock', big, '--revision', '2024']);
    console.log(
      `## Ten times: revision 2024 reloaded with ${bigImport.rows.toLocaleString('en-US')} rows (153,296 real + ${SYNTHETIC_ROWS.toLocaleString('en-US')} synthetic)`,
    );
    console.log(
      `import: ${(bigImport.ms / 1000).toFixed(1)} s, ${Math.round(bigImport.rows / (bigImport.ms / 1000)).toLocaleString('en-US')} rows/s, peak RSS ${mb(bigImport.peakRssBytes)}\n`,
    );
    // Ten times the indicator values (nine benchmark copies of every indicator) and the displacement table.
    const [catalogue10, values10] = writeTenfoldIndicatorFiles(dir, INDICATOR_CATALOGUE, INDICATOR_VALUES);
    await runImport(url, ['catalogue', catalogue10]);
    const valuesImport = await runImport(url, ['indicators', values10]);
    const displacement10 = path.join(dir, 'displacement-10x.csv');
    await writeTenfoldDisplacement(displacement10, DISPLACEMENT);
    const displacementImport = await runImport(url, ['displacement', displacement10]);
    console.log(
      `indicator values: ${valuesImport.rows.toLocaleString('en-US')} rows loaded in ${(valuesImport.ms / 1000).toFixed(1)} s; displacement: ${displacementImport.rows.toLocaleString('en-US')} rows (127,812 real + synthetic) in ${(displacementImport.ms / 1000).toFixed(1)} s\n`,
    );
    const incidents10 = path.join(dir, 'incidents-10x.csv');
    await writeTenfoldIncidents(incidents10, INCIDENTS);
    const incidentsImport = await runImport(url, ['missing-migrants', incidents10]);
    console.log(
      `missing-migrants records: ${incidentsImport.rows.toLocaleString('en-US')} rows (19,669 real + nine copies of each) loaded in ${ms(incidentsImport.ms)}\n`,
    );
    const tenfold = await timeQueries(stack.gatewayUrl);

    console.log('## Analytics queries through the gateway');
    console.log('| query | p50 real | p95 real | p50 10x | p95 10x |');
    console.log('|---|---:|---:|---:|---:|');
    for (const q of QUERIES) {
      const a = required(real.get(q.name), `real-data timings of ${q.name}`);
      const b = required(tenfold.get(q.name), `ten-times timings of ${q.name}`);
      console.log(`| ${q.name} | ${ms(a.p50)} | ${ms(a.p95)} | ${ms(b.p50)} | ${ms(b.p95)} |`);
    }
    const worst = Math.max(...[...tenfold.values()].map((v) => v.p95));
    console.log(`worst p95 at ten times: ${ms(worst)} (goal: under 50 ms)\n`);

    const ds = required(
      stack.services.find((s) => s.name === 'migration-data'),
      'the migration-data service',
    ).ds;
    const slowest = [...tenfold.entries()].sort((x, y) => y[1].p95 - x[1].p95).slice(0, 2);
    for (const [queryName] of slowest) {
      const q = required(
        QUERIES.find((x) => x.name === queryName),
        `the query ${queryName}`,
      );
      const statements = await recordSql(ds, () => postGraphQL(stack.gatewayUrl, q.query, q.variables));
      const heaviest = statements.filter((s) =>
        /stock_corridor|stock_ranking|stock_year|stock_country_year|indicator_value|displacement|missing_migrant/.test(s.sql),
      );
      for (const s of heaviest) {
        const plan: { 'QUERY PLAN': string }[] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${s.sql}`, s.params);
        console.log(`## Plan at ten times: ${queryName}`);
        console.log('```');
        console.log(s.sql.replace(/\s+/g, ' ').trim());
        console.log(`-- params: ${JSON.stringify(s.params).slice(0, 300)}`);
        console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
        console.log('```');
      }
    }
  } finally {
    await stop?.().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await embedded?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
