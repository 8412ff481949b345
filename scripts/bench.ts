// npm run bench [-- --seconds 5 --rounds 3 --connections 10 --skip-levers --baseline <checkout>
//                   --operations dossier,corridor --mixes varied]
// Starts the stack as production runs it (four services and the gateway as separate processes,
// real PostgreSQL, seeded) on benchmark ports, starts Hive Gateway on the same supergraph and
// services, and drives a mix of cross-domain operations with autocannon, alternating between the
// two gateways, in two mixes: varied (each request different variables: another country, day,
// year or set in turn) and hot-key (the same variables for every request, where in-flight sharing
// pays most). Also replays each operation's subgraph calls straight to the services (no gateway),
// measured the same way, and the CPU time each process spends per request. With --baseline, a
// checkout of another commit runs as a third stack (its own services, gateway and database) in
// the same rounds, for before/after figures from one run. Then, separately, the response cache and
// automatic persisted queries. Prints tables and, for a full run, rewrites the generated part of
// docs/benchmarks.md (between its bench markers; the rest of the file is left as written). A
// benchmark: it measures and reports, it asserts nothing.
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import {
  DEFAULT_PORTS,
  loadConfig,
  portVariables,
  PROJECT_ROOT,
  SERVICE_NAMES,
  type ServiceName,
  serviceSecretVariable,
  serviceUrlVariables,
  shiftedPorts,
} from '../shared/src/runtime/config';
import { ANONYMOUS } from '../shared/src/auth/identity';
import { encodeIdentity, randomServiceSecrets, signatureHeaders, signatureHeadersOf } from '../shared/src/auth/signing';
import { createLogger } from '../shared/src/runtime/logger';
import { createGatewayApp } from '../gateway/src/app';
import { listen } from '../shared/src/runtime/http';
import { compressionSection } from './bench/compression';
import { OPERATIONS as ALL_OPERATIONS, type BenchOperation } from './bench/operations';
import { replaceGenerated } from './bench/report';
import { cpuMs, median, percentile, pidOnPort, rssMiB, treeCpuMs } from './bench/process';
import { parseCommandLine } from './commandLine';

const { values: args } = parseCommandLine(process.argv.slice(2), {
  seconds: { type: 'string', default: '5' },
  rounds: { type: 'string', default: '3' },
  connections: { type: 'string', default: '10' },
  'skip-levers': { type: 'boolean', default: false },
  baseline: { type: 'string' },
  /** Only the operations whose name contains one of these comma-separated words. */
  operations: { type: 'string' },
  /** Only these mixes, comma-separated: varied, hot-key. */
  mixes: { type: 'string' },
});
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);
const words = (list: string | undefined) => (list === undefined ? undefined : list.split(',').map((w) => w.trim().toLowerCase()));
const OPERATION_WORDS = words(args.operations);
const MIX_NAMES = words(args.mixes);
const OPERATIONS = ALL_OPERATIONS.filter(
  (op) => !OPERATION_WORDS || OPERATION_WORDS.some((w) => op.name.toLowerCase().includes(w)),
);
if (OPERATIONS.length === 0) throw new Error(`--operations ${args.operations}: no operation's name contains any of these`);
/** Only a run of every operation and mix (no baseline) replaces the generated tables of docs/benchmarks.md. */
const FULL_RUN = OPERATIONS.length === ALL_OPERATIONS.length && !MIX_NAMES;

const PORTS = shiftedPorts(4100);
const PG_PORT = 54340;
const BASELINE_PORTS = shiftedPorts(4400);
const BASELINE_PG_PORT = 54344;
const HIVE_PORT = 4200;
const CACHED_GATEWAY_PORT = 4300;
const UNSHARED_GATEWAY_PORT = 4301;
const PROXY_BASE = 4110;
/** The varied mix cycles through this many sets of variables (three times the 47 countries). */
const VARIANTS = 141;
/** The services answer only gateway-signed calls: secrets of this run, given to every process. */
const SECRETS = randomServiceSecrets();
const ANONYMOUS_HEADER = encodeIdentity(ANONYMOUS);

async function waitFor(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${url}: process exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([done, new Promise((r) => setTimeout(r, 15_000))]);
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

/** autocannon at `url`, each request's body the next of `bodies` in turn (one body: the same request every time). */
async function load(url: string, bodies: string[], connections = CONNECTIONS): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: bodies[0],
    connections,
    duration: SECONDS,
    requests:
      bodies.length > 1
        ? [
            {
              setupRequest: (req) => {
                req.body = bodies[next++ % bodies.length];
                return req;
              },
            },
          ]
        : undefined,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    requests: result.requests.total,
  };
}

/** A recorded subgraph call: which service, what body, when it started and ended (ms). */
interface Call {
  service: ServiceName;
  body: string;
  start: number;
  end: number;
}

/** The subgraph calls of one request, in stages: a stage's calls start once the previous stage has ended. */
type CriticalPath = Call[][];

/** Runs each request once through an in-process gateway behind recording proxies. */
async function recordCriticalPaths(requests: string[]): Promise<CriticalPath[]> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'production' });
  const log = createLogger('bench', 'error');
  let calls: Call[] = [];
  const proxies: http.Server[] = [];
  const serviceUrls = {} as Record<ServiceName, string>;
  for (const [i, name] of SERVICE_NAMES.entries()) {
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const start = performance.now();
        const upstream = await fetch(`http://127.0.0.1:${PORTS[name]}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signatureHeadersOf(req.headers) },
          body,
        });
        const text = await upstream.text();
        calls.push({ service: name, body, start, end: performance.now() });
        res.writeHead(upstream.status, { 'content-type': 'application/json' });
        res.end(text);
      });
    });
    await listen(proxy, PROXY_BASE + i + 1, '127.0.0.1');
    proxies.push(proxy);
    serviceUrls[name] = `http://127.0.0.1:${PROXY_BASE + i + 1}/graphql`;
  }
  const app = createGatewayApp({
    supergraphSdl: fs.readFileSync(config.supergraphPath, 'utf8'),
    serviceUrls,
    subgraphTimeoutMs: 10_000,
    log,
    serviceSecrets: SECRETS,
    stopGracePeriodMs: 1000,
  });
  const gatewayUrl = await app.start();
  const paths: CriticalPath[] = [];
  for (const body of requests) {
    calls = [];
    await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.text());
    // Calls that start after every call of the previous stage has ended depend on it: a new stage.
    const stages: CriticalPath = [];
    let stageEnd = -Infinity;
    for (const call of [...calls].sort((a, b) => a.start - b.start)) {
      if (stages.length === 0 || call.start >= stageEnd) {
        stages.push([call]);
        stageEnd = call.end;
      } else {
        stages[stages.length - 1].push(call);
        stageEnd = Math.max(stageEnd, call.end);
      }
    }
    paths.push(stages);
  }
  await app.stop();
  for (const p of proxies) p.close();
  for (const p of proxies) p.closeAllConnections();
  return paths;
}

/**
 * Sends requests' recorded subgraph calls straight to the services, stage by stage, each request the
 * next path in turn: the critical path without a gateway, over keep-alive connections like autocannon's.
 */
async function loadDirect(paths: CriticalPath[], connections = CONNECTIONS): Promise<LoadResult> {
  const pools = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, new Pool(`http://127.0.0.1:${PORTS[name]}`, { connections, pipelining: 1 })]),
  ) as Record<ServiceName, Pool>;
  const latencies: number[] = [];
  const deadline = Date.now() + SECONDS * 1000;
  let errors = 0;
  let next = 0;
  const call = async (c: Call) => {
    const res = await pools[c.service].request({
      path: '/graphql',
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signatureHeaders(SECRETS[c.service], c.service, ANONYMOUS_HEADER, c.body),
      },
      body: c.body,
    });
    if (res.statusCode !== 200) errors += 1;
    await res.body.text();
  };
  const worker = async () => {
    while (Date.now() < deadline) {
      const stages = paths[next++ % paths.length];
      const t = performance.now();
      for (const stage of stages) await Promise.all(stage.map(call));
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await Promise.all(Object.values(pools).map((p) => p.close()));
  return {
    rps: latencies.length / SECONDS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    requests: latencies.length,
  };
}

function machine(): string {
  const cpu = os.cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** The processes whose CPU time is read around every measurement: column name → how to read it (ms so far). */
type Meters = Record<string, () => number>;
const PROCESS_COLUMNS = ['gateway', ...SERVICE_NAMES, 'PostgreSQL'] as const;

/** The meters of a stack: its gateway (or another one in front of its services), services and PostgreSQL. */
function stackMeters(ports: Record<ServiceName | 'gateway', number>, pgPort: number, gatewayPid?: number | null): Meters {
  const pid = (port: number) => {
    const found = pidOnPort(port);
    if (!found) throw new Error(`nothing listens on port ${port}`);
    return found;
  };
  const meters: Meters = {};
  if (gatewayPid !== null) {
    const gw = gatewayPid ?? pid(ports.gateway);
    meters.gateway = () => cpuMs(gw);
  }
  for (const name of SERVICE_NAMES) {
    const service = pid(ports[name]);
    meters[name] = () => cpuMs(service);
  }
  const pg = pid(pgPort);
  meters.PostgreSQL = () => treeCpuMs(pg);
  return meters;
}

/** One way to answer the mix: a gateway's URL (or the direct replay) and the processes that serve it. */
interface Target {
  name: string;
  meters: Meters;
  run(op: BenchOperation, bodies: string[], paths: CriticalPath[]): Promise<LoadResult>;
}

interface Measured {
  target: Target;
  results: LoadResult[];
  /** CPU ms per column, summed over the rounds. */
  cpu: Record<string, number>;
}

/** One run of a target, its result and its processes' CPU time added to what was measured of it. */
async function measure(into: Measured, op: BenchOperation, bodies: string[], paths: CriticalPath[]) {
  const meters = Object.entries(into.target.meters);
  const before = meters.map(([, read]) => read());
  const result = await into.target.run(op, bodies, paths);
  meters.forEach(([k, read], n) => (into.cpu[k] = (into.cpu[k] ?? 0) + read() - before[n]));
  into.results.push(result);
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg()[0];
  const env: NodeJS.ProcessEnv = {
    // Production settings the gateway requires, unless given; the benchmark sends no tokens, so the keys are never fetched.
    JWT_JWKS_URL: 'https://127.0.0.1:1/.well-known/jwks.json',
    JWT_ISSUER: 'migration-graph-bench',
    JWT_AUDIENCE: 'migration-graph',
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    RESPONSE_CACHE_TTL_S: '0',
    // Each service in its own process, as deployed: the CPU columns are per process.
    SERVICE_PROCESSES: 'each',
    ...Object.fromEntries(SERVICE_NAMES.map((name) => [serviceSecretVariable(name), SECRETS[name]])),
  };
  delete env.DATABASE_URL;
  const stackEnv = (ports: Record<ServiceName | 'gateway', number>, pgPort: number, dir: string): NodeJS.ProcessEnv => ({
    ...env,
    ...portVariables(ports),
    EMBEDDED_PG_PORT: String(pgPort),
    EMBEDDED_PG_DIR: path.join(PROJECT_ROOT, '.data', dir),
  });
  const children: ChildProcess[] = [];
  const startStack = async (cwd: string, ports: Record<ServiceName | 'gateway', number>, pgPort: number, dir: string) => {
    // As npm start runs it: compiled JavaScript, not the TypeScript loader (which hooks every require).
    const stack = spawn(process.execPath, ['scripts/startCompiled.mjs'], {
      cwd,
      env: stackEnv(ports, pgPort, dir),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(stack);
    // The gateway may be ready before the services it reaches: wait for all of them.
    for (const port of Object.values(ports)) await waitFor(`http://127.0.0.1:${port}/readyz`, 180_000, stack);
  };
  try {
    process.stdout.write('starting the stack (npm start on benchmark ports)...\n');
    await startStack(PROJECT_ROOT, PORTS, PG_PORT, 'postgres-bench');
    const baselineDir = args.baseline ? path.resolve(args.baseline) : null;
    if (baselineDir) {
      process.stdout.write(`starting the baseline stack from ${baselineDir}...\n`);
      await startStack(baselineDir, BASELINE_PORTS, BASELINE_PG_PORT, 'postgres-bench-baseline');
    }
    const ownEnv = stackEnv(PORTS, PG_PORT, 'postgres-bench');

    const supergraph = SERVICE_NAMES.reduce(
      (sdl, name) => sdl.replace(`http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`, `http://127.0.0.1:${PORTS[name]}/graphql`),
      fs.readFileSync(path.join(PROJECT_ROOT, 'gateway', 'supergraph.graphql'), 'utf8'),
    );
    const supergraphFile = path.join(os.tmpdir(), `mg-bench-supergraph-${process.pid}.graphql`);
    fs.writeFileSync(supergraphFile, supergraph);
    const portMap = SERVICE_NAMES.map((name) => `${PORTS[name]}=${name}`).join(',');
    const hive = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench/hiveGateway.ts', supergraphFile, String(HIVE_PORT), portMap],
      { cwd: PROJECT_ROOT, env: ownEnv, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    children.push(hive);
    const gatewayProcess = (port: number, extra: NodeJS.ProcessEnv) => {
      // Compiled by the stack's start above.
      const child = spawn(process.execPath, [path.join('.compiled', 'gateway', 'src', 'index.js')], {
        cwd: PROJECT_ROOT,
        env: { ...ownEnv, GATEWAY_PORT: String(port), ...serviceUrlVariables(PORTS), ...extra },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      return child;
    };
    // The levers' one-connection direct replay uses the hot-key mix's critical paths.
    const levers = !args['skip-levers'] && (!MIX_NAMES || MIX_NAMES.includes('hot-key'));
    if (levers) {
      const cached = gatewayProcess(CACHED_GATEWAY_PORT, { RESPONSE_CACHE_TTL_S: '300' });
      const unshared = gatewayProcess(UNSHARED_GATEWAY_PORT, { SUBGRAPH_DEDUPLICATION: 'off' });
      await waitFor(`http://127.0.0.1:${CACHED_GATEWAY_PORT}/healthz`, 60_000, cached);
      await waitFor(`http://127.0.0.1:${UNSHARED_GATEWAY_PORT}/healthz`, 60_000, unshared);
    }
    const ours = `http://127.0.0.1:${PORTS.gateway}/graphql`;
    const theirs = `http://127.0.0.1:${HIVE_PORT}/graphql`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const up = await fetch(theirs, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      }).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline || hive.exitCode !== null) throw new Error('Hive Gateway did not start');
      await new Promise((r) => setTimeout(r, 200));
    }

    const bodyOf = (op: BenchOperation, variables: Record<string, unknown>) => JSON.stringify({ query: op.query, variables });
    const mixes = [
      { name: 'varied', bodies: (op: BenchOperation) => Array.from({ length: VARIANTS }, (_, n) => bodyOf(op, op.vary(n))) },
      { name: 'hot-key', bodies: (op: BenchOperation) => [bodyOf(op, op.variables)] },
    ].filter((mix) => !MIX_NAMES || MIX_NAMES.includes(mix.name));
    if (mixes.length === 0) throw new Error(`--mixes ${args.mixes}: the mixes are varied and hot-key`);
    // Every gateway must give the same answers, or the comparison means nothing.
    const baselineUrl = baselineDir ? `http://127.0.0.1:${BASELINE_PORTS.gateway}/graphql` : null;
    const post = (url: string, body: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        .then((r) => r.json())
        .then((json) => JSON.stringify(json));
    for (const op of OPERATIONS) {
      for (const body of mixes.flatMap((mix) => mix.bodies(op)).slice(0, 48)) {
        const answers = await Promise.all([ours, theirs, ...(baselineUrl ? [baselineUrl] : [])].map((url) => post(url, body)));
        const differs = answers.findIndex((a) => a !== answers[0]);
        if (differs > 0) {
          const at = [...answers[0]].findIndex((ch, i) => ch !== answers[differs][i]);
          throw new Error(
            `${['Hive Gateway', 'the baseline'][differs - 1]} answers "${op.name}" otherwise than ours for ${body}: ` +
              `…${answers[0].slice(Math.max(0, at - 80), at + 80)}… against …${answers[differs].slice(Math.max(0, at - 80), at + 80)}…`,
          );
        }
        const errors = (JSON.parse(answers[0]) as { errors?: unknown }).errors;
        if (errors) throw new Error(`"${op.name}" failed: ${JSON.stringify(errors)}`);
      }
    }

    process.stdout.write('recording critical paths...\n');
    // For each mix, each operation's requests' critical paths, in the order of OPERATIONS.
    const paths: Record<string, CriticalPath[][]> = {};
    for (const mix of mixes) {
      paths[mix.name] = [];
      for (const op of OPERATIONS) paths[mix.name].push(await recordCriticalPaths(mix.bodies(op)));
    }

    const gatewayTarget = (name: string, url: string, meters: Meters): Target => ({
      name,
      meters,
      run: (_, bodies) => load(url, bodies),
    });
    const oursMeters = stackMeters(PORTS, PG_PORT);
    const targets: Target[] = [
      gatewayTarget('ours', ours, oursMeters),
      gatewayTarget('Hive', theirs, stackMeters(PORTS, PG_PORT, hive.pid)),
      ...(baselineUrl ? [gatewayTarget('baseline', baselineUrl, stackMeters(BASELINE_PORTS, BASELINE_PG_PORT))] : []),
    ];
    const direct: Target = { name: 'direct', meters: stackMeters(PORTS, PG_PORT, null), run: (_, __, p) => loadDirect(p) };

    const m = (xs: LoadResult[], k: keyof LoadResult) => median(xs.map((x) => x[k]));
    const sections: string[] = [];
    const overall: string[] = [];
    for (const mix of mixes) {
      process.stdout.write(
        `${mix.name} mix: warming up, then ${ROUNDS} rounds of ${SECONDS} s per gateway per operation at ${CONNECTIONS} connections...\n`,
      );
      for (const op of OPERATIONS) for (const t of targets) await t.run(op, mix.bodies(op), []);
      const rows: string[] = [];
      const cpuRows: string[] = [];
      const ratios: number[] = [];
      const baselineRatios: number[] = [];
      for (const [i, op] of OPERATIONS.entries()) {
        const bodies = mix.bodies(op);
        const opPaths = paths[mix.name][i];
        const measured: Measured[] = [...targets, direct].map((target) => ({ target, results: [], cpu: {} }));
        for (let round = 0; round < ROUNDS; round++) {
          // The gateways take turns going first; the direct replay comes last.
          const gateways = measured.slice(0, targets.length);
          for (const entry of round % 2 === 0 ? gateways : gateways.reverse()) await measure(entry, op, bodies, opPaths);
          await measure(measured[measured.length - 1], op, bodies, opPaths);
        }
        const resultsOf = (name: string) => measured.find((entry) => entry.target.name === name)?.results;
        const [o, t, d] = ['ours', 'Hive', 'direct'].map((name) => resultsOf(name) ?? []);
        const b = resultsOf('baseline');
        const ratio = m(o, 'rps') / m(t, 'rps');
        ratios.push(ratio);
        if (b) baselineRatios.push(m(o, 'rps') / m(b, 'rps'));
        const calls = opPaths.map((p) => p.flat().length);
        const stages = opPaths.map((p) => p.length);
        const cells = (xs: LoadResult[]) =>
          `${m(xs, 'rps').toFixed(0)} | ${m(xs, 'p50').toFixed(1)} | ${m(xs, 'p99').toFixed(1)}`;
        rows.push(
          `| ${op.name} | ${median(stages)} / ${median(calls)} | ${cells(o)} | ${cells(t)} | ${ratio.toFixed(2)} | ` +
            `${m(d, 'p50').toFixed(1)} | ${(m(o, 'p50') - m(d, 'p50')).toFixed(1)} | ` +
            (b ? `${cells(b)} | ${(m(o, 'rps') / m(b, 'rps')).toFixed(2)} | ` : '') +
            `${[o, t, d, ...(b ? [b] : [])].reduce((s, xs) => s + m(xs, 'errors'), 0)} |`,
        );
        for (const { target, results, cpu } of measured) {
          const requests = results.reduce((s, r) => s + r.requests, 0);
          const perRequest = PROCESS_COLUMNS.map((c) => (c in cpu ? cpu[c] / requests : NaN));
          const total = perRequest.filter((x) => !Number.isNaN(x)).reduce((s, x) => s + x, 0);
          cpuRows.push(
            `| ${op.name} | ${target.name} | ${perRequest.map((x) => (Number.isNaN(x) ? '–' : x.toFixed(2))).join(' | ')} | ${total.toFixed(2)} |`,
          );
        }
      }
      const geo = (xs: number[]) => Math.exp(xs.reduce((s, r) => s + Math.log(r), 0) / xs.length);
      overall.push(
        `${mix.name} mix: ours ÷ Hive Gateway throughput, geometric mean over the operations: ${geo(ratios).toFixed(2)}` +
          (baselineRatios.length > 0 ? `; ours ÷ baseline: ${geo(baselineRatios).toFixed(2)}` : '') +
          '.',
      );
      sections.push(
        `## ${mix.name === 'varied' ? 'Varied variables: each request another country, day, year or set, in turn' : 'Hot key: the same variables for every request'}`,
        '',
        '| operation | stages / subgraph calls | ours req/s | ours p50 ms | ours p99 ms | Hive req/s | Hive p50 ms | Hive p99 ms | ours ÷ Hive req/s | direct p50 ms | gateway overhead p50 ms | ' +
          (baselineUrl ? 'baseline req/s | baseline p50 ms | baseline p99 ms | ours ÷ baseline req/s | ' : '') +
          'errors |',
        `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|${baselineUrl ? '---:|---:|---:|---:|' : ''}---:|`,
        ...rows,
        '',
        overall[overall.length - 1],
        '',
        `CPU time per request, ms (user + system, from /proc, over all rounds; "gateway" is the one in front: ours, Hive Gateway's, the baseline's; PostgreSQL is the server and its backends; direct has no gateway):`,
        '',
        `| operation | serving | ${PROCESS_COLUMNS.join(' | ')} | total |`,
        `|---|---|${PROCESS_COLUMNS.map(() => '---:').join('|')}|---:|`,
        ...cpuRows,
        '',
      );
    }
    const rssOurs = rssMiB(pidOnPort(PORTS.gateway));
    const rssTheirs = rssMiB(hive.pid ?? null);

    const leverSections: string[] = [];
    if (levers) {
      process.stdout.write('measuring the response cache and persisted queries...\n');
      const extraRows: string[] = [];
      const serialRows: string[] = [];
      for (const [i, op] of OPERATIONS.entries()) {
        const body = bodyOf(op, op.variables);
        const cachedUrl = `http://127.0.0.1:${CACHED_GATEWAY_PORT}/graphql`;
        await load(cachedUrl, [body]);
        const c = await load(cachedUrl, [body]);
        const hash = crypto.createHash('sha256').update(op.query).digest('hex');
        const apqBody = JSON.stringify({
          variables: op.variables,
          extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
        });
        await post(
          ours,
          JSON.stringify({
            query: op.query,
            variables: op.variables,
            extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
          }),
        );
        const a = await load(ours, [apqBody]);
        // One connection: no queueing and nothing to share, so this is the gateway's own cost per
        // request over the critical path (the "cached query plan" overhead).
        const one = await load(ours, [body], 1);
        const oneHive = await load(theirs, [body], 1);
        const oneDirect = await loadDirect(paths['hot-key'][i], 1);
        serialRows.push(
          `| ${op.name} | ${one.p50.toFixed(1)} | ${oneHive.p50.toFixed(1)} | ${oneDirect.p50.toFixed(1)} | ${(one.p50 - oneDirect.p50).toFixed(1)} | ${(oneHive.p50 - oneDirect.p50).toFixed(1)} |`,
        );
        const unsharedUrl = `http://127.0.0.1:${UNSHARED_GATEWAY_PORT}/graphql`;
        await load(unsharedUrl, [body]);
        const u = await load(unsharedUrl, [body]);
        extraRows.push(
          `| ${op.name} | ${u.rps.toFixed(0)} | ${u.p50.toFixed(1)} | ${Buffer.byteLength(body)} → ${Buffer.byteLength(apqBody)} B | ${a.rps.toFixed(0)} | ${a.p50.toFixed(1)} | ${c.rps.toFixed(0)} | ${c.p50.toFixed(1)} | ${c.p99.toFixed(1)} |`,
        );
      }
      leverSections.push(
        "## One connection: the gateway's own cost over the critical path",
        '',
        `p50 in ms at 1 connection for ${SECONDS} s each, hot key (autocannon reports whole milliseconds; direct is timed to 0.1 ms).`,
        '',
        '| operation | ours p50 | Hive p50 | direct p50 | ours − direct | Hive − direct |\n|---|---:|---:|---:|---:|---:|',
        ...serialRows,
        '',
        '## Levers measured separately',
        '',
        `Hot key. Sharing off: our gateway with SUBGRAPH_DEDUPLICATION=off (every client request makes its own subgraph calls; the main tables have it on, the default). APQ: automatic persisted queries on our gateway (the client sends only the query's hash). Cached: our gateway with the response cache on (RESPONSE_CACHE_TTL_S=300, in memory), after one warming run.`,
        '',
        '| operation | sharing off req/s | sharing off p50 ms | request size, full → persisted | APQ req/s | APQ p50 ms | cached req/s | cached p50 ms | cached p99 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|',
        ...extraRows,
        '',
      );
      process.stdout.write('measuring compression...\n');
      leverSections.push(...(await compressionSection(ours, 100)));
    }

    const command =
      `npm run bench -- --seconds ${SECONDS} --rounds ${ROUNDS} --connections ${CONNECTIONS}${levers ? '' : ' --skip-levers'}` +
      `${baselineDir ? ' --baseline <checkout>' : ''}${args.operations ? ` --operations ${args.operations}` : ''}${args.mixes ? ` --mixes ${args.mixes}` : ''}`;
    const report = [
      `Measured by \`${command}\` on ${new Date().toISOString().slice(0, 10)}, ` +
        `${new Date(started).toISOString().slice(11, 16)}-${new Date().toISOString().slice(11, 16)} UTC.`,
      `Load average (1 min) at the start and at the end of the run: ${loadBefore.toFixed(1)} and ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores.`,
      `Machine: ${machine()}. The load generator, the gateways, the services and PostgreSQL share this machine.`,
      '',
      `Both gateways serve the same supergraph over the same four service processes (real PostgreSQL, seeded), production mode, response caching off. Each cell is the median of ${ROUNDS} runs of ${SECONDS} s at ${CONNECTIONS} connections; the gateways alternate within each round. "direct" sends the subgraph calls our gateway makes for each request straight to the services, stage by stage, from ${CONNECTIONS} keep-alive connections (the critical path without a gateway); the overhead is our p50 minus that. In the hot-key mix our gateway shares identical in-flight subgraph calls between requests, which the direct replay does not, so there the overhead can be negative.` +
        (baselineDir
          ? ' "baseline" is another commit\'s stack (its own services, gateway and PostgreSQL) measured in the same rounds.'
          : ''),
      '',
      ...sections,
      `Gateway RSS after the runs: ours ${rssOurs.toFixed(0)} MiB, Hive Gateway ${rssTheirs.toFixed(0)} MiB.`,
      '',
    ].join('\n');
    const leverReport = leverSections.join('\n');
    const written = !baselineDir && FULL_RUN;
    if (written) {
      const file = path.join(PROJECT_ROOT, 'docs', 'benchmarks.md');
      const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
      const tables = replaceGenerated(current, 'tables', report);
      fs.writeFileSync(file, levers ? replaceGenerated(tables, 'levers', leverReport) : tables);
    }
    const note = written
      ? 'rewrote the generated part of docs/benchmarks.md, between its bench markers'
      : `docs/benchmarks.md left as it was: ${baselineDir ? 'a run against a baseline' : 'not every operation and mix'}`;
    process.stdout.write(`\n${report}\n${leverReport}\n(${note}; ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    fs.rmSync(supergraphFile, { force: true });
  } finally {
    for (const child of children.reverse()) await stop(child);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
