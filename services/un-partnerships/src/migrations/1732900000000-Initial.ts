import type { MigrationInterface, QueryRunner } from 'typeorm';
import { seedLogDdl } from '../../../../shared/src/data/seed';

/** The un-partnerships schema: agencies, custodianships, programmes and their agencies, organisations and countries. */
export class Initial1732900000000 implements MigrationInterface {
  name = 'Initial1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(seedLogDdl('partners'));
    await q.query(`CREATE TABLE "partners"."un_agency" (
      "acronym" text PRIMARY KEY,
      "name" text NOT NULL,
      "mandate" text,
      "founded" text,
      "headquarters" text,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified'))
    )`);
    await q.query(`CREATE TABLE "partners"."custodianship" (
      "id" serial PRIMARY KEY,
      "agency_acronym" text NOT NULL REFERENCES "partners"."un_agency" ("acronym"),
      "instrument_code" text NOT NULL,
      "role" text NOT NULL CHECK ("role" IN ('implementation', 'supervision', 'standard_setting')),
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified')),
      CONSTRAINT "custodianship_natural_key" UNIQUE ("agency_acronym", "instrument_code")
    )`);
    await q.query(`CREATE INDEX "custodianship_instrument" ON "partners"."custodianship" ("instrument_code")`);
    await q.query(`CREATE TABLE "partners"."programme" (
      "id" text PRIMARY KEY,
      "name" text NOT NULL,
      "kind" text NOT NULL CHECK ("kind" IN ('project', 'campaign')),
      "scope" text NOT NULL CHECK ("scope" IN ('regional', 'global')),
      "description" text,
      "start_date" text,
      "end_date" text,
      "starts_on" date,
      "ends_on" date,
      "status" text CHECK ("status" IN ('planned', 'active', 'completed')),
      "themes" text[] NOT NULL DEFAULT '{}'
        CHECK ("themes" <@ ARRAY['free_movement', 'labour_migration', 'migration_dialogue', 'human_trafficking']::text[]),
      "supports_process" text,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified')),
      CONSTRAINT "programme_period" CHECK ("ends_on" IS NULL OR "starts_on" IS NULL OR "ends_on" >= "starts_on")
    )`);
    await q.query(`CREATE TABLE "partners"."programme_agency" (
      "id" serial PRIMARY KEY,
      "programme_id" text NOT NULL REFERENCES "partners"."programme" ("id"),
      "agency_acronym" text NOT NULL REFERENCES "partners"."un_agency" ("acronym"),
      "role" text NOT NULL CHECK ("role" IN ('lead', 'partner')),
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified')),
      CONSTRAINT "programme_agency_natural_key" UNIQUE ("programme_id", "agency_acronym")
    )`);
    await q.query(`CREATE INDEX "programme_agency_agency" ON "partners"."programme_agency" ("agency_acronym")`);
    await q.query(`CREATE TABLE "partners"."programme_organization" (
      "id" serial PRIMARY KEY,
      "programme_id" text NOT NULL REFERENCES "partners"."programme" ("id"),
      "organization" text NOT NULL,
      "role" text NOT NULL CHECK ("role" IN ('implementing_partner', 'funder')),
      "regional_organization" text,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified')),
      CONSTRAINT "programme_organization_natural_key" UNIQUE ("programme_id", "organization", "role")
    )`);
    await q.query(`CREATE TABLE "partners"."programme_country" (
      "id" serial PRIMARY KEY,
      "programme_id" text NOT NULL REFERENCES "partners"."programme" ("id"),
      "country_code" char(3) NOT NULL,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified')),
      CONSTRAINT "programme_country_natural_key" UNIQUE ("programme_id", "country_code")
    )`);
    await q.query(`CREATE INDEX "programme_country_country" ON "partners"."programme_country" ("country_code")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'programme_country',
      'programme_organization',
      'programme_agency',
      'programme',
      'custodianship',
      'un_agency',
      'seed_log',
    ]) {
      await q.query(`DROP TABLE "partners"."${table}"`);
    }
  }
}
