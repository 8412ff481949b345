import type { MigrationInterface, QueryRunner } from 'typeorm';
import { changeTriggerDdl } from '../../../../shared/src/data/readCache';

/**
 * What the Missing Migrants Project queries read instead of every record.
 *
 * - missing_migrant_total: the records summed by route, year, incident country and set of causes
 *   (the causes array as the record gives it), with how many of them have coordinates. Totals, and
 *   the counts of a list or a map, whose filter has no bounding box are sums of these rows: a few
 *   thousand, however many records there are. Rebuilt by the import, the only writer, in the
 *   transaction that swaps the records in.
 * - missing_migrant_incident_largest: the records with coordinates, largest first (then newest, then
 *   id), the map's order: a capped map reads its first rows instead of sorting every match.
 * - missing_migrant_incident_place: the records' points, for a bounding box (the exact test on
 *   latitude and longitude stays; the index only narrows the rows it is made on).
 * The import builds both indexes on its load table under load_ names, which the swap renames.
 */
export class MissingMigrantsTotals1734730000000 implements MigrationInterface {
  name = 'MissingMigrantsTotals1734730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "data"."missing_migrant_total" (
      "route_id" smallint NOT NULL,
      "year" smallint NOT NULL,
      "country_code" text NOT NULL,
      "causes" text[] NOT NULL,
      "incidents" integer NOT NULL CHECK ("incidents" > 0),
      "located" integer NOT NULL CHECK ("located" BETWEEN 0 AND "incidents"),
      "dead_and_missing" bigint NOT NULL,
      "survivors" bigint,
      PRIMARY KEY ("route_id", "year", "country_code", "causes")
    )`);
    await q.query(changeTriggerDdl('data', 'missing_migrant_total'));
    await q.query(`INSERT INTO "data"."missing_migrant_total"
      SELECT "route_id", "year", "country_code", "causes", count(*), count("latitude"), sum("dead_and_missing"),
        sum("survivors") FILTER (WHERE "survivors" >= 0)
      FROM "data"."missing_migrant_incident" GROUP BY 1, 2, 3, 4`);
    await q.query(`CREATE INDEX "missing_migrant_incident_largest" ON "data"."missing_migrant_incident"
      ("dead_and_missing" DESC, "first_day" DESC, "id") WHERE "latitude" IS NOT NULL`);
    await q.query(`CREATE INDEX "missing_migrant_incident_place" ON "data"."missing_migrant_incident"
      USING gist (point("longitude", "latitude")) WHERE "latitude" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "data"."missing_migrant_incident_place"`);
    await q.query(`DROP INDEX "data"."missing_migrant_incident_largest"`);
    await q.query(`DROP TABLE "data"."missing_migrant_total"`);
  }
}
