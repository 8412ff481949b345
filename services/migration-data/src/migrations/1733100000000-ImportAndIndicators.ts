import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Index definitions of every migrant_stock partition; the import builds the same on a new one. */
const STOCK_INDEXES = {
  origin: '("origin_code", "year") INCLUDE ("destination_code", "sex", "stock")',
  year: '("year", "destination_code") INCLUDE ("origin_code", "sex", "stock")',
};

/**
 * Bulk import and indicator series.
 *
 * - migrant_stock becomes partitioned by revision, one partition per revision: an import builds
 *   the new revision in a fresh table (COPY, then indexes) and swaps it in inside its transaction,
 *   so readers see the old revision until commit and a revision never needs a row-by-row DELETE.
 * - stock_country_year: per-country yearly sums (immigrant and emigrant side), rebuilt by each
 *   import, so series, changes and regional aggregates read a few hundred rows whatever the size
 *   of the bilateral table.
 * - Revisions may have any short name (an analyst loads a new edition or a scenario), not only
 *   the two published ones.
 * - indicator (catalogue) and indicator_value (series): new series without a schema change.
 * - import_log: the checksum of what each import target last loaded, so a re-import of the same
 *   file changes nothing.
 */
export class ImportAndIndicators1733100000000 implements MigrationInterface {
  name = 'ImportAndIndicators1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "data"."stock_revision" DROP CONSTRAINT IF EXISTS "stock_revision_code_check"`);
    await q.query(
      `ALTER TABLE "data"."stock_revision" ADD CONSTRAINT "stock_revision_code_check" CHECK ("code" ~ '^[a-z0-9_]{1,30}$')`,
    );

    await q.query(`ALTER TABLE "data"."migrant_stock" RENAME TO "migrant_stock_unpartitioned"`);
    await q.query(
      `ALTER TABLE "data"."migrant_stock_unpartitioned" RENAME CONSTRAINT "migrant_stock_pkey" TO "migrant_stock_unpartitioned_pkey"`,
    );
    await q.query(`ALTER INDEX "data"."migrant_stock_origin" RENAME TO "migrant_stock_unpartitioned_origin"`);
    await q.query(`CREATE TABLE "data"."migrant_stock" (
      "revision" text NOT NULL,
      "destination_code" char(3) NOT NULL,
      "origin_code" char(3) NOT NULL,
      "year" smallint NOT NULL CHECK ("year" BETWEEN 1900 AND 2100),
      "sex" text NOT NULL CHECK ("sex" IN ('male', 'female')),
      "stock" bigint NOT NULL CHECK ("stock" >= 0),
      PRIMARY KEY ("revision", "destination_code", "year", "origin_code", "sex") INCLUDE ("stock")
    ) PARTITION BY LIST ("revision")`);
    // Covering indexes (the import loads with COPY FREEZE, so they serve index-only scans at once):
    // by origin for emigrant figures, by year (and destination) for corridors of a year.
    await q.query(`CREATE INDEX "migrant_stock_origin" ON "data"."migrant_stock" ${STOCK_INDEXES.origin}`);
    await q.query(`CREATE INDEX "migrant_stock_year" ON "data"."migrant_stock" ${STOCK_INDEXES.year}`);

    await q.query(`CREATE TABLE "data"."stock_country_year" (
      "revision" text NOT NULL REFERENCES "data"."stock_revision" ("code") ON DELETE CASCADE,
      "side" text NOT NULL CHECK ("side" IN ('destination', 'origin')),
      "code" char(3) NOT NULL,
      "year" smallint NOT NULL,
      "male" bigint,
      "female" bigint,
      PRIMARY KEY ("revision", "side", "code", "year")
    )`);

    // Moves what was loaded before into one partition per revision.
    const revisions: { revision: string }[] = await q.query(
      `SELECT DISTINCT "revision" FROM "data"."migrant_stock_unpartitioned"`,
    );
    for (const { revision } of revisions) {
      const table = `"data"."migrant_stock_${revision}"`;
      await q.query(`CREATE TABLE ${table} PARTITION OF "data"."migrant_stock" FOR VALUES IN ('${revision}')`);
      await q.query(`INSERT INTO ${table} SELECT * FROM "data"."migrant_stock_unpartitioned" WHERE "revision" = $1`, [revision]);
      await q.query(
        `INSERT INTO "data"."stock_country_year" ("revision", "side", "code", "year", "male", "female")
        SELECT $1, 'destination', destination_code, year, sum(stock) FILTER (WHERE sex = 'male'), sum(stock) FILTER (WHERE sex = 'female')
        FROM ${table} GROUP BY destination_code, year
        UNION ALL
        SELECT $1, 'origin', origin_code, year, sum(stock) FILTER (WHERE sex = 'male'), sum(stock) FILTER (WHERE sex = 'female')
        FROM ${table} GROUP BY origin_code, year`,
        [revision],
      );
    }
    await q.query(`DROP TABLE "data"."migrant_stock_unpartitioned"`);

    await q.query(`CREATE TABLE "data"."indicator" (
      "code" text PRIMARY KEY CHECK ("code" ~ '^[A-Z][A-Z0-9_.]{0,39}$'),
      "name" text NOT NULL,
      "unit" text NOT NULL,
      "definition" text NOT NULL,
      "allow_negative" boolean NOT NULL DEFAULT false,
      "source" text NOT NULL,
      "source_url" text,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified'))
    )`);
    await q.query(`CREATE TABLE "data"."indicator_value" (
      "indicator_code" text NOT NULL REFERENCES "data"."indicator" ("code") ON DELETE CASCADE,
      "country_code" char(3) NOT NULL,
      "year" smallint NOT NULL CHECK ("year" BETWEEN 1900 AND 2100),
      "value" double precision NOT NULL,
      "unit" text NOT NULL,
      "source" text NOT NULL,
      "confidence" text NOT NULL CHECK ("confidence" IN ('seen', 'derived', 'unverified')),
      PRIMARY KEY ("indicator_code", "country_code", "year")
    )`);
    await q.query(
      `CREATE INDEX "indicator_value_year" ON "data"."indicator_value" ("indicator_code", "year") INCLUDE ("country_code", "value")`,
    );

    await q.query(`CREATE TABLE "data"."import_log" (
      "kind" text NOT NULL,
      "target" text NOT NULL,
      "sha256" text NOT NULL CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
      "rows" integer NOT NULL,
      "rejected" integer NOT NULL,
      "imported_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("kind", "target")
    )`);
    await q.query(`INSERT INTO "data"."import_log" ("kind", "target", "sha256", "rows", "rejected", "imported_at")
      SELECT 'stock', "code", "sha256", "row_count", 0, "loaded_at" FROM "data"."stock_revision"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "data"."import_log"`);
    await q.query(`DROP TABLE "data"."indicator_value"`);
    await q.query(`DROP TABLE "data"."indicator"`);
    await q.query(`DROP TABLE "data"."stock_country_year"`);
    await q.query(`ALTER TABLE "data"."migrant_stock" RENAME TO "migrant_stock_partitioned"`);
    await q.query(
      `ALTER TABLE "data"."migrant_stock_partitioned" RENAME CONSTRAINT "migrant_stock_pkey" TO "migrant_stock_partitioned_pkey"`,
    );
    await q.query(`ALTER INDEX "data"."migrant_stock_origin" RENAME TO "migrant_stock_partitioned_origin"`);
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
    await q.query(
      `INSERT INTO "data"."migrant_stock" SELECT * FROM "data"."migrant_stock_partitioned" WHERE "revision" IN ('2024', '2020')`,
    );
    await q.query(`DROP TABLE "data"."migrant_stock_partitioned"`);
    await q.query(`DELETE FROM "data"."stock_revision" WHERE "code" NOT IN ('2024', '2020')`);
    await q.query(`ALTER TABLE "data"."stock_revision" DROP CONSTRAINT "stock_revision_code_check"`);
    await q.query(
      `ALTER TABLE "data"."stock_revision" ADD CONSTRAINT "stock_revision_code_check" CHECK ("code" IN ('2024', '2020'))`,
    );
  }
}
