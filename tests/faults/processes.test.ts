import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import crypto from 'node:crypto';
import { deriveServiceSecret, perService } from '../../shared/src/runtime/config';
import { ANONYMOUS } from '../../shared/src/auth/identity';
import { encodeIdentity, signatureHeaders } from '../../shared/src/auth/signing';
import type { RunningService } from '../../shared/src/runtime/service';
import { testDatabaseUrl } from '../support/serviceHarness';
import { freeStackPorts } from '../support/npmStart';
import { type Answer, post, startServices, startSlowProxy } from './faultKit';
import { runScript } from '../support/childProcess';
import { listenerPid } from '../support/listener';

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

// The processes derive their service secrets from this; the services this file starts in-process too.
const MASTER_SECRET = crypto.randomBytes(32).toString('hex');
const DERIVED = perService((n) => deriveServiceSecret(MASTER_SECRET, n));

function run(entry: string, env: Record<string, string>, args: string[] = []): Proc {
  const { child, output, exited } = runScript(entry, args, {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    SERVICE_SIGNING_SECRET: MASTER_SECRET,
    ...env,
  });
  return { child, output, exited: exited.then((code) => ({ code, at: Date.now() })) };
}

async function waitFor(url: string, status: number, proc: Proc, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`exited early:\n${proc.output()}`);
    const got = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (got === status) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms:\n${proc.output()}`);
}

/** Waits until the gateway's /readyz reports every service ready. */
async function waitForServices(url: string, proc: Proc, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`exited early:\n${proc.output()}`);
    last = await fetch(url).then(
      (r) => r.json() as Promise<{ services?: Record<string, unknown> }>,
      () => null,
    );
    const services = (last as { services?: Record<string, unknown> } | null)?.services ?? {};
    if (Object.keys(services).length > 0 && Object.values(services).every((ok) => ok === true)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not report every service ready within ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

async function servicePorts(): Promise<Record<string, string>> {
  return (await freeStackPorts()).env;
}

const INSTRUMENT = `{ instrument(code: "ICRMW") { shortTitle } }`;
const INSTRUMENT_ANSWER = { data: { instrument: { shortTitle: 'Migrant Workers Convention' } } };

describe('process life cycle', () => {
  it('a service finishes a request in flight on SIGTERM, refuses new connections, and exits 0', async () => {
    const env: Record<string, string> = { ...(await servicePorts()), DATABASE_URL: testDatabaseUrl() };
    const proc = run('scripts/runService.ts', env, ['legal-instruments']);
    const base = `http://127.0.0.1:${env.LEGAL_INSTRUMENTS_PORT}`;
    try {
      await waitFor(`${base}/readyz`, 200, proc);
      // Holds the request in flight: its SELECT waits on this lock until the rollback.
      const locker = new Client({ connectionString: testDatabaseUrl() });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE legal.instrument IN ACCESS EXCLUSIVE MODE');
      const payload = JSON.stringify({ query: INSTRUMENT });
      const signed = signatureHeaders(DERIVED['legal-instruments'], 'legal-instruments', encodeIdentity(ANONYMOUS), payload);
      const inFlight = fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signed },
        body: payload,
      }).then(async (res): Promise<Answer> => ({ status: res.status, body: (await res.json()) as Answer['body'], ms: 0 }));
      await new Promise((r) => setTimeout(r, 300));
      const signalled = Date.now();
      proc.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      const refused = await fetch(`${base}/healthz`).then(
        () => 'accepted',
        () => 'refused',
      );
      await locker.query('ROLLBACK');
      await locker.end();
      const answer: Answer = await inFlight;
      const exit = await proc.exited;
      expect({ refused, status: answer.status, body: answer.body, code: exit.code }).toEqual({
        refused: 'refused',
        status: 200,
        body: INSTRUMENT_ANSWER,
        code: 0,
      });
      expect(exit.at - signalled).toBeLessThan(5000);
    } finally {
      proc.child.kill('SIGKILL');
    }
  });

  it('the gateway refuses an invalid supergraph with a message saying so, and exits 2', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mg-supergraph-')), 'supergraph.graphql');
    fs.writeFileSync(file, 'type Query { hello: String }\n');
    const proc = run('gateway/src/index.ts', { ...(await servicePorts()), SUPERGRAPH_PATH: file });
    const exit = await proc.exited;
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    expect(exit.code).toBe(2);
    // The gateway logs JSON lines when its output is not a terminal.
    const lines = proc
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: string; name: string; msg: string });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', name: 'gateway', msg: expect.stringMatching(/^the supergraph is invalid: .+/) }),
    );
  });

  it('the gateway starts while every service is down, is ready and answers with downstream errors, sees them ready when they come up, and drains on SIGTERM', async () => {
    const env = await servicePorts();
    const proc = run('gateway/src/index.ts', env);
    const base = `http://127.0.0.1:${env.GATEWAY_PORT}`;
    let services: RunningService[] = [];
    let slow: Awaited<ReturnType<typeof startSlowProxy>> | undefined;
    try {
      await waitFor(`${base}/healthz`, 200, proc);
      // Ready with every service down: it has its supergraph, and answers what it can.
      const readyWhileDown = await fetch(`${base}/readyz`);
      expect({ status: readyWhileDown.status, body: await readyWhileDown.json() }).toEqual({
        status: 200,
        body: {
          status: 'ready',
          ok: true,
          checks: { supergraph: true, accepting: true },
          services: perService(() => false),
        },
      });
      const whileDown = await post(`${base}/graphql`, INSTRUMENT);
      expect(whileDown.body).toEqual({
        data: { instrument: null },
        errors: [
          {
            message: 'The legal-instruments service is unavailable',
            extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'legal-instruments' },
          },
        ],
      });
      // The services come up on their configured ports; legal-instruments answers slowly, so that a
      // request is still in flight when SIGTERM arrives.
      services = [
        ...(await startServices(testDatabaseUrl(), ['migration-data'], Number(env.MIGRATION_DATA_PORT), DERIVED)),
        ...(await startServices(testDatabaseUrl(), ['consultative-processes'], Number(env.CONSULTATIVE_PROCESSES_PORT), DERIVED)),
        ...(await startServices(testDatabaseUrl(), ['un-partnerships'], Number(env.UN_PARTNERSHIPS_PORT), DERIVED)),
      ];
      const [legal] = await startServices(testDatabaseUrl(), ['legal-instruments'], 0, DERIVED);
      services.push(legal);
      slow = await startSlowProxy(legal.url, 1000, Number(env.LEGAL_INSTRUMENTS_PORT));
      await waitForServices(`${base}/readyz`, proc);
      const inFlight = post(`${base}/graphql`, INSTRUMENT);
      await new Promise((r) => setTimeout(r, 300));
      const signalled = Date.now();
      proc.child.kill('SIGTERM');
      const answer = await inFlight;
      const exit = await proc.exited;
      expect({ body: answer.body, code: exit.code }).toEqual({ body: INSTRUMENT_ANSWER, code: 0 });
      expect(exit.at - signalled).toBeLessThan(5000);
    } finally {
      proc.child.kill('SIGKILL');
      await slow?.stop();
      for (const s of services) await s.stop();
    }
  });
});

interface System extends Proc {
  ports: Record<string, string>;
  /** Resolves with the first match of `pattern` in the output (from `from` on), or rejects when npm start exits first. */
  line(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpExecArray>;
}

/** `npm start` on the test database, with its own ports. */
async function startSystem(): Promise<System> {
  const ports = await servicePorts();
  // Each service in its own process: killing one leaves the others serving.
  const proc = run(path.join('scripts', 'start.ts'), {
    ...ports,
    NODE_ENV: 'development',
    DATABASE_URL: testDatabaseUrl(),
    SERVICE_PROCESSES: 'each',
  });
  const line = async (pattern: RegExp, timeoutMs = 60_000, from = 0): Promise<RegExpExecArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pattern.exec(proc.output().slice(from));
      if (found) return found;
      if (proc.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`no line matching ${pattern}:\n${proc.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await line(/Migration Graph is ready/, 120_000);
  return { ...proc, ports, line };
}

function portInUse(port: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Line numbers of the given lines of output, in the order asked (-1 when missing). */
function positions(output: string, lines: string[]): number[] {
  const all = output.split('\n');
  return lines.map((l) => all.indexOf(l));
}

const TWO_SERVICES = `{ instrument(code: "ICRMW") { shortTitle } country(code: "SEN") { name } }`;

describe('npm start supervises its processes', () => {
  it('restarts a killed service while the others keep answering, then answers fully, and Ctrl-C stops the gateway, the services and every port', async () => {
    const system = await startSystem();
    const gatewayUrl = `http://127.0.0.1:${system.ports.GATEWAY_PORT}/graphql`;
    try {
      const pid = listenerPid(system.ports.LEGAL_INSTRUMENTS_PORT);
      const mark = system.output().length;
      process.kill(pid, 'SIGKILL');
      await system.line(
        new RegExp(
          `legal-instruments \\(pid ${pid}\\) exited \\(killed by SIGKILL\\) after [\\d.]+ s up; restarting it in 0\\.5 s`,
        ),
        10_000,
        mark,
      );
      const whileDown = await post(gatewayUrl, TWO_SERVICES);
      expect(whileDown).toEqual({
        status: 200,
        ms: whileDown.ms,
        body: {
          data: { instrument: null, country: { name: 'Senegal' } },
          errors: [
            {
              message: 'The legal-instruments service is unavailable',
              extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'legal-instruments' },
            },
          ],
        },
      });
      await system.line(/\[start\] legal-instruments is ready again \(pid \d+, restart 1\)/, 60_000, mark);
      expect(listenerPid(system.ports.LEGAL_INSTRUMENTS_PORT)).not.toBe(pid);
      const afterRestart = await post(gatewayUrl, TWO_SERVICES);
      expect(afterRestart.body).toEqual({
        data: { instrument: { shortTitle: 'Migrant Workers Convention' }, country: { name: 'Senegal' } },
      });
    } finally {
      // Ctrl-C in a terminal is a SIGINT to npm start alone (its children have their own process group).
      system.child.kill('SIGINT');
    }
    const exit = await system.exited;
    expect(exit.code).toBe(0);
    const order = positions(system.output(), [
      '[start] SIGINT: stopping',
      '[start] gateway stopped (code 0)',
      '[start] legal-instruments stopped (code 0)',
      '[start] stopped',
    ]);
    expect(order.every((p, i) => p >= 0 && (i === 0 || p > order[i - 1]))).toBe(true);
    expect(await Promise.all(Object.values(system.ports).map(portInUse))).toEqual([false, false, false, false, false]);
  }, 180_000);

  it('gives up on a service that exits again at every restart, says so, and stops everything with exit code 1', async () => {
    const system = await startSystem();
    let blocker: net.Server | undefined;
    try {
      const pid = listenerPid(system.ports.LEGAL_INSTRUMENTS_PORT);
      const mark = system.output().length;
      process.kill(pid, 'SIGKILL');
      await system.line(/legal-instruments \(pid \d+\) exited/, 10_000, mark);
      // Its port taken by someone else (who hangs up at once): every restart fails during start-up.
      const server = net.createServer((socket) => socket.destroy());
      blocker = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(Number(system.ports.LEGAL_INSTRUMENTS_PORT), '127.0.0.1', resolve);
      });
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([
        system.exited,
        new Promise<never>(
          (_, reject) => (timer = setTimeout(() => reject(new Error(`npm start did not give up:\n${system.output()}`)), 120_000)),
        ),
      ]).finally(() => clearTimeout(timer));
      const restarts =
        system
          .output()
          .match(/legal-instruments \(pid \d+\) exited \(code 1\) before it was ready; restarting it in [\d.]+ s/g) ?? [];
      expect({
        code: exit.code,
        restarts: restarts.map((l) => l.replace(/pid \d+/, 'pid N')),
        gaveUp:
          /\[start\] ERROR legal-instruments failed to start 4 times in a row \(last: code 1\): it cannot start, so everything stops/.test(
            system.output(),
          ),
      }).toEqual({
        code: 1,
        restarts: [1, 2, 4].map(
          (s) => `legal-instruments (pid N) exited (code 1) before it was ready; restarting it in ${s.toFixed(1)} s`,
        ),
        gaveUp: true,
      });
      expect(system.output()).toContain('[start] stopped');
      const others = Object.entries(system.ports)
        .filter(([k]) => k !== 'LEGAL_INSTRUMENTS_PORT')
        .map(([, p]) => p);
      expect(await Promise.all(others.map(portInUse))).toEqual([false, false, false, false]);
    } finally {
      system.child.kill('SIGKILL');
      await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    }
  }, 180_000);
});
