// npm run measure:start [-- --rounds 3 --baseline <checkout>]: how long `npm start` takes from nothing
// to the first answered query, cold (empty embedded data folder) and warm (second start), and the
// resident memory of all its processes together (orchestrator, embedded PostgreSQL, services,
// gateway), as RSS and as PSS (shared pages divided among the processes sharing them). It runs the
// command package.json's start script runs (without npm itself, as a container or a terminal would
// not count npm). With --baseline, the same for another checkout of the project,
// alternating with this one round by round; medians per side. Prints figures and the load average.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../shared/src/runtime/config';
import { required } from '../shared/src/runtime/required';
import { parseCommandLine } from './commandLine';

const QUERY =
  '{ country(code: "SEN") { name treatyActions { action } immigrantStock { year total } organizationMemberships { organization { code } } programmes { id } } }';

/**
 * Proportional set size in KiB of a process, from Linux's /proc: its resident pages, each shared one
 * divided among the processes that share it (RSS counts the node and postgres binaries' pages once
 * per process). 0 where it cannot be read.
 */
function pssKiB(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** RSS (and PSS) in KiB of a process and all its descendants, from ps (and /proc). */
function treeRssKiB(rootPid: number): { total: number; pss: number; count: number } {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' });
  const rows = out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const [pid, ppid, kib] of rows) {
    rss.set(pid, kib);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  let total = 0;
  let pss = 0;
  let count = 0;
  const stack = [rootPid];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    total += rss.get(pid) ?? 0;
    pss += pssKiB(pid);
    count += 1;
    stack.push(...(children.get(pid) ?? []));
  }
  return { total, pss, count };
}

/** The node arguments of a checkout's `npm start`: `node x` as it is, `tsx x` as node with tsx's loader. */
function startArguments(root: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = pkg.scripts.start.split(/\s+/);
  if (command === 'node') return args;
  if (command === 'tsx') return ['--import', 'tsx', ...args];
  throw new Error(`cannot measure a start script that runs ${command} (${root})`);
}

interface Run {
  ms: number;
  rssMiB: number;
  pssMiB: number;
  processes: number;
  stopMs: number;
}

async function once(root: string, dataDir: string, port: number): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const started = Date.now();
  const child = spawn(process.execPath, startArguments(root), { cwd: root, env, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let answered = false;
  while (!answered) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    if (Date.now() - started > 180_000) throw new Error('no answer within 180 s');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: QUERY }),
      });
      const body = (await res.json()) as { data?: unknown; errors?: unknown };
      answered = res.ok && body.data !== undefined && body.errors === undefined;
    } catch {
      // not listening yet
    }
    // Asked ten times a second, not in a busy loop: the gateway is up before the services, and a
    // loop answered at once by its errors took CPU time from the seeding it was waiting for.
    if (!answered) await new Promise((r) => setTimeout(r, 100));
  }
  const ms = Date.now() - started;
  await new Promise((r) => setTimeout(r, 2000)); // let start-up garbage settle before reading RSS
  const { total, pss, count } = treeRssKiB(required(child.pid, 'the process id of npm start'));
  const stopStarted = Date.now();
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`npm start exited with ${code} on SIGTERM`);
  return { ms, rssMiB: total / 1024, pssMiB: pss / 1024, processes: count, stopMs: Date.now() - stopStarted };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  const { values: args } = parseCommandLine(process.argv.slice(2), {
    rounds: { type: 'string', default: '1' },
    baseline: { type: 'string' },
  });
  const rounds = Number(args.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds needs a whole number of at least 1');
  const sides = [
    { name: 'this checkout', root: PROJECT_ROOT },
    ...(args.baseline ? [{ name: 'baseline', root: path.resolve(args.baseline) }] : []),
  ];
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-measure-'));
  fs.chmodSync(base, 0o755);
  const port = 4000;
  const results = new Map<string, { cold: Run[]; warm: Run[] }>(sides.map((s) => [s.name, { cold: [], warm: [] }]));
  const loads: string[] = [load()];
  try {
    for (let round = 0; round < rounds; round += 1) {
      // Alternating, and the baseline first every other round, so that neither side always meets the same load.
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const dataDir = path.join(base, `postgres-${round}-${side.name.replace(/\W+/g, '-')}`);
        const r = required(results.get(side.name), side.name);
        r.cold.push(await once(side.root, dataDir, port));
        r.warm.push(await once(side.root, dataDir, port));
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
      loads.push(load());
    }
    console.log(
      `${rounds} round(s)${rounds > 1 ? ', medians' : ''}; load average (1, 5, 15 min) before and after each round: ${loads.join(' | ')}`,
    );
    console.log('');
    console.log(
      '| checkout | start | to first answer | RSS of all processes | PSS of all processes | processes | SIGTERM to exit |',
    );
    console.log('|---|---|---:|---:|---:|---:|---:|');
    for (const side of sides) {
      const r = required(results.get(side.name), side.name);
      for (const [name, runs] of [
        ['cold (empty data folder)', r.cold],
        ['warm', r.warm],
      ] as const) {
        console.log(
          `| ${side.name} | ${name} | ${(median(runs.map((x) => x.ms)) / 1000).toFixed(1)} s | ` +
            `${median(runs.map((x) => x.rssMiB)).toFixed(0)} MiB | ${median(runs.map((x) => x.pssMiB)).toFixed(0)} MiB | ` +
            `${median(runs.map((x) => x.processes))} | ` +
            `${(median(runs.map((x) => x.stopMs)) / 1000).toFixed(1)} s |`,
        );
      }
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
