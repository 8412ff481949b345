import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditLogDdl, editableColumnsDdl } from '../../../../shared/src/editing/audit';

const EDITABLE = ['instrument', 'treaty_action', 'training', 'publication'];

/**
 * Editing: every editable record gets a version (seeded rows start at 1), a soft-delete mark and an
 * editors' note; the audit log records each change with the record before and after.
 */
export class Editing1733500000000 implements MigrationInterface {
  name = 'Editing1733500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of EDITABLE) await q.query(editableColumnsDdl('legal', table));
    for (const ddl of auditLogDdl('legal')) await q.query(ddl);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "legal"."audit_log"`);
    for (const table of EDITABLE) {
      await q.query(
        `ALTER TABLE "legal"."${table}" DROP COLUMN "internal_note", DROP COLUMN "deleted_at", DROP COLUMN "version"`,
      );
    }
  }
}
