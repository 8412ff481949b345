import type { MigrationInterface, QueryRunner } from 'typeorm';
import { seedLogDdl } from '../../../../shared/src/data/seed';

const CONFIDENCE = `CHECK ("confidence" IN ('seen', 'derived', 'unverified'))`;

/** The legal-instruments schema: instruments, treaty actions, trainings, publications. */
export class Initial1732900000000 implements MigrationInterface {
  name = 'Initial1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(seedLogDdl('legal'));
    await q.query(`CREATE TABLE "legal"."instrument" (
      "code" text PRIMARY KEY,
      "title" text NOT NULL,
      "short_title" text,
      "kind" text NOT NULL CHECK ("kind" IN ('convention', 'protocol', 'regional protocol', 'ILO convention')),
      "scope" text NOT NULL CHECK ("scope" IN ('global', 'regional')),
      "adopting_body" text,
      "adopted_date" text,
      "adopted_place" text,
      "entry_into_force_date" text,
      "status" text NOT NULL CHECK ("status" IN ('in_force', 'not_in_force')),
      "depositary" text,
      "themes" text[] NOT NULL DEFAULT '{}',
      "notes" text,
      "source" text,
      "confidence" text NOT NULL ${CONFIDENCE}
    )`);
    await q.query(`CREATE TABLE "legal"."treaty_action" (
      "id" serial PRIMARY KEY,
      "instrument_code" text NOT NULL REFERENCES "legal"."instrument" ("code"),
      "country_code" char(3) NOT NULL,
      "action" text NOT NULL CHECK ("action" IN ('signature', 'ratification', 'accession', 'succession')),
      "date" text,
      "deposit_date" text,
      "effective_date" text,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL ${CONFIDENCE},
      CONSTRAINT "treaty_action_natural_key" UNIQUE ("instrument_code", "country_code", "action")
    )`);
    // The natural key's index serves look-ups by instrument; countries need their own.
    await q.query(`CREATE INDEX "treaty_action_country" ON "legal"."treaty_action" ("country_code")`);
    await q.query(`CREATE TABLE "legal"."training" (
      "id" text PRIMARY KEY,
      "project" text NOT NULL,
      "project_type" text,
      "country_code" char(3),
      "activity" text NOT NULL,
      "location_code" char(3),
      "start_date" text,
      "end_date" text,
      "duration" text,
      "participants" text,
      "benefiting_member_state" boolean,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL ${CONFIDENCE}
    )`);
    await q.query(`CREATE INDEX "training_country" ON "legal"."training" ("country_code")`);
    await q.query(`CREATE INDEX "training_location" ON "legal"."training" ("location_code")`);
    await q.query(`CREATE TABLE "legal"."publication" (
      "id" text PRIMARY KEY,
      "title" text NOT NULL,
      "kind" text NOT NULL CHECK ("kind" IN ('manual', 'study')),
      "year" integer CHECK ("year" BETWEEN 1900 AND 2100),
      "language" text CHECK ("language" IN ('en', 'fr')),
      "publisher" text,
      "url" text,
      "countries" text[] NOT NULL DEFAULT '{}',
      "notes" text,
      "source" text,
      "confidence" text NOT NULL ${CONFIDENCE}
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['publication', 'training', 'treaty_action', 'instrument', 'seed_log']) {
      await q.query(`DROP TABLE "legal"."${table}"`);
    }
  }
}
