import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per instrument, the participant list its treaty actions come from, that list's date and whether
 * it is complete for the 27 states: what lets a missing action read as "not a party" (on or before
 * a complete list's date) or as unknown (after it, or without a complete list).
 */
export class TreatyCoverage1734100000000 implements MigrationInterface {
  name = 'TreatyCoverage1734100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "legal"."treaty_coverage" (
      "instrument_code" text PRIMARY KEY REFERENCES "legal"."instrument" ("code"),
      "source_list" text NOT NULL,
      "as_of" text CHECK ("as_of" ~ '^\\d{4}-\\d{2}-\\d{2}$'),
      "complete" boolean NOT NULL,
      "states_listed" text[] NOT NULL DEFAULT '{}',
      "states_absent" text[] NOT NULL DEFAULT '{}',
      "notes" text,
      CHECK (NOT "complete" OR "as_of" IS NOT NULL)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "legal"."treaty_coverage"`);
  }
}
