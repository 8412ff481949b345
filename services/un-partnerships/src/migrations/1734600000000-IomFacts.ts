import type { MigrationInterface, QueryRunner } from 'typeorm';
import { changeTriggerDdl } from '../../../../shared/src/data/readCache';

/** IOM-wide figures with their as-of dates (null when the source gives none). */
export class IomFacts1734600000000 implements MigrationInterface {
  name = 'IomFacts1734600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "partners"."iom_fact" (
      "id" text PRIMARY KEY,
      "fact" text NOT NULL,
      "value" text NOT NULL,
      "as_of" text CHECK ("as_of" ~ '^\\d{4}(-\\d{2}(-\\d{2})?)?$'),
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified'))
    )`);
    await q.query(changeTriggerDdl('partners', 'iom_fact'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "partners"."iom_fact"`);
  }
}
