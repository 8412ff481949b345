import DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ServiceName } from '../runtime/config';
import { isKnownCountryCode } from '../reference/countries';
import { badUserInput, type FieldProblem, graphError, notFound } from '../graphql/errors';
import { canReadRestricted, type Identity, requireAdmin, requireEditor } from '../auth/identity';
import { COUNTRY_CODE, type IdentifierFormat, isValid, normalise, SERIAL_ID_MAX } from '../reference/identifiers';
import { earliestDay, isCalendarDay, isPartialDate, latestDay } from '../graphql/scalars';
import { textProblem, urlProblem } from '../graphql/arguments';

/**
 * Writes shared by the four services: input validation with field-level problems, one transaction
 * per mutation, a conditional UPDATE on the version the caller read (no lost updates), soft
 * deletes and restores, and an audit entry written in the same transaction as the change.
 */

/** A row as PostgreSQL returns it from to_jsonb: column name to value. */
export type Row = Record<string, unknown>;

export function conflict(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return graphError('CONFLICT', message, extensions);
}

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * How one input field is checked. Rules are keyed by the entity property they write (the column
 * comes from TypeORM's metadata); `input` names the GraphQL field where it is named otherwise.
 */
export type FieldRule = { input?: string } & (
  | { kind: 'text'; max: number; required?: boolean }
  | { kind: 'code'; format: IdentifierFormat; hint: string; required?: boolean }
  | { kind: 'country'; required?: boolean }
  | { kind: 'partialDate'; required?: boolean }
  | { kind: 'day'; required?: boolean }
  | { kind: 'int'; min: number; max: number; required?: boolean }
  | { kind: 'number'; required?: boolean }
  | { kind: 'boolean'; required?: boolean }
  | { kind: 'enum'; values: Record<string, string>; required?: boolean; default?: string }
  | { kind: 'textList'; maxItems: number; maxLength: number }
  | { kind: 'enumList'; values: Record<string, string>; maxItems: number }
  | { kind: 'countryList'; maxItems: number }
  | { kind: 'url'; required?: boolean }
);

/** Rules by the property they write; the compiler checks each key against the entity. */
export type FieldRules<E extends object = Record<string, unknown>> = { [P in keyof E & string]?: FieldRule };

/** The longest link any record stores. */
export const URL_MAX_LENGTH = 2000;

/** GraphQL's Confidence enum to the stored value; every editable record carries one. */
export const CONFIDENCE_VALUES: Record<string, string> = { SEEN: 'seen', DERIVED: 'derived', UNVERIFIED: 'unverified' };
export const LANGUAGE_VALUES: Record<string, string> = { EN: 'en', FR: 'fr' };

/**
 * The provenance and editorial fields of every editable record. A record entered without a
 * confidence is UNVERIFIED: nothing becomes a fact by omission.
 */
export const PROVENANCE_RULES = {
  confidence: { kind: 'enum', values: CONFIDENCE_VALUES, required: true, default: 'UNVERIFIED' },
  source: { kind: 'text', max: 2000 },
  notes: { kind: 'text', max: 4000 },
  internalNote: { kind: 'text', max: 4000 },
} satisfies FieldRules<{ confidence: string; source: string | null; notes: string | null; internalNote: string | null }>;

/** Collects the problems of one input object, so that the caller sees them all at once. */
export class Problems {
  readonly list: FieldProblem[] = [];
  constructor(readonly prefix = 'input') {}

  add(field: string, message: string): void {
    this.list.push({ field: `${this.prefix}.${field}`, message });
  }

  has(field: string): boolean {
    return this.list.some((p) => p.field === `${this.prefix}.${field}`);
  }

  /** Throws BAD_USER_INPUT with every problem when there is one. */
  throwIfAny(what = 'The input'): void {
    if (this.list.length === 0) return;
    const summary = this.list.map((p) => `${p.field} ${p.message}`).join('; ');
    throw badUserInput(`${what} is invalid: ${summary}`, this.list);
  }
}

/** Checks one value against its rule; returns the stored form, or undefined when it is invalid. */
function checkValue(name: string, rule: FieldRule, value: unknown, p: Problems): unknown {
  const bad = (message: string) => {
    p.add(name, message);
    return undefined;
  };
  switch (rule.kind) {
    case 'text': {
      const text = String(value).trim();
      if (text.length === 0) return bad('must not be empty (use null to clear it)');
      if (text.length > rule.max) return bad(`must have at most ${rule.max} characters, got ${text.length}`);
      const problem = textProblem(text);
      return problem ? bad(problem) : text;
    }
    case 'code': {
      const code = normalise(rule.format, value);
      return isValid(rule.format, code) ? code : bad(`must be ${rule.hint}`);
    }
    case 'country': {
      const code = normalise(COUNTRY_CODE, value);
      if (!isValid(COUNTRY_CODE, code)) return bad('must be an ISO 3166-1 alpha-3 code, such as SEN');
      return isKnownCountryCode(code) ? code : bad(`"${code}" is not in the country list`);
    }
    case 'partialDate':
      return typeof value === 'string' && isPartialDate(value) ? value : bad('must be a date YYYY, YYYY-MM or YYYY-MM-DD');
    case 'day':
      return typeof value === 'string' && isCalendarDay(value) ? value : bad('must be a calendar day YYYY-MM-DD');
    case 'int':
      return Number.isInteger(value) && (value as number) >= rule.min && (value as number) <= rule.max
        ? value
        : bad(`must be an integer between ${rule.min} and ${rule.max}`);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : bad('must be a finite number');
    case 'boolean':
      return typeof value === 'boolean' ? value : bad('must be true or false');
    case 'enum':
      return typeof value === 'string' && value in rule.values ? rule.values[value] : bad(`must be one of ${Object.keys(rule.values).join(', ')}`);
    case 'url': {
      const url = String(value).trim();
      if (url.length > URL_MAX_LENGTH) return bad(`must have at most ${URL_MAX_LENGTH} characters`);
      const problem = urlProblem(url);
      return problem ? bad(problem) : url;
    }
    case 'textList': {
      if (!Array.isArray(value)) return bad('must be a list');
      if (value.length > rule.maxItems) return bad(`must have at most ${rule.maxItems} items`);
      const items = value.map((v) => String(v).trim());
      if (items.some((v) => v.length === 0 || v.length > rule.maxLength)) return bad(`items must have 1 to ${rule.maxLength} characters`);
      const itemProblem = items.map(textProblem).find((x) => x !== null);
      if (itemProblem) return bad(`items ${itemProblem}`);
      if (new Set(items).size !== items.length) return bad('must not repeat an item');
      return items;
    }
    case 'enumList': {
      if (!Array.isArray(value)) return bad('must be a list');
      if (value.length > rule.maxItems) return bad(`must have at most ${rule.maxItems} items`);
      if (value.some((v) => typeof v !== 'string' || !(v in rule.values))) return bad(`items must be among ${Object.keys(rule.values).join(', ')}`);
      if (new Set(value).size !== value.length) return bad('must not repeat an item');
      return (value as string[]).map((v) => rule.values[v]);
    }
    case 'countryList': {
      if (!Array.isArray(value)) return bad('must be a list');
      if (value.length > rule.maxItems) return bad(`must have at most ${rule.maxItems} items`);
      const codes = value.map((v) => String(v).trim().toUpperCase());
      const unknown = codes.filter((c) => !isKnownCountryCode(c));
      if (unknown.length > 0) return bad(`has codes not in the country list: ${unknown.join(', ')}`);
      if (new Set(codes).size !== codes.length) return bad('must not repeat a country');
      return codes;
    }
  }
}

function isRequired(rule: FieldRule): boolean {
  return 'required' in rule && rule.required === true;
}

/**
 * Reads an input object into property values. On create, every required field must be given (or
 * have a default); on update, only the fields present change, and null clears an optional one.
 */
export function readInput<E extends object>(rules: FieldRules<E>, input: Record<string, unknown>, mode: 'create' | 'update', p: Problems): Row {
  const values: Row = {};
  for (const [property, rule] of Object.entries(rules) as [string, FieldRule | undefined][]) {
    if (!rule) continue;
    const name = rule.input ?? property;
    let value = input[name];
    if (value === undefined && mode === 'create' && rule.kind === 'enum' && rule.default !== undefined) value = rule.default;
    if (value === undefined) {
      if (mode === 'create' && isRequired(rule)) p.add(name, 'is required');
      continue;
    }
    if (value === null) {
      if (isRequired(rule)) p.add(name, 'is required and cannot be null');
      else values[property] = rule.kind.endsWith('List') ? [] : null;
      continue;
    }
    const checked = checkValue(name, rule, value, p);
    if (checked !== undefined) values[property] = checked;
  }
  return values;
}

/** An end date must not come before its start (partial dates compare by the days they can stand for). */
export function checkOrder(p: Problems, field: string, start: unknown, end: unknown, message = 'must not be before the start'): void {
  if (typeof start !== 'string' || typeof end !== 'string' || !isPartialDate(start) || !isPartialDate(end)) return;
  if (latestDay(end) < earliestDay(start)) p.add(field, message);
}

// ---------------------------------------------------------------------------------------------
// Tables

/** One property of a record's key (its column comes from the metadata): the GraphQL input field and how it is parsed. */
export interface KeyPart {
  field: string;
  property: string;
  parse: (value: unknown, p: Problems) => unknown;
}

/** A key of an identifier format; the message says `must be <hint>`. */
export const identifierKey = (property: string, format: IdentifierFormat, hint: string, field = property): KeyPart => ({
  field, property,
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
  field, property,
  parse: (value, p) => {
    const n = Number(value);
    if (!/^\d{1,10}$/.test(String(value)) || n < 1 || n > SERIAL_ID_MAX) {
      p.add(field, 'must be a record id (a positive integer)');
      return undefined;
    }
    return n;
  },
});

/** A record that editors change; rows referencing it are listed so a delete cannot orphan them. */
export interface EditableTable<E extends ObjectLiteral> {
  service: ServiceName;
  schema: string;
  table: string;
  /** The GraphQL type, also the audit entry's entity name. */
  entity: string;
  target: EntityTarget<E>;
  key: KeyPart[];
  /** Rows of the same schema that refer to this record; `softDeletes: false` for tables that are never deleted. */
  dependents?: { table: string; column: string; what: string; softDeletes?: boolean }[];
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (t: { schema: string; table: string }) => `${q(t.schema)}.${q(t.table)}`;

/** The key as the audit trail stores it: the key values joined by "/". */
export function auditKey(values: unknown[]): string {
  return values.map((v) => String(v).trim()).join('/');
}

export type AuditAction = 'create' | 'update' | 'delete' | 'restore';

/** Appends one entry to the schema's audit log, in the caller's transaction. */
export async function writeAudit(
  m: EntityManager,
  schema: string,
  entry: { actor: Identity; action: AuditAction; entity: string; key: string; before: Row | null; after: Row | null },
): Promise<void> {
  await m.query(
    `INSERT INTO ${q(schema)}."audit_log" ("actor", "action", "entity", "record_key", "before", "after") VALUES ($1, $2, $3, $4, $5, $6)`,
    [entry.actor.sub ?? '(no subject)', entry.action, entry.entity, entry.key, entry.before, entry.after],
  );
}

/** Translates constraint violations the checks before the write could not see. */
function translateDbError(error: unknown, entity: string): never {
  const code = (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ?? (error as { code?: string })?.code;
  if (code === '23505') throw conflict(`A ${entity} with this key already exists (possibly deleted: restore it instead)`);
  if (code === '23514' || code === '23502') throw badUserInput(`The ${entity} breaks a rule of the data: check the dates, codes and values`);
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
  return keyColumns(ds, table).map((column, i) => `${alias}.${q(column)} = $${first + i}`).join(' AND ');
}

/** Pairs the key columns of two aliases of the same table. */
function keyJoin(ds: DataSource, table: EditableTable<ObjectLiteral>, left: string, right: string): string {
  return keyColumns(ds, table).map((c) => `${left}.${q(c)} = ${right}.${q(c)}`).join(' AND ');
}

/** Reads the key fields of an input (before any SQL runs). */
export function readKey(table: EditableTable<ObjectLiteral>, input: Record<string, unknown>, p: Problems): unknown[] {
  return table.key.map((k) => (input[k.field] == null ? (p.add(k.field, 'is required'), undefined) : k.parse(input[k.field], p)));
}

/** The live (not deleted) row, as JSON, without a lock: used to validate an update before it is written. */
export async function currentRow(m: EntityManager, table: EditableTable<ObjectLiteral>, key: unknown[]): Promise<Row | null> {
  const rows: { row: Row }[] = await m.query(
    `SELECT to_jsonb(t) AS row FROM ${qualified(table)} t WHERE ${keyWhere(m.connection, table, 't', 1)} AND t."deleted_at" IS NULL`,
    key,
  );
  return rows[0]?.row ?? null;
}

/**
 * Fails unless a live row of another table of the same schema has this key; takes a share lock on
 * it so that a concurrent delete of the parent waits for this transaction.
 */
export async function requireLive(
  m: EntityManager, p: Problems, field: string,
  ref: { schema: string; table: string; column: string; what: string; softDeletes?: boolean }, value: unknown,
): Promise<void> {
  if (value === undefined || value === null) return;
  const live = ref.softDeletes === false ? '' : ' AND "deleted_at" IS NULL';
  const rows: unknown[] = await m.query(
    `SELECT 1 FROM ${qualified(ref)} WHERE ${q(ref.column)} = $1${live} FOR SHARE`,
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
async function explainMiss(m: EntityManager, table: EditableTable<ObjectLiteral>, key: unknown[], version: number | null, wantDeleted: boolean): Promise<never> {
  const rows: { version: number; deleted: boolean }[] = await m.query(
    `SELECT t."version", t."deleted_at" IS NOT NULL AS deleted FROM ${qualified(table)} t WHERE ${keyWhere(m.connection, table, 't', 1)}`,
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
  check?(row: Row, p: Problems, m: EntityManager): Promise<Row | void> | Row | void;
}

/** create: validates, inserts and audits in one transaction; returns the new record. */
export async function createRecord<E extends ObjectLiteral>(ctx: EditContext, spec: EditableSpec<E>, input: Record<string, unknown>): Promise<E> {
  const { table } = spec;
  requireEditor(ctx.identity, table.service);
  const p = new Problems();
  const given = { ...readInput(spec.createKey ?? {}, input, 'create', p), ...readInput(spec.fields, input, 'create', p) };
  p.throwIfAny();
  const values = toColumns(ctx.ds, table.target, given);
  return ctx.ds.transaction(async (m) => {
    const derived = { ...values, ...(spec.derive?.(values) ?? {}) };
    const row = { ...derived, ...((await spec.check?.(derived, p, m)) ?? {}) };
    p.throwIfAny();
    const columns = Object.keys(row);
    const inserted = await returning<{ after: Row }>(
        m,
        `INSERT INTO ${qualified(table)} AS t (${columns.map(q).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
         RETURNING to_jsonb(t) AS after`,
        columns.map((c) => row[c]),
      ).catch((e: unknown) => translateDbError(e, table.entity));
    const after = inserted[0].after;
    await writeAudit(m, table.schema, {
      actor: ctx.identity, action: 'create', entity: table.entity, key: auditKey(keyColumns(ctx.ds, table).map((c) => after[c])), before: null, after,
    });
    return reload(m, table, after);
  });
}

/**
 * update: only the given fields change. The write is a conditional UPDATE on the version the
 * caller read; when another write came first it touches no row and the caller gets CONFLICT.
 */
export async function updateRecord<E extends ObjectLiteral>(ctx: EditContext, spec: EditableSpec<E>, input: Record<string, unknown>): Promise<E> {
  const { table } = spec;
  requireEditor(ctx.identity, table.service);
  const p = new Problems();
  const key = readKey(table, input, p);
  const version = versionArg(input, p, true);
  const patch = toColumns(ctx.ds, table.target, readInput(spec.fields, input, 'update', p));
  p.throwIfAny();
  return ctx.ds.transaction(async (m) => {
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
        `UPDATE ${qualified(table)} AS t SET ${sets.join(', ')}
         FROM ${qualified(table)} AS prior
         WHERE ${keyWhere(ctx.ds, table, 't', 1)} AND t."version" = $${key.length + 1} AND t."deleted_at" IS NULL
           AND ${keyJoin(ctx.ds, table, 'prior', 't')}
         RETURNING to_jsonb(prior) AS before, to_jsonb(t) AS after`,
        [...key, version, ...columns.map((c) => changes[c])],
      ).catch((e: unknown) => translateDbError(e, table.entity));
    if (rows.length === 0) return explainMiss(m, table, key, version, false);
    await writeAudit(m, table.schema, {
      actor: ctx.identity, action: 'update', entity: table.entity, key: auditKey(key), before: rows[0].before, after: rows[0].after,
    });
    return reload(m, table, rows[0].after);
  });
}

/** delete (soft) or restore: a conditional UPDATE of deleted_at on the version the caller read. */
export async function setDeleted<E extends ObjectLiteral>(
  ctx: EditContext, spec: EditableSpec<E>, input: Record<string, unknown>, deleted: boolean,
): Promise<E> {
  const { table } = spec;
  requireEditor(ctx.identity, table.service);
  const p = new Problems();
  const key = readKey(table, input, p);
  const version = versionArg(input, p, true);
  p.throwIfAny();
  return ctx.ds.transaction(async (m) => {
    // Lock the row first: a child written at the same time holds a share lock on it (requireLive),
    // so the count below runs only after that child committed or rolled back, and a child arriving
    // later waits for this delete and then finds its parent gone.
    await m.query(`SELECT 1 FROM ${qualified(table)} t WHERE ${keyWhere(ctx.ds, table, 't', 1)} FOR UPDATE`, key);
    if (deleted) {
      for (const dep of table.dependents ?? []) {
        const [{ n }]: { n: number }[] = await m.query(
          `SELECT count(*)::int AS n FROM ${q(table.schema)}.${q(dep.table)}
           WHERE ${q(dep.column)} = $1${dep.softDeletes === false ? '' : ' AND "deleted_at" IS NULL'}`,
          [key[0]],
        );
        if (n > 0) throw conflict(`${table.entity} ${auditKey(key)} still has ${n} ${dep.what}: delete them first`);
      }
    }
    const rows = await returning<{ before: Row; after: Row }>(
      m,
      `UPDATE ${qualified(table)} AS t SET "deleted_at" = ${deleted ? 'now()' : 'NULL'}, "version" = t."version" + 1
       FROM ${qualified(table)} AS prior
       WHERE ${keyWhere(ctx.ds, table, 't', 1)} AND t."version" = $${key.length + 1} AND t."deleted_at" IS ${deleted ? 'NULL' : 'NOT NULL'}
         AND ${keyJoin(ctx.ds, table, 'prior', 't')}
       RETURNING to_jsonb(prior) AS before, to_jsonb(t) AS after`,
      [...key, version],
    );
    if (rows.length === 0) return explainMiss(m, table, key, version, !deleted);
    if (!deleted) await spec.check?.(rows[0].after, p, m);
    p.throwIfAny(`Restoring ${table.entity} ${auditKey(key)}`);
    await writeAudit(m, table.schema, {
      actor: ctx.identity, action: deleted ? 'delete' : 'restore', entity: table.entity, key: auditKey(key),
      before: rows[0].before, after: rows[0].after,
    });
    return reload(m, table, rows[0].after);
  });
}

/** The four mutations of one editable type, as resolvers returning `{ [payloadField]: record }`. */
export function mutationResolvers<E extends ObjectLiteral>(spec: EditableSpec<E>, payloadField: string) {
  type Args = { input: Record<string, unknown> };
  const wrap = (run: (ctx: EditContext, input: Record<string, unknown>) => Promise<E>) =>
    async (_: unknown, args: Args, ctx: EditContext) => ({ [payloadField]: await run(ctx, args.input) });
  return {
    create: wrap((ctx, input) => createRecord(ctx, spec, input)),
    update: wrap((ctx, input) => updateRecord(ctx, spec, input)),
    delete: wrap((ctx, input) => setDeleted(ctx, spec, input, true)),
    restore: wrap((ctx, input) => setDeleted(ctx, spec, input, false)),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading: history, restricted fields

export interface AuditEntryRow {
  id: string;
  at: Date;
  actor: string;
  action: AuditAction;
  entity: string;
  key: string;
  before: Row | null;
  after: Row | null;
}

/** Per-request loader of audit entries by (entity, key): one statement for every record asked about. */
export function historyLoader(ds: DataSource, schema: string) {
  return new DataLoader<string, AuditEntryRow[]>(async (ids) => {
    const pairs = ids.map((id) => JSON.parse(id) as [string, string]);
    const rows: AuditEntryRow[] = await ds.query(
      `SELECT a."id"::text AS id, a."at", a."actor", a."action", a."entity", a."record_key" AS key, a."before", a."after"
       FROM ${q(schema)}."audit_log" a
       JOIN unnest($1::text[], $2::text[]) AS k(entity, record_key) ON a."entity" = k.entity AND a."record_key" = k.record_key
       ORDER BY a."id"`,
      [pairs.map((x) => x[0]), pairs.map((x) => x[1])],
    );
    return pairs.map(([entity, key]) => rows.filter((r) => r.entity === entity && r.key === key));
  });
}

export type HistoryLoader = ReturnType<typeof historyLoader>;

/** The `history` field of an editable type: admins only. */
export function historyField<E extends ObjectLiteral>(table: EditableTable<E>) {
  return (record: E, _: unknown, ctx: { identity: Identity; loaders: { history: HistoryLoader } }) => {
    requireAdmin(ctx.identity);
    return ctx.loaders.history.load(JSON.stringify([table.entity, auditKey(table.key.map((k) => record[k.property]))]));
  };
}

/** A field that only signed-in callers (partners and above) may read; null for anonymous callers. */
export function restrictedField<E extends ObjectLiteral>(property: keyof E & string) {
  return (record: E, _: unknown, ctx: { identity: Identity }) => (canReadRestricted(ctx.identity) ? (record[property] ?? null) : null);
}

/** Resolvers of the AuditEntry type, the same in every service. */
export const auditEntryResolvers = {
  at: (a: AuditEntryRow) => (a.at instanceof Date ? a.at.toISOString() : String(a.at)),
  action: (a: AuditEntryRow) => a.action.toUpperCase(),
  before: (a: AuditEntryRow) => (a.before === null ? null : JSON.stringify(a.before)),
  after: (a: AuditEntryRow) => (a.after === null ? null : JSON.stringify(a.after)),
};

/** DDL of a schema's audit log, and the columns every editable table gains (used by migrations). */
export function auditLogDdl(schema: string): string[] {
  return [
    `CREATE TABLE ${q(schema)}."audit_log" (
      "id" bigserial PRIMARY KEY,
      "at" timestamptz NOT NULL DEFAULT now(),
      "actor" text NOT NULL,
      "action" text NOT NULL CHECK ("action" IN ('create', 'update', 'delete', 'restore')),
      "entity" text NOT NULL,
      "record_key" text NOT NULL,
      "before" jsonb,
      "after" jsonb
    )`,
    `CREATE INDEX "audit_log_record" ON ${q(schema)}."audit_log" ("entity", "record_key", "id")`,
  ];
}

export function editableColumnsDdl(schema: string, table: string): string {
  return `ALTER TABLE ${q(schema)}.${q(table)}
    ADD COLUMN "version" integer NOT NULL DEFAULT 1 CHECK ("version" >= 1),
    ADD COLUMN "deleted_at" timestamptz,
    ADD COLUMN "internal_note" text`;
}
