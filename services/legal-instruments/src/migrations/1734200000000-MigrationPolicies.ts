import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * National migration policies and strategies (law and policy sit with the instruments), with the
 * UN agencies that supported them by acronym and the migration profile they built on by key: both
 * are owned by other services and referred to, never copied.
 */
export class MigrationPolicies1734200000000 implements MigrationInterface {
  name = 'MigrationPolicies1734200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "legal"."migration_policy" (
      "id" text PRIMARY KEY,
      "country_code" char(3) NOT NULL,
      "title" text NOT NULL,
      "title_en" text,
      "kind" text NOT NULL CHECK ("kind" IN ('national migration policy', 'labour migration policy', 'diaspora policy', 'migration strategy')),
      "status" text NOT NULL CHECK ("status" IN ('adopted', 'launched', 'validated', 'draft', 'under development')),
      "year" integer CHECK ("year" BETWEEN 1900 AND 2100),
      "supported_by" text[] NOT NULL DEFAULT '{}',
      "un_agencies" text[] NOT NULL DEFAULT '{}',
      "based_on_migration_profile" boolean,
      "migration_profile_id" text,
      "notes" text,
      "source" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified'))
    )`);
    await q.query(`CREATE INDEX "migration_policy_country" ON "legal"."migration_policy" ("country_code")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "legal"."migration_policy"`);
  }
}
