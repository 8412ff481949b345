import type { ClientBase } from 'pg';
import { COUNTRIES } from '../../../../shared/src/reference/countries';
import { quoted } from '../../../../shared/src/io/printable';
import { failIfInvalid, ImportError, type ImportOptions, type ImportResult, importTable, maxYear, swapTable } from './common';

/** The columns of missing-migrants/incidents.csv, in order (see seed/missing-migrants/README.md). */
export const INCIDENT_COLUMNS = [
  'id',
  'date',
  'year',
  'record_type',
  'route',
  'incident_iso3',
  'location',
  'latitude',
  'longitude',
  'dead_and_missing',
  'survivors',
  'cause',
  'origin_iso3',
] as const;

/** MMP's seven causes of death, as the file spells them; a record with several joins them with `|`. */
export const MISSING_MIGRANT_CAUSES = [
  'Drowning',
  'Vehicle accident / death linked to hazardous transport',
  'Violence',
  'Sickness / lack of access to adequate healthcare',
  'Harsh environmental conditions / lack of adequate shelter, food, water',
  'Accidental death',
  'Mixed or unknown',
] as const;
export type MissingMigrantCause = (typeof MISSING_MIGRANT_CAUSES)[number];

/** The origin code MMP gives when the nationality of the dead and missing is unknown. */
export const UNKNOWN_ORIGIN = 'UNK';

/** MMP's records begin in 2014; nothing before 2000 can be one. */
const FIRST_YEAR = 2000;
/** The import log's target of the one incidents table. */
const TARGET = 'mmp';
/** The table a new load is built in, beside data.missing_migrant_incident, before the swap. */
const LOAD = 'load_missing_migrant_incident';

const KNOWN_CODES = [...COUNTRIES.keys()].filter((c) => /^[A-Z]{3}$/.test(c)).sort();

type Problem =
  | 'id'
  | 'date'
  | 'year'
  | 'record_type'
  | 'route'
  | 'country'
  | 'location'
  | 'coordinates'
  | 'dead_and_missing'
  | 'survivors'
  | 'cause'
  | 'origin'
  | 'duplicate';

function reasonFor(problem: Problem, r: Record<string, string | null>): string {
  const cell = (c: string) => quoted(r[c] ?? '');
  switch (problem) {
    case 'id':
      return `id ${cell('id')} must be 1 to 40 letters, digits, dots, dashes or underscores`;
    case 'date':
      return `date ${cell('date')} is not a date (YYYY, YYYY-MM or YYYY-MM-DD) from ${FIRST_YEAR} to ${maxYear()}`;
    case 'year':
      return `year ${cell('year')} is not the year of the date ${cell('date')}`;
    case 'record_type':
      return 'record_type is empty';
    case 'route':
      return `route ${cell('route')} must have 1 to 200 characters`;
    case 'country':
      return `incident_iso3 ${cell('incident_iso3')} is not a known country code`;
    case 'location':
      return 'location has more than 2,000 characters';
    case 'coordinates':
      return `latitude ${cell('latitude')} and longitude ${cell('longitude')} must both be empty or both be decimal degrees in range`;
    case 'dead_and_missing':
      return `dead_and_missing ${cell('dead_and_missing')} is not a whole number`;
    case 'survivors':
      return `survivors ${cell('survivors')} is not a whole number (empty when the source has none)`;
    case 'cause':
      return `cause ${cell('cause')}: each of its |-separated parts must be one of MMP's seven causes`;
    case 'origin':
      return `origin_iso3 ${cell('origin_iso3')}: each of its |-separated codes must be a known country code or ${UNKNOWN_ORIGIN}`;
    case 'duplicate':
      return `duplicate id ${cell('id')}`;
  }
}

const literalArray = (values: readonly string[]) =>
  `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

/**
 * Loads IOM's Missing Migrants Project records (missing-migrants/incidents.csv) into
 * data.missing_migrant_incident, replacing what was there, in one transaction. The file streams
 * through COPY (its header must match the columns) into a temporary table; SQL checks every line
 * (dates at year, month or day precision, codes, coordinates, counts, causes, duplicate ids) and
 * names the file's line of each problem. The records go into a fresh table, keyed, indexed and
 * analysed there, which is then swapped in for the old one: readers wait only for the swap. Routes are numbered as they are first met and keep their
 * number. A file whose checksum the import log holds changes nothing.
 */
export async function importMissingMigrants(client: ClientBase, file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const settings = `SET LOCAL statement_timeout = 0; SET LOCAL work_mem = '64MB'; SET LOCAL maintenance_work_mem = '128MB'`;
  return importTable(client, file, opts, { kind: 'missing-migrants', target: TARGET, settings }, async ({ sink, copy }) => {
    const columns = INCIDENT_COLUMNS.map((c) => `"${c}" text`).join(', ');
    await client.query(
      `CREATE TEMPORARY TABLE "incident_line" ("line" integer GENERATED ALWAYS AS IDENTITY (START WITH 2), ${columns}) ON COMMIT DROP`,
    );
    const changed = await copy(
      `COPY pg_temp."incident_line" (${INCIDENT_COLUMNS.map((c) => `"${c}"`).join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER MATCH)`,
      INCIDENT_COLUMNS,
    );
    if (!changed) return null;

    // Most records have one origin: looked up in a hash of the codes (containment compares each code with every one).
    const origins = literalArray([...KNOWN_CODES, UNKNOWN_ORIGIN]);
    const number = `'^-?[0-9]{1,3}(\\.[0-9]{1,15})?$'`;
    // The first problem of each line, computed once per line (OFFSET 0 keeps the subquery apart); null for a valid line.
    // A bounded repetition ({1,40}) makes the id pattern several times slower than a length test and `+`.
    // CASE tests in order, so a cast only meets a cell whose form was checked before it.
    const classified = `SELECT l.*, CASE
         WHEN id IS NULL OR length(id) > 40 OR id !~ '^[A-Za-z0-9._-]+$' THEN 'id'
         WHEN date IS NULL OR date !~ '^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$' THEN 'date'
         WHEN left(date, 4)::int NOT BETWEEN ${FIRST_YEAR} AND ${maxYear()} THEN 'date'
         WHEN length(date) = 10
           AND to_char(to_date(left(date, 7) || '-01', 'YYYY-MM-DD') + (substr(date, 9, 2)::int - 1), 'YYYY-MM-DD') <> date THEN 'date'
         WHEN year IS NULL OR year <> left(date, 4) THEN 'year'
         WHEN record_type IS NULL OR length(record_type) > 200 THEN 'record_type'
         WHEN route IS NULL OR length(route) > 200 THEN 'route'
         WHEN incident_iso3 IS NULL OR NOT incident_iso3 = ANY (${literalArray(KNOWN_CODES)}) THEN 'country'
         WHEN length(location) > 2000 THEN 'location'
         WHEN (latitude IS NULL) <> (longitude IS NULL) THEN 'coordinates'
         WHEN latitude !~ ${number} OR longitude !~ ${number} THEN 'coordinates'
         WHEN abs(latitude::float8) > 90 OR abs(longitude::float8) > 180 THEN 'coordinates'
         WHEN dead_and_missing IS NULL OR dead_and_missing !~ '^[0-9]{1,9}$' THEN 'dead_and_missing'
         WHEN survivors !~ '^-?[0-9]{1,9}$' THEN 'survivors'
         WHEN cause IS NULL OR NOT string_to_array(cause, '|') <@ ${literalArray(MISSING_MIGRANT_CAUSES)} THEN 'cause'
         WHEN origin_iso3 IS NULL OR CASE WHEN strpos(origin_iso3, '|') = 0 THEN NOT origin_iso3 = ANY (${origins})
           ELSE NOT string_to_array(origin_iso3, '|') <@ ${origins} END THEN 'origin'
       END AS problem
       FROM pg_temp."incident_line" l OFFSET 0`;
    const cells = ['line', ...INCIDENT_COLUMNS].map((c) => `"${c}"`).join(', ');
    const refused = await client.query(
      `SELECT ${cells}, problem FROM (${classified}) c WHERE problem IS NOT NULL
       UNION ALL
       SELECT ${cells}, 'duplicate' FROM (
         SELECT l.*, row_number() OVER (PARTITION BY id ORDER BY line) AS n FROM pg_temp."incident_line" l WHERE id IS NOT NULL
       ) d WHERE d.n > 1
       ORDER BY line LIMIT 100000`,
    );
    const refusedLines: number[] = [];
    for (const r of refused.rows as (Record<string, string | null> & { line: number; problem: Problem })[]) {
      refusedLines.push(r.line);
      await sink.add({ line: r.line, reason: reasonFor(r.problem, r), text: INCIDENT_COLUMNS.map((c) => r[c] ?? '').join(',') });
    }
    await sink.close();
    failIfInvalid(file, sink, opts);
    const valid = `FROM pg_temp."incident_line" l WHERE NOT l.line = ANY ($1::int[])`;
    await client.query(
      `INSERT INTO "data"."migration_route" ("name") SELECT DISTINCT l.route ${valid} ORDER BY 1 ON CONFLICT ("name") DO NOTHING`,
      [refusedLines],
    );
    // A fresh table beside the live one, filled first and then keyed, indexed, checked against the
    // routes in one pass each and analysed (row by row, the reference check and the six indexes
    // cost most of the load); then swapped in, so that readers wait only for the swap.
    await client.query(
      `CREATE TABLE "data"."${LOAD}" (LIKE "data"."missing_migrant_incident" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    );
    const inserted = await client.query(
      `INSERT INTO "data"."${LOAD}" ("id", "date", "year", "first_day", "record_type", "route_id", "country_code",
         "location", "latitude", "longitude", "dead_and_missing", "survivors", "causes", "origin_codes")
       SELECT l.id, l.date, l.year::smallint,
         to_date(l.date || substr('-01-01', length(l.date) - 3), 'YYYY-MM-DD'),
         l.record_type, r.id, l.incident_iso3, l.location, l.latitude::float8, l.longitude::float8,
         l.dead_and_missing::int, l.survivors::int, string_to_array(l.cause, '|'), string_to_array(l.origin_iso3, '|')
       ${valid.replace('FROM pg_temp."incident_line" l', 'FROM pg_temp."incident_line" l JOIN "data"."migration_route" r ON r.name = l.route')}`,
      [refusedLines],
    );
    const rows = inserted.rowCount ?? 0;
    if (rows === 0) throw new ImportError(`${file}: no valid rows; nothing was written`, sink.first, sink.count);
    await client.query(`ALTER TABLE "data"."${LOAD}" ADD CONSTRAINT "${LOAD}_pkey" PRIMARY KEY ("id"),
      ADD CONSTRAINT "${LOAD}_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "data"."migration_route" ("id")`);
    await client.query(`CREATE INDEX "${LOAD}_recent" ON "data"."${LOAD}" ("first_day" DESC, "id")`);
    await client.query(`CREATE INDEX "${LOAD}_route" ON "data"."${LOAD}" ("route_id", "year")`);
    await client.query(`CREATE INDEX "${LOAD}_country" ON "data"."${LOAD}" ("country_code", "year")`);
    await client.query(`CREATE INDEX "${LOAD}_largest" ON "data"."${LOAD}" ("dead_and_missing" DESC, "first_day" DESC, "id")
      WHERE "latitude" IS NOT NULL`);
    await client.query(`CREATE INDEX "${LOAD}_place" ON "data"."${LOAD}" USING gist (point("longitude", "latitude"))
      WHERE "latitude" IS NOT NULL`);
    await client.query(
      `UPDATE "data"."migration_route" r SET "incidents" = coalesce(t.incidents, 0), "dead_and_missing" = coalesce(t.dead_and_missing, 0)
       FROM "data"."migration_route" r2 LEFT JOIN (
         SELECT "route_id", count(*)::int AS incidents, sum("dead_and_missing")::int AS dead_and_missing
         FROM "data"."${LOAD}" GROUP BY "route_id"
       ) t ON t.route_id = r2.id
       WHERE r2.id = r.id`,
    );
    // The sums the totals and counts read (see the MissingMigrantsTotals migration), from the same rows.
    await client.query(`DELETE FROM "data"."missing_migrant_total"`);
    await client.query(`INSERT INTO "data"."missing_migrant_total"
       SELECT "route_id", "year", "country_code", "causes", count(*), count("latitude"), sum("dead_and_missing"),
         sum("survivors") FILTER (WHERE "survivors" >= 0)
       FROM "data"."${LOAD}" GROUP BY 1, 2, 3, 4`);
    await client.query(`ANALYZE "data"."${LOAD}"`);
    await client.query(`ANALYZE "data"."missing_migrant_total"`);
    await swapTable(client, 'missing_migrant_incident');
    return rows;
  });
}
