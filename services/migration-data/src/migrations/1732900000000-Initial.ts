import type { MigrationInterface, QueryRunner } from 'typeorm';
import { seedLogDdl } from '../../../../shared/src/data/seed';

/** The migration-data schema: migration profiles, migrant-stock revisions and the bilateral stock. */
export class Initial1732900000000 implements MigrationInterface {
  name = 'Initial1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(seedLogDdl('data'));
    await q.query(`CREATE TABLE "data"."migration_profile" (
      "id" text PRIMARY KEY,
      "country_code" char(3) NOT NULL,
      "title" text NOT NULL,
      "year" integer NOT NULL CHECK ("year" BETWEEN 1900 AND 2100),
      "language" text NOT NULL CHECK ("language" IN ('en', 'fr')),
      "isbn" text,
      "pages" integer CHECK ("pages" > 0),
      "publisher" text,
      "url" text,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified')),
      CONSTRAINT "migration_profile_natural_key" UNIQUE ("country_code", "year", "language")
    )`);
    await q.query(`CREATE INDEX "migration_profile_country" ON "data"."migration_profile" ("country_code")`);
    await q.query(`CREATE TABLE "data"."stock_revision" (
      "code" text PRIMARY KEY CHECK ("code" IN ('2024', '2020')),
      "title" text NOT NULL,
      "citation" text NOT NULL,
      "source_url" text,
      "published" text,
      "years" smallint[] NOT NULL,
      "row_count" integer NOT NULL CHECK ("row_count" >= 0),
      "sha256" text NOT NULL CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
      "loaded_at" timestamptz NOT NULL DEFAULT now(),
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified'))
    )`);
    // Source rows only (male, female): both sexes is derived at query time and never stored.
    await q.query(`CREATE TABLE "data"."migrant_stock" (
      "revision" text NOT NULL REFERENCES "data"."stock_revision" ("code") ON DELETE CASCADE,
      "destination_code" char(3) NOT NULL,
      "origin_code" char(3) NOT NULL,
      "year" smallint NOT NULL CHECK ("year" BETWEEN 1900 AND 2100),
      "sex" text NOT NULL CHECK ("sex" IN ('male', 'female')),
      "stock" bigint NOT NULL CHECK ("stock" >= 0),
      PRIMARY KEY ("revision", "destination_code", "year", "origin_code", "sex")
    )`);
    await q.query(`CREATE INDEX "migrant_stock_origin" ON "data"."migrant_stock" ("revision", "origin_code", "year")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['migrant_stock', 'stock_revision', 'migration_profile', 'seed_log']) {
      await q.query(`DROP TABLE "data"."${table}"`);
    }
  }
}
