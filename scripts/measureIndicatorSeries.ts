// tsx scripts/measureIndicatorSeries.ts [--runs 200] [--db <name>]
// p50 and p95 of the benchmark's largest list answer, `indicator(code: "BENCH_SYNTHETIC") { series(...) }`
// (every African country, 1990-2024: about 2,100 values), through the gateway and straight against
// the migration-data subgraph (the operation the gateway's query plan sends it, recorded as it
// arrives, signed as the gateway signs it), interleaved in one run so that both see the same
// machine. The difference is the gateway's own share: planning, the subgraph call, result shaping and JSON. The CPU column is this
// process's CPU time per request (gateway and services run in it; PostgreSQL does not), steadier
// than wall time on a shared machine.
// Runs on DATABASE_URL's server in a scratch database, dropped at the end; `--db <name>` reuses
// (and keeps) a database this script already loaded, for repeated runs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { BaseContext } from '@apollo/server';
import { parse, print } from 'graphql';
import { loadConfig } from '../shared/src/runtime/config';
import { ANONYMOUS } from '../shared/src/auth/identity';
import { createLogger } from '../shared/src/runtime/logger';
import { withDatabase } from '../shared/src/runtime/net';
import { prepareDatabase, type ServiceDefinition } from '../shared/src/runtime/service';
import { encodeIdentity, signatureHeaders } from '../shared/src/auth/signing';
import { postGraphQL, startInProcessStack } from '../gateway/src/inProcessStack';
import { runImport } from './import/process';
import { writeBenchIndicatorFiles } from '../services/migration-data/src/import/synthetic';
import { loadServices } from '../services/definitions';
import { required } from '../shared/src/runtime/required';
import { parseCommandLine, wholeNumber } from './commandLine';

const OPTIONS = parseCommandLine(process.argv.slice(2), {
  runs: { type: 'string', default: '200' },
  db: { type: 'string' },
}).values;
const RUNS = wholeNumber('runs', OPTIONS.runs, 1, 100_000);
const WARMUP = 20;
const QUERY =
  '{ indicator(code: "BENCH_SYNTHETIC") { series(countries: { region: "Africa" }) { country { code } values { year value } } } }';

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

/** The same files as npm run bench:data: every reference country, 1990 to 2024. */
async function loadIndicator(url: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-measure-'));
  try {
    const [catalogue, series] = writeBenchIndicatorFiles(dir);
    await runImport(url, ['catalogue', catalogue]);
    await runImport(url, ['indicators', series]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The service definitions, migration-data's recording the body of each request it receives (Apollo Server's addPlugin). */
function recordingMigrationData(
  received: { query?: string; variables?: Record<string, unknown> }[],
): ServiceDefinition<BaseContext>[] {
  return loadServices().map((def) =>
    def.name !== 'migration-data'
      ? def
      : {
          ...def,
          buildServer: (log) => {
            const server = def.buildServer(log);
            server.addPlugin({
              requestDidStart: async ({ request }) => void received.push({ query: request.query, variables: request.variables }),
            });
            return server;
          },
        },
  );
}

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'error' });
  const serverUrl = config.database.url;
  if (!serverUrl) throw new Error('set DATABASE_URL to a PostgreSQL server (the scratch database is made there)');
  const log = createLogger('measure', 'error');
  const reuse = OPTIONS.db;
  const name = reuse ?? `mg_measure_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  const url = withDatabase(serverUrl, name);
  let stop: (() => Promise<void>) | null = null;
  try {
    if (!exists) {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
      for (const def of loadServices()) await prepareDatabase(def, url, config.database, log);
      await loadIndicator(url);
    }
    const received: { query?: string; variables?: Record<string, unknown> }[] = [];
    const stack = await startInProcessStack(url, config, log, [], { definitions: recordingMigrationData(received) });
    stop = () => stack.stop();
    const service = required(
      stack.services.find((s) => s.name === 'migration-data'),
      'the migration-data service',
    );
    // The operation the gateway's query plan sends migration-data for QUERY: asked once through the gateway.
    const planned = await postGraphQL(stack.gatewayUrl, QUERY);
    if (planned.errors || received.length !== 1 || !received[0].query) {
      throw new Error(`expected the gateway to call migration-data once, it called it ${received.length} times`);
    }
    const operation = received[0].query;
    const body = JSON.stringify({ query: operation, variables: received[0].variables ?? {} });
    const identity = encodeIdentity(ANONYMOUS);
    const direct = async (): Promise<string> => {
      const res = await fetch(service.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signatureHeaders(stack.serviceSecrets['migration-data'], 'migration-data', identity, body),
        },
        body,
      });
      return res.text();
    };

    const gatewayTimes: number[] = [];
    const subgraphTimes: number[] = [];
    // CPU time of this process (gateway and services alike; PostgreSQL is another process): less
    // noisy than wall time on a shared machine.
    const gatewayCpu: number[] = [];
    const subgraphCpu: number[] = [];
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    let values = 0;
    let gatewayBytes = 0;
    let subgraphBytes = 0;
    for (let i = 0; i < WARMUP + RUNS; i += 1) {
      let cpu = process.cpuUsage();
      let started = process.hrtime.bigint();
      const result = await postGraphQL<{ indicator: { series: { values: unknown[] }[] } }>(stack.gatewayUrl, QUERY);
      const viaGateway = Number(process.hrtime.bigint() - started) / 1e6;
      const viaGatewayCpu = cpuMs(cpu);
      if (result.errors || !result.data) throw new Error(`gateway: ${JSON.stringify(result.errors)}`);
      cpu = process.cpuUsage();
      started = process.hrtime.bigint();
      const text = await direct();
      const straight = Number(process.hrtime.bigint() - started) / 1e6;
      const straightCpu = cpuMs(cpu);
      const parsed = JSON.parse(text) as { errors?: unknown };
      if (parsed.errors) throw new Error(`subgraph: ${JSON.stringify(parsed.errors)}`);
      if (i === 0) {
        values = result.data.indicator.series.reduce((n, s) => n + s.values.length, 0);
        gatewayBytes = JSON.stringify(result.data).length;
        subgraphBytes = text.length;
      }
      if (i >= WARMUP) {
        gatewayTimes.push(viaGateway);
        subgraphTimes.push(straight);
        gatewayCpu.push(viaGatewayCpu);
        subgraphCpu.push(straightCpu);
      }
    }
    const f = (x: number) => `${x.toFixed(1)} ms`;
    console.log(
      `# indicator series, Africa, 1990-2024: ${values} values (${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; ${RUNS} runs after ${WARMUP} warm-up)`,
    );
    console.log(`subgraph operation: ${print(parse(operation)).replace(/\s+/g, ' ')}`);
    console.log('| | p50 | p95 | CPU p50 | response |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(
      `| through the gateway | ${f(quantile(gatewayTimes, 0.5))} | ${f(quantile(gatewayTimes, 0.95))} | ${f(quantile(gatewayCpu, 0.5))} | ${gatewayBytes} B of data |`,
    );
    console.log(
      `| straight to migration-data | ${f(quantile(subgraphTimes, 0.5))} | ${f(quantile(subgraphTimes, 0.95))} | ${f(quantile(subgraphCpu, 0.5))} | ${subgraphBytes} B |`,
    );
  } finally {
    await stop?.().catch(() => undefined);
    if (!reuse) await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
