import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditLogDdl, editableColumnsDdl } from '../../../../shared/src/editing/audit';

const EDITABLE = ['un_agency', 'programme', 'programme_agency', 'programme_country'];

/**
 * Editing: agencies, programmes and their agencies and countries get a version (seeded rows start
 * at 1), a soft-delete mark and an editors' note; the audit log records each change.
 */
export class Editing1733500000000 implements MigrationInterface {
  name = 'Editing1733500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of EDITABLE) await q.query(editableColumnsDdl('partners', table));
    for (const ddl of auditLogDdl('partners')) await q.query(ddl);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "partners"."audit_log"`);
    for (const table of EDITABLE) {
      await q.query(
        `ALTER TABLE "partners"."${table}" DROP COLUMN "internal_note", DROP COLUMN "deleted_at", DROP COLUMN "version"`,
      );
    }
  }
}
