import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * French titles of instruments, filled only from a source that gives them (a `title_fr` or
 * `short_title_fr` column of the seed): null means that no source gave one, and the English title
 * is served instead.
 */
export class FrenchTitles1733200000000 implements MigrationInterface {
  name = 'FrenchTitles1733200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "legal"."instrument" ADD COLUMN "title_fr" text, ADD COLUMN "short_title_fr" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "legal"."instrument" DROP COLUMN "short_title_fr", DROP COLUMN "title_fr"`);
  }
}
