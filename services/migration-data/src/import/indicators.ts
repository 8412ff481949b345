import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COUNTRIES, isKnownCountryCode } from '../../../../shared/src/reference/countries';
import { MAX_LINE_BYTES } from '../../../../shared/src/io/csv';
import { INDICATOR_CODE, isValid } from '../../../../shared/src/reference/identifiers';
import { type FieldRules, PROVENANCE_RULES } from '../../../../shared/src/editing/validation';
import { printable, quoted } from '../../../../shared/src/io/printable';
import { isConfidence } from '../../../../shared/src/reference/provenance';
import {
  checkTextCells,
  copyFile,
  CopyWriter,
  csvCell,
  failIfInvalid,
  ImportError,
  type ImportOptions,
  type ImportResult,
  importTransaction,
  lineTooLong,
  lockTarget,
  logImports,
  maxYear,
  MIN_YEAR,
  openPeeked,
  type PeekedInput,
  progressReporter,
  type Reject,
  RejectSink,
  requiredText,
  readStream,
} from './common';

export const CATALOGUE_COLUMNS = ['code', 'name', 'unit', 'definition', 'allow_negative', 'source', 'source_url', 'confidence'];
/** The reference data's catalogue (indicators/catalogue.csv): the same facts plus the licence, in its own column order. */
export const REFERENCE_CATALOGUE_COLUMNS = [
  'code',
  'name',
  'unit',
  'definition',
  'source',
  'source_url',
  'licence',
  'confidence',
  'negatives_allowed',
];
export const SERIES_COLUMNS = ['indicator', 'country_iso3', 'year', 'value', 'unit', 'source', 'confidence'];
/**
 * The reference data's values (indicators/values.csv): no unit, source or confidence per row, since
 * the catalogue records them per indicator. Such values are stored with a null source and
 * confidence, and their provenance is their indicator's.
 */
export const REFERENCE_SERIES_COLUMNS = ['indicator', 'iso3', 'year', 'value'];

/**
 * Units whose values add up across countries (persons, displacements, money in current dollars):
 * a regional sum of them means something. The catalogue has no column saying so (it is reference
 * data in its own format), so the rule is kept here, by unit, and the catalogue import stores it
 * as each indicator's `additive`.
 */
export const ADDITIVE_UNITS: readonly string[] = ['persons', 'displacements (movements)', 'current US$'];
/**
 * Units that do not add up: rates, ratios, indices, per-capita and constant-price figures. A
 * regional aggregate of them is refused (NOT_ADDITIVE), as is one of any unit in neither list.
 */
export const NON_ADDITIVE_UNITS: readonly string[] = [
  '% of GDP',
  '% of labour force',
  '% per year',
  'constant 2021 international $',
  'dependants per 100 working-age persons',
  'live births per 1,000 population',
  'standard deviations from the mean',
];
/** The columns a series file gives; version, soft-delete mark and editors' note are the graph's. */
const VALUE_COLUMNS = '"indicator_code", "country_code", "year", "value", "unit", "source", "confidence"';
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * The catalogue's text cells, capped as the mutation inputs of the same kind are: a name like
 * other records' names, a definition like a description, the source like every record's source.
 */
export const CATALOGUE_TEXT_RULES: FieldRules = {
  name: { kind: 'text', max: 300, required: true },
  unit: { kind: 'text', max: 100, required: true },
  definition: { kind: 'text', max: 4000, required: true },
  source: requiredText(PROVENANCE_RULES.source),
  licence: { kind: 'text', max: 2000 },
};
/** source_url holds one URL or several separated by ` | `, each checked as a URL input is. */
const URL_RULES: FieldRules = { source_url: { kind: 'url' } };
function checkSourceUrls(cell: string): string | null {
  for (const url of cell.split(' | ')) {
    const problem = checkTextCells(URL_RULES, { source_url: url });
    if (problem) return problem;
  }
  return null;
}

/** A series import's transaction settings: no statement timeout (a large file loads for a while). */
const SERIES_SETTINGS = 'SET LOCAL statement_timeout = 0';

/** A series value's source, capped like the source of IndicatorValue's mutations (its unit is the catalogue's). */
const SERIES_TEXT_RULES: FieldRules = { source: requiredText(PROVENANCE_RULES.source) };

interface CatalogueEntry {
  unit: string;
  allowNegative: boolean;
}

/**
 * Reads a CSV file record by record with the line each record starts on; checks the header. The
 * file is hashed as it is read (one pass, so a pipe works too), and a record over MAX_LINE_BYTES
 * stops the read at once: csv-parse never holds more than that of one line.
 */
async function* records(
  file: string,
  input: Readable,
  formats: readonly (readonly string[])[],
  hash: crypto.Hash,
  onBytes: (bytes: number) => void,
): AsyncGenerator<{ line: number; cells: string[]; format: number }> {
  const expected = formats.map((f) => `"${f.join(',')}"`).join(' or ');
  let format = -1;
  let bytesRead = 0;
  input.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytesRead += chunk.length;
  });
  const parser = input.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: MAX_LINE_BYTES }),
  );
  let first = true;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (first) {
        first = false;
        const header = record.map((c) => c.trim()).join(',');
        format = formats.findIndex((f) => f.join(',') === header);
        if (format < 0) {
          throw new ImportError(
            `${file} line 1: wrong column set: expected ${expected}, got ${quoted(header, 200)}; nothing was written`,
          );
        }
        continue;
      }
      onBytes(bytesRead);
      yield { line: info.lines, cells: record, format };
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    if (error instanceof CsvError && error.code === 'CSV_MAX_RECORD_SIZE') throw lineTooLong(file, Number(error.lines));
    throw new ImportError(`${file}: not a readable CSV file (${printable((error as Error).message, 300)}); nothing was written`);
  } finally {
    input.destroy();
  }
  if (first) throw new ImportError(`${file} is empty: expected the header ${expected}; nothing was written`);
}

/**
 * Loads or updates indicator descriptions (code, name, unit, definition, whether values may be
 * negative, source, confidence). Upserts by code; one transaction.
 */
export async function importCatalogue(client: ClientBase, file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const started = Date.now();
  const hash = crypto.createHash('sha256');
  const sink = new RejectSink(opts.skipInvalid ? opts.rejectsFile : undefined);
  const seen = new Set<string>();
  const good: string[][] = [];
  for await (const { line, cells, format } of records(
    file,
    readStream(file),
    [CATALOGUE_COLUMNS, REFERENCE_CATALOGUE_COLUMNS],
    hash,
    () => undefined,
  )) {
    const trimmed = cells.map((c) => c?.trim() ?? '');
    const columns = format === 0 ? CATALOGUE_COLUMNS : REFERENCE_CATALOGUE_COLUMNS;
    const cell = (name: string) =>
      trimmed[columns.indexOf(name === 'allow_negative' && format === 1 ? 'negatives_allowed' : name)] ?? '';
    const [code, name, unit, definition, allowNegative, source, sourceUrl, confidence] = CATALOGUE_COLUMNS.map(cell);
    const licence = format === 1 ? cell('licence') : '';
    const reason =
      cells.length !== columns.length
        ? `expected ${columns.length} cells, got ${cells.length}`
        : !isValid(INDICATOR_CODE, code)
          ? `code ${quoted(code)} must be upper-case ${INDICATOR_CODE.spelling} (at most ${INDICATOR_CODE.maxLength})`
          : name === '' || unit === '' || definition === '' || source === ''
            ? 'name, unit, definition and source are required'
            : allowNegative !== 'true' && allowNegative !== 'false'
              ? `allow_negative ${quoted(allowNegative)} must be true or false`
              : !isConfidence(confidence)
                ? `confidence ${quoted(confidence)} is not seen, derived or unverified`
                : seen.has(code)
                  ? `duplicate row for indicator ${code}`
                  : (checkTextCells(CATALOGUE_TEXT_RULES, { name, unit, definition, source, licence }) ??
                    checkSourceUrls(sourceUrl));
    if (reason) {
      await sink.add({ line, reason, text: cells.map(csvCell).join(',') });
      continue;
    }
    seen.add(code);
    good.push([code, name, unit, definition, allowNegative, source, sourceUrl, confidence, licence]);
  }
  const sha256 = hash.digest('hex');
  await sink.close();
  failIfInvalid(file, sink, opts);
  await client.query('BEGIN');
  try {
    await lockTarget(client, 'import:catalogue', opts);
    let changed = 0;
    for (const [code, name, unit, definition, allowNegative, source, sourceUrl, confidence, licence] of good) {
      // A catalogue without a licence column keeps the licence already recorded.
      const r = await client.query(
        `INSERT INTO "data"."indicator" ("code", "name", "unit", "definition", "allow_negative", "source", "source_url", "confidence", "licence", "additive")
         VALUES ($1, $2, $3, $4, $5, $6, nullif($7, ''), $8, nullif($9, ''), $10)
         ON CONFLICT ("code") DO UPDATE SET "name" = $2, "unit" = $3, "definition" = $4, "allow_negative" = $5, "source" = $6,
           "source_url" = nullif($7, ''), "confidence" = $8, "licence" = coalesce(nullif($9, ''), "indicator"."licence"), "additive" = $10
         WHERE ("indicator"."name", "indicator"."unit", "indicator"."definition", "indicator"."allow_negative", "indicator"."source",
           coalesce("indicator"."source_url", ''), "indicator"."confidence", "indicator"."additive") IS DISTINCT FROM ($2, $3, $4, $5::boolean, $6, $7, $8, $10)
           OR (nullif($9, '') IS NOT NULL AND "indicator"."licence" IS DISTINCT FROM $9)`,
        [
          code,
          name,
          unit,
          definition,
          allowNegative === 'true',
          source,
          sourceUrl,
          confidence,
          licence,
          ADDITIVE_UNITS.includes(unit),
        ],
      );
      changed += r.rowCount ?? 0;
    }
    await client.query('COMMIT');
    return {
      kind: 'catalogue',
      target: 'catalogue',
      changed: changed > 0,
      rows: good.length,
      rejected: sink.count,
      rejects: sink.first,
      sha256,
      ms: Date.now() - started,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Loads indicator values (indicator, country, year, value, unit, source, confidence). For every
 * indicator in the file, its values are replaced by the file's, in one transaction: readers see
 * the old series until the commit. When the file holds exactly what is loaded, nothing is written.
 */
export async function importIndicatorSeries(
  client: ClientBase,
  file: string,
  opts: ImportOptions & { once?: boolean } = {},
): Promise<ImportResult> {
  const started = Date.now();
  if (opts.once) {
    // The seed: a file whose checksum an import already recorded is not read again (values editors changed since stay).
    const sha256 = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const done = await client.query(`SELECT 1 FROM "data"."import_log" WHERE kind = 'indicators' AND sha256 = $1 LIMIT 1`, [
      sha256,
    ]);
    if (done.rows.length > 0) {
      return {
        kind: 'indicators',
        target: '',
        changed: false,
        rows: 0,
        rejected: 0,
        rejects: [],
        sha256,
        ms: Date.now() - started,
      };
    }
  }
  // One read of the file, its first line looked at first: a pipe cannot be read twice.
  const input = await openPeeked(file);
  if (input.firstLine === REFERENCE_SERIES_COLUMNS.join(',')) return importReferenceSeries(client, file, input, opts, started);
  const hash = crypto.createHash('sha256');
  const sink = new RejectSink(opts.skipInvalid ? opts.rejectsFile : undefined);
  // One lock for every series import: the set of indicators a file touches is known only at the end.
  return importTransaction(client, opts, { lock: 'import:indicators', settings: SERIES_SETTINGS, sink }, async () => {
    const catalogue = new Map<string, CatalogueEntry>(
      (await client.query(`SELECT code, unit, allow_negative FROM "data"."indicator"`)).rows.map(
        (r: { code: string; unit: string; allow_negative: boolean }) => [
          r.code,
          { unit: r.unit, allowNegative: r.allow_negative },
        ],
      ),
    );
    await client.query(
      `CREATE TEMP TABLE "indicator_value_load" (LIKE "data"."indicator_value" INCLUDING DEFAULTS) ON COMMIT DROP`,
    );
    const copy = client.query(
      copyFrom(
        `COPY "indicator_value_load" ("indicator_code", "country_code", "year", "value", "unit", "source", "confidence") FROM STDIN WITH (FORMAT csv)`,
      ),
    );
    // A failed row stream destroys the COPY; its error is the server's echo of ours: ignore it here.
    copy.on('error', () => undefined);
    const writer = new CopyWriter(copy);
    const progress = progressReporter(file, opts.onProgress, 5000);
    const seen = new Set<string>();
    const indicators = new Set<string>();
    let rows = 0;
    let bytes = 0;
    try {
      for await (const { line, cells } of records(file, input.stream, [SERIES_COLUMNS], hash, (b) => (bytes = b))) {
        const reason = checkSeriesRow(cells, catalogue, seen);
        if (reason) {
          await sink.add({ line, reason, text: cells.map(csvCell).join(',') });
          continue;
        }
        rows += 1;
        indicators.add(cells[0].trim());
        if (sink.count === 0 || opts.skipInvalid) await writer.write(`${cells.map((c) => csvCell(c.trim())).join(',')}\n`);
        progress.tick(rows, bytes);
      }
    } catch (error) {
      copy.destroy(error as Error);
      throw error;
    } finally {
      await sink.close();
    }
    await writer.end();
    const sha256 = hash.digest('hex');
    progress.done(rows);
    failIfInvalid(file, sink, opts);
    if (rows === 0) throw new ImportError(`${file}: no valid rows; nothing was written`, sink.first, sink.count);
    return replaceSeries(client, [...indicators].sort(), { rows, rejected: sink.count, rejects: sink.first, sha256, started });
  });
}

type ValueProblem = 'indicator' | 'country' | 'year' | 'value' | 'negative' | 'duplicate';

function valueReason(problem: ValueProblem, r: { indicator: string; iso3: string; year: string; value: string }): string {
  switch (problem) {
    case 'indicator':
      return `indicator ${quoted(r.indicator)} is not in the catalogue (import it first with the catalogue kind)`;
    case 'country':
      return `iso3 ${quoted(r.iso3)} is not a known country code`;
    case 'year':
      return `year ${quoted(r.year)} is not a year from ${MIN_YEAR} to ${maxYear()}`;
    case 'value':
      return `value ${quoted(r.value)} is not a number`;
    case 'negative':
      return `value ${r.value} is negative, and ${r.indicator} takes no negative values`;
    case 'duplicate':
      return `duplicate row for ${r.indicator} in ${r.iso3} in ${r.year}`;
  }
}

/**
 * The reference format (indicator, iso3, year, value: provenance per indicator): the file streams
 * through COPY into a temporary table (its header must match), SQL checks every line against the
 * catalogue and the country list (line numbers as in the file), and the valid rows take their
 * indicator's unit with no source or confidence of their own. Then the same replacement as the
 * full format.
 */
async function importReferenceSeries(
  client: ClientBase,
  file: string,
  input: PeekedInput,
  opts: ImportOptions,
  started: number,
): Promise<ImportResult> {
  const sink = new RejectSink(opts.skipInvalid ? opts.rejectsFile : undefined);
  return importTransaction(client, opts, { lock: 'import:indicators', settings: SERIES_SETTINGS, sink }, async () => {
    await client.query(`CREATE TEMP TABLE "indicator_line" ("line" integer GENERATED ALWAYS AS IDENTITY (START WITH 2),
      "indicator" text, "iso3" text, "year" text, "value" text) ON COMMIT DROP`);
    const sha256 = await copyFile(
      client,
      file,
      `COPY pg_temp."indicator_line" ("indicator", "iso3", "year", "value") FROM STDIN WITH (FORMAT csv, HEADER MATCH)`,
      REFERENCE_SERIES_COLUMNS,
      input.stream,
    );
    const codes = `'{${[...COUNTRIES.keys()].join(',')}}'::text[]`;
    const refused = await client.query(
      `SELECT line, indicator, iso3, year, value, problem FROM (
         SELECT l.*, CASE
           WHEN i.code IS NULL THEN 'indicator'
           WHEN l.iso3 IS NULL OR NOT l.iso3 = ANY (${codes}) THEN 'country'
           WHEN l.year !~ '^[0-9]{4}$' OR l.year::int NOT BETWEEN ${MIN_YEAR} AND ${maxYear()} THEN 'year'
           WHEN l.value IS NULL OR l.value !~ '${NUMBER.source}' OR l.value::float8 IN ('NaN', 'Infinity', '-Infinity') THEN 'value'
           WHEN NOT i.allow_negative AND l.value::float8 < 0 THEN 'negative'
           WHEN row_number() OVER (PARTITION BY l.indicator, l.iso3, l.year ORDER BY l.line) > 1 THEN 'duplicate'
         END AS problem
         FROM pg_temp."indicator_line" l LEFT JOIN "data"."indicator" i ON i.code = l.indicator
       ) c WHERE problem IS NOT NULL ORDER BY line`,
    );
    const refusedLines: number[] = [];
    for (const r of refused.rows as {
      line: number;
      indicator: string;
      iso3: string;
      year: string;
      value: string;
      problem: ValueProblem;
    }[]) {
      refusedLines.push(r.line);
      await sink.add({
        line: r.line,
        reason: valueReason(r.problem, r),
        text: [r.indicator, r.iso3, r.year, r.value].map((c) => csvCell(c ?? '')).join(','),
      });
    }
    await sink.close();
    failIfInvalid(file, sink, opts);
    await client.query(
      `CREATE TEMP TABLE "indicator_value_load" (LIKE "data"."indicator_value" INCLUDING DEFAULTS) ON COMMIT DROP`,
    );
    const loaded = await client.query(
      `INSERT INTO "indicator_value_load" ("indicator_code", "country_code", "year", "value", "unit")
       SELECT l.indicator, l.iso3, l.year::smallint, l.value::float8, i.unit
       FROM pg_temp."indicator_line" l JOIN "data"."indicator" i ON i.code = l.indicator
       WHERE NOT l.line = ANY ($1::int[])`,
      [refusedLines],
    );
    const rows = loaded.rowCount ?? 0;
    if (rows === 0) throw new ImportError(`${file}: no valid rows; nothing was written`, sink.first, sink.count);
    const indicators: { code: string }[] = (
      await client.query(`SELECT DISTINCT indicator_code AS code FROM "indicator_value_load" ORDER BY 1`)
    ).rows;
    return replaceSeries(
      client,
      indicators.map((i) => i.code),
      { rows, rejected: sink.count, rejects: sink.first, sha256, started },
    );
  });
}

/** What a series import read: its valid rows (in pg_temp.indicator_value_load), its rejects, its file's checksum. */
interface LoadedSeries {
  rows: number;
  rejected: number;
  rejects: Reject[];
  sha256: string;
  started: number;
}

/**
 * Replaces the values of the indicators `codes` by those of pg_temp.indicator_value_load, inside
 * the caller's import transaction, and logs the import of each indicator; says whether to commit.
 * When the load holds exactly what is stored, nothing is written; when nothing of these indicators
 * is stored yet (a first seed), the rows are simply inserted.
 */
async function replaceSeries(
  client: ClientBase,
  codes: string[],
  loaded: LoadedSeries,
): Promise<{ commit: boolean; result: () => ImportResult }> {
  const result = (changed: boolean): ImportResult => ({
    kind: 'indicators',
    target: codes.join(','),
    changed,
    rows: loaded.rows,
    rejected: loaded.rejected,
    rejects: loaded.rejects,
    sha256: loaded.sha256,
    ms: Date.now() - loaded.started,
  });
  const stored = await client.query(`SELECT 1 FROM "data"."indicator_value" WHERE indicator_code = ANY($1) LIMIT 1`, [codes]);
  if (stored.rows.length > 0) {
    const diff = await client.query(
      `SELECT EXISTS (
         (SELECT ${VALUE_COLUMNS} FROM "indicator_value_load"
          EXCEPT SELECT ${VALUE_COLUMNS} FROM "data"."indicator_value" WHERE indicator_code = ANY($1) AND deleted_at IS NULL)
         UNION ALL
         (SELECT ${VALUE_COLUMNS} FROM "data"."indicator_value" WHERE indicator_code = ANY($1) AND deleted_at IS NULL
          EXCEPT SELECT ${VALUE_COLUMNS} FROM "indicator_value_load")
       ) AS changed`,
      [codes],
    );
    if (!diff.rows[0].changed) return { commit: false, result: () => result(false) };
    // A replaced value keeps counting versions (an editor holding an older one gets CONFLICT) and its editors' note.
    await client.query(`UPDATE "indicator_value_load" l SET "version" = v."version" + 1, "internal_note" = v."internal_note"
      FROM "data"."indicator_value" v
      WHERE v.indicator_code = l.indicator_code AND v.country_code = l.country_code AND v.year = l.year`);
    await client.query(`DELETE FROM "data"."indicator_value" WHERE indicator_code = ANY($1)`, [codes]);
  }
  const empty = await client.query(`SELECT NOT EXISTS (SELECT 1 FROM "data"."indicator_value") AS empty`);
  // Into an empty table (a first seed), the key, index and reference check are built once after the
  // rows, not row by row (which took three quarters of the load); readers wait for the commit.
  const rebuild = (empty.rows[0] as { empty: boolean }).empty;
  if (rebuild) {
    await client.query(`ALTER TABLE "data"."indicator_value" DROP CONSTRAINT "indicator_value_indicator_code_fkey",
      DROP CONSTRAINT "indicator_value_pkey"`);
    await client.query(`DROP INDEX "data"."indicator_value_year"`);
  }
  await client.query(`INSERT INTO "data"."indicator_value" (${VALUE_COLUMNS}, "version", "internal_note")
    SELECT ${VALUE_COLUMNS}, "version", "internal_note" FROM "indicator_value_load"`);
  if (rebuild) {
    await client.query(`SET LOCAL maintenance_work_mem = '128MB'`);
    await client.query(`ALTER TABLE "data"."indicator_value" ADD PRIMARY KEY ("indicator_code", "country_code", "year"),
      ADD FOREIGN KEY ("indicator_code") REFERENCES "data"."indicator" ("code") ON DELETE CASCADE`);
    await client.query(
      `CREATE INDEX "indicator_value_year" ON "data"."indicator_value" ("indicator_code", "year") INCLUDE ("country_code", "value")`,
    );
  }
  // Each indicator's rows counted in one scan of the load (one scan per indicator took a scan each time).
  const perIndicator = await client.query<{ target: string; rows: number }>(
    `SELECT indicator_code AS target, count(*)::int AS rows FROM "indicator_value_load" GROUP BY indicator_code`,
  );
  await logImports(client, 'indicators', perIndicator.rows, loaded);
  await client.query('ANALYZE "data"."indicator_value"');
  return { commit: true, result: () => result(true) };
}

/** Why a series row is invalid, or null; records its key when valid. */
export function checkSeriesRow(raw: string[], catalogue: Map<string, CatalogueEntry>, seen: Set<string>): string | null {
  if (raw.length !== SERIES_COLUMNS.length) return `expected ${SERIES_COLUMNS.length} cells, got ${raw.length}`;
  const [indicator, country, yearCell, value, unit, source, confidence] = raw.map((c) => c.trim());
  const entry = catalogue.get(indicator);
  if (!entry) return `indicator ${quoted(indicator)} is not in the catalogue (import it first with the catalogue kind)`;
  if (!isKnownCountryCode(country)) return `country_iso3 ${quoted(country)} is not a known country code`;
  if (!/^\d{4}$/.test(yearCell)) return `year ${quoted(yearCell)} is not a year`;
  const year = Number(yearCell);
  if (year < MIN_YEAR || year > maxYear()) return `year ${year} is out of range (${MIN_YEAR} to ${maxYear()})`;
  if (!NUMBER.test(value) || !Number.isFinite(Number(value))) return `value ${quoted(value)} is not a number`;
  if (!entry.allowNegative && Number(value) < 0) return `value ${value} is negative, and ${indicator} takes no negative values`;
  if (unit !== entry.unit) return `unit ${quoted(unit)} differs from the catalogue's unit of ${indicator} ("${entry.unit}")`;
  if (source === '') return 'source is empty: every value needs its source';
  if (!isConfidence(confidence)) return `confidence ${quoted(confidence)} is not seen, derived or unverified`;
  const tooLong = checkTextCells(SERIES_TEXT_RULES, { source });
  if (tooLong) return tooLong;
  const key = `${indicator}|${country}|${year}`;
  if (seen.has(key)) return `duplicate row for ${indicator} in ${country} in ${year}`;
  seen.add(key);
  return null;
}
