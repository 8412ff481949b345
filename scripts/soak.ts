// npm run soak: the whole stack as separate processes on ports of its own, with its own embedded
// PostgreSQL, under a steady mix of cross-domain queries (and writes, once the graph has them) for
// a bounded time, while it kills and restarts one service and then restarts PostgreSQL. Prints per
// phase: success rate, p50/p99, errors by code, recovery time; the memory of every process; and
// whether every acknowledged write is still there.
//
//   npm run soak -- [--seconds 180] [--connections 8] [--kill un-partnerships] [--down 5]
//                   [--base-port 4700] [--pg-dir .data/postgres-soak]
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  loadConfig,
  portVariables,
  PROJECT_ROOT,
  SERVICE_NAMES,
  type ServiceName,
  shiftedPorts,
} from '../shared/src/runtime/config';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../shared/src/data/embeddedPostgres';
import { createLogger } from '../shared/src/runtime/logger';
import { prepareDatabase } from '../shared/src/runtime/service';
import { loadServices } from '../services/definitions';
import { READS, type SoakOperation, WRITE_VERIFIERS, WRITES } from './soak/operations';
import { issueLocalToken } from '../gateway/src/auth';
import { figures, pct, type Sample, table } from './soak/stats';
import { parseCommandLine, wholeNumber } from './commandLine';
import { required } from '../shared/src/runtime/required';

interface Options {
  seconds: number;
  connections: number;
  kill: ServiceName;
  down: number;
  basePort: number;
  pgDir: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseCommandLine(argv, {
    seconds: { type: 'string', default: '180' },
    connections: { type: 'string', default: '8' },
    down: { type: 'string', default: '5' },
    'base-port': { type: 'string', default: '4700' },
    'pg-dir': { type: 'string', default: '.data/postgres-soak' },
    kill: { type: 'string', default: 'un-partnerships' },
  });
  const int = (flag: 'seconds' | 'connections' | 'down' | 'base-port', min: number, max: number) =>
    wholeNumber(flag, values[flag], min, max);
  const kill = SERVICE_NAMES.find((name) => name === values.kill);
  if (!kill) throw new Error(`--kill must be one of ${SERVICE_NAMES.join(', ')}`);
  return {
    seconds: int('seconds', 30, 3600),
    connections: int('connections', 1, 256),
    kill,
    down: int('down', 1, 120),
    basePort: int('base-port', 1024, 65000),
    pgDir: values['pg-dir'],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stops every process the soak started; set once they exist, so that a failure cleans up too. */
let cleanup: (() => Promise<void>) | null = null;

interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}

function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function waitStatus(url: string, status: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      (await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.status,
        () => 0,
      )) === status
    )
      return;
    await sleep(50);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const log = createLogger('soak', config.logLevel);
  const ports = {
    ...shiftedPorts(options.basePort),
    postgres: options.basePort + 9,
  };
  const logDir = path.resolve(PROJECT_ROOT, '.data', 'soak-logs');
  fs.mkdirSync(logDir, { recursive: true });

  // The database: our own embedded server (restartable), or DATABASE_URL (its restart phase is skipped).
  const external = config.database.url;
  const pgDir = path.resolve(PROJECT_ROOT, options.pgDir);
  const startPg = () => startEmbeddedPostgres({ dir: pgDir, port: ports.postgres, database: 'migration_graph' });
  let pg: EmbeddedPostgres | null = external ? null : await startPg();
  const url = external ?? required(pg, 'the embedded PostgreSQL').url;
  for (const def of loadServices()) await prepareDatabase(def, url, config.database, log);

  const jwtSecret = crypto.randomBytes(32).toString('hex');
  const editorToken = await issueLocalToken({
    secret: jwtSecret,
    sub: 'soak-editor',
    roles: ['editor:consultative-processes'],
    issuer: config.jwt.issuer ?? '',
    audience: config.jwt.audience ?? '',
    ttlSeconds: 3600,
  });
  const env = {
    // Services sign and check subgraph calls; a secret of this run unless one is given.
    SERVICE_SIGNING_SECRET: crypto.randomBytes(32).toString('hex'),
    ...process.env,
    // The gateway checks the writes' editor token against this run's secret.
    JWT_SECRET: jwtSecret,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    ...portVariables(ports),
  };
  const procs = new Map<string, Proc>();
  const launch = (name: string, ...entry: string[]): Proc => {
    const out = fs.openSync(path.join(logDir, `${name}.log`), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', ...entry], { cwd: PROJECT_ROOT, env, stdio: ['ignore', out, out] });
    const proc = { name, child, exited: new Promise<void>((r) => child.once('exit', () => r())) };
    procs.set(name, proc);
    return proc;
  };
  const readyz = (name: ServiceName | 'gateway') => `http://127.0.0.1:${ports[name]}/readyz`;
  const stopAll = async () => {
    for (const p of procs.values()) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.race([Promise.all([...procs.values()].map((p) => p.exited)), sleep(15_000)]);
    await pg?.stop();
  };
  cleanup = stopAll;
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

  for (const name of SERVICE_NAMES) launch(name, 'scripts/runService.ts', name);
  await Promise.all(SERVICE_NAMES.map((name) => waitStatus(readyz(name), 200, 60_000)));
  launch('gateway', 'gateway/src/index.ts');
  await waitStatus(readyz('gateway'), 200, 60_000);
  const firstPid: Record<string, number | undefined> = Object.fromEntries([...procs].map(([n, p]) => [n, p.child.pid]));

  // The load: `connections` clients in a closed loop, each sending the next operation of the mix.
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
  const mix: SoakOperation[] = [...READS, ...WRITES].flatMap((op) => Array.from({ length: op.weight }, () => op));
  let seed = 1;
  const pick = <T>(items: readonly T[]): T => {
    seed = (seed * 16807) % 2147483647;
    return items[seed % items.length];
  };
  const samples: Sample[] = [];
  const acknowledged: { op: string; id: string }[] = [];
  let running = true;
  const client = async () => {
    while (running) {
      const op = pick(mix);
      const { query, variables } = op.build(pick);
      const start = Date.now();
      let codes: string[];
      let data: Record<string, unknown> | null = null;
      try {
        const res = await fetch(gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(op.acknowledged ? { authorization: `Bearer ${editorToken}` } : {}) },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await res.json()) as {
          data?: Record<string, unknown> | null;
          errors?: { extensions?: { code?: string } }[];
        };
        codes = (body.errors ?? []).map((e) => e.extensions?.code ?? 'NO_CODE');
        if (res.status !== 200 && codes.length === 0) codes = [`HTTP_${res.status}`];
        data = body.data ?? null;
      } catch {
        codes = ['NETWORK'];
      }
      const ok = codes.length === 0 && data !== null;
      samples.push({ op: op.name, start, end: Date.now(), ok, codes, touches: op.touches });
      const id = ok && data !== null && op.acknowledged ? op.acknowledged(data) : null;
      if (id) acknowledged.push({ op: op.name, id });
    }
  };

  // The timeline: steady, then a service killed and restarted, then PostgreSQL restarted.
  const t0 = Date.now();
  const clients = Array.from({ length: options.connections }, () => client());
  const total = options.seconds * 1000;
  const phaseLength = Math.floor(total / 3);
  const warmupMs = Math.min(10_000, phaseLength / 3);
  await sleep(warmupMs);
  const rssWarm: Record<string, number | null> = Object.fromEntries([...procs].map(([n, p]) => [n, rssMb(p.child.pid)]));
  await sleep(phaseLength - warmupMs);

  interface Fault {
    phase: string;
    faulted: string;
    from: number;
    to: number;
    cut: number;
    back: number;
    recovered: number | null;
  }
  const faults: Fault[] = [];
  const firstSuccessAfter = async (at: number, faulted: string, deadline: number): Promise<number | null> => {
    while (Date.now() < deadline) {
      const hit = samples.find((s) => s.end >= at && s.ok && (faulted === 'postgres' || s.touches.includes(faulted)));
      if (hit) return hit.end;
      await sleep(20);
    }
    return null;
  };

  // Phase 2: SIGKILL one service (a crash), keep it down, start it again on the same port.
  const servicePhaseStart = Date.now();
  await sleep(Math.min(5_000, phaseLength / 6));
  const victim = required(procs.get(options.kill), `the service ${options.kill}`);
  const cut = Date.now();
  victim.child.kill('SIGKILL');
  await victim.exited;
  await sleep(options.down * 1000);
  launch(options.kill, 'scripts/runService.ts', options.kill);
  await waitStatus(readyz(options.kill), 200, 60_000);
  const serviceBack = Date.now();
  const serviceRecovered = await firstSuccessAfter(serviceBack, options.kill, serviceBack + 30_000);
  await sleep(Math.max(0, servicePhaseStart + phaseLength - Date.now()));
  faults.push({
    phase: `kill ${options.kill}`,
    faulted: options.kill,
    from: servicePhaseStart,
    to: Date.now(),
    cut,
    back: serviceBack,
    recovered: serviceRecovered,
  });

  // Phase 3: stop PostgreSQL, keep it down, start it again (same data folder and port).
  const pgPhaseStart = Date.now();
  const pgPhaseEnd = t0 + total;
  if (pg) {
    await sleep(Math.min(5_000, phaseLength / 6));
    const pgCut = Date.now();
    await pg.stop();
    await sleep(options.down * 1000);
    pg = await startPg();
    const pgBack = Date.now();
    const pgRecovered = await firstSuccessAfter(pgBack, 'postgres', pgBack + 30_000);
    await sleep(Math.max(0, pgPhaseEnd - Date.now()));
    faults.push({
      phase: 'restart PostgreSQL',
      faulted: 'postgres',
      from: pgPhaseStart,
      to: Date.now(),
      cut: pgCut,
      back: pgBack,
      recovered: pgRecovered,
    });
  } else {
    await sleep(Math.max(0, pgPhaseEnd - Date.now()));
    faults.push({
      phase: 'steady (DATABASE_URL: restart skipped)',
      faulted: '',
      from: pgPhaseStart,
      to: Date.now(),
      cut: 0,
      back: 0,
      recovered: null,
    });
  }
  running = false;
  await Promise.all(clients);
  const rssEnd: Record<string, number | null> = Object.fromEntries([...procs].map(([n, p]) => [n, rssMb(p.child.pid)]));

  // Every acknowledged write must still be there.
  const post = async (query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return ((await res.json()) as { data?: Record<string, unknown> | null }).data ?? null;
  };
  let lost = 0;
  for (const w of acknowledged) if (!(await WRITE_VERIFIERS[w.op].verify(w.id, post))) lost += 1;

  await stopAll();
  cleanup = null;

  // The report.
  const phases = [
    { phase: 'steady', faulted: null as string | null, from: t0, to: servicePhaseStart, fault: null as Fault | null },
    ...faults.map((f) => ({ phase: f.phase, faulted: f.faulted || null, from: f.from, to: f.to, fault: f })),
  ];
  const rows = phases.map((p) => {
    const f = figures(
      samples.filter((s) => s.start >= p.from && s.start < p.to),
      p.faulted,
    );
    const errors =
      Object.entries(f.errors)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ') || 'none';
    const recovery =
      p.fault && p.fault.faulted
        ? p.fault.recovered === null
          ? 'not within 30 s'
          : `${((p.fault.recovered - p.fault.back) / 1000).toFixed(2)} s (outage ${((p.fault.recovered - p.fault.cut) / 1000).toFixed(1)} s)`
        : '—';
    return [
      p.phase,
      `${((p.to - p.from) / 1000).toFixed(0)} s`,
      String(f.requests),
      pct(f.successRate),
      f.unaffectedSuccessRate === null ? '—' : `${pct(f.unaffectedSuccessRate)} of ${f.unaffectedRequests}`,
      `${f.p50} ms`,
      `${f.p99} ms`,
      errors,
      recovery,
    ];
  });
  const out: string[] = [];
  out.push(
    `soak: ${options.seconds} s, ${options.connections} connections, ${samples.length} operations, mix ${[...READS, ...WRITES].map((o) => o.name).join(', ')}`,
  );
  out.push('');
  out.push(
    table(
      [
        'phase',
        'length',
        'ops',
        'success',
        'success (ops not touching the fault)',
        'p50',
        'p99',
        'errors by code',
        'recovery after return',
      ],
      rows,
    ),
  );
  out.push('');
  out.push(
    table(
      ['process', 'RSS after warm-up', 'RSS at end', 'change'],
      ['gateway', ...SERVICE_NAMES].map((n) => {
        const restarted = firstPid[n] !== procs.get(n)?.child.pid;
        const a = rssWarm[n];
        const b = rssEnd[n];
        return [
          n,
          a === null ? '—' : `${a} MB`,
          b === null ? '—' : `${b} MB${restarted ? ' (restarted)' : ''}`,
          a !== null && b !== null && !restarted ? `${b - a >= 0 ? '+' : ''}${b - a} MB` : '—',
        ];
      }),
    ),
  );
  out.push('');
  out.push(`writes: ${acknowledged.length} acknowledged, ${lost} lost`);
  process.stdout.write(`${out.join('\n')}\n`);
  process.exit(lost > 0 ? 1 : 0);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`[soak] ${error instanceof Error ? error.message : String(error)}\n`);
  await cleanup?.().catch(() => undefined);
  process.exit(1);
});
