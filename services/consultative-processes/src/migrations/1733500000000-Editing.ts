import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditLogDdl, editableColumnsDdl } from '../../../../shared/src/editing/audit';

const EDITABLE = ['consultative_process', 'organization_membership', 'process_participation', 'meeting'];

/**
 * Editing: processes, memberships, participations and meetings get a version (seeded rows start at
 * 1), a soft-delete mark and an editors' note; the audit log records each change.
 */
export class Editing1733500000000 implements MigrationInterface {
  name = 'Editing1733500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of EDITABLE) await q.query(editableColumnsDdl('dialogue', table));
    for (const ddl of auditLogDdl('dialogue')) await q.query(ddl);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "dialogue"."audit_log"`);
    for (const table of EDITABLE) {
      await q.query(
        `ALTER TABLE "dialogue"."${table}" DROP COLUMN "internal_note", DROP COLUMN "deleted_at", DROP COLUMN "version"`,
      );
    }
  }
}
