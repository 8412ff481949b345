// npm run db:reset [-- --yes]: deletes every service's data so that the next start migrates and seeds
// afresh: on a server, the four services' schemas; on the embedded database, its data folder.
// It refuses in production and while anything uses the database, and asks first unless given --yes.
// Exit codes: 0 done (or nothing to delete), 2 refused (nothing deleted), 1 failed.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { type Config, loadConfig, SERVICE_NAMES, SERVICE_SCHEMAS } from '../shared/src/runtime/config';
import { usableDataDir } from '../shared/src/data/embeddedPostgres';

const USAGE = 'usage: npm run db:reset [-- --yes]   (--yes: do not ask; needed without a terminal)';

/** Nothing was deleted, on purpose: exit code 2. */
class Refusal extends Error {}

function say(line: string): void {
  process.stdout.write(`[db:reset] ${line}\n`);
}

/** Asks on the terminal; only the word "yes" goes ahead. */
async function confirmed(what: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY)
    throw new Refusal('not confirmed, and there is no terminal to ask on: pass --yes to delete without asking');
  process.stdout.write(`${what}\n`);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise<string>((resolve) => {
    rl.once('close', () => resolve('')); // Ctrl-D or Ctrl-C: no
    rl.question('Type yes to delete it all: ', resolve);
  });
  rl.close();
  if (answer.trim() !== 'yes') throw new Refusal('not confirmed: nothing deleted');
}

interface Session {
  pid: number;
  usename: string | null;
  application_name: string;
}

/** Other client sessions on this database: the stack's services, a psql, an import... */
async function otherSessions(client: Client): Promise<Session[]> {
  const { rows } = await client.query<Session>(
    `SELECT pid, usename, application_name FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
      ORDER BY pid`,
  );
  return rows;
}

function inUse(database: string, sessions: Session[]): Refusal {
  const who = [
    ...new Set(sessions.map((s) => `${s.usename ?? '?'}${s.application_name ? ` (${s.application_name})` : ''}`)),
  ].join(', ');
  return new Refusal(
    `database "${database}" is in use by ${sessions.length} other session(s): ${who}; stop npm start and every other client first`,
  );
}

async function resetServer(url: string, yes: boolean): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1)) || 'postgres';
  const client = new Client({ connectionString: url, application_name: 'db:reset' });
  await client.connect();
  try {
    const schemas = SERVICE_NAMES.map((n) => SERVICE_SCHEMAS[n]);
    const { rows } = await client.query<{ nspname: string }>(
      'SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY nspname',
      [schemas],
    );
    const present = rows.map((r) => r.nspname);
    if (present.length === 0) {
      say(`nothing to delete: database "${database}" on ${target.host} has none of the schemas ${schemas.join(', ')}`);
      return;
    }
    const sessions = await otherSessions(client);
    if (sessions.length > 0) throw inUse(database, sessions);
    await confirmed(
      `This deletes the schemas ${present.join(', ')} (every service's data) of database "${database}" on ${target.host}.`,
      yes,
    );
    await client.query('BEGIN');
    // Whoever holds a lock on these tables is using them: refuse rather than wait.
    await client.query(`SET LOCAL lock_timeout = '3s'`);
    try {
      for (const schema of present) await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`);
    } catch (error) {
      await client.query('ROLLBACK');
      if ((error as { code?: string }).code === '55P03')
        throw new Refusal(`the tables of database "${database}" are in use (a lock was held for 3 s): nothing deleted`);
      throw error;
    }
    // Checked again with the schemas locked: a client that connected while we asked is seen here,
    // and one that connects later finds the schemas gone, not a write that silently disappears.
    const late = await otherSessions(client);
    if (late.length > 0) {
      await client.query('ROLLBACK');
      throw inUse(database, late);
    }
    await client.query('COMMIT');
    say(`dropped the schemas ${present.join(', ')} of database "${database}": the next npm start migrates and seeds afresh`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The embedded server's process as its postmaster.pid names it, if that process is alive. */
function runningPostmaster(dir: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but another user's (the "postgres" user when started as root).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

async function resetEmbedded(config: Config, yes: boolean): Promise<void> {
  const { dir } = usableDataDir(config.database.embeddedDir);
  if (!fs.existsSync(dir)) {
    say(`nothing to delete: there is no embedded database in ${dir}`);
    return;
  }
  const refuseIfRunning = () => {
    const pid = runningPostmaster(dir);
    if (pid !== null) throw new Refusal(`the embedded PostgreSQL is running (pid ${pid}, data in ${dir}): stop npm start first`);
  };
  refuseIfRunning();
  await confirmed(`This deletes the embedded database (every service's data) in ${dir}.`, yes);
  refuseIfRunning(); // it may have started while we asked
  fs.rmSync(dir, { recursive: true, force: true });
  say(`deleted the embedded database in ${dir}: the next npm start creates, migrates and seeds it afresh`);
}

async function main(): Promise<void> {
  let yes: boolean;
  try {
    ({
      values: { yes = false },
    } = parseArgs({ options: { yes: { type: 'boolean', short: 'y' } }, allowPositionals: false }));
  } catch (error) {
    throw new Refusal(`${(error as Error).message}\n${USAGE}`);
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    throw new Refusal((error as Error).message);
  }
  if (config.nodeEnv === 'production') {
    throw new Refusal("NODE_ENV is production: db:reset deletes every service's data and never runs in production");
  }
  if (config.database.url) await resetServer(config.database.url, yes);
  else await resetEmbedded(config, yes);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const refused = error instanceof Refusal;
    process.stderr.write(
      `[db:reset] ${refused ? 'refused: ' : 'failed: '}${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(refused ? 2 : 1);
  },
);
