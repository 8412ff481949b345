import crypto from 'node:crypto';
import { Client } from 'pg';
import { ConfigError, databasePasswordVariable, type DatabaseConfig, type ServiceName } from '../runtime/config';
import { localSecret } from '../auth/localSecret';

/**
 * Least privilege in the database: each service logs in as a role of its own that owns the
 * service's schema and nothing else. An administrator's URL (the embedded superuser, or whatever
 * DATABASE_URL names for `npm start`, `npm run migrate` and the tests) creates the roles and the
 * schemas; migrations, seeds and every query then run as the service's role.
 */

/** The login role of a service: mg_legal_instruments, ... (roles are cluster-wide, so prefixed). */
export function serviceRole(service: ServiceName): string {
  return `mg_${service.replace(/-/g, '_')}`;
}

/**
 * A service role's password: DATABASE_PASSWORD_<SERVICE>, or one derived from the administrator's
 * password in the URL (npm start, the embedded server's random one), or, outside production, from a
 * local secret when the server asks for none (trust authentication). Derived passwords are the same
 * for every process and test run that uses the same server, so concurrent runs never reset each
 * other's roles. A URL without a password in production (compose, Kubernetes) needs the variable.
 */
export function serviceRolePassword(database: DatabaseConfig, adminUrl: string, service: ServiceName): string {
  const configured = database.rolePasswords[service];
  if (configured) return configured;
  const derive = (master: string) =>
    crypto
      .createHmac('sha256', master)
      .update(`migration-graph database role: ${serviceRole(service)}`, 'utf8')
      .digest('hex');
  const adminPassword = decodeURIComponent(new URL(adminUrl).password);
  if (adminPassword !== '') return derive(adminPassword);
  if (!database.roleSecretFile) {
    throw new ConfigError(
      databasePasswordVariable(service),
      "must be set in production (the password of the service's own database role)",
    );
  }
  // Outside production: a random secret kept in the git-ignored .data folder.
  return derive(localSecret(database.roleSecretFile));
}

/**
 * The database settings of the process that hosts several services (npm start in development): the
 * administrator's server and database without any credentials, and each service role's password
 * (DATABASE_PASSWORD_<SERVICE>), never the administrator's.
 */
export function hostedServicesDatabaseSettings(
  database: DatabaseConfig,
  adminUrl: string,
  services: readonly ServiceName[],
): Record<string, string> {
  const server = new URL(adminUrl);
  server.username = '';
  server.password = '';
  return Object.fromEntries([
    ['DATABASE_URL', server.toString()],
    ...services.map((name) => [databasePasswordVariable(name), serviceRolePassword(database, adminUrl, name)]),
  ]) as Record<string, string>;
}

/** The URL a service connects with: the administrator's server and database, as the service's role. */
export function serviceDatabaseUrl(database: DatabaseConfig, adminUrl: string, service: ServiceName): string {
  const url = new URL(adminUrl);
  // Already the service's own credentials (a service run alone, or an import given them): keep them.
  if (decodeURIComponent(url.username) === serviceRole(service)) return adminUrl;
  url.username = serviceRole(service);
  url.password = serviceRolePassword(database, adminUrl, service);
  return url.toString();
}

interface PgError {
  code?: string;
  message?: string;
}

const pgCode = (e: unknown): string | undefined => (e as PgError).code;

/**
 * Role statements race across databases: two test runs (or two processes) may alter the same
 * cluster-wide role at once, and PostgreSQL refuses the second concurrent catalog update: try again.
 */
async function withCatalogRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (e) {
      const concurrent = pgCode(e) === 'XX000' && /concurrently/.test((e as PgError).message ?? '');
      if (!concurrent && pgCode(e) !== '40001' && pgCode(e) !== '40P01') throw e;
      if (attempt >= 8) throw e;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
    }
  }
}

/** Can the role log in to the database with this password? */
async function canLogIn(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10000 });
  try {
    await client.connect();
    return true;
  } catch (e) {
    // 28P01: wrong password; 28000: no such role or no entry allows it. Anything else is real.
    if (pgCode(e) === '28P01' || pgCode(e) === '28000') return false;
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates a login role with no elevated attribute unless it exists. Roles are cluster-wide, so
 * processes working in different databases can race here: the loser's duplicate is no error.
 */
export async function createLoginRole(admin: Client, role: string, password: string): Promise<void> {
  const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount) return;
  try {
    await admin.query(
      `CREATE ROLE ${admin.escapeIdentifier(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS ` +
        `PASSWORD ${admin.escapeLiteral(password)}`,
    );
  } catch (e) {
    // 42710, or a unique violation on pg_authid when both inserted at once: the other one won.
    if (pgCode(e) !== '42710' && pgCode(e) !== '23505') throw e;
  }
}

const ELEVATED = ['rolsuper', 'rolcreatedb', 'rolcreaterole', 'rolreplication', 'rolbypassrls'] as const;

/**
 * Makes sure the service's role exists with its password and no elevated attribute, may connect to
 * this database (and make temporary tables, which imports use), and owns the service's schema and
 * everything in it, while it gets no right on any other schema. Idempotent; safe to run from several
 * processes at once. Returns the URL the service connects with.
 */
export async function provisionServiceRole(
  database: DatabaseConfig,
  adminUrl: string,
  service: ServiceName,
  schema: string,
): Promise<string> {
  const roleUrl = serviceDatabaseUrl(database, adminUrl, service);
  if (roleUrl === adminUrl) return roleUrl;
  const role = serviceRole(service);
  const password = decodeURIComponent(new URL(roleUrl).password);
  const admin = new Client({ connectionString: adminUrl, application_name: 'migration-graph-provision' });
  await admin.connect();
  const id = (name: string) => admin.escapeIdentifier(name);
  try {
    // One provisioning at a time in this database (advisory locks are per database): the roles'
    // grants all rewrite the same catalog row of the database.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', ['migration-graph:provision']);
    const [{ dbname, superuser }] = (
      await admin.query<{ dbname: string; superuser: boolean }>(
        'SELECT current_database() AS dbname, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
      )
    ).rows;

    await createLoginRole(admin, role, password);
    const found = (
      await admin.query<Record<(typeof ELEVATED)[number], boolean>>(
        `SELECT ${ELEVATED.join(', ')} FROM pg_roles WHERE rolname = $1`,
        [role],
      )
    ).rows[0];
    const elevated = ELEVATED.filter((a) => found[a]);
    if (elevated.length > 0) {
      if (!superuser)
        throw new Error(`the database role ${role} has ${elevated.join(', ')}: a service role must have none of them`);
      await withCatalogRetry(() =>
        admin.query(`ALTER ROLE ${id(role)} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`),
      );
    }
    // Without superuser rights, an administrator acts on a role's objects only as a member of it.
    if (!superuser) await admin.query(`GRANT ${id(role)} TO CURRENT_USER`);

    await withCatalogRetry(() => admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${id(dbname)} TO ${id(role)}`));
    // Before PostgreSQL 15 every role could create objects in the public schema.
    const publicCreate = await admin.query(
      `SELECT 1 FROM pg_namespace WHERE nspname = 'public' AND has_schema_privilege('public', oid, 'CREATE')`,
    );
    if (publicCreate.rowCount) await withCatalogRetry(() => admin.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC'));

    // The password is set only when it does not already work, so runs sharing a server do not
    // rewrite the role at every start.
    if (!(await canLogIn(roleUrl))) {
      await withCatalogRetry(() => admin.query(`ALTER ROLE ${id(role)} LOGIN PASSWORD ${admin.escapeLiteral(password)}`));
    }

    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${id(schema)} AUTHORIZATION ${id(role)}`);
    await transferOwnership(admin, schema, role);
  } finally {
    await admin.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await admin.end();
  }
  return roleUrl;
}

/**
 * A schema made before services had roles of their own (owned by the administrator, as the
 * embedded server's data from earlier versions is) passes to the service's role with every object
 * in it. A table takes its indexes and owned sequences with it.
 */
async function transferOwnership(admin: Client, schema: string, role: string): Promise<void> {
  const id = (name: string) => admin.escapeIdentifier(name);
  const owner = await admin.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1 AND nspowner <> $2::regrole`, [schema, role]);
  if (owner.rowCount) await admin.query(`ALTER SCHEMA ${id(schema)} OWNER TO ${id(role)}`);
  const statements = await admin.query<{ sql: string }>(
    `SELECT format('ALTER %s %s OWNER TO %I',
              CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                             WHEN 'S' THEN 'SEQUENCE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END,
              c.oid::regclass, $2::text) AS sql
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relowner <> $2::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c')
        -- sequences that belong to a column follow their table
        AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                                              AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
     UNION ALL
     SELECT format('ALTER %s %s OWNER TO %I', CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
                   p.oid::regprocedure, $2::text)
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 AND p.proowner <> $2::regrole
     UNION ALL
     SELECT format('ALTER %s %s OWNER TO %I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype, $2::text)
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 AND t.typowner <> $2::regrole AND t.typtype IN ('e', 'd', 'r', 'm')
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.classid = 'pg_type'::regclass AND d.deptype = 'i')`,
    [schema, role],
  );
  for (const { sql } of statements.rows) await admin.query(sql);
}
