import { isUtf8 } from 'node:buffer';
import crypto from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COUNTRIES } from '../../../../shared/src/reference/countries';
import { MAX_LINE_BYTES } from '../../../../shared/src/io/csv';
import { type FieldRules, PROVENANCE_RULES } from '../../../../shared/src/editing/validation';
import { quoted } from '../../../../shared/src/io/printable';
import {
  checkTextCells,
  describeRejects,
  ImportError,
  type ImportOptions,
  type ImportResult,
  lineTooLong,
  lockTarget,
  logImport,
  maxYear,
  MIN_YEAR,
  progressReporter,
  RejectSink,
  readStream,
} from './common';

export const STOCK_HEADER = 'destination_iso3,origin_iso3,year,sex,stock';
/** Revision names become part of a table name: short, lower-case letters, digits and underscores. */
export const REVISION_NAME = /^[a-z0-9_]{1,30}$/;

/** What to cite for a revision; a new revision without it gets neutral, unverified defaults. */
export interface StockRevisionMeta {
  title: string;
  citation: string;
  sourceUrl: string | null;
  published: string | null;
  notes: string | null;
  source: string | null;
  confidence: string;
}

/** The revision's descriptive text, capped like the mutation inputs of the same kind (a title, a citation as a source, notes). */
const REVISION_TEXT_RULES: FieldRules = {
  title: { kind: 'text', max: 500 },
  citation: PROVENANCE_RULES.source,
  sourceUrl: { kind: 'url' },
  notes: PROVENANCE_RULES.notes,
  source: PROVENANCE_RULES.source,
};

export interface StockImportOptions extends ImportOptions {
  revision: string;
  /** Applied to the revision's row; fields left out keep their stored value (or the defaults for a new revision). */
  meta?: Partial<StockRevisionMeta>;
  /** For a published revision: only these years, every one present, and exactly this many rows. */
  expect?: { years?: number[]; rows?: number };
}

/** How many corridors of each year the ranking keeps in order (stock_ranking). */
export const RANKING_DEPTH = 500;

/** Statistics target of the corridor columns: ANALYZE samples 3,000 rows, enough for these plans. */
const STATISTICS_TARGET = 10;

const KNOWN_CODES = [...COUNTRIES.keys()].sort();

/**
 * Why a row is refused, as the SQL validation names it; the reason is worded from the row's cells.
 * Checked in this order: the first that applies is the reason.
 */
type Problem = 'cells' | 'destination' | 'origin' | 'destination OOO' | 'year' | 'year range' | 'sex' | 'stock' | 'duplicate';

/** The reason a reject carries, worded from its text (the cells SQL found wrong). */
function reasonFor(problem: Problem, text: string, years: number[] | null): string {
  const cells = text.split(',');
  const [destination, origin, year, sex, stock] = cells;
  switch (problem) {
    case 'cells':
      return `expected 5 comma-separated cells, got ${cells.length}`;
    case 'destination':
      return `destination_iso3 ${quoted(destination)} is not a known country code`;
    case 'origin':
      return `origin_iso3 ${quoted(origin)} is not a known country code`;
    case 'destination OOO':
      return 'OOO (unknown origin) cannot be a destination';
    case 'year':
      return `year ${quoted(year)} is not a year`;
    case 'year range':
      return years
        ? `year ${Number(year)} is not one of the revision's years (${years.join(', ')})`
        : `year ${Number(year)} is out of range (${MIN_YEAR} to ${maxYear()})`;
    case 'sex':
      return `sex ${quoted(sex)} must be male or female (the source has no totals)`;
    case 'stock':
      return /^-\d{1,15}(\.\d{1,15})?$/.test(stock)
        ? `stock ${stock} is negative`
        : `stock ${quoted(stock)} is not a whole number`;
    case 'duplicate':
      return `duplicate row for ${destination} from ${origin} in ${Number(year)} (${sex})`;
  }
}

const partitionName = (revision: string) => `stock_corridor_${revision}`;

/**
 * Loads a UN DESA-style bilateral migrant-stock CSV as one revision, in one transaction. The file's
 * lines stream through COPY into a temporary table; SQL then validates them (reasons and line
 * numbers as rejects), merges each corridor's male and female rows into one row of a fresh table,
 * indexes it, derives the sums, counts and ranking, and swaps it in for the revision's old
 * partition. Readers see the old revision until the commit; a failure or a killed process leaves
 * it untouched. The same file a second time changes nothing.
 */
export async function importStock(client: ClientBase, file: string, opts: StockImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const phases = new PhaseClock();
  const revision = opts.revision;
  if (!REVISION_NAME.test(revision)) {
    throw new ImportError(`revision ${quoted(revision)} must be 1 to 30 lower-case letters, digits or underscores`);
  }
  const given = opts.meta ?? {};
  const metaProblems = checkTextCells(REVISION_TEXT_RULES, {
    title: given.title ?? '',
    citation: given.citation ?? '',
    sourceUrl: given.sourceUrl ?? '',
    notes: given.notes ?? '',
    source: given.source ?? '',
  });
  if (metaProblems) throw new ImportError(`${file}: the revision's details are invalid: ${metaProblems}; nothing was written`);
  const final = partitionName(revision);
  // Load tables never share a name with a partition (those start with the parent's name).
  const load = `load_${final}`;
  const suffix = Date.now().toString(36);
  const sink = new RejectSink(opts.skipInvalid ? opts.rejectsFile : undefined);
  let sinkClosed: Promise<void> | null = null;
  const closeSink = () => (sinkClosed ??= sink.close());
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL statement_timeout = 0; SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL work_mem = '256MB'`);
    await lockTarget(client, `import:stock:${revision}`, opts);
    const done = await client.query(
      `SELECT l.sha256 FROM "data"."import_log" l WHERE l.kind = 'stock' AND l.target = $1 AND to_regclass($2) IS NOT NULL`,
      [revision, `"data"."${final}"`],
    );
    const loaded: string | null = done.rows[0]?.sha256 ?? null;

    // The file's data lines split into their five cells by COPY, numbered as in the file (the header is line 1).
    await client.query(`CREATE TEMPORARY TABLE "stock_line" ("line" integer GENERATED ALWAYS AS IDENTITY (START WITH 2),
      "d" text, "o" text, "y" text, "s" text, "n" text) ON COMMIT DROP`);
    const copy = client.query(copyFrom(`COPY pg_temp."stock_line" ("d", "o", "y", "s", "n") FROM STDIN WITH (DELIMITER ',')`));
    // A failed line stream destroys the COPY; its error is the server's echo of ours: ignore it here.
    copy.on('error', () => undefined);
    // One pass over the file: the checksum is computed as it streams, so a file already loaded
    // costs one read before it is recognised (and rolled back), and a new one is read only once.
    const sha256 = await streamStockLines(file, copy, opts);
    phases.lap('read and COPY');
    if (loaded === sha256) {
      await client.query('ROLLBACK');
      await closeSink();
      return {
        kind: 'stock',
        target: revision,
        changed: false,
        rows: 0,
        rejected: 0,
        rejects: [],
        sha256,
        ms: Date.now() - started,
      };
    }

    const years = opts.expect?.years ?? null;
    await createLoadTable(client, load, revision);
    const perYear = await mergeCorridors(client, load, years);
    const splitCorridors = perYear.reduce((n, y) => n + y.split, 0);
    // One statement validates and merges whatever the order of the rows; the name tells whether some corridor's two rows were apart.
    phases.lap(splitCorridors > 0 ? 'merge split corridors' : 'merge corridors');
    await collectRejects(client, sink, years);
    await closeSink();
    const rows = perYear.reduce((n, y) => n + y.rows, 0);

    if (sink.count > 0 && !opts.skipInvalid) {
      throw new ImportError(
        `${file}: ${sink.count} invalid row(s); nothing was written\n${describeRejects(file, sink.first, sink.count)}`,
        sink.first,
        sink.count,
      );
    }
    if (rows === 0) throw new ImportError(`${file}: no valid rows; nothing was written`, sink.first, sink.count);
    if (opts.expect?.rows !== undefined && rows !== opts.expect.rows) {
      throw new ImportError(`${file}: expected ${opts.expect.rows} rows, read ${rows}; nothing was written`);
    }
    const loadedYears = perYear.map((y) => y.year);
    const missing = (years ?? []).filter((y) => !loadedYears.includes(y));
    if (missing.length > 0) throw new ImportError(`${file}: no rows for the years ${missing.join(', ')}; nothing was written`);

    await client.query(
      `CREATE UNIQUE INDEX "${final}_key_${suffix}" ON "data"."${load}" ("year", "destination_key", "origin_key") INCLUDE ("male", "female", "total")`,
    );
    phases.lap('index');
    await client.query(`ANALYZE "data"."${load}"`);
    phases.lap('analyze');

    const m = opts.meta ?? {};
    await client.query(
      `INSERT INTO "data"."stock_revision" ("code", "title", "citation", "source_url", "published", "years", "row_count", "sha256", "notes", "source", "confidence")
       VALUES ($1, coalesce($2, 'Migrant stock revision ' || $1), coalesce($3, 'Imported from ' || $10), $4, $5, $16, $6, $7, $8, $9, coalesce($11, 'unverified'))
       ON CONFLICT ("code") DO UPDATE SET
         "title" = coalesce($2, "stock_revision"."title"), "citation" = coalesce($3, "stock_revision"."citation"),
         "source_url" = CASE WHEN $12 THEN $4 ELSE "stock_revision"."source_url" END,
         "published" = CASE WHEN $13 THEN $5 ELSE "stock_revision"."published" END,
         "notes" = CASE WHEN $14 THEN $8 ELSE "stock_revision"."notes" END,
         "source" = CASE WHEN $15 THEN $9 ELSE "stock_revision"."source" END,
         "confidence" = coalesce($11, "stock_revision"."confidence"),
         "years" = $16, "row_count" = $6, "sha256" = $7, "loaded_at" = now()`,
      [
        revision,
        m.title ?? null,
        m.citation ?? null,
        m.sourceUrl ?? null,
        m.published ?? null,
        rows,
        sha256,
        m.notes ?? null,
        m.source ?? null,
        file.split(/[\\/]/).pop(),
        m.confidence ?? null,
        'sourceUrl' in m,
        'published' in m,
        'notes' in m,
        'source' in m,
        loadedYears,
      ],
    );
    phases.lap('revision row');
    await writeDerived(client, revision, load, perYear, phases);

    // The swap: from here to COMMIT, readers of this revision wait a moment, then see the new rows.
    await swapPartition(client, 'stock_corridor', revision, load);
    await swapPartition(client, 'stock_country_year', revision, `load_stock_country_year_${revision}`);
    await logImport(client, 'stock', revision, { sha256, rows, rejected: sink.count });
    phases.lap('swap');
    await client.query('COMMIT');
    phases.lap('commit');
    return {
      kind: 'stock',
      target: revision,
      changed: true,
      rows,
      rejected: sink.count,
      rejects: sink.first,
      sha256,
      ms: Date.now() - started,
      phases: phases.result(),
      splitCorridors,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    await closeSink().catch(() => undefined);
    throw error;
  }
}

/** A line's text from its cells (a line without five cells arrives whole in the last one). */
const LINE_TEXT = `CASE WHEN d IS NULL THEN n ELSE concat_ws(',', d, o, y, s, n) END`;

/** A code cell's country key: data.country_key's formula, written out because calling it casts every cell to char(3), a third of the validation's time. */
const keyOf = (cell: string) =>
  `((ascii(${cell}) - 65) * 676 + (ascii(substr(${cell}, 2)) - 65) * 26 + ascii(substr(${cell}, 3)) - 65)::smallint`;

/**
 * The lines of pg_temp.stock_line, each with the first problem that applies (null for a valid
 * row, whose cells become keys and numbers) and, for a refused line, its text. The subquery is
 * kept apart (OFFSET 0) so that the problem is computed once per line.
 */
function parsedLines(years: number[] | null): string {
  const allowed = years ?? Array.from({ length: maxYear() - MIN_YEAR + 1 }, (_, i) => MIN_YEAR + i);
  // Literal arrays (letters and digits only), so that PostgreSQL looks cells up in a hash table.
  const codes = `'{${KNOWN_CODES.filter((c) => /^[A-Z]{3}$/.test(c)).join(',')}}'::text[]`;
  const yearTexts = `'{${allowed.map((y) => String(Math.trunc(y))).join(',')}}'::text[]`;
  return `SELECT line, problem,
      CASE WHEN problem IS NULL THEN y::smallint END AS year,
      CASE WHEN problem IS NULL THEN ${keyOf('d')} END AS destination_key,
      CASE WHEN problem IS NULL THEN ${keyOf('o')} END AS origin_key,
      s = 'male' AS male,
      CASE WHEN problem IS NULL THEN n::bigint END AS stock,
      CASE WHEN problem IS NOT NULL THEN ${LINE_TEXT} END AS text
    FROM (
      SELECT c.*, CASE
        WHEN d IS NULL THEN 'cells'
        WHEN NOT d = ANY (${codes}) THEN 'destination'
        WHEN NOT o = ANY (${codes}) THEN 'origin'
        WHEN d = 'OOO' THEN 'destination OOO'
        WHEN NOT y = ANY (${yearTexts}) THEN CASE WHEN y ~ '^[0-9]{4}$' THEN 'year range' ELSE 'year' END
        WHEN s NOT IN ('male', 'female') THEN 'sex'
        WHEN octet_length(n) NOT BETWEEN 1 AND 15 OR translate(n, '0123456789', '') <> '' THEN 'stock'
      END AS problem
      FROM pg_temp."stock_line" c WHERE NOT (d IS NULL AND n = '')
      OFFSET 0) p`;
}

/** One year of the merged corridors: how many, from how many rows, and how many had their two rows on lines apart. */
interface YearCount {
  year: number;
  corridors: number;
  rows: number;
  split: number;
}

/**
 * Validates the lines and merges the valid rows into one row per corridor in the load table, in
 * one pass; when some lines were refused, a second pass writes them to pg_temp.stock_reject. A second row of the same corridor and sex is
 * a duplicate: refused, and its corridor built from the first rows only.
 */
async function mergeCorridors(client: ClientBase, load: string, years: number[] | null): Promise<YearCount[]> {
  await client.query(
    `CREATE TEMPORARY TABLE "stock_reject" ("line" integer NOT NULL, "problem" text NOT NULL, "text" text NOT NULL) ON COMMIT DROP`,
  );
  // A corridor has at most one row per sex (more are duplicates, handled below): max() is that row's figure, cheaper than sum().
  const merged = await client.query(
    `WITH merged AS MATERIALIZED (
       SELECT year, destination_key, origin_key,
         max(stock) FILTER (WHERE male) AS male, max(stock) FILTER (WHERE NOT male) AS female,
         count(*) FILTER (WHERE male) AS males, count(*) FILTER (WHERE NOT male) AS females,
         min(line) FILTER (WHERE male) AS male_line, min(line) FILTER (WHERE NOT male) AS female_line
       -- Refused lines have no keys: they make one group of their own (year null), which says whether there are any.
       FROM (${parsedLines(years)}) parsed
       GROUP BY year, destination_key, origin_key
     ), loaded AS (
       INSERT INTO "data"."${load}" ("year", "destination_key", "origin_key", "male", "female")
       SELECT year, destination_key, origin_key, male, female FROM merged WHERE year IS NOT NULL AND males <= 1 AND females <= 1
     )
     SELECT year::int, count(*)::int AS corridors, sum(least(males, 1) + least(females, 1))::int AS rows,
       count(*) FILTER (WHERE abs(male_line - female_line) > 1)::int AS split,
       count(*) FILTER (WHERE males > 1 OR females > 1)::int AS duplicated
     FROM merged GROUP BY year ORDER BY year`,
  );
  const rows = merged.rows as (Omit<YearCount, 'year'> & { year: number | null; duplicated: number })[];
  if (rows.some((y) => y.year === null)) {
    await client.query(
      `INSERT INTO pg_temp."stock_reject" SELECT line, problem, text FROM (${parsedLines(years)}) p WHERE problem IS NOT NULL`,
    );
  }
  const perYear = rows.filter((y): y is YearCount & { duplicated: number } => y.year !== null);
  if (perYear.some((y) => y.duplicated > 0)) {
    await client.query(`CREATE TEMPORARY TABLE "stock_row" ON COMMIT DROP AS ${parsedLines(years)}`);
    await client.query(
      `UPDATE pg_temp."stock_row" r SET problem = 'duplicate'
       FROM (SELECT line, row_number() OVER (PARTITION BY year, destination_key, origin_key, male ORDER BY line) AS n
             FROM pg_temp."stock_row" WHERE problem IS NULL) d
       WHERE d.n > 1 AND r.line = d.line`,
    );
    await client.query(
      `INSERT INTO pg_temp."stock_reject" SELECT r.line, r.problem, ${LINE_TEXT}
       FROM pg_temp."stock_row" r JOIN pg_temp."stock_line" l USING (line) WHERE r.problem = 'duplicate'`,
    );
    await client.query(
      `INSERT INTO "data"."${load}" ("year", "destination_key", "origin_key", "male", "female")
       SELECT year, destination_key, origin_key, max(stock) FILTER (WHERE male), max(stock) FILTER (WHERE NOT male)
       FROM pg_temp."stock_row"
       WHERE problem IS NULL AND (year, destination_key, origin_key) IN (
         SELECT year, destination_key, origin_key FROM pg_temp."stock_row" WHERE problem = 'duplicate')
       GROUP BY year, destination_key, origin_key`,
    );
  }
  return perYear.map(({ year, corridors, rows, split }) => ({ year, corridors, rows, split }));
}

/** The refused lines in file order, a batch at a time, into the sink (the rejects file, the first few in memory). */
async function collectRejects(client: ClientBase, sink: RejectSink, years: number[] | null): Promise<void> {
  await client.query(`DECLARE "stock_rejects" NO SCROLL CURSOR FOR
    SELECT line, problem, text FROM pg_temp."stock_reject" ORDER BY line`);
  for (;;) {
    const batch = await client.query('FETCH 1000 FROM "stock_rejects"');
    for (const r of batch.rows as { line: number; problem: Problem; text: string }[]) {
      const text = r.text.replace(/\uFFFF/g, '\u0000');
      await sink.add({ line: r.line, reason: reasonFor(r.problem, text, years), text });
    }
    if (batch.rows.length < 1000) break;
  }
  await client.query('CLOSE "stock_rejects"');
}

/** Puts `load` in place of the revision's partition of `parent` (dropping the old one, if any). */
async function swapPartition(client: ClientBase, parent: string, revision: string, load: string): Promise<void> {
  const final = `${parent}_${revision}`;
  const old = await client.query('SELECT to_regclass($1) AS t', [`"data"."${final}"`]);
  if (old.rows[0].t !== null) {
    await client.query(`ALTER TABLE "data"."${parent}" DETACH PARTITION "data"."${final}"`);
    await client.query(`DROP TABLE "data"."${final}"`);
  }
  await client.query(`ALTER TABLE "data"."${load}" RENAME TO "${final}"`);
  await client.query(`ALTER TABLE "data"."${parent}" ATTACH PARTITION "data"."${final}" FOR VALUES IN ('${revision}')`);
}

/** A fresh table shaped like a stock_corridor partition of this revision (its CHECK lets ATTACH skip a scan). */
async function createLoadTable(client: ClientBase, table: string, revision: string): Promise<void> {
  await client.query(
    `CREATE TABLE "data"."${table}" (LIKE "data"."stock_corridor" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)`,
  );
  const stats = ['revision', 'year', 'destination_key', 'origin_key', 'male', 'female', 'total']
    .map((c) => `ALTER COLUMN "${c}" SET STATISTICS ${STATISTICS_TARGET}`)
    .join(', ');
  await client.query(`ALTER TABLE "data"."${table}" ALTER COLUMN "revision" SET DEFAULT '${revision}',
    ADD CONSTRAINT "${table}_revision" CHECK ("revision" = '${revision}'), ${stats}`);
}

/** The revision's derived tables, from the indexed corridors: per-country yearly sums, corridors per year, each year's ranking. */
async function writeDerived(
  client: ClientBase,
  revision: string,
  load: string,
  perYear: YearCount[],
  phases: PhaseClock,
): Promise<void> {
  // The sums: a fresh table like the corridors' (no index, see the migration), swapped in with them.
  // The revision name is checked against REVISION_NAME before any SQL.
  const sums = `load_stock_country_year_${revision}`;
  await client.query(`CREATE TABLE "data"."${sums}" (LIKE "data"."stock_country_year" INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
    ALTER TABLE "data"."${sums}" ADD CONSTRAINT "${sums}_revision" CHECK ("revision" = '${revision}')`);
  await client.query(
    `INSERT INTO "data"."${sums}" ("revision", "side", "code", "year", "male", "female")
     SELECT $1, CASE WHEN GROUPING(destination_key) = 0 THEN 'destination' ELSE 'origin' END,
       "data".country_code(coalesce(destination_key, origin_key)), year, sum(male), sum(female)
     FROM "data"."${load}" GROUP BY GROUPING SETS ((year, destination_key), (year, origin_key))`,
    [revision],
  );
  phases.lap('country sums');
  await client.query(
    ['stock_year', 'stock_ranking'].map((t) => `DELETE FROM "data"."${t}" WHERE "revision" = '${revision}'`).join('; '),
  );
  await client.query(
    `INSERT INTO "data"."stock_year" ("revision", "year", "corridors") SELECT $1, * FROM unnest($2::int2[], $3::int[])`,
    [revision, perYear.map((y) => y.year), perYear.map((y) => y.corridors)],
  );
  phases.lap('corridor counts');
  await client.query(
    `INSERT INTO "data"."stock_ranking" ("revision", "year", "destination_keys", "origin_keys", "male", "female")
     SELECT $1, y.year, r.destination_keys, r.origin_keys, r.male, r.female
     FROM unnest($2::int2[]) AS y(year)
     CROSS JOIN LATERAL (
       SELECT array_agg(s.destination_key) AS destination_keys, array_agg(s.origin_key) AS origin_keys,
         array_agg(s.male) AS male, array_agg(s.female) AS female
       FROM (SELECT * FROM "data"."${load}" s WHERE s.year = y.year
             ORDER BY s.total DESC NULLS LAST, s.destination_key, s.origin_key LIMIT ${RANKING_DEPTH}) s
     ) r`,
    [revision, perYear.map((y) => y.year)],
  );
  phases.lap('ranking');
}

/** Elapsed milliseconds per step of an import, for the benchmark and --json. */
class PhaseClock {
  private last = process.hrtime.bigint();
  private readonly laps: Record<string, number> = {};
  lap(name: string): void {
    const now = process.hrtime.bigint();
    this.laps[name] = (this.laps[name] ?? 0) + Number(now - this.last) / 1e6;
    this.last = now;
  }
  result(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.laps).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  }
}

// Bytes that COPY's text format reads as escapes or refuses (backslash, tab, carriage return, NUL).
const BACKSLASH = 0x5c;
const TAB = 0x09;
const CR = 0x0d;
const NUL = 0x00;
const LF = 0x0a;
const COMMA = 0x2c;
// NUL cannot be stored in text: it travels as U+FFFF (a noncharacter; such a line is refused anyway) and is restored in rejects.
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\r': '\\r', '\u0000': '\uFFFF' };

/**
 * Streams the file's data lines to COPY (text format, comma-delimited), after what SQL cannot
 * check the way the import reports it: the header, the 64 KiB line limit as the bytes arrive (a
 * line without end is refused at once), and bytes COPY would misread. Plain lines pass as they
 * are; others are decoded (invalid UTF-8 becomes U+FFFD) and escaped. Returns the file's SHA-256.
 */
async function streamStockLines(file: string, copy: Writable, opts: StockImportOptions): Promise<string> {
  const hash = crypto.createHash('sha256');
  const progress = progressReporter(file, opts.onProgress);
  const input = readStream(file, { highWaterMark: 1 << 18 });
  let line = 0;
  /**
   * Checks and counts the complete lines of b[0, end) (each ends in LF) and sends its data lines:
   * a run of plain lines of five cells as it is; any other line decoded and escaped, and a line
   * without five cells whole into the last column (its cell count is the validation's to report).
   */
  const send = async (b: Buffer, end: number): Promise<void> => {
    const parts: (Buffer | string)[] = [];
    const utf8 = isUtf8(b.subarray(0, end));
    let run = 0;
    let start = 0;
    let commas = 0;
    let plain = utf8;
    for (let i = 0; i < end; i += 1) {
      const c = b[i];
      if (c === COMMA) commas += 1;
      else if (c === BACKSLASH || c === TAB || c === CR || c === NUL) plain = false;
      else if (c === LF) {
        const stop = i > start && b[i - 1] === CR ? i - 1 : i;
        line += 1;
        if (stop - start > MAX_LINE_BYTES) throw lineTooLong(file, line);
        if (line === 1) {
          const header = b
            .toString('utf8', start, stop)
            .replace(/^\uFEFF/, '')
            .trim();
          if (header !== STOCK_HEADER) {
            throw new ImportError(
              `${file} line 1: wrong column set: expected "${STOCK_HEADER}", got ${quoted(header, 200)}; nothing was written`,
            );
          }
          run = i + 1;
        } else if (!plain || commas !== 4) {
          if (start > run) parts.push(b.subarray(run, start));
          // eslint-disable-next-line no-control-regex -- NUL is one of the characters COPY's text format escapes
          const text = b.toString('utf8', start, stop).replace(/[\\\t\r\u0000]/g, (x) => COPY_ESCAPES[x]);
          parts.push(commas === 4 ? `${text}\n` : `\\N,\\N,\\N,\\N,${text.replace(/,/g, '\\,')}\n`);
          run = i + 1;
        }
        start = i + 1;
        commas = 0;
        plain = utf8;
      }
    }
    if (end > run) parts.push(b.subarray(run, end));
    for (const part of parts) if (!copy.write(part)) await once(copy, 'drain');
  };
  try {
    let tail: Buffer | null = null;
    let bytesRead = 0;
    for await (const chunk of input) {
      hash.update(chunk as Buffer);
      bytesRead += (chunk as Buffer).length;
      const b: Buffer = tail ? Buffer.concat([tail, chunk as Buffer]) : (chunk as Buffer);
      const end = b.lastIndexOf(LF) + 1;
      await send(b, end);
      // The unfinished line is carried into the next chunk: capped, so a line without end is never re-joined for long.
      if (b.length - end > MAX_LINE_BYTES) throw lineTooLong(file, line + 1);
      tail = end < b.length ? b.subarray(end) : null;
      progress.tick(Math.max(line - 1, 0), bytesRead);
    }
    if (tail) {
      const last = Buffer.concat([tail, Buffer.from('\n')]);
      await send(last, last.length);
    }
    if (line === 0) throw new ImportError(`${file} is empty: expected the header "${STOCK_HEADER}"; nothing was written`);
    progress.done(line - 1);
  } catch (error) {
    input.destroy();
    copy.destroy(error as Error);
    throw error;
  }
  await new Promise<void>((resolve, reject) => {
    copy.once('error', reject);
    copy.end(() => resolve());
  });
  return hash.digest('hex');
}
