import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BaseContext } from '@apollo/server';
import { Client } from 'pg';
import {
  databasePasswordVariable,
  loadConfig,
  perService,
  SERVICE_NAMES,
  SERVICE_SCHEMAS,
  type ServiceName,
} from '../../shared/src/runtime/config';
import {
  createLoginRole,
  hostedServicesDatabaseSettings,
  serviceRole,
  serviceRolePassword,
} from '../../shared/src/data/databaseRoles';
import { startEmbeddedPostgres } from '../../shared/src/data/embeddedPostgres';
import { createLogger } from '../../shared/src/runtime/logger';
import { freePort, withDatabase } from '../../shared/src/runtime/net';
import { prepareDatabase, type ServiceDefinition, startService } from '../../shared/src/runtime/service';
import { definition as legal } from '../../services/legal-instruments/src/service';
import { definition as data } from '../../services/migration-data/src/service';
import { loadServices } from '../../services/definitions';
import { startNpmStart } from '../support/npmStart';
import { type ServiceHarness, startServiceHarness, testDatabaseUrl } from '../support/serviceHarness';
import { required } from '../../shared/src/runtime/required';
import { runScript } from '../support/childProcess';
import { createEmptyDatabase } from '../support/privateDatabase';

/**
 * Finding 8 of issue #11: every service connected as the PostgreSQL superuser (postgres/postgres on
 * the embedded server) and the gateway received DATABASE_URL. Now each service logs in as its own
 * role, owning its schema and nothing else, and the gateway gets no database settings.
 */

const DEFINITIONS = loadServices();
/** Each service's role: mg_ and its name in snake case (mg_legal_instruments, ...). */
const ROLES = perService((name) => `mg_${name.replace(/-/g, '_')}`);

/** The SQLSTATE a statement fails with, or 'ok'. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (e) {
    return String((e as { code?: string }).code ?? (e as Error).message);
  }
}

describe('each service connects as its own database role', () => {
  const harnesses = new Map<ServiceName, ServiceHarness>();
  const harness = (name: ServiceName) => required(harnesses.get(name), `the harness of ${name}`);
  beforeAll(async () => {
    for (const def of DEFINITIONS) harnesses.set(def.name, await startServiceHarness(def));
  });
  afterAll(async () => {
    for (const h of harnesses.values()) await h.close();
  });

  it('logs in as a role of its own that is no superuser and may not create databases or roles', async () => {
    const seen: Record<string, unknown> = {};
    for (const def of DEFINITIONS) {
      [seen[def.name]] = await harness(def.name).ds.query(
        `SELECT current_user AS role, rolsuper AS superuser, rolcreatedb AS "createDb", rolcreaterole AS "createRole", rolbypassrls AS "bypassRls"
           FROM pg_roles WHERE rolname = current_user`,
      );
    }
    expect(seen).toEqual(
      Object.fromEntries(
        DEFINITIONS.map((def) => [
          def.name,
          { role: ROLES[def.name], superuser: false, createDb: false, createRole: false, bypassRls: false },
        ]),
      ),
    );
  });

  it('owns its schema and every table in it, because its migrations ran as that role', async () => {
    const owners: Record<string, unknown> = {};
    for (const def of DEFINITIONS) {
      const ds = harness(def.name).ds;
      const [schema] = await ds.query(`SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1`, [
        def.schema,
      ]);
      // Stock revision tables are made by imports, not migrations; import tests run their imports as
      // the administrator on the shared test database, so theirs are left out here.
      const tables: { owner: string }[] = await ds.query(
        `SELECT DISTINCT tableowner AS owner FROM pg_tables
          WHERE schemaname = $1 AND tablename !~ '^stock_(corridor|country_year)_.+'`,
        [def.schema],
      );
      owners[def.name] = { schema: schema.owner, tables: tables.map((t) => t.owner) };
    }
    expect(owners).toEqual(
      Object.fromEntries(DEFINITIONS.map((def) => [def.name, { schema: ROLES[def.name], tables: [ROLES[def.name]] }])),
    );
  });

  it("cannot read, change or add to another service's schema", async () => {
    const seen: Record<string, Record<string, string>> = {};
    for (const def of DEFINITIONS) {
      const ds = harness(def.name).ds;
      for (const other of DEFINITIONS.filter((d) => d !== def)) {
        // The catalog is public: the other schema's tables can be named, not touched.
        const [{ table }] = await ds.query(`SELECT min(tablename) AS table FROM pg_tables WHERE schemaname = $1`, [other.schema]);
        const target = `"${other.schema}"."${table}"`;
        seen[`${def.name} -> ${other.schema}`] = {
          read: await outcome(() => ds.query(`SELECT * FROM ${target} LIMIT 1`)),
          delete: await outcome(() => ds.query(`DELETE FROM ${target}`)),
          create: await outcome(() => ds.query(`CREATE TABLE "${other.schema}"."intruder" (id int)`)),
        };
      }
    }
    const denied = { read: '42501', delete: '42501', create: '42501' };
    expect(seen).toEqual(
      Object.fromEntries(
        DEFINITIONS.flatMap((def) => DEFINITIONS.filter((d) => d !== def).map((o) => [`${def.name} -> ${o.schema}`, denied])),
      ),
    );
  });

  // (That it may not create a database is its rolcreatedb above: trying would leave one behind on the old code.)
  it('cannot create a schema or a table in the public schema, and can still use its own schema', async () => {
    const seen: Record<string, Record<string, string>> = {};
    for (const def of DEFINITIONS) {
      const ds = harness(def.name).ds;
      const suffix = crypto.randomBytes(3).toString('hex');
      seen[def.name] = {
        schema: await outcome(() => ds.query(`CREATE SCHEMA "intruder_${suffix}"`)),
        public: await outcome(() => ds.query(`CREATE TABLE public."intruder_${suffix}" (id int)`)),
        own: await outcome(() => ds.query(`SELECT count(*) FROM "${def.schema}"."migrations"`)),
      };
    }
    expect(seen).toEqual(
      Object.fromEntries(DEFINITIONS.map((def) => [def.name, { schema: '42501', public: '42501', own: 'ok' }])),
    );
  });
});

describe("a service given the administrator's URL", () => {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });

  it("still logs in as its own role (the in-process stack and the tests pass the administrator's URL)", async () => {
    const running = await startService(legal as unknown as ServiceDefinition<BaseContext>, {
      url: testDatabaseUrl(),
      database: config.database,
      port: 0,
      host: '127.0.0.1',
      log: createLogger('roles-test', 'silent'),
      secret: 's'.repeat(32),
    });
    try {
      expect(await running.ds.query('SELECT current_user AS role')).toEqual([{ role: 'mg_legal_instruments' }]);
    } finally {
      await running.stop();
    }
  });
});

describe('a service process in production (docker compose, Kubernetes)', () => {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  // The server and database only, as compose and the manifests give it.
  const serverUrl = () => {
    const u = new URL(testDatabaseUrl());
    u.username = '';
    u.password = '';
    return u.toString();
  };
  const run = async (env: Record<string, string>) => {
    const port = await freePort();
    const { child, exited, output } = runScript('scripts/runService.ts', ['legal-instruments'], {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      LEGAL_INSTRUMENTS_PORT: String(port),
      SERVICE_SECRET_LEGAL_INSTRUMENTS: 's'.repeat(32),
      DATABASE_URL: serverUrl(),
      ...env,
    });
    return { child, port, exited, output };
  };

  it('logs in as its own role with DATABASE_PASSWORD_<SERVICE> and a URL that names only the server', async () => {
    const service = await run({
      DATABASE_PASSWORD_LEGAL_INSTRUMENTS: serviceRolePassword(config.database, testDatabaseUrl(), 'legal-instruments'),
    });
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (service.child.exitCode !== null || Date.now() > deadline) throw new Error(`not ready:\n${service.output()}`);
        const ready = await fetch(`http://127.0.0.1:${service.port}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const admin = new Client({ connectionString: testDatabaseUrl() });
      await admin.connect();
      const { rows } = await admin.query(
        `SELECT DISTINCT usename AS role FROM pg_stat_activity WHERE application_name = 'legal-instruments' AND datname = current_database()`,
      );
      await admin.end();
      expect(rows).toContainEqual({ role: 'mg_legal_instruments' });
      expect(rows.filter((r: { role: string }) => r.role !== 'mg_legal_instruments')).toEqual([]);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  }, 90_000);

  it('refuses to start without its database password, naming the variable', async () => {
    const service = await run({});
    expect(await service.exited).toBe(2);
    expect(service.output()).toContain('DATABASE_PASSWORD_LEGAL_INSTRUMENTS must be set in production');
  }, 60_000);
});

describe('provisioning the roles', () => {
  const admin = () => withDatabase(testDatabaseUrl(), 'postgres');
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const log = createLogger('roles-test', 'silent');

  async function withScratchDatabase(run: (url: string) => Promise<void>): Promise<void> {
    const db = await createEmptyDatabase('mg_roles');
    try {
      await run(db.url);
    } finally {
      await db.drop();
    }
  }

  it('gives a schema that the superuser made and migrated (data from before roles) to the service role, with every object in it', async () => {
    await withScratchDatabase(async (url) => {
      // The old way: schema, tables, views, functions and partitions made by the superuser.
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query(`CREATE SCHEMA "${SERVICE_SCHEMAS['migration-data']}"`);
      const old = data.createDataSource(url, config.database, log);
      await old.initialize();
      await old.runMigrations({ transaction: 'each' });
      await old.destroy();
      await prepareDatabase(data as unknown as ServiceDefinition<BaseContext>, url, config.database, log, { seed: false });
      const { rows } = await client.query(
        `SELECT kind, owner::regrole::text AS owner, count(*)::int AS n FROM (
           SELECT 'schema' AS kind, nspowner AS owner FROM pg_namespace WHERE nspname = 'data'
           UNION ALL SELECT 'relation', relowner FROM pg_class WHERE relnamespace = 'data'::regnamespace
           UNION ALL SELECT 'function', proowner FROM pg_proc WHERE pronamespace = 'data'::regnamespace
           UNION ALL SELECT 'type', typowner FROM pg_type WHERE typnamespace = 'data'::regnamespace) o
         GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      await client.end();
      expect(rows.map((r: { kind: string; owner: string }) => ({ kind: r.kind, owner: r.owner }))).toEqual([
        { kind: 'function', owner: 'mg_migration_data' },
        { kind: 'relation', owner: 'mg_migration_data' },
        { kind: 'schema', owner: 'mg_migration_data' },
        { kind: 'type', owner: 'mg_migration_data' },
      ]);
    });
  }, 120_000);

  it('lets several databases of one server be provisioned at once (test runs in parallel), and a role created by racing processes exists once', async () => {
    await withScratchDatabase((first) =>
      withScratchDatabase(async (second) => {
        await Promise.all(
          [first, second].flatMap((url) =>
            DEFINITIONS.map((def) => prepareDatabase(def, url, config.database, log, { seed: false })),
          ),
        );
        const role = `mg_race_${crypto.randomBytes(4).toString('hex')}`;
        const clients = await Promise.all(
          Array.from({ length: 6 }, async () => {
            const c = new Client({ connectionString: admin() });
            await c.connect();
            return c;
          }),
        );
        try {
          const results = await Promise.all(clients.map((c) => outcome(() => createLoginRole(c, role, 'not-used-to-log-in'))));
          expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
          expect((await clients[0].query('SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1', [role])).rows).toEqual([
            { n: 1 },
          ]);
        } finally {
          await clients[0].query(`DROP ROLE IF EXISTS ${clients[0].escapeIdentifier(role)}`);
          await Promise.all(clients.map((c) => c.end()));
        }
      }),
    );
  }, 120_000);
});

describe('the embedded PostgreSQL', () => {
  it('has a random superuser password, kept in its data folder with mode 0600, and refuses postgres/postgres, also after an upgrade from a cluster that used it', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-roles-'));
    // As root the server runs as "postgres", which must be able to enter the folder.
    fs.chmodSync(base, 0o755);
    const dir = path.join(base, 'postgres');
    const file = path.join(dir, 'superuser-password');
    const attempt = (url: string) =>
      outcome(async () => {
        const c = new Client({ connectionString: url });
        await c.connect();
        await c.end();
      });
    const legacyUrl = (port: number) => `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    try {
      const port = await freePort();
      let server = await startEmbeddedPostgres({ dir, port, database: 'postgres' });
      try {
        const password = decodeURIComponent(new URL(server.adminUrl).password);
        expect({
          mode: (fs.statSync(file).mode & 0o777).toString(8),
          stored: fs.readFileSync(file, 'utf8').trim() === password,
          strong: password.length >= 32 && password !== 'postgres',
          legacy: await attempt(legacyUrl(port)),
          admin: await attempt(server.adminUrl),
        }).toEqual({ mode: '600', stored: true, strong: true, legacy: '28P01', admin: 'ok' });
        // Make it look like a cluster of the previous version: the old password, no password file.
        const c = new Client({ connectionString: server.adminUrl });
        await c.connect();
        await c.query(`ALTER ROLE postgres PASSWORD 'postgres'`);
        await c.end();
        fs.rmSync(file);
      } finally {
        await server.stop();
      }
      server = await startEmbeddedPostgres({ dir, port, database: 'postgres' });
      try {
        const password = decodeURIComponent(new URL(server.adminUrl).password);
        expect({
          mode: (fs.statSync(file).mode & 0o777).toString(8),
          stored: fs.readFileSync(file, 'utf8').trim() === password,
          legacy: await attempt(legacyUrl(port)),
          admin: await attempt(server.adminUrl),
        }).toEqual({ mode: '600', stored: true, legacy: '28P01', admin: 'ok' });
      } finally {
        await server.stop();
      }
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  }, 180_000);
});

/** Every process below `root`, with its command line and environment (Linux /proc). */
function descendants(root: number): { pid: number; command: string; env: Record<string, string> }[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const below = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (below.has(ppid) && !below.has(pid)) {
        below.add(pid);
        grew = true;
      }
    }
  }
  below.delete(root);
  return [...below].flatMap((pid) => {
    try {
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      const env = Object.fromEntries(
        fs
          .readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      return [{ pid, command, env }];
    } catch {
      return [];
    }
  });
}

describe('npm start', () => {
  it("gives the services' process the server without credentials and each role's own password, never the administrator's", () => {
    const adminUrl = testDatabaseUrl();
    const config = loadConfig({ ...process.env, NODE_ENV: 'development' });
    const settings = hostedServicesDatabaseSettings(config.database, adminUrl, SERVICE_NAMES);
    const server = new URL(settings.DATABASE_URL);
    const admin = new URL(adminUrl);
    expect({
      server: `${server.host}${server.pathname}`,
      user: server.username,
      password: server.password,
      passwords: Object.fromEntries(Object.entries(settings).filter(([k]) => k !== 'DATABASE_URL')),
    }).toEqual({
      server: `${admin.host}${admin.pathname}`,
      user: '',
      password: '',
      passwords: Object.fromEntries(
        SERVICE_NAMES.map((name) => [databasePasswordVariable(name), serviceRolePassword(config.database, adminUrl, name)]),
      ),
    });
    if (admin.password !== '') expect(Object.values(settings)).not.toContain(decodeURIComponent(admin.password));
  });

  const linux = process.platform === 'linux' ? it : it.skip;
  linux(
    "starts the gateway and the services' process with no database settings, and every session it keeps is a service's own role",
    async () => {
      // A database of its own (npm start migrates and seeds it): only this npm start connects to it.
      const db = await createEmptyDatabase('mg_start_roles');
      const adminUrl = db.url;
      const { child, ports, exited } = await startNpmStart(adminUrl, 180_000).catch(async (error: unknown) => {
        await db.drop();
        throw error;
      });
      try {
        const processes = descendants(required(child.pid, 'the process id of npm start'));
        const entry = (name: string) =>
          required(
            processes.find((p) => p.command.includes(name)),
            `the process of ${name}`,
          );
        // The services' process starts while the database is prepared, and is told its settings over IPC then.
        const database = (env: Record<string, string>) =>
          Object.keys(env).filter((k) => k === 'DATABASE_URL' || k.startsWith('DATABASE_PASSWORD_'));
        expect({
          gateway: database(entry('gateway/src/index.js').env),
          services: database(entry(`scripts/runService.js ${SERVICE_NAMES.join(' ')}`).env),
        }).toEqual({ gateway: [], services: [] });
        const res = await fetch(`http://127.0.0.1:${ports[0]}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ country(code: "SEN") { name trainings { id } } }' }),
        });
        const body = (await res.json()) as { data?: { country?: { name?: string } } };
        expect(body.data?.country?.name).toBe('Senegal');
        // Migrating is over: what npm start keeps connected to the database logs in as the services' roles only.
        const client = new Client({ connectionString: adminUrl });
        await client.connect();
        try {
          const { rows } = await client.query<{ role: string }>(
            // Client sessions only: an autovacuum worker on the freshly seeded tables has no role (usename null).
            `SELECT DISTINCT usename AS role FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' ORDER BY 1`,
          );
          expect(rows.map((r) => r.role)).toEqual(SERVICE_NAMES.map(serviceRole).sort());
        } finally {
          await client.end();
        }
      } finally {
        child.kill('SIGTERM');
        await exited;
        await db.drop();
      }
      expect(await exited).toBe(0);
    },
    300_000,
  );
});
