import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditLogDdl, editableColumnsDdl } from '../../../../shared/src/editing/audit';

const EDITABLE = ['migration_profile', 'indicator_value'];

/**
 * Editing: migration profiles and indicator values get a version (seeded and imported rows start
 * at 1), a soft-delete mark and an editors' note; the audit log records each change.
 */
export class Editing1733500000000 implements MigrationInterface {
  name = 'Editing1733500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of EDITABLE) await q.query(editableColumnsDdl('data', table));
    for (const ddl of auditLogDdl('data')) await q.query(ddl);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "data"."audit_log"`);
    for (const table of EDITABLE) {
      await q.query(`ALTER TABLE "data"."${table}" DROP COLUMN "internal_note", DROP COLUMN "deleted_at", DROP COLUMN "version"`);
    }
  }
}
