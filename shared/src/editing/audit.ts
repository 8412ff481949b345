import DataLoader from 'dataloader';
import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { canReadRestricted, type Identity, requireAdmin } from '../auth/identity';
import type { AuditAction } from '../graphql/enums';
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
  at: Date;
  actor: string;
  action: AuditAction;
  entity: string;
  key: string;
  before: Row | null;
  after: Row | null;
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

/** Per-request loader of audit entries by (entity, key): one statement for every record asked about. */
export function historyLoader(ds: DataSource, schema: string) {
  const service = auditService(schema);
  return new DataLoader<string, AuditEntryRow[]>(async (ids) => {
    const pairs = ids.map((id) => JSON.parse(id) as [string, string]);
    const rows: AuditEntryRow[] = await ds.query(
      `SELECT $3::text || ':' || a."id"::text AS id, a."at", a."actor", a."action", a."entity", a."record_key" AS key, a."before", a."after"
       FROM ${q(schema)}."audit_log" a
       JOIN unnest($1::text[], $2::text[]) AS k(entity, record_key) ON a."entity" = k.entity AND a."record_key" = k.record_key
       ORDER BY a."id"`,
      [pairs.map((x) => x[0]), pairs.map((x) => x[1]), service],
    );
    return pairs.map(([entity, key]) => rows.filter((r) => r.entity === entity && r.key === key));
  });
}

export type HistoryLoader = ReturnType<typeof historyLoader>;

/** The `history` field of an editable type: admins only. The record is the entity, or any object with its key's properties. */
export function historyField<E extends ObjectLiteral>(table: EditableTable<E>) {
  return (
    record: { [P in keyof E]?: unknown },
    _: unknown,
    ctx: { identity: Identity; loaders: { history: HistoryLoader } },
  ): Promise<AuditEntryRow[]> => {
    requireAdmin(ctx.identity);
    return ctx.loaders.history.load(JSON.stringify([table.entity, auditKey(table.key.map((k) => record[k.property]))]));
  };
}

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
