import type { MigrationInterface, QueryRunner } from 'typeorm';
import { changeTriggerDdl } from '../../../../shared/src/data/readCache';

/**
 * The indicator catalogue as the reference data describes it, and UNHCR's forced-displacement
 * corridors.
 *
 * - indicator codes may have up to 60 characters; indicator gains `licence` (the catalogue's licence text, with its caveats) and `additive`
 *   (whether values of different countries may be summed: set by the import from the unit, see
 *   ADDITIVE_UNITS in the import). A regional aggregate of a non-additive indicator is refused.
 * - indicator_value's source and confidence may be null together: the value's provenance is then
 *   its indicator's (the reference data records provenance per indicator, not per value; 128,833
 *   copies of the catalogue's source text would triple the table).
 * - displacement: UNHCR populations by year, origin and asylum country, one row per population
 *   type (refugees, asylum-seekers, returns, IDPs, stateless, others of concern) with a value;
 *   an empty source cell is no row (never zero). Country codes as smallint keys, as in
 *   stock_corridor (data.country_key). Kept apart from the migrant stock: never mixed.
 *   Indexes: a year's corridors of one population type largest first; an asylum country's and an
 *   origin's corridors of a year. Its changes notify the service's processes like every table's
 *   (changeTriggerDdl), so that they forget what they had read.
 */
export class IndicatorCatalogueAndDisplacement1734600000000 implements MigrationInterface {
  name = 'IndicatorCatalogueAndDisplacement1734600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "data"."indicator" ADD COLUMN "licence" text, ADD COLUMN "additive" boolean NOT NULL DEFAULT false`,
    );
    // Codes up to 60 characters (the reference catalogue has one of 42).
    await q.query(`ALTER TABLE "data"."indicator" DROP CONSTRAINT "indicator_code_check",
      ADD CONSTRAINT "indicator_code_check" CHECK ("code" ~ '^[A-Z][A-Z0-9_.]{0,59}$')`);
    await q.query(`ALTER TABLE "data"."indicator_value" ALTER COLUMN "source" DROP NOT NULL, ALTER COLUMN "confidence" DROP NOT NULL,
      ADD CONSTRAINT "indicator_value_provenance" CHECK (("source" IS NULL) = ("confidence" IS NULL))`);
    await q.query(`CREATE TABLE "data"."displacement" (
      "population" text NOT NULL CHECK ("population" IN
        ('refugees', 'asylum_seekers', 'refugee_returns', 'idps', 'idp_returns', 'stateless', 'others_of_concern')),
      "year" smallint NOT NULL CHECK ("year" BETWEEN 1900 AND 2100),
      "origin_key" smallint NOT NULL CHECK ("origin_key" BETWEEN 0 AND 17575),
      "asylum_key" smallint NOT NULL CHECK ("asylum_key" BETWEEN 0 AND 17575),
      "value" integer NOT NULL CHECK ("value" >= 0),
      "mid_year" boolean NOT NULL,
      PRIMARY KEY ("population", "year", "origin_key", "asylum_key")
    )`);
    await q.query(changeTriggerDdl('data', 'displacement'));
    await q.query(
      `CREATE INDEX "displacement_ranked" ON "data"."displacement" ("population", "year", "value" DESC, "origin_key", "asylum_key") INCLUDE ("mid_year")`,
    );
    await q.query(
      `CREATE INDEX "displacement_asylum" ON "data"."displacement" ("asylum_key", "year", "population") INCLUDE ("origin_key", "value", "mid_year")`,
    );
    await q.query(
      `CREATE INDEX "displacement_origin" ON "data"."displacement" ("origin_key", "year", "population") INCLUDE ("asylum_key", "value", "mid_year")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "data"."displacement"`);
    await q.query(`DELETE FROM "data"."import_log" WHERE "kind" = 'displacement'`);
    await q.query(`UPDATE "data"."indicator_value" v SET "source" = i."source", "confidence" = i."confidence"
      FROM "data"."indicator" i WHERE i."code" = v."indicator_code" AND v."source" IS NULL`);
    await q.query(`ALTER TABLE "data"."indicator_value" DROP CONSTRAINT "indicator_value_provenance",
      ALTER COLUMN "source" SET NOT NULL, ALTER COLUMN "confidence" SET NOT NULL`);
    await q.query(`ALTER TABLE "data"."indicator" DROP COLUMN "licence", DROP COLUMN "additive"`);
    await q.query(`ALTER TABLE "data"."indicator" DROP CONSTRAINT "indicator_code_check",
      ADD CONSTRAINT "indicator_code_check" CHECK ("code" ~ '^[A-Z][A-Z0-9_.]{0,39}$') NOT VALID`);
  }
}
