// Keeps one process of npm start running: the first start must succeed, later exits are restarted
// with exponential backoff, and a process that keeps exiting is given up on (then everything stops).
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { CODE_ROOT, PROJECT_ROOT } from '../shared/src/runtime/config';
import type { Logger } from '../shared/src/runtime/logger';

/** Restart timing: 0.5 s doubling to 30 s; a process up for a minute starts again from 0.5 s. */
export const RESTART_POLICY = {
  firstDelayMs: 500,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  /** This many exits within the window, or restarts in a row that exit before they are ready, mean the
   * process cannot run: restarting it more would only hide that. */
  crashLimit: 5,
  crashWindowMs: 60_000,
  failedStartLimit: 4,
  readyTimeoutMs: 60_000,
  stopTimeoutMs: 10_000,
};

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Child {
  process: ChildProcess;
  exited: Promise<Exit>;
  /** Set once the process has exited, whether with a code or by a signal. */
  exit: Exit | null;
  /** When it became ready; null while starting. */
  readyAt: number | null;
}

/** Run from compiled JavaScript (npm start), the children are too; from TypeScript, they run through the same loader. */
const COMPILED = path.extname(__filename) === '.js';

/** How node runs a project script given without its extension (`scripts/runService`), with its arguments. */
export function nodeArguments([script, ...args]: readonly string[]): string[] {
  return COMPILED ? [path.join(CODE_ROOT, `${script}.js`), ...args] : ['--import', 'tsx', `${script}.ts`, ...args];
}

/**
 * V8 flags of npm start's gateway and services in the development layout (the services in one
 * process): a young generation of 1 MiB per semi-space instead of 16 keeps about 20 MiB less
 * resident in each, for more (short) collections under load. SERVICE_PROCESSES=each (as deployed,
 * and the benchmark), compose, Kubernetes and the image do not use them.
 */
export const LEAN_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/**
 * Set in the environment of a process started before its settings are known (see
 * SupervisedProcess.startBefore): it loads its code, then waits for them over IPC.
 */
export const AWAIT_SETTINGS = 'MG_AWAIT_SETTINGS';

/** The IPC message that gives such a process its remaining settings, merged into its environment. */
export interface SettingsMessage {
  type: 'settings';
  env: Record<string, string>;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function describeExit({ code, signal }: Exit): string {
  return signal ? `killed by ${signal}` : `code ${code}`;
}

export class SupervisedProcess {
  private child: Child | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  /** When the recent exits happened, for the crash limit. */
  private exits: number[] = [];
  /** Exits since the process last stayed up a while: sets the next delay. */
  private quickExits = 0;
  /** Restarts in a row that exited before they were ready. */
  private failedStarts = 0;
  private restarts = 0;

  constructor(
    readonly name: string,
    /** The script (without its extension) and its arguments, run as nodeArguments says. */
    private readonly entry: readonly string[],
    private env: NodeJS.ProcessEnv,
    /** Its /readyz, or the /readyz of every server it runs: it is ready when all answer 200. */
    private readonly readyUrls: readonly string[],
    private readonly log: Logger,
    /** Called once when the process cannot be kept running; the caller stops everything. */
    private readonly giveUp: (reason: string) => void,
    /** Node's own flags, before the script. */
    private readonly nodeFlags: readonly string[] = [],
  ) {}

  /** The first start: resolves once ready; rejects when the process exits or is not ready in time (nothing restarts it then). */
  async start(): Promise<void> {
    const child = this.spawn();
    await this.waitReady(child);
    child.readyAt = Date.now();
    this.watch(child);
    this.log.info(`${this.name} is ready (pid ${child.process.pid})`);
  }

  /**
   * The first start of a process whose last settings are not known yet (the database's, while it is
   * being prepared): it is spawned at once and loads its code meanwhile, then gets `settings` over
   * IPC when they are known (they are part of its environment at every restart). Resolves once it
   * is ready; rejects when it exits first, or is not ready in time after its settings.
   */
  async startBefore(settings: Promise<Record<string, string>>): Promise<void> {
    const child = this.spawn({ [AWAIT_SETTINGS]: '1' });
    const first = await Promise.race([settings.then((env) => ({ env })), child.exited.then((exit) => ({ exit }))]);
    if ('exit' in first) throw new Error(`${this.name} exited during start-up (${describeExit(first.exit)})`);
    this.env = { ...this.env, ...first.env };
    const message: SettingsMessage = { type: 'settings', env: first.env };
    child.process.send(message);
    await this.waitReady(child);
    child.readyAt = Date.now();
    this.watch(child);
    this.log.info(`${this.name} is ready (pid ${child.process.pid})`);
  }

  /** SIGTERM, then SIGKILL after a grace period; no restart follows. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exit) return;
    child.process.kill('SIGTERM');
    const timer = setTimeout(() => child.process.kill('SIGKILL'), RESTART_POLICY.stopTimeoutMs);
    const exit = await child.exited;
    clearTimeout(timer);
    this.log.info(`${this.name} stopped (${describeExit(exit)})`);
  }

  private spawn(extraEnv: NodeJS.ProcessEnv = {}): Child {
    const proc = spawn(process.execPath, [...this.nodeFlags, ...nodeArguments(this.entry)], {
      cwd: PROJECT_ROOT,
      env: { ...this.env, ...extraEnv },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Own process group: Ctrl-C reaches the orchestrator only, which stops everything in order.
      detached: true,
    });
    const child: Child = {
      process: proc,
      exit: null,
      readyAt: null,
      exited: new Promise<Exit>((resolve) =>
        proc.once('exit', (code, signal) => {
          child.exit = { code, signal };
          resolve(child.exit);
        }),
      ),
    };
    this.child = child;
    return child;
  }

  private async waitReady(child: Child): Promise<void> {
    const deadline = Date.now() + RESTART_POLICY.readyTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exit) throw new Error(`${this.name} exited during start-up (${describeExit(child.exit)})`);
      const ok = (
        await Promise.all(
          this.readyUrls.map((url) =>
            fetch(url, { signal: AbortSignal.timeout(2000) }).then(
              (r) => r.ok,
              () => false,
            ),
          ),
        )
      ).every(Boolean);
      if (ok && !child.exit) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} was not ready within ${seconds(RESTART_POLICY.readyTimeoutMs)} (${this.readyUrls.join(', ')})`);
  }

  /** After the first start, every exit of this child leads to a restart (or to giving up). */
  private watch(child: Child): void {
    void child.exited.then((exit) => {
      if (this.stopping || this.child !== child) return;
      const now = Date.now();
      const upMs = child.readyAt === null ? 0 : now - child.readyAt;
      if (upMs >= RESTART_POLICY.stableAfterMs) this.quickExits = 0;
      this.exits = [...this.exits.filter((t) => now - t < RESTART_POLICY.crashWindowMs), now];
      this.failedStarts = child.readyAt === null ? this.failedStarts + 1 : 0;
      if (this.failedStarts >= RESTART_POLICY.failedStartLimit) {
        this.log.error(
          `${this.name} failed to start ${this.failedStarts} times in a row (last: ${describeExit(exit)}): it cannot start, so everything stops`,
        );
        this.giveUp(`${this.name} cannot start`);
        return;
      }
      if (this.exits.length >= RESTART_POLICY.crashLimit) {
        this.log.error(
          `${this.name} exited ${this.exits.length} times within ${seconds(RESTART_POLICY.crashWindowMs)} (last: ${describeExit(exit)}): it cannot be kept running, so everything stops`,
        );
        this.giveUp(`${this.name} cannot be kept running`);
        return;
      }
      const delay = Math.min(RESTART_POLICY.firstDelayMs * 2 ** this.quickExits, RESTART_POLICY.maxDelayMs);
      this.quickExits += 1;
      this.log.warn(
        `${this.name} (pid ${child.process.pid}) exited (${describeExit(exit)})` +
          (child.readyAt === null ? ' before it was ready' : ` after ${seconds(upMs)} up`) +
          `; restarting it in ${seconds(delay)}`,
      );
      this.restartTimer = setTimeout(() => void this.restart(), delay);
    });
  }

  private async restart(): Promise<void> {
    this.restartTimer = null;
    if (this.stopping) return;
    this.restarts += 1;
    const child = this.spawn();
    this.watch(child);
    try {
      await this.waitReady(child);
    } catch {
      // watch() counts an exit; a process that hangs without becoming ready is killed, which counts as one.
      if (!child.exit && !this.stopping) {
        this.log.warn(
          `${this.name} (pid ${child.process.pid}) was not ready within ${seconds(RESTART_POLICY.readyTimeoutMs)} of its restart: killing it`,
        );
        child.process.kill('SIGKILL');
      }
      return;
    }
    child.readyAt = Date.now();
    if (!this.stopping) this.log.info(`${this.name} is ready again (pid ${child.process.pid}, restart ${this.restarts})`);
  }
}
