import DataLoader from 'dataloader';
import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { canReadRestricted, type Identity, requireAdmin } from '../auth/identity';
import type { AuditAction } from '../graphql/enums';
import { type Connection, type PageArgs, parseKeysetPage, toKeysetConnection } from '../graphql/pagination';
import { SERVICE_REGISTRY } from '../runtime/registry';
import type { Row } from './validation';
import type { EditableTable } from './writes';

/**
 * The audit trail of edits: an entry written in the same transaction as the change, the DDL of the
 * log and of the editable columns, and the fields that read the history and restricted values.
 */

/** A quoted SQL identifier. */
export const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The key as the audit trail stores it: the key values joined by "/". */
export function auditKey(values: unknown[]): string {
  return values.map((v) => String(v).trim()).join('/');
}

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

/** An entry of the audit log, as the AuditEntry type's resolvers receive it. */
export interface AuditEntryRow {
  id: string;
  /** The entry's sequence number in its log: what a history cursor names. */
  seq: string;
  at: Date;
  actor: string;
  action: AuditAction;
  entity: string;
  key: string;
  before: Row | null;
  after: Row | null;
}

/** What the AuditEntryConnection type's resolvers receive: one page of a record's history, and the record, to count its changes. */
export interface HistoryPage extends Omit<Connection<AuditEntryRow>, 'totalCount'> {
  entity: string;
  key: string;
}

/** One page of one record's history: the record, and the page's size and start (below which sequence number). */
interface HistoryKey {
  entity: string;
  key: string;
  limit: number;
  below: string | null;
}

/**
 * The service whose audit log is in `schema`: an entry's id is its service's name and its sequence
 * number in that service's log (`legal-instruments:42`), unique across the graph, while the log
 * keeps its sequence.
 */
function auditService(schema: string): string {
  const service = SERVICE_REGISTRY.find((s) => s.schema === schema);
  if (!service) throw new Error(`no service keeps its data in the schema ${schema}`);
  return service.name;
}

/**
 * Per-request loaders of records' history (admins only). `page`: one statement for every page
 * asked, each reading at most `limit + 1` entries of its record, newest first, below its cursor,
 * through the (entity, record_key, id) index; `count`: how many entries each record has, only when
 * a client asks for the total.
 */
export function historyLoader(ds: DataSource, schema: string) {
  const service = auditService(schema);
  const log = `${q(schema)}."audit_log"`;
  const page = new DataLoader<HistoryKey, AuditEntryRow[], string>(
    async (keys) => {
      const rows: (AuditEntryRow & { n: string })[] = await ds.query(
        `SELECT k.n::text AS n, $5::text || ':' || e."id"::text AS id, e."id"::text AS seq, e."at", e."actor", e."action",
           e."entity", e."record_key" AS key, e."before", e."after"
         FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[]) WITH ORDINALITY AS k(entity, record_key, lim, below, n)
         CROSS JOIN LATERAL (
           SELECT * FROM ${log} a
           WHERE a."entity" = k.entity AND a."record_key" = k.record_key AND (k.below IS NULL OR a."id" < k.below)
           ORDER BY a."id" DESC LIMIT k.lim + 1
         ) e
         ORDER BY k.n, e."id" DESC`,
        [keys.map((k) => k.entity), keys.map((k) => k.key), keys.map((k) => k.limit), keys.map((k) => k.below), service],
      );
      const pages: AuditEntryRow[][] = keys.map(() => []);
      for (const { n, ...row } of rows) pages[Number(n) - 1].push(row);
      return pages;
    },
    { cacheKeyFn: (k) => JSON.stringify([k.entity, k.key, k.limit, k.below]) },
  );
  const count = new DataLoader<string, number>(async (records) => {
    const pairs = records.map((r) => JSON.parse(r) as [string, string]);
    const rows: { n: string; total: number }[] = await ds.query(
      `SELECT k.n::text AS n, count(a."id")::int AS total
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(entity, record_key, n)
       LEFT JOIN ${log} a ON a."entity" = k.entity AND a."record_key" = k.record_key
       GROUP BY k.n`,
      [pairs.map((x) => x[0]), pairs.map((x) => x[1])],
    );
    const totals = new Map(rows.map((r) => [Number(r.n), r.total]));
    return records.map((_, i) => totals.get(i + 1) ?? 0);
  });
  return { page, count };
}

export type HistoryLoader = ReturnType<typeof historyLoader>;

/**
 * The `history` field of an editable type: admins only, newest first, one page read by key. The
 * record is the entity, or any object with its key's properties.
 */
export function historyField<E extends ObjectLiteral>(table: EditableTable<E>) {
  return async (
    record: { [P in keyof E]?: unknown },
    args: PageArgs,
    ctx: { identity: Identity; loaders: { history: HistoryLoader } },
  ): Promise<HistoryPage> => {
    requireAdmin(ctx.identity);
    const page = parseKeysetPage(args);
    const key = auditKey(table.key.map((k) => record[k.property]));
    const rows = await ctx.loaders.history.page.load({ entity: table.entity, key, limit: page.limit, below: page.below });
    return { entity: table.entity, key, ...toKeysetConnection(rows, page, (r) => r.seq) };
  };
}

/** Resolvers of the AuditEntryConnection type, the same in every service: the total is counted only when asked. */
export const auditEntryConnectionResolvers = {
  totalCount: (page: HistoryPage, _: unknown, ctx: { loaders: { history: HistoryLoader } }) =>
    ctx.loaders.history.count.load(JSON.stringify([page.entity, page.key])),
};

/** The `internalNote` field of an editable type: signed-in callers (partners and above) only; null for anonymous callers. */
export const internalNoteField = (
  record: { internalNote: string | null },
  _: unknown,
  ctx: { identity: Identity },
): string | null => (canReadRestricted(ctx.identity) ? record.internalNote : null);

/** Resolvers of the AuditEntry type, the same in every service (its action is an enum of stored values, see graphql/enums). */
export const auditEntryResolvers = {
  at: (a: AuditEntryRow) => (a.at instanceof Date ? a.at.toISOString() : String(a.at)),
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
