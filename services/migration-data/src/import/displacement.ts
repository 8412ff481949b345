import type { ClientBase } from 'pg';
import { COUNTRIES } from '../../../../shared/src/reference/countries';
import { quoted } from '../../../../shared/src/io/printable';
import {
  failIfInvalid,
  ImportError,
  type ImportOptions,
  type ImportResult,
  importTable,
  maxYear,
  MIN_YEAR,
  swapTable,
} from './common';

/** The population types of UNHCR's origin × asylum table, as its columns name them (and the table stores them). */
export const POPULATIONS = [
  'refugees',
  'asylum_seekers',
  'refugee_returns',
  'idps',
  'idp_returns',
  'stateless',
  'others_of_concern',
] as const;
export type Population = (typeof POPULATIONS)[number];

export const DISPLACEMENT_COLUMNS = ['year', 'origin_iso3', 'asylum_iso3', ...POPULATIONS, 'reference_period'];
/** The import log's target of the one displacement table. */
const TARGET = 'unhcr';
/** The table a new load is built in, beside data.displacement, before the swap. */
const LOAD = 'load_displacement';

/** Known codes of three capital letters: only those have a smallint key (see countryKey.ts). */
const KEYED_CODES = [...COUNTRIES.keys()].filter((c) => /^[A-Z]{3}$/.test(c)).sort();

const keyOf = (cell: string) =>
  `((ascii(${cell}) - 65) * 676 + (ascii(substr(${cell}, 2)) - 65) * 26 + ascii(substr(${cell}, 3)) - 65)::smallint`;

type Problem = 'year' | 'origin' | 'asylum' | 'count' | 'empty' | 'reference_period' | 'duplicate';

function reasonFor(problem: Problem, r: Record<string, string | null>): string {
  switch (problem) {
    case 'year':
      return `year ${quoted(r.year ?? '')} is not a year from ${MIN_YEAR} to ${maxYear()}`;
    case 'origin':
      return `origin_iso3 ${quoted(r.origin_iso3 ?? '')} is not a known country code`;
    case 'asylum':
      return `asylum_iso3 ${quoted(r.asylum_iso3 ?? '')} is not a known country code`;
    case 'count': {
      const bad = POPULATIONS.filter((p) => !/^\d{1,9}$/.test(r[p] ?? '0'));
      return `${bad.map((p) => `${p} ${quoted(r[p] ?? '')}`).join(', ')}: a count is a whole number (empty when the source has none)`;
    }
    case 'empty':
      return 'every count is empty: a row needs at least one';
    case 'reference_period':
      return `reference_period ${quoted(r.reference_period ?? '')} must be end-year or mid-year`;
    case 'duplicate':
      return `duplicate row for ${r.origin_iso3} in ${r.asylum_iso3} in ${r.year}`;
  }
}

/**
 * Loads UNHCR's populations by year × origin × asylum (indicators/unhcr-bilateral.csv) into
 * data.displacement, replacing what was there, in one transaction. The file streams through COPY
 * (its header must match the columns) into a temporary table; SQL validates every line (unknown
 * codes, year, counts, reference period, duplicates), and the valid ones become one row per
 * population type with a count: an empty cell is no row, never zero. The rows go into a fresh
 * table, keyed, indexed and analysed there, which is then swapped in for the old one: readers wait
 * only for the swap. A file whose checksum the import log holds changes nothing.
 */
export async function importDisplacement(client: ClientBase, file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const settings = `SET LOCAL statement_timeout = 0; SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL work_mem = '64MB'`;
  return importTable(client, file, opts, { kind: 'displacement', target: TARGET, settings }, async ({ sink, copy }) => {
    const columns = DISPLACEMENT_COLUMNS.map((c) => `"${c}" text`).join(', ');
    await client.query(
      `CREATE TEMPORARY TABLE "displacement_line" ("line" integer GENERATED ALWAYS AS IDENTITY (START WITH 2), ${columns}) ON COMMIT DROP`,
    );
    const changed = await copy(
      `COPY pg_temp."displacement_line" (${DISPLACEMENT_COLUMNS.map((c) => `"${c}"`).join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER MATCH)`,
      DISPLACEMENT_COLUMNS,
    );
    if (!changed) return null;

    const codes = `'{${KEYED_CODES.join(',')}}'::text[]`;
    const count = (c: string) => `(${c} IS NOT NULL AND ${c} !~ '^[0-9]{1,9}$')`;
    // The first problem of each line, computed once per line (OFFSET 0 keeps the subquery apart); null for a valid line.
    const classified = `SELECT l.*, CASE
         WHEN year !~ '^[0-9]{4}$' OR year::int NOT BETWEEN ${MIN_YEAR} AND ${maxYear()} THEN 'year'
         WHEN NOT origin_iso3 = ANY (${codes}) THEN 'origin'
         WHEN NOT asylum_iso3 = ANY (${codes}) THEN 'asylum'
         WHEN ${POPULATIONS.map(count).join(' OR ')} THEN 'count'
         WHEN num_nonnulls(${POPULATIONS.join(', ')}) = 0 THEN 'empty'
         WHEN reference_period IS NULL OR reference_period NOT IN ('end-year', 'mid-year') THEN 'reference_period'
       END AS problem
       FROM pg_temp."displacement_line" l OFFSET 0`;
    // Refused lines: the first problem of each, and every later line of a (year, origin, asylum) already given.
    const cells = ['line', ...DISPLACEMENT_COLUMNS].map((c) => `"${c}"`).join(', ');
    const refused = await client.query(
      `SELECT ${cells}, problem FROM (${classified}) c WHERE problem IS NOT NULL
       UNION ALL
       SELECT ${cells}, 'duplicate' FROM (
         SELECT l.*, row_number() OVER (PARTITION BY year, origin_iso3, asylum_iso3 ORDER BY line) AS n FROM pg_temp."displacement_line" l
       ) d WHERE d.n > 1
       ORDER BY line LIMIT 100000`,
    );
    const refusedLines: number[] = [];
    for (const r of refused.rows as (Record<string, string | null> & { line: number; problem: Problem })[]) {
      refusedLines.push(r.line);
      await sink.add({
        line: r.line,
        reason: reasonFor(r.problem, r),
        text: DISPLACEMENT_COLUMNS.map((c) => r[c] ?? '').join(','),
      });
    }
    await sink.close();
    failIfInvalid(file, sink, opts);

    // A fresh table beside the live one, filled, keyed, indexed and analysed; then swapped in, so
    // that readers wait only for the swap, not for the index builds.
    await client.query(`CREATE TABLE "data"."${LOAD}" (LIKE "data"."displacement" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await client.query(
      `INSERT INTO "data"."${LOAD}" ("population", "year", "origin_key", "asylum_key", "value", "mid_year")
       SELECT v.population, l.year::smallint, ${keyOf('l.origin_iso3')}, ${keyOf('l.asylum_iso3')}, v.value::int, l.reference_period = 'mid-year'
       FROM pg_temp."displacement_line" l
       CROSS JOIN LATERAL (VALUES ${POPULATIONS.map((p) => `('${p}', l.${p})`).join(', ')}) AS v(population, value)
       WHERE NOT l.line = ANY ($1::int[]) AND v.value IS NOT NULL`,
      [refusedLines],
    );
    const [{ n: lines }] = (await client.query(`SELECT count(*)::int AS n FROM pg_temp."displacement_line"`)).rows as {
      n: number;
    }[];
    const rows = lines - refusedLines.length;
    if (rows === 0) throw new ImportError(`${file}: no valid rows; nothing was written`, sink.first, sink.count);
    await client.query(
      `ALTER TABLE "data"."${LOAD}" ADD CONSTRAINT "${LOAD}_pkey" PRIMARY KEY ("population", "year", "origin_key", "asylum_key")`,
    );
    await createDisplacementIndexes(client, LOAD);
    await client.query(`ANALYZE "data"."${LOAD}"`);
    await swapTable(client, 'displacement');
    return rows;
  });
}

/** The indexes of data.displacement, as the migration defines them, on `table` (named after it). */
async function createDisplacementIndexes(client: ClientBase, table: string): Promise<void> {
  await client.query(
    `CREATE INDEX "${table}_ranked" ON "data"."${table}" ("population", "year", "value" DESC, "origin_key", "asylum_key") INCLUDE ("mid_year")`,
  );
  await client.query(
    `CREATE INDEX "${table}_asylum" ON "data"."${table}" ("asylum_key", "year", "population") INCLUDE ("origin_key", "value", "mid_year")`,
  );
  await client.query(
    `CREATE INDEX "${table}_origin" ON "data"."${table}" ("origin_key", "year", "population") INCLUDE ("asylum_key", "value", "mid_year")`,
  );
}
