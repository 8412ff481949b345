import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How many corridors of each year the ranking keeps (the import keeps the same number). */
const RANKING_DEPTH = 500;

/**
 * The bilateral stock is stored per corridor instead of per source row.
 *
 * - stock_corridor (partitioned by revision, one partition per revision as before): one row per
 *   destination, origin and year with male and female side by side (null where the source has no
 *   row for that sex) and their total. The source's two rows per corridor become one, so the
 *   table, its index and every aggregate over it are half the size, and corridor queries need no
 *   GROUP BY. Country codes are stored as smallint keys (data.country_key): sorting and comparing
 *   them is about twice as fast as char(3), which is most of an import's index build.
 * - One unique covering index per partition, (year, destination_key, origin_key) INCLUDE (male,
 *   female, total), built by the import (there is no index on the parent, so a new partition's
 *   index never has to match one). It serves a destination's corridors directly and an origin's
 *   through a skip scan over destinations (PostgreSQL 18; older servers scan the year).
 * - stock_year: the number of corridors of each year (a world-wide corridor count reads one row).
 * - stock_ranking: each year's largest corridors in order (the first RANKING_DEPTH, as arrays),
 *   so a world-wide top-N reads one row instead of sorting every corridor of the year.
 * - stock_country_year (per-country yearly sums) is partitioned by revision the same way.
 * - migrant_stock becomes a view with the source rows' shape (one row per sex), for SQL users.
 */
export class StockCorridors1733700000000 implements MigrationInterface {
  name = 'StockCorridors1733700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION "data"."country_key"(code char(3)) RETURNS smallint
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN ((ascii(substr(code, 1, 1)) - 65) * 676 + (ascii(substr(code, 2, 1)) - 65) * 26 + (ascii(substr(code, 3, 1)) - 65))::smallint`);
    await q.query(`CREATE FUNCTION "data"."country_code"(key smallint) RETURNS char(3)
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN chr(65 + key / 676) || chr(65 + (key / 26) % 26) || chr(65 + key % 26)`);

    await q.query(`CREATE TABLE "data"."stock_corridor" (
      "revision" text NOT NULL,
      "year" smallint NOT NULL CHECK ("year" BETWEEN 1900 AND 2100),
      "destination_key" smallint NOT NULL CHECK ("destination_key" BETWEEN 0 AND 17575),
      "origin_key" smallint NOT NULL CHECK ("origin_key" BETWEEN 0 AND 17575),
      "male" bigint CHECK ("male" >= 0),
      "female" bigint CHECK ("female" >= 0),
      "total" bigint GENERATED ALWAYS AS ("male" + "female") STORED,
      CONSTRAINT "stock_corridor_some_sex" CHECK ("male" IS NOT NULL OR "female" IS NOT NULL)
    ) PARTITION BY LIST ("revision")`);
    await q.query(`CREATE TABLE "data"."stock_year" (
      "revision" text NOT NULL REFERENCES "data"."stock_revision" ("code") ON DELETE CASCADE,
      "year" smallint NOT NULL,
      "corridors" integer NOT NULL CHECK ("corridors" >= 0),
      PRIMARY KEY ("revision", "year")
    )`);
    // One row per year: the first RANKING_DEPTH corridors as parallel arrays in rank order (a page
    // is an array slice), a few rows to write per import instead of thousands.
    await q.query(`CREATE TABLE "data"."stock_ranking" (
      "revision" text NOT NULL REFERENCES "data"."stock_revision" ("code") ON DELETE CASCADE,
      "year" smallint NOT NULL,
      "destination_keys" smallint[] NOT NULL,
      "origin_keys" smallint[] NOT NULL,
      "male" bigint[] NOT NULL,
      "female" bigint[] NOT NULL,
      PRIMARY KEY ("revision", "year"),
      CHECK (cardinality("destination_keys") = cardinality("origin_keys") AND cardinality("origin_keys") = cardinality("male")
        AND cardinality("male") = cardinality("female"))
    )`);
    await q.query(`ALTER TABLE "data"."stock_ranking" ALTER COLUMN "destination_keys" SET STORAGE EXTERNAL,
      ALTER COLUMN "origin_keys" SET STORAGE EXTERNAL, ALTER COLUMN "male" SET STORAGE EXTERNAL, ALTER COLUMN "female" SET STORAGE EXTERNAL`);

    // The per-country sums become partitioned by revision too: an import builds them in a fresh
    // table (one COPY) and swaps it in with the corridors. They are written in the same
    // transaction as their revision's row and removed with it (dropStockRevision), without a
    // foreign key that would check thousands of rows per import, and without an index: a
    // revision's few thousand rows are read faster by a scan than an index costs to build.
    await q.query(`ALTER TABLE "data"."stock_country_year" RENAME TO "stock_country_year_unpartitioned"`);
    await q.query(
      `ALTER TABLE "data"."stock_country_year_unpartitioned" RENAME CONSTRAINT "stock_country_year_pkey" TO "stock_country_year_unpartitioned_pkey"`,
    );
    await q.query(`CREATE TABLE "data"."stock_country_year" (
      "revision" text NOT NULL,
      "side" text NOT NULL CHECK ("side" IN ('destination', 'origin')),
      "code" char(3) NOT NULL,
      "year" smallint NOT NULL,
      "male" bigint,
      "female" bigint
    ) PARTITION BY LIST ("revision")`);
    await q.query(`COMMENT ON TABLE "data"."stock_country_year" IS
      'Per-country yearly sums of a revision by side and sex, one row per (side, code, year): built by the import, a few thousand rows per revision, read by sequential scans of one partition.'`);
    const sums: { revision: string }[] = await q.query(
      `SELECT DISTINCT "revision" FROM "data"."stock_country_year_unpartitioned"`,
    );
    for (const { revision } of sums) {
      await q.query(
        `CREATE TABLE "data"."stock_country_year_${revision}" PARTITION OF "data"."stock_country_year" FOR VALUES IN ('${revision}')`,
      );
      await q.query(
        `INSERT INTO "data"."stock_country_year_${revision}" SELECT * FROM "data"."stock_country_year_unpartitioned" WHERE "revision" = $1`,
        [revision],
      );
    }
    await q.query(`DROP TABLE "data"."stock_country_year_unpartitioned"`);

    const revisions: { revision: string }[] = await q.query(
      `SELECT c.relname AS revision FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = '"data"."migrant_stock"'::regclass`,
    );
    for (const { revision: partition } of revisions) {
      const revision = partition.replace(/^migrant_stock_/, '');
      const table = `stock_corridor_${revision}`;
      await q.query(
        `CREATE TABLE "data"."${table}" (LIKE "data"."stock_corridor" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)`,
      );
      await q.query(`ALTER TABLE "data"."${table}" ADD CONSTRAINT "${table}_revision" CHECK ("revision" = '${revision}')`);
      await q.query(
        `INSERT INTO "data"."${table}" ("revision", "year", "destination_key", "origin_key", "male", "female")
         SELECT $1, s.year, "data".country_key(s.destination_code), "data".country_key(s.origin_code),
           sum(s.stock) FILTER (WHERE s.sex = 'male'), sum(s.stock) FILTER (WHERE s.sex = 'female')
         FROM "data"."${partition}" s GROUP BY s.year, s.destination_code, s.origin_code`,
        [revision],
      );
      await q.query(
        `CREATE UNIQUE INDEX "${table}_key" ON "data"."${table}" ("year", "destination_key", "origin_key") INCLUDE ("male", "female", "total")`,
      );
      await q.query(`ALTER TABLE "data"."stock_corridor" ATTACH PARTITION "data"."${table}" FOR VALUES IN ('${revision}')`);
      await q.query(
        `INSERT INTO "data"."stock_year" ("revision", "year", "corridors")
        SELECT $1, year, count(*) FROM "data"."${table}" GROUP BY year`,
        [revision],
      );
      await q.query(
        `INSERT INTO "data"."stock_ranking" ("revision", "year", "destination_keys", "origin_keys", "male", "female")
         SELECT $1, year, array_agg(destination_key ORDER BY rank), array_agg(origin_key ORDER BY rank),
           array_agg(male ORDER BY rank), array_agg(female ORDER BY rank)
         FROM (
           SELECT s.*, row_number() OVER (PARTITION BY s.year ORDER BY s.total DESC NULLS LAST, s.destination_key, s.origin_key) AS rank
           FROM "data"."${table}" s) r
         WHERE rank <= ${RANKING_DEPTH}
         GROUP BY year`,
        [revision],
      );
    }
    await q.query(`DROP TABLE "data"."migrant_stock"`);
    await q.query(`CREATE VIEW "data"."migrant_stock" AS
      SELECT s.revision, "data".country_code(s.destination_key) AS destination_code, s.year,
        "data".country_code(s.origin_key) AS origin_code, x.sex, x.stock
      FROM "data"."stock_corridor" s CROSS JOIN LATERAL (VALUES ('male', s.male), ('female', s.female)) AS x(sex, stock)
      WHERE x.stock IS NOT NULL`);
    await q.query(
      `COMMENT ON VIEW "data"."migrant_stock" IS 'The bilateral stock in the shape of the source rows (one row per sex), read from stock_corridor.'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "data"."migrant_stock"`);
    await q.query(`CREATE TABLE "data"."migrant_stock" (
      "revision" text NOT NULL,
      "destination_code" char(3) NOT NULL,
      "origin_code" char(3) NOT NULL,
      "year" smallint NOT NULL CHECK ("year" BETWEEN 1900 AND 2100),
      "sex" text NOT NULL CHECK ("sex" IN ('male', 'female')),
      "stock" bigint NOT NULL CHECK ("stock" >= 0),
      PRIMARY KEY ("revision", "destination_code", "year", "origin_code", "sex") INCLUDE ("stock")
    ) PARTITION BY LIST ("revision")`);
    await q.query(
      `CREATE INDEX "migrant_stock_origin" ON "data"."migrant_stock" ("origin_code", "year") INCLUDE ("destination_code", "sex", "stock")`,
    );
    await q.query(
      `CREATE INDEX "migrant_stock_year" ON "data"."migrant_stock" ("year", "destination_code") INCLUDE ("origin_code", "sex", "stock")`,
    );
    const revisions: { revision: string }[] = await q.query(`SELECT DISTINCT "revision" FROM "data"."stock_corridor"`);
    for (const { revision } of revisions) {
      await q.query(
        `CREATE TABLE "data"."migrant_stock_${revision}" PARTITION OF "data"."migrant_stock" FOR VALUES IN ('${revision}')`,
      );
      await q.query(
        `INSERT INTO "data"."migrant_stock_${revision}" ("revision", "destination_code", "origin_code", "year", "sex", "stock")
         SELECT s.revision, "data".country_code(s.destination_key), "data".country_code(s.origin_key), s.year, x.sex, x.stock
         FROM "data"."stock_corridor" s CROSS JOIN LATERAL (VALUES ('male', s.male), ('female', s.female)) AS x(sex, stock)
         WHERE s.revision = $1 AND x.stock IS NOT NULL`,
        [revision],
      );
    }
    await q.query(`ALTER TABLE "data"."stock_country_year" RENAME TO "stock_country_year_partitioned"`);
    await q.query(`CREATE TABLE "data"."stock_country_year" (
      "revision" text NOT NULL REFERENCES "data"."stock_revision" ("code") ON DELETE CASCADE,
      "side" text NOT NULL CHECK ("side" IN ('destination', 'origin')),
      "code" char(3) NOT NULL,
      "year" smallint NOT NULL,
      "male" bigint,
      "female" bigint,
      PRIMARY KEY ("revision", "side", "code", "year")
    )`);
    await q.query(`INSERT INTO "data"."stock_country_year" SELECT p.* FROM "data"."stock_country_year_partitioned" p
      WHERE EXISTS (SELECT 1 FROM "data"."stock_revision" r WHERE r.code = p.revision)`);
    await q.query(`DROP TABLE "data"."stock_country_year_partitioned"`);
    await q.query(`DROP TABLE "data"."stock_ranking"`);
    await q.query(`DROP TABLE "data"."stock_year"`);
    await q.query(`DROP TABLE "data"."stock_corridor"`);
    await q.query(`DROP FUNCTION "data"."country_code"(smallint)`);
    await q.query(`DROP FUNCTION "data"."country_key"(char(3))`);
  }
}
