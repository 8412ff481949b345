import type { MigrationInterface, QueryRunner } from 'typeorm';
import { seedLogDdl } from '../../../../shared/src/data/seed';

/** The consultative-processes schema: organisations, processes, memberships, participations, meetings. */
export class Initial1732900000000 implements MigrationInterface {
  name = 'Initial1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(seedLogDdl('dialogue'));
    await q.query(`CREATE TABLE "dialogue"."regional_organization" (
      "code" text PRIMARY KEY,
      "name" text NOT NULL,
      "french_name" text,
      "french_acronym" text,
      "founded" text,
      "founding_instrument" text,
      "headquarters" text,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified'))
    )`);
    await q.query(`CREATE TABLE "dialogue"."organization_membership" (
      "id" serial PRIMARY KEY,
      "organization_code" text NOT NULL REFERENCES "dialogue"."regional_organization" ("code"),
      "country_code" char(3) NOT NULL,
      "membership_type" text NOT NULL CHECK ("membership_type" IN ('member', 'associate')),
      "from_date" text,
      "to_date" text,
      "starts_on" date,
      "ends_on" date,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified')),
      CONSTRAINT "organization_membership_natural_key" UNIQUE ("organization_code", "country_code", "membership_type", "from_date"),
      CONSTRAINT "organization_membership_period" CHECK ("ends_on" IS NULL OR "starts_on" IS NULL OR "ends_on" > "starts_on")
    )`);
    await q.query(`CREATE INDEX "organization_membership_country" ON "dialogue"."organization_membership" ("country_code")`);
    await q.query(`CREATE TABLE "dialogue"."consultative_process" (
      "code" text PRIMARY KEY,
      "name" text NOT NULL,
      "aliases" text[] NOT NULL DEFAULT '{}',
      "scope" text NOT NULL CHECK ("scope" IN ('regional', 'global')),
      "lead_organization" text,
      "established" text,
      "status" text,
      "secretariat" text,
      "chair" text,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified'))
    )`);
    await q.query(`CREATE TABLE "dialogue"."process_participation" (
      "id" serial PRIMARY KEY,
      "process_code" text NOT NULL REFERENCES "dialogue"."consultative_process" ("code"),
      "participant_type" text NOT NULL CHECK ("participant_type" IN ('state', 'organization')),
      "country_code" char(3),
      "organization" text,
      "role" text NOT NULL,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified')),
      CONSTRAINT "process_participation_participant" CHECK (("country_code" IS NULL) <> ("organization" IS NULL))
    )`);
    await q.query(`CREATE UNIQUE INDEX "process_participation_natural_key"
      ON "dialogue"."process_participation" ("process_code", (coalesce("country_code", "organization")), "role")`);
    await q.query(`CREATE INDEX "process_participation_country" ON "dialogue"."process_participation" ("country_code")`);
    await q.query(`CREATE TABLE "dialogue"."meeting" (
      "id" text PRIMARY KEY,
      "process_code" text NOT NULL REFERENCES "dialogue"."consultative_process" ("code"),
      "title" text NOT NULL,
      "kind" text NOT NULL,
      "start_date" text,
      "end_date" text,
      "city" text,
      "country_code" char(3),
      "themes" text[] NOT NULL DEFAULT '{}',
      "outcome" text,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified'))
    )`);
    await q.query(`CREATE INDEX "meeting_process" ON "dialogue"."meeting" ("process_code")`);
    await q.query(`CREATE INDEX "meeting_country" ON "dialogue"."meeting" ("country_code")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'meeting',
      'process_participation',
      'consultative_process',
      'organization_membership',
      'regional_organization',
      'seed_log',
    ]) {
      await q.query(`DROP TABLE "dialogue"."${table}"`);
    }
  }
}
