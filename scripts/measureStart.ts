// npm run measure:start: how long `npm start` takes from nothing to the first answered query, cold
// (empty embedded data folder) and warm (second start), and the resident memory of all its
// processes together (orchestrator, embedded PostgreSQL, four services, gateway). Prints figures.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../shared/src/runtime/config';
import { required } from '../shared/src/runtime/required';

const QUERY =
  '{ country(code: "SEN") { name treatyActions { action } immigrantStock { year total } organizationMemberships { organization { code } } programmes { id } } }';

/** RSS in KiB of a process and all its descendants, from ps. */
function treeRssKiB(rootPid: number): { total: number; count: number } {
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
  let count = 0;
  const stack = [rootPid];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    total += rss.get(pid) ?? 0;
    count += 1;
    stack.push(...(children.get(pid) ?? []));
  }
  return { total, count };
}

async function once(dataDir: string, port: number): Promise<{ ms: number; rssMiB: number; processes: number; stopMs: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: PROJECT_ROOT, env, stdio: 'ignore' });
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
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const ms = Date.now() - started;
  await new Promise((r) => setTimeout(r, 2000)); // let start-up garbage settle before reading RSS
  const { total, count } = treeRssKiB(required(child.pid, 'the process id of npm start'));
  const stopStarted = Date.now();
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`npm start exited with ${code} on SIGTERM`);
  return { ms, rssMiB: total / 1024, processes: count, stopMs: Date.now() - stopStarted };
}

async function main(): Promise<void> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-measure-'));
  fs.chmodSync(base, 0o755);
  const dataDir = path.join(base, 'postgres');
  const port = 4000;
  try {
    const cold = await once(dataDir, port);
    const warm = await once(dataDir, port);
    console.log('| start | to first answer | RSS of all processes | processes | SIGTERM to exit |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [name, r] of [
      ['cold (empty data folder)', cold],
      ['warm', warm],
    ] as const) {
      console.log(
        `| ${name} | ${(r.ms / 1000).toFixed(1)} s | ${r.rssMiB.toFixed(0)} MiB | ${r.processes} | ${(r.stopMs / 1000).toFixed(1)} s |`,
      );
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
