import type { GraphQLError } from 'graphql';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ServiceName } from '../runtime/config';
import { writing } from '../data/readCache';
import { badUserInput, graphError, notFound } from '../graphql/errors';
import { type Identity, requireEditor } from '../auth/identity';
import { type IdentifierFormat, isValid, normalise, SERIAL_ID_MAX } from '../reference/identifiers';
import { auditKey, q, writeAudit } from './audit';
import { type FieldRules, Problems, readInput, type Row } from './validation';

/**
 * The SQL write engine shared by the four services: one transaction per mutation, a conditional
 * UPDATE on the version the caller read (no lost updates), soft deletes and restores, each with
 * its audit entry.
 */

export function conflict(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return graphError('CONFLICT', message, extensions);
}

/** One property of a record's key (its column comes from the metadata): the GraphQL input field and how it is parsed. */
export interface KeyPart {
  field: string;
  property: string;
  parse: (value: unknown, p: Problems) => unknown;
}

/** A key of an identifier format; the message says `must be <hint>`. */
export const identifierKey = (property: string, format: IdentifierFormat, hint: string, field = property): KeyPart => ({
  field,
  property,
  parse: (value, p) => {
    const code = normalise(format, value);
    if (!isValid(format, code)) {
      p.add(field, `must be ${hint}`);
      return undefined;
    }
    return code;
  },
});

export const serialKey = (field = 'id', property = 'id'): KeyPart => ({
  field,
  property,
  parse: (value, p) => {
    const n = Number(value);
    if (!/^\d{1,10}$/.test(String(value)) || n < 1 || n > SERIAL_ID_MAX) {
      p.add(field, 'must be a record id (a positive integer)');
      return undefined;
    }
    return n;
  },
});

/**
 * Records of an entity that hold another record's key in one property, by what they are called in
 * messages. Table and column come from TypeORM's metadata, and so does whether the rows are soft
 * deleted (a delete date column).
 */
export interface Reference {
  target: EntityTarget<ObjectLiteral>;
  property: string;
  what: string;
}

/** A reference, its property checked against the entity. */
export function reference<T extends ObjectLiteral>(target: new () => T, property: keyof T & string, what: string): Reference {
  return { target, property, what };
}

/** A record that editors change; rows referencing it are listed so a delete cannot orphan them. */
export interface EditableTable<E extends ObjectLiteral> {
  service: ServiceName;
  /** The service's Postgres schema, where its audit log is. */
  schema: string;
  /** The GraphQL type, also the audit entry's entity name. */
  entity: string;
  /** The entity: its table and columns come from TypeORM's metadata. */
  target: EntityTarget<E>;
  key: KeyPart[];
  /** Records of the same schema that refer to this record by its key. */
  dependents?: Reference[];
}

/** The schema-qualified, quoted table of an entity, from TypeORM's metadata. */
function qualified(ds: DataSource, target: EntityTarget<ObjectLiteral>): string {
  const { schema, tableName, name } = ds.getMetadata(target);
  if (!schema) throw new Error(`${name} has no schema: the data source sets one`);
  return `${q(schema)}.${q(tableName)}`;
}

/** The condition that keeps the live rows of an entity: those not soft deleted, when it can be. */
function liveRows(ds: DataSource, target: EntityTarget<ObjectLiteral>): string {
  const deleted = ds.getMetadata(target).deleteDateColumn;
  return deleted ? ` AND ${q(deleted.databaseName)} IS NULL` : '';
}

/** Translates constraint violations the checks before the write could not see. */
function translateDbError(error: unknown, entity: string): never {
  const code =
    (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ?? (error as { code?: string })?.code;
  if (code === '23505') throw conflict(`A ${entity} with this key already exists (possibly deleted: restore it instead)`);
  if (code === '23514' || code === '23502')
    throw badUserInput(`The ${entity} breaks a rule of the data: check the dates, codes and values`);
  if (code === '23503') throw badUserInput(`The ${entity} refers to a record that does not exist`);
  throw error;
}

/** The rows a statement returned, whatever its kind (TypeORM returns [rows, count] for UPDATE). */
async function returning<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  if (!m.queryRunner) throw new Error('writes run inside a transaction');
  const result = await m.queryRunner.query(sql, params, true);
  return result.records as T[];
}

/** The column of an entity property, from TypeORM's metadata; a rule naming no column is a programming error. */
function columnOf(ds: DataSource, target: EntityTarget<ObjectLiteral>, property: string): string {
  const column = ds.getMetadata(target).findColumnWithPropertyName(property);
  if (!column) throw new Error(`${ds.getMetadata(target).name} has no column for the property "${property}"`);
  return column.databaseName;
}

/** Property values as column values, for SQL and for the checks that read rows as PostgreSQL returns them. */
function toColumns(ds: DataSource, target: EntityTarget<ObjectLiteral>, values: Row): Row {
  return Object.fromEntries(Object.entries(values).map(([property, value]) => [columnOf(ds, target, property), value]));
}

function keyColumns(ds: DataSource, table: EditableTable<ObjectLiteral>): string[] {
  return table.key.map((k) => columnOf(ds, table.target, k.property));
}

function keyWhere(ds: DataSource, table: EditableTable<ObjectLiteral>, alias: string, first: number): string {
  return keyColumns(ds, table)
    .map((column, i) => `${alias}.${q(column)} = $${first + i}`)
    .join(' AND ');
}

/** Pairs the key columns of two aliases of the same table. */
function keyJoin(ds: DataSource, table: EditableTable<ObjectLiteral>, left: string, right: string): string {
  return keyColumns(ds, table)
    .map((c) => `${left}.${q(c)} = ${right}.${q(c)}`)
    .join(' AND ');
}

/** Reads the key fields of an input (before any SQL runs). */
export function readKey(table: EditableTable<ObjectLiteral>, input: Record<string, unknown>, p: Problems): unknown[] {
  return table.key.map((k) => (input[k.field] == null ? (p.add(k.field, 'is required'), undefined) : k.parse(input[k.field], p)));
}

/** The live (not deleted) row, as JSON, without a lock: used to validate an update before it is written. */
export async function currentRow(m: EntityManager, table: EditableTable<ObjectLiteral>, key: unknown[]): Promise<Row | null> {
  const rows: { row: Row }[] = await m.query(
    `SELECT to_jsonb(t) AS row FROM ${qualified(m.connection, table.target)} t WHERE ${keyWhere(m.connection, table, 't', 1)} AND t."deleted_at" IS NULL`,
    key,
  );
  return rows[0]?.row ?? null;
}

/**
 * Fails unless a live record of another entity of the same schema has this value in the property
 * `ref` names (its key); takes a share lock on it so that a concurrent delete of the parent waits
 * for this transaction.
 */
export async function requireLive(m: EntityManager, p: Problems, field: string, ref: Reference, value: unknown): Promise<void> {
  if (value === undefined || value === null) return;
  const column = columnOf(m.connection, ref.target, ref.property);
  const rows: unknown[] = await m.query(
    `SELECT 1 FROM ${qualified(m.connection, ref.target)} WHERE ${q(column)} = $1${liveRows(m.connection, ref.target)} FOR SHARE`,
    [value],
  );
  if (rows.length === 0) p.add(field, `no ${ref.what} has the key "${String(value)}"`);
}

async function reload<E extends ObjectLiteral>(m: EntityManager, table: EditableTable<E>, row: Row): Promise<E> {
  const where = Object.fromEntries(table.key.map((k) => [k.property, row[columnOf(m.connection, table.target, k.property)]]));
  const entity = await m.getRepository(table.target).findOne({ where: where as never, withDeleted: true });
  if (!entity) throw new Error(`${table.entity} vanished inside its own transaction`);
  return entity;
}

/** Why a conditional write touched no row: NOT_FOUND, or CONFLICT with the current version. */
async function explainMiss(
  m: EntityManager,
  table: EditableTable<ObjectLiteral>,
  key: unknown[],
  version: number | null,
  wantDeleted: boolean,
): Promise<never> {
  const rows: { version: number; deleted: boolean }[] = await m.query(
    `SELECT t."version", t."deleted_at" IS NOT NULL AS deleted FROM ${qualified(m.connection, table.target)} t WHERE ${keyWhere(m.connection, table, 't', 1)}`,
    key,
  );
  const label = `${table.entity} ${auditKey(key)}`;
  const row = rows[0];
  if (!row || (row.deleted && !wantDeleted)) throw notFound(`No ${label}${row ? ' (it was deleted)' : ''}`);
  if (!row.deleted && wantDeleted) throw conflict(`${label} is not deleted`, { currentVersion: row.version });
  throw conflict(`${label} changed since version ${String(version)} was read: it is at version ${row.version}; read it again`, {
    currentVersion: row.version,
  });
}

function versionArg(input: Record<string, unknown>, p: Problems, required: boolean): number | null {
  const v = input.version;
  if (v == null) {
    if (required) p.add('version', 'is required: the version you read');
    return null;
  }
  if (!Number.isInteger(v) || (v as number) < 1) {
    p.add('version', 'must be a positive integer');
    return null;
  }
  return v as number;
}

export interface EditContext {
  ds: DataSource;
  identity: Identity;
}

/** What a service says about one editable type. */
export interface EditableSpec<E extends ObjectLiteral> {
  table: EditableTable<E>;
  /** The input fields other than the key and version. */
  fields: FieldRules<E>;
  /** Fields of the create input that form the key (code, id); absent for generated ids. */
  createKey?: FieldRules<E>;
  /** Columns computed from others (such as calendar days from partial dates). */
  derive?(row: Row): Row;
  /**
   * Checks that need the whole record or the database (order of dates, parents), inside the
   * transaction; may return columns taken from the database (such as a unit from a catalogue).
   */
  check?(row: Row, p: Problems, m: EntityManager): Promise<Row | undefined> | Row | undefined;
}

/** create: validates, inserts and audits in one transaction; returns the new record. */
export async function createRecord<E extends ObjectLiteral>(
  ctx: EditContext,
  spec: EditableSpec<E>,
  input: Record<string, unknown>,
): Promise<E> {
  const { table } = spec;
  requireEditor(ctx.identity, table.service);
  const p = new Problems();
  const given = { ...readInput(spec.createKey ?? {}, input, 'create', p), ...readInput(spec.fields, input, 'create', p) };
  p.throwIfAny();
  const values = toColumns(ctx.ds, table.target, given);
  return writing(ctx.ds, () =>
    ctx.ds.transaction(async (m) => {
      const derived = { ...values, ...(spec.derive?.(values) ?? {}) };
      const row = { ...derived, ...((await spec.check?.(derived, p, m)) ?? {}) };
      p.throwIfAny();
      const columns = Object.keys(row);
      const inserted = await returning<{ after: Row }>(
        m,
        `INSERT INTO ${qualified(ctx.ds, table.target)} AS t (${columns.map(q).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
         RETURNING to_jsonb(t) AS after`,
        columns.map((c) => row[c]),
      ).catch((e: unknown) => translateDbError(e, table.entity));
      const after = inserted[0].after;
      await writeAudit(m, table.schema, {
        actor: ctx.identity,
        action: 'create',
        entity: table.entity,
        key: auditKey(keyColumns(ctx.ds, table).map((c) => after[c])),
        before: null,
        after,
      });
      return reload(m, table, after);
    }),
  );
}

/**
 * update: only the given fields change. The write is a conditional UPDATE on the version the
 * caller read; when another write came first it touches no row and the caller gets CONFLICT.
 */
export async function updateRecord<E extends ObjectLiteral>(
  ctx: EditContext,
  spec: EditableSpec<E>,
  input: Record<string, unknown>,
): Promise<E> {
  const { table } = spec;
  requireEditor(ctx.identity, table.service);
  const p = new Problems();
  const key = readKey(table, input, p);
  const version = versionArg(input, p, true);
  const patch = toColumns(ctx.ds, table.target, readInput(spec.fields, input, 'update', p));
  p.throwIfAny();
  return writing(ctx.ds, () =>
    ctx.ds.transaction(async (m) => {
      const current = await currentRow(m, table, key);
      if (!current) return explainMiss(m, table, key, version, false);
      const merged = { ...current, ...patch };
      const derived = spec.derive?.(merged) ?? {};
      const looked = (await spec.check?.({ ...merged, ...derived }, p, m)) ?? {};
      p.throwIfAny();
      const changes = { ...patch, ...derived, ...looked };
      const columns = Object.keys(changes);
      const first = key.length + 2;
      const sets = [...columns.map((c, i) => `${q(c)} = $${first + i}`), `"version" = t."version" + 1`];
      const rows = await returning<{ before: Row; after: Row }>(
        m,
        `UPDATE ${qualified(ctx.ds, table.target)} AS t SET ${sets.join(', ')}
         FROM ${qualified(ctx.ds, table.target)} AS prior
         WHERE ${keyWhere(ctx.ds, table, 't', 1)} AND t."version" = $${key.length + 1} AND t."deleted_at" IS NULL
           AND ${keyJoin(ctx.ds, table, 'prior', 't')}
         RETURNING to_jsonb(prior) AS before, to_jsonb(t) AS after`,
        [...key, version, ...columns.map((c) => changes[c])],
      ).catch((e: unknown) => translateDbError(e, table.entity));
      if (rows.length === 0) return explainMiss(m, table, key, version, false);
      await writeAudit(m, table.schema, {
        actor: ctx.identity,
        action: 'update',
        entity: table.entity,
        key: auditKey(key),
        before: rows[0].before,
        after: rows[0].after,
      });
      return reload(m, table, rows[0].after);
    }),
  );
}

/** delete (soft) or restore: a conditional UPDATE of deleted_at on the version the caller read. */
export async function setDeleted<E extends ObjectLiteral>(
  ctx: EditContext,
  spec: EditableSpec<E>,
  input: Record<string, unknown>,
  deleted: boolean,
): Promise<E> {
  const { table } = spec;
  requireEditor(ctx.identity, table.service);
  const p = new Problems();
  const key = readKey(table, input, p);
  const version = versionArg(input, p, true);
  p.throwIfAny();
  return writing(ctx.ds, () =>
    ctx.ds.transaction(async (m) => {
      // Lock the row first: a child written at the same time holds a share lock on it (requireLive),
      // so the count below runs only after that child committed or rolled back, and a child arriving
      // later waits for this delete and then finds its parent gone.
      await m.query(
        `SELECT 1 FROM ${qualified(ctx.ds, table.target)} t WHERE ${keyWhere(ctx.ds, table, 't', 1)} FOR UPDATE`,
        key,
      );
      if (deleted) {
        for (const dep of table.dependents ?? []) {
          const [{ n }]: { n: number }[] = await m.query(
            `SELECT count(*)::int AS n FROM ${qualified(ctx.ds, dep.target)}
           WHERE ${q(columnOf(ctx.ds, dep.target, dep.property))} = $1${liveRows(ctx.ds, dep.target)}`,
            [key[0]],
          );
          if (n > 0) throw conflict(`${table.entity} ${auditKey(key)} still has ${n} ${dep.what}: delete them first`);
        }
      }
      const rows = await returning<{ before: Row; after: Row }>(
        m,
        `UPDATE ${qualified(ctx.ds, table.target)} AS t SET "deleted_at" = ${deleted ? 'now()' : 'NULL'}, "version" = t."version" + 1
       FROM ${qualified(ctx.ds, table.target)} AS prior
       WHERE ${keyWhere(ctx.ds, table, 't', 1)} AND t."version" = $${key.length + 1} AND t."deleted_at" IS ${deleted ? 'NULL' : 'NOT NULL'}
         AND ${keyJoin(ctx.ds, table, 'prior', 't')}
       RETURNING to_jsonb(prior) AS before, to_jsonb(t) AS after`,
        [...key, version],
      );
      if (rows.length === 0) return explainMiss(m, table, key, version, !deleted);
      if (!deleted) await spec.check?.(rows[0].after, p, m);
      p.throwIfAny(`Restoring ${table.entity} ${auditKey(key)}`);
      await writeAudit(m, table.schema, {
        actor: ctx.identity,
        action: deleted ? 'delete' : 'restore',
        entity: table.entity,
        key: auditKey(key),
        before: rows[0].before,
        after: rows[0].after,
      });
      return reload(m, table, rows[0].after);
    }),
  );
}

const SPECS = new WeakMap<object, EditableSpec<ObjectLiteral>>();

/** The spec behind a resolver made by mutationResolvers: its field rules, for checks that compare them with the schema. */
export function specOf(resolver: unknown): EditableSpec<ObjectLiteral> | undefined {
  return typeof resolver === 'function' ? SPECS.get(resolver) : undefined;
}

/**
 * The four mutations of one editable type, as resolvers returning `{ [payloadField]: record }`: a
 * service's Mutation map, typed with its generated MutationResolvers, checks the payload's field
 * and the record's type against the schema.
 */
export function mutationResolvers<E extends ObjectLiteral, K extends string>(spec: EditableSpec<E>, payloadField: K) {
  type Payload = { [P in K]: E };
  const wrap =
    (run: (ctx: EditContext, input: Record<string, unknown>) => Promise<E>) =>
    async (_: unknown, args: { input: Record<string, unknown> }, ctx: EditContext): Promise<Payload> =>
      // A computed key widens to an index signature: the object has exactly the one field K.
      ({ [payloadField]: await run(ctx, args.input) }) as Payload;
  const resolvers = {
    create: wrap((ctx, input) => createRecord(ctx, spec, input)),
    update: wrap((ctx, input) => updateRecord(ctx, spec, input)),
    delete: wrap((ctx, input) => setDeleted(ctx, spec, input, true)),
    restore: wrap((ctx, input) => setDeleted(ctx, spec, input, false)),
  };
  for (const resolver of Object.values(resolvers)) SPECS.set(resolver, spec as EditableSpec<ObjectLiteral>);
  return resolvers;
}
