// npm run bench [-- --seconds 5 --rounds 3 --connections 10]
// Starts the stack as production runs it (four services and the gateway as separate processes,
// real PostgreSQL, seeded) on benchmark ports, starts Hive Gateway on the same supergraph and
// services, and drives a fixed mix of cross-domain operations with autocannon, alternating between
// the two gateways. Also measures each operation's critical path sent straight to the services
// (no gateway), and, separately, the response cache and automatic persisted queries. Prints a
// table and writes docs/benchmarks.md. A benchmark: it measures and reports, it asserts nothing.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
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
import { OPERATIONS, type BenchOperation } from './bench/operations';
import { parseCommandLine } from './commandLine';

const { values: args } = parseCommandLine(process.argv.slice(2), {
  seconds: { type: 'string', default: '5' },
  rounds: { type: 'string', default: '3' },
  connections: { type: 'string', default: '10' },
});
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);

const PORTS = shiftedPorts(4100);
const HIVE_PORT = 4200;
const CACHED_GATEWAY_PORT = 4300;
const UNSHARED_GATEWAY_PORT = 4301;
const PROXY_BASE = 4110;
/** The services answer only gateway-signed calls: secrets of this run, given to every process. */
const SECRETS = randomServiceSecrets();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

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

function pidOnPort(port: number): number | null {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const m = /pid=(\d+)/.exec(out);
  return m ? Number(m[1]) : null;
}

function rssMiB(pid: number | null): number {
  if (!pid) return NaN;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(
  url: string,
  body: string,
  headers: Record<string, string> = {},
  connections = CONNECTIONS,
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    connections,
    duration: SECONDS,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** A recorded subgraph call: which service, what body, when it started and ended (ms). */
interface Call {
  service: ServiceName;
  body: string;
  start: number;
  end: number;
}

/** Runs each operation once through an in-process gateway behind recording proxies. */
async function recordCriticalPaths(): Promise<Map<string, Call[][]>> {
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
  const paths = new Map<string, Call[][]>();
  for (const op of OPERATIONS) {
    calls = [];
    await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: op.query, variables: op.variables }),
    }).then((r) => r.text());
    // Calls that start after every call of the previous stage has ended depend on it: a new stage.
    const sorted = [...calls].sort((a, b) => a.start - b.start);
    const stages: Call[][] = [];
    let stageEnd = -Infinity;
    for (const call of sorted) {
      if (stages.length === 0 || call.start >= stageEnd) {
        stages.push([call]);
        stageEnd = call.end;
      } else {
        stages[stages.length - 1].push(call);
        stageEnd = Math.max(stageEnd, call.end);
      }
    }
    paths.set(op.name, stages);
  }
  await app.stop();
  for (const p of proxies) p.close();
  for (const p of proxies) p.closeAllConnections();
  return paths;
}

/** Sends an operation's recorded subgraph calls straight to the services, stage by stage. */
async function loadDirect(stages: Call[][], connections = CONNECTIONS): Promise<LoadResult> {
  const latencies: number[] = [];
  const deadline = Date.now() + SECONDS * 1000;
  let errors = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const t = performance.now();
      for (const stage of stages) {
        await Promise.all(
          stage.map((c) =>
            fetch(`http://127.0.0.1:${PORTS[c.service]}/graphql`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                ...signatureHeaders(SECRETS[c.service], c.service, encodeIdentity(ANONYMOUS), c.body),
              },
              body: c.body,
            }).then((r) => {
              if (!r.ok) errors += 1;
              return r.text();
            }),
          ),
        );
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { rps: latencies.length / SECONDS, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

function machine(): string {
  const cpu = os.cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = path.join(PROJECT_ROOT, '.data', 'postgres-bench');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    ...portVariables(PORTS),
    EMBEDDED_PG_PORT: '54340',
    EMBEDDED_PG_DIR: dataDir,
    RESPONSE_CACHE_TTL_S: '0',
    ...Object.fromEntries(SERVICE_NAMES.map((name) => [serviceSecretVariable(name), SECRETS[name]])),
    // Production settings the gateway requires; the benchmark sends no tokens, so the keys are never fetched.
    JWT_JWKS_URL: process.env.JWT_JWKS_URL ?? 'https://127.0.0.1:1/.well-known/jwks.json',
    JWT_ISSUER: process.env.JWT_ISSUER ?? 'migration-graph-bench',
    JWT_AUDIENCE: process.env.JWT_AUDIENCE ?? 'migration-graph',
  };
  const children: ChildProcess[] = [];
  try {
    process.stdout.write('starting the stack (npm start on benchmark ports)...\n');
    const stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(stack);
    await waitFor(`http://127.0.0.1:${PORTS.gateway}/readyz`, 180_000, stack);

    const supergraph = SERVICE_NAMES.reduce(
      (sdl, name) => sdl.replace(`http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`, `http://127.0.0.1:${PORTS[name]}/graphql`),
      fs.readFileSync(path.join(PROJECT_ROOT, 'gateway', 'supergraph.graphql'), 'utf8'),
    );
    const supergraphFile = path.join(os.tmpdir(), `mg-bench-supergraph-${process.pid}.graphql`);
    fs.writeFileSync(supergraphFile, supergraph);
    const portMap = SERVICE_NAMES.map((name) => `${PORTS[name]}=${name}`).join(',');
    const hive = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench/hive-gateway.ts', supergraphFile, String(HIVE_PORT), portMap],
      {
        cwd: PROJECT_ROOT,
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    children.push(hive);
    const cached = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/index.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...env,
        GATEWAY_PORT: String(CACHED_GATEWAY_PORT),
        RESPONSE_CACHE_TTL_S: '300',
        ...serviceUrlVariables(PORTS),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(cached);
    const unshared = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/index.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...env,
        GATEWAY_PORT: String(UNSHARED_GATEWAY_PORT),
        SUBGRAPH_DEDUPLICATION: 'off',
        ...serviceUrlVariables(PORTS),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(unshared);
    await waitFor(`http://127.0.0.1:${CACHED_GATEWAY_PORT}/healthz`, 60_000, cached);
    await waitFor(`http://127.0.0.1:${UNSHARED_GATEWAY_PORT}/healthz`, 60_000, unshared);
    const ours = `http://127.0.0.1:${PORTS.gateway}/graphql`;
    const theirs = `http://127.0.0.1:${HIVE_PORT}/graphql`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if (
          (
            await fetch(theirs, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: '{"query":"{ __typename }"}',
            })
          ).ok
        )
          break;
      } catch {
        // not yet
      }
      if (Date.now() > deadline || hive.exitCode !== null) throw new Error('Hive Gateway did not start');
      await new Promise((r) => setTimeout(r, 200));
    }

    // Both gateways must give the same answers, or the comparison means nothing.
    const bodyOf = (op: BenchOperation) => JSON.stringify({ query: op.query, variables: op.variables });
    for (const op of OPERATIONS) {
      const post = (url: string) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodyOf(op) }).then((r) => r.json());
      const [a, b] = await Promise.all([post(ours), post(theirs)]);
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`the two gateways answer "${op.name}" differently`);
      if ((a as { errors?: unknown }).errors)
        throw new Error(`"${op.name}" failed: ${JSON.stringify((a as { errors?: unknown }).errors)}`);
    }

    process.stdout.write('recording critical paths...\n');
    const paths = await recordCriticalPaths();

    process.stdout.write(
      `warming up, then ${ROUNDS} rounds of ${SECONDS} s per gateway per operation at ${CONNECTIONS} connections...\n`,
    );
    for (const op of OPERATIONS) {
      await load(ours, bodyOf(op));
      await load(theirs, bodyOf(op));
    }
    const rows: string[] = [];
    const ratios: number[] = [];
    const oursAll: LoadResult[] = [];
    const theirsAll: LoadResult[] = [];
    for (const op of OPERATIONS) {
      const o: LoadResult[] = [];
      const t: LoadResult[] = [];
      const d: LoadResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 0) {
          o.push(await load(ours, bodyOf(op)));
          t.push(await load(theirs, bodyOf(op)));
        } else {
          t.push(await load(theirs, bodyOf(op)));
          o.push(await load(ours, bodyOf(op)));
        }
        d.push(await loadDirect(paths.get(op.name)!));
      }
      const m = (xs: LoadResult[], k: keyof LoadResult) => median(xs.map((x) => x[k]));
      const ratio = m(o, 'rps') / m(t, 'rps');
      ratios.push(ratio);
      oursAll.push(...o);
      theirsAll.push(...t);
      const stages = paths.get(op.name)!;
      rows.push(
        `| ${op.name} | ${stages.length} / ${stages.flat().length} | ${m(o, 'rps').toFixed(0)} | ${m(o, 'p50').toFixed(1)} | ${m(o, 'p99').toFixed(1)} | ` +
          `${m(t, 'rps').toFixed(0)} | ${m(t, 'p50').toFixed(1)} | ${m(t, 'p99').toFixed(1)} | ${ratio.toFixed(2)} | ` +
          `${m(d, 'p50').toFixed(1)} | ${(m(o, 'p50') - m(d, 'p50')).toFixed(1)} | ${m(o, 'errors') + m(t, 'errors')} |`,
      );
    }
    const rssOurs = rssMiB(pidOnPort(PORTS.gateway));
    const rssTheirs = rssMiB(hive.pid ?? null);

    process.stdout.write('measuring the response cache and persisted queries...\n');
    const extraRows: string[] = [];
    const serialRows: string[] = [];
    for (const op of OPERATIONS) {
      const cachedUrl = `http://127.0.0.1:${CACHED_GATEWAY_PORT}/graphql`;
      await load(cachedUrl, bodyOf(op));
      const c = await load(cachedUrl, bodyOf(op));
      const hash = crypto.createHash('sha256').update(op.query).digest('hex');
      const apqBody = JSON.stringify({
        variables: op.variables,
        extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
      });
      await fetch(ours, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: op.query,
          variables: op.variables,
          extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
        }),
      }).then((r) => r.text());
      const a = await load(ours, apqBody);
      // One connection: no queueing and nothing to share, so this is the gateway's own cost per
      // request over the critical path (the "cached query plan" overhead).
      const one = await load(ours, bodyOf(op), {}, 1);
      const oneHive = await load(theirs, bodyOf(op), {}, 1);
      const oneDirect = await loadDirect(paths.get(op.name)!, 1);
      serialRows.push(
        `| ${op.name} | ${one.p50.toFixed(1)} | ${oneHive.p50.toFixed(1)} | ${oneDirect.p50.toFixed(1)} | ${(one.p50 - oneDirect.p50).toFixed(1)} | ${(oneHive.p50 - oneDirect.p50).toFixed(1)} |`,
      );
      const unsharedUrl = `http://127.0.0.1:${UNSHARED_GATEWAY_PORT}/graphql`;
      await load(unsharedUrl, bodyOf(op));
      const u = await load(unsharedUrl, bodyOf(op));
      extraRows.push(
        `| ${op.name} | ${u.rps.toFixed(0)} | ${u.p50.toFixed(1)} | ${Buffer.byteLength(bodyOf(op))} → ${Buffer.byteLength(apqBody)} B | ${a.rps.toFixed(0)} | ${a.p50.toFixed(1)} | ${c.rps.toFixed(0)} | ${c.p50.toFixed(1)} | ${c.p99.toFixed(1)} |`,
      );
    }

    const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
    const totalOurs = oursAll.reduce((s, r) => s + r.rps, 0) / ROUNDS;
    const totalTheirs = theirsAll.reduce((s, r) => s + r.rps, 0) / ROUNDS;
    const header =
      '| operation | stages / subgraph calls | ours req/s | ours p50 ms | ours p99 ms | Hive req/s | Hive p50 ms | Hive p99 ms | ours ÷ Hive req/s | direct p50 ms | gateway overhead p50 ms | errors |\n' +
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
    const extraHeader =
      '| operation | sharing off req/s | sharing off p50 ms | request size, full → persisted | APQ req/s | APQ p50 ms | cached req/s | cached p50 ms | cached p99 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|';
    const summary = [
      `Overall: ours ÷ Hive Gateway throughput, geometric mean over the mix: ${geo.toFixed(2)} (sum of median req/s: ours ${totalOurs.toFixed(0)}, Hive ${totalTheirs.toFixed(0)}).`,
      `Gateway RSS after the runs: ours ${rssOurs.toFixed(0)} MiB, Hive Gateway ${rssTheirs.toFixed(0)} MiB.`,
    ];
    const report = [
      '# Benchmarks',
      '',
      `Measured by \`npm run bench -- --seconds ${SECONDS} --rounds ${ROUNDS} --connections ${CONNECTIONS}\` on ${new Date().toISOString().slice(0, 10)}.`,
      `Machine: ${machine()}. The load generator, both gateways, the four services and PostgreSQL share this machine.`,
      '',
      `Both gateways serve the same supergraph over the same four service processes (real PostgreSQL, seeded), production mode, response caching off. Each cell is the median of ${ROUNDS} runs of ${SECONDS} s at ${CONNECTIONS} connections; the two gateways alternate within each round. "direct" sends the subgraph calls our gateway makes for the operation straight to the services, stage by stage (the critical path without a gateway); the overhead is our p50 minus that.`,
      '',
      header,
      ...rows,
      '',
      ...summary,
      '',
      "## One connection: the gateway's own cost over the critical path",
      '',
      `p50 in ms at 1 connection for ${SECONDS} s each (autocannon reports whole milliseconds; direct is timed to 0.1 ms).`,
      '',
      '| operation | ours p50 | Hive p50 | direct p50 | ours − direct | Hive − direct |\n|---|---:|---:|---:|---:|---:|',
      ...serialRows,
      '',
      '## Levers measured separately',
      '',
      `Sharing off: our gateway with SUBGRAPH_DEDUPLICATION=off (every client request makes its own subgraph calls; the main table has it on, the default). APQ: automatic persisted queries on our gateway (the client sends only the query's hash). Cached: our gateway with the response cache on (RESPONSE_CACHE_TTL_S=300, in memory), after one warming run.`,
      '',
      extraHeader,
      ...extraRows,
      '',
    ].join('\n');
    fs.mkdirSync(path.join(PROJECT_ROOT, 'docs'), { recursive: true });
    fs.writeFileSync(path.join(PROJECT_ROOT, 'docs', 'benchmarks.md'), report);
    process.stdout.write(`\n${report}\n(wrote docs/benchmarks.md; ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    fs.rmSync(supergraphFile, { force: true });
  } finally {
    for (const child of children.reverse()) await stop(child);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
