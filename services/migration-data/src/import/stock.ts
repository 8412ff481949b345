import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COUNTRIES } from '../../../../shared/src/countries';
import { MAX_LINE_BYTES } from '../../../../shared/src/csv';
import { type FieldRules, PROVENANCE_RULES } from '../../../../shared/src/mutations';
import { quoted } from '../../../../shared/src/printable';
import { COUNTRY_KEYS, countryKey } from '../countryKey';
import { AsciiWriter, readStockLine, type RowFields } from './bytes';
import {
  checkTextCells, describeRejects, ImportError, type ImportOptions, type ImportResult, lineTooLong, lockTarget, maxYear, MIN_YEAR,
  progressReporter, type Reject, RejectSink,
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
  title: { kind: 'text', column: 'title', max: 500 },
  citation: { ...PROVENANCE_RULES.source, column: 'citation' },
  sourceUrl: { kind: 'url', column: 'source_url' },
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

// A module constant, not the import binding: the hot loop reads it per row.
const FIRST_YEAR = MIN_YEAR;

/** Statistics target of the corridor columns: ANALYZE samples 3,000 rows, enough for these plans. */
const STATISTICS_TARGET = 10;

/** The shared country list in code order, and each code's place in it by key (-1: not a known code). */
const CODES = [...COUNTRIES.keys()].sort();
const DENSE = new Int16Array(COUNTRY_KEYS).fill(-1);
CODES.forEach((code, i) => (DENSE[countryKey(code)] = i));
const OOO = countryKey('OOO');

/** What KeySet.add found: a duplicate, the first row of a corridor (one sex), or its second. */
const KeyState = { Duplicate: 0, First: 1, Second: 2 } as const;
type KeyState = (typeof KeyState)[keyof typeof KeyState];

/**
 * Flat-memory duplicate detection: one bit per possible (destination, origin, year, sex) key of a
 * revision, about 1 MB whatever the size of the file. It also tells whether the corridor's other
 * sex was already read, so corridors are counted exactly whatever the order of the rows.
 */
class KeySet {
  private readonly n = CODES.length;
  private readonly years = maxYear() - FIRST_YEAR + 1;
  private readonly bits = new Uint8Array(Math.ceil((this.n * this.n * this.years * 2) / 8));
  /** Records the key of a valid row (known codes, year in range). */
  add(destination: number, origin: number, year: number, male: boolean): KeyState {
    const corridor = ((DENSE[destination] * this.n + DENSE[origin]) * this.years + (year - FIRST_YEAR)) * 2;
    const key = corridor + (male ? 1 : 0);
    const other = corridor + (male ? 0 : 1);
    const bit = 1 << (key & 7);
    if (this.bits[key >> 3] & bit) return KeyState.Duplicate;
    this.bits[key >> 3] |= bit;
    return this.bits[other >> 3] & (1 << (other & 7)) ? KeyState.Second : KeyState.First;
  }
}

/** A valid row, as keys, and what the duplicate bitmap said of it. */
interface StockRow extends RowFields {
  state: KeyState;
}

const isDigits = (s: string, min: number, max: number): boolean => {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/**
 * Why a data line of a stock file is invalid, or null when it is valid: then `row` holds it and
 * `keys` has recorded it.
 */
export function checkStockLine(cells: string[], keys: KeySet, years: Set<number> | null, row: StockRow): string | null {
  if (cells.length !== 5) return `expected 5 comma-separated cells, got ${cells.length}`;
  const [destination, origin, yearCell, sex, stockCell] = cells;
  const d = countryKey(destination);
  if (d < 0 || DENSE[d] < 0) return `destination_iso3 ${quoted(destination)} is not a known country code`;
  const o = countryKey(origin);
  if (o < 0 || DENSE[o] < 0) return `origin_iso3 ${quoted(origin)} is not a known country code`;
  if (d === OOO) return 'OOO (unknown origin) cannot be a destination';
  if (!isDigits(yearCell, 4, 4)) return `year ${quoted(yearCell)} is not a year`;
  const year = Number(yearCell);
  if (years ? !years.has(year) : year < FIRST_YEAR || year > maxYear()) {
    return years
      ? `year ${year} is not one of the revision's years (${[...years].join(', ')})`
      : `year ${year} is out of range (${FIRST_YEAR} to ${maxYear()})`;
  }
  const male = sex === 'male';
  if (!male && sex !== 'female') return `sex ${quoted(sex)} must be male or female (the source has no totals)`;
  if (!isDigits(stockCell, 1, 15)) {
    if (/^-\d{1,15}(\.\d{1,15})?$/.test(stockCell)) return `stock ${stockCell} is negative`;
    return `stock ${quoted(stockCell)} is not a whole number`;
  }
  const state = keys.add(d, o, year, male);
  if (state === KeyState.Duplicate) return `duplicate row for ${destination} from ${origin} in ${year} (${sex})`;
  row.destination = d;
  row.origin = o;
  row.year = year;
  row.male = male;
  row.stock = Number(stockCell);
  row.state = state;
  return null;
}

export { KeySet };

const partitionName = (revision: string) => `stock_corridor_${revision}`;

/**
 * Loads a UN DESA-style bilateral migrant-stock CSV as one revision, in one transaction: validated
 * row by row while it streams through COPY (FREEZE) into a fresh table, the two rows of each
 * corridor (male, female) merged into one as they pass, then indexed and swapped in for the
 * revision's old partition. Readers see the old revision until the commit; a failure or a killed
 * process leaves it untouched. The same file a second time changes nothing.
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
    title: given.title ?? '', citation: given.citation ?? '', sourceUrl: given.sourceUrl ?? '', notes: given.notes ?? '', source: given.source ?? '',
  });
  if (metaProblems) throw new ImportError(`${file}: the revision's details are invalid: ${metaProblems}; nothing was written`);
  const final = partitionName(revision);
  // Load tables never share a name with a partition (those start with the parent's name).
  const load = `load_${final}`;
  const suffix = Date.now().toString(36);
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL statement_timeout = 0; SET LOCAL maintenance_work_mem = '256MB'`);
    await lockTarget(client, `import:stock:${revision}`, opts);
    const done = await client.query(
      `SELECT l.sha256 FROM "data"."import_log" l WHERE l.kind = 'stock' AND l.target = $1 AND to_regclass($2) IS NOT NULL`,
      [revision, `"data"."${final}"`],
    );
    const loaded: string | null = done.rows[0]?.sha256 ?? null;

    await createLoadTable(client, load, revision);
    const copy = client.query(copyFrom(
      `COPY "data"."${load}" ("year", "destination_key", "origin_key", "male", "female") FROM STDIN WITH (FORMAT csv, FREEZE true)`,
    ));
    // A failed row stream destroys the COPY; its error is the server's echo of ours: ignore it here.
    copy.on('error', () => undefined);
    // One pass over the file: the checksum is computed as it streams, so a file already loaded
    // costs one read before it is recognised (and rolled back), and a new one is read only once.
    const read = await streamStockFile(file, copy, opts);
    const { rows, sink, sha256 } = read;
    phases.lap('read, validate and COPY');
    if (loaded === sha256) {
      await client.query('ROLLBACK');
      return { kind: 'stock', target: revision, changed: false, rows: 0, rejected: 0, rejects: [], sha256, ms: Date.now() - started };
    }

    if (sink.count > 0 && !opts.skipInvalid) {
      throw new ImportError(
        `${file}: ${sink.count} invalid row(s); nothing was written\n${describeRejects(file, sink.first, sink.count)}`,
        sink.first, sink.count,
      );
    }
    if (rows === 0) throw new ImportError(`${file}: no valid rows; nothing was written`, sink.first, sink.count);
    if (opts.expect?.rows !== undefined && rows !== opts.expect.rows) {
      throw new ImportError(`${file}: expected ${opts.expect.rows} rows, read ${rows}; nothing was written`);
    }
    const years = [...read.corridorsByYear.keys()].sort((a, b) => a - b);
    const missing = (opts.expect?.years ?? []).filter((y) => !read.corridorsByYear.has(y));
    if (missing.length > 0) throw new ImportError(`${file}: no rows for the years ${missing.join(', ')}; nothing was written`);

    if (read.splitCorridors > 0) {
      // Some corridor's two rows were not next to each other in the file: merge them in SQL.
      await createLoadTable(client, `${load}_merged`, revision);
      await client.query(
        `INSERT INTO "data"."${load}_merged" ("year", "destination_key", "origin_key", "male", "female")
         SELECT "year", "destination_key", "origin_key", sum("male"), sum("female") FROM "data"."${load}"
         GROUP BY "year", "destination_key", "origin_key"`,
      );
      await client.query(`DROP TABLE "data"."${load}"`);
      await client.query(`ALTER TABLE "data"."${load}_merged" RENAME TO "${load}"`);
      phases.lap('merge split corridors');
    }

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
        revision, m.title ?? null, m.citation ?? null, m.sourceUrl ?? null, m.published ?? null, rows, sha256, m.notes ?? null,
        m.source ?? null, file.split(/[\\/]/).pop(), m.confidence ?? null,
        'sourceUrl' in m, 'published' in m, 'notes' in m, 'source' in m, years,
      ],
    );
    phases.lap('revision row');
    await writeDerived(client, revision, load, read, phases);

    // The swap: from here to COMMIT, readers of this revision wait a moment, then see the new rows.
    await swapPartition(client, 'stock_corridor', revision, load);
    await swapPartition(client, 'stock_country_year', revision, `load_stock_country_year_${revision}`);
    await client.query(
      `INSERT INTO "data"."import_log" ("kind", "target", "sha256", "rows", "rejected") VALUES ('stock', $1, $2, $3, $4)
       ON CONFLICT ("kind", "target") DO UPDATE SET "sha256" = $2, "rows" = $3, "rejected" = $4, "imported_at" = now()`,
      [revision, sha256, rows, sink.count],
    );
    phases.lap('swap');
    await client.query('COMMIT');
    phases.lap('commit');
    return {
      kind: 'stock', target: revision, changed: true, rows, rejected: sink.count, rejects: sink.first, sha256, ms: Date.now() - started,
      phases: phases.result(), splitCorridors: read.splitCorridors,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
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
  await client.query(`CREATE TABLE "data"."${table}" (LIKE "data"."stock_corridor" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)`);
  const stats = ['revision', 'year', 'destination_key', 'origin_key', 'male', 'female', 'total']
    .map((c) => `ALTER COLUMN "${c}" SET STATISTICS ${STATISTICS_TARGET}`).join(', ');
  await client.query(`ALTER TABLE "data"."${table}" ALTER COLUMN "revision" SET DEFAULT '${revision}',
    ADD CONSTRAINT "${table}_revision" CHECK ("revision" = '${revision}'), ${stats}`);
}

/**
 * The revision's derived tables, from what the stream gathered: per-country yearly sums, the number
 * of corridors per year, and each year's ranking (computed in SQL instead when corridors were split).
 */
async function writeDerived(client: ClientBase, revision: string, load: string, read: StreamResult, phases: PhaseClock): Promise<void> {
  // The sums: a fresh table like the corridors' (COPY FREEZE; no index, see the migration), swapped in with them.
  // The revision name is checked against REVISION_NAME before any SQL.
  const sums = `load_stock_country_year_${revision}`;
  await client.query(`CREATE TABLE "data"."${sums}" (LIKE "data"."stock_country_year" INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
    ALTER TABLE "data"."${sums}" ADD CONSTRAINT "${sums}_revision" CHECK ("revision" = '${revision}')`);
  await copyText(client, sums, ['revision', 'side', 'code', 'year', 'male', 'female'], read.sums.csv(revision), true);
  phases.lap('country sums');
  await client.query(['stock_year', 'stock_ranking'].map((t) => `DELETE FROM "data"."${t}" WHERE "revision" = '${revision}'`).join('; '));
  await copyText(client, 'stock_year', ['revision', 'year', 'corridors'],
    [...read.corridorsByYear].map(([year, n]) => `${revision},${year},${n}\n`).join(''));
  phases.lap('corridor counts');
  if (read.ranking) {
    await copyText(client, 'stock_ranking', ['revision', 'year', 'destination_keys', 'origin_keys', 'male', 'female'], read.ranking.csv(revision));
  } else {
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
      [revision, [...read.corridorsByYear.keys()]],
    );
  }
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

/**
 * Per-country yearly sums by side and sex, kept while the file streams: a few thousand entries
 * whatever the number of rows, and no second pass over the table.
 */
class CountrySums {
  private readonly years = maxYear() - FIRST_YEAR + 1;
  // Slot ((year index * countries + country) * 2 + side) * 2 + sex; NaN until a row adds to it.
  private readonly sums = new Float64Array(this.years * CODES.length * 4).fill(NaN);
  add(side: 0 | 1, country: number, year: number, male: boolean, stock: number): void {
    const slot = (((year - FIRST_YEAR) * CODES.length + DENSE[country]) * 2 + side) * 2 + (male ? 0 : 1);
    const v = this.sums[slot];
    this.sums[slot] = v === v ? v + stock : stock;
  }
  /** The sums as COPY text: revision, side, code, year, male, female (empty: no row of that sex). */
  csv(revision: string): string {
    let out = '';
    const cell = (v: number) => (v === v ? String(v) : '');
    for (let slot = 0; slot < this.sums.length; slot += 2) {
      const male = this.sums[slot];
      const female = this.sums[slot + 1];
      if (male !== male && female !== female) continue;
      const pair = slot / 2;
      const side = pair % 2;
      const country = ((pair - side) / 2) % CODES.length;
      const year = FIRST_YEAR + Math.floor((pair - side) / 2 / CODES.length);
      out += `${revision},${side === 0 ? 'destination' : 'origin'},${CODES[country]},${year},${cell(male)},${cell(female)}\n`;
    }
    return out;
  }
}

/** One corridor in a year's ranking. A sex without a source row is -1 (null in the table). */
interface Ranked {
  destination: number;
  origin: number;
  male: number;
  female: number;
  /** male + female, or -1 when either is missing: ranks after every known total. */
  total: number;
}

/** True when a corridor ranks before b: larger total first (an unknown total last), then destination, then origin. */
function ahead(total: number, destination: number, origin: number, b: Ranked): boolean {
  if (total !== b.total) return total > b.total;
  if (destination !== b.destination) return destination < b.destination;
  return origin < b.origin;
}

const ranksBefore = (a: Ranked, b: Ranked): boolean => ahead(a.total, a.destination, a.origin, b);

/**
 * The RANKING_DEPTH largest corridors of each year, kept in bounded heaps (the weakest at the
 * root) while the file streams: memory depends on the number of years, not on the file.
 */
class Ranking {
  private readonly heaps: (Ranked[] | undefined)[] = [];
  add(year: number, destination: number, origin: number, male: number, female: number): void {
    let heap = this.heaps[year - FIRST_YEAR];
    if (!heap) this.heaps[year - FIRST_YEAR] = heap = [];
    const total = male >= 0 && female >= 0 ? male + female : -1;
    if (heap.length < RANKING_DEPTH) {
      heap.push({ destination, origin, male, female, total });
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!ranksBefore(heap[parent], heap[i])) break;
        const t = heap[parent];
        heap[parent] = heap[i];
        heap[i] = t;
        i = parent;
      }
      return;
    }
    if (!ahead(total, destination, origin, heap[0])) return;
    heap[0] = { destination, origin, male, female, total };
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let weakest = i;
      if (l < heap.length && ranksBefore(heap[weakest], heap[l])) weakest = l;
      if (r < heap.length && ranksBefore(heap[weakest], heap[r])) weakest = r;
      if (weakest === i) break;
      const t = heap[weakest];
      heap[weakest] = heap[i];
      heap[i] = t;
      i = weakest;
    }
  }
  /** Each year's ranking as COPY text: revision, year, then the four arrays in rank order. */
  csv(revision: string): string {
    let out = '';
    for (const [i, heap] of this.heaps.entries()) {
      if (!heap) continue;
      const year = FIRST_YEAR + i;
      const ordered = [...heap].sort((a, b) => (ranksBefore(a, b) ? -1 : 1));
      const array = (f: (c: Ranked) => number) => `"{${ordered.map((c) => { const v = f(c); return v >= 0 ? String(v) : 'NULL'; }).join(',')}}"`;
      out += `${revision},${year},${array((c) => c.destination)},${array((c) => c.origin)},${array((c) => c.male)},${array((c) => c.female)}\n`;
    }
    return out;
  }
}

/** COPY of ready-made CSV text into one of the schema's tables. */
async function copyText(client: ClientBase, table: string, columns: string[], text: string, freeze = false): Promise<void> {
  const stream = client.query(copyFrom(
    `COPY "data"."${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN WITH (FORMAT csv${freeze ? ', FREEZE true' : ''})`,
  ));
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.once('finish', () => resolve());
    stream.end(text);
  });
}

interface StreamResult {
  rows: number;
  sink: RejectSink;
  sums: CountrySums;
  corridorsByYear: Map<number, number>;
  /** Corridors whose two rows were not next to each other in the file (merged in SQL afterwards). */
  splitCorridors: number;
  /** Null when corridors were split: their totals were not known while streaming. */
  ranking: Ranking | null;
  sha256: string;
}

/**
 * The row-by-row work of a stock import, a chunk of the file at a time: each line is checked on
 * the file's bytes (readStockLine) without a string per row; a line that is not plainly valid goes
 * through checkStockLine, which says why. Valid rows are counted into the per-country sums, the
 * corridor counts and the duplicate bitmap; the two rows of a corridor are merged; each corridor
 * goes to the ranking and, as COPY text, to `out`. One method holds the loop, its state in locals,
 * so that V8 optimises it early: an import process runs it once, cold.
 */
class StockLines {
  readonly keys = new KeySet();
  readonly sums = new CountrySums();
  readonly ranking = new Ranking();
  readonly lastYear = maxYear();
  readonly corridorsPerYear = new Int32Array(this.lastYear - FIRST_YEAR + 1);
  readonly out = new AsciiWriter();
  readonly rejects: Reject[] = [];
  line = 0;
  rows = 0;
  splitCorridors = 0;
  /** Rejected so far (earlier chunks' rejects have gone to the sink). */
  rejected = 0;
  // The corridor waiting for its other sex; -1 for a sex not (yet) read.
  pending = false;
  pYear = 0;
  pDestination = 0;
  pOrigin = 0;
  pMale = -1;
  pFemale = -1;
  private readonly fields: RowFields = { destination: 0, origin: 0, year: 0, male: false, stock: 0 };
  private readonly row: StockRow = { destination: 0, origin: 0, year: 0, male: false, stock: 0, state: KeyState.First };

  constructor(
    private readonly file: string,
    private readonly years: Set<number> | null,
    /** Load the good rows after a bad one (--skip-invalid); otherwise stop writing at the first. */
    private readonly skipInvalid: boolean,
  ) {}

  /** Takes the complete lines of b[from, b.length); returns where the unfinished last line starts. */
  chunk(b: Buffer, from: number): number {
    const fields = this.fields;
    const keys = this.keys;
    const years = this.years;
    const lastYear = this.lastYear;
    let line = this.line;
    for (let nl = b.indexOf(10, from); nl !== -1; nl = b.indexOf(10, from)) {
      const end = nl > from && b[nl - 1] === 13 ? nl - 1 : nl;
      line += 1;
      if (end - from > MAX_LINE_BYTES) throw lineTooLong(this.file, line);
      if (line === 1) {
        this.header(b.toString('utf8', from, end));
      } else if (end > from) {
        let state: KeyState = KeyState.Duplicate;
        if (readStockLine(b, from, end, fields) && DENSE[fields.destination] >= 0 && DENSE[fields.origin] >= 0 && fields.destination !== OOO
          && (years ? years.has(fields.year) : fields.year >= FIRST_YEAR && fields.year <= lastYear)) {
          state = keys.add(fields.destination, fields.origin, fields.year, fields.male);
        }
        if (state !== KeyState.Duplicate) this.accept(fields.destination, fields.origin, fields.year, fields.male, fields.stock, state);
        else this.slow(line, b.toString('utf8', from, end));
      }
      from = nl + 1;
    }
    this.line = line;
    return from;
  }

  /** Refuses an unfinished line that is already longer than a line may be (it is never joined further). */
  checkTail(length: number): void {
    if (length > MAX_LINE_BYTES) throw lineTooLong(this.file, this.line + 1);
  }

  /** The last line of a file without a final newline. */
  last(b: Buffer): void {
    this.chunk(Buffer.concat([b, Buffer.from('\n')]), 0);
  }

  /** Sends the waiting corridor, if any (at the end of the file). */
  finish(): void {
    if (this.pending) this.emit();
  }

  private header(text: string): void {
    const header = text.replace(/^\uFEFF/, '').trim();
    if (header !== STOCK_HEADER) {
      throw new ImportError(`${this.file} line 1: wrong column set: expected "${STOCK_HEADER}", got ${quoted(header, 200)}; nothing was written`);
    }
  }

  /** A line the byte path did not take: checkStockLine says why, or takes it after all. */
  private slow(line: number, text: string): void {
    const row = this.row;
    const reason = checkStockLine(text.split(','), this.keys, this.years, row);
    if (reason === null) {
      this.accept(row.destination, row.origin, row.year, row.male, row.stock, row.state);
      return;
    }
    this.rejects.push({ line, reason, text });
    this.rejected += 1;
  }

  private accept(destination: number, origin: number, year: number, male: boolean, stock: number, state: KeyState): void {
    this.rows += 1;
    this.sums.add(0, destination, year, male, stock);
    this.sums.add(1, origin, year, male, stock);
    if (state === KeyState.First) this.corridorsPerYear[year - FIRST_YEAR] += 1;
    // The file's two rows of a corridor usually follow each other: merge them into one.
    if (this.pending && this.pYear === year && this.pDestination === destination && this.pOrigin === origin) {
      if (male) this.pMale = stock;
      else this.pFemale = stock;
      this.emit();
      return;
    }
    if (this.pending) this.emit();
    if (state === KeyState.Second) this.splitCorridors += 1;
    this.pending = true;
    this.pYear = year;
    this.pDestination = destination;
    this.pOrigin = origin;
    this.pMale = male ? stock : -1;
    this.pFemale = male ? -1 : stock;
  }

  private emit(): void {
    this.pending = false;
    if (this.splitCorridors === 0) this.ranking.add(this.pYear, this.pDestination, this.pOrigin, this.pMale, this.pFemale);
    // After a bad row, a strict import only goes on validating: the transaction will not commit.
    if (this.rejected > 0 && !this.skipInvalid) return;
    const out = this.out;
    out.int(this.pYear);
    out.byte(44);
    out.int(this.pDestination);
    out.byte(44);
    out.int(this.pOrigin);
    out.byte(44);
    if (this.pMale >= 0) out.int(this.pMale);
    out.byte(44);
    if (this.pFemale >= 0) out.int(this.pFemale);
    out.byte(10);
  }
}

/**
 * Reads the file once: hashes it and hands it to StockLines a chunk (256 kB) at a time; after each
 * chunk, its rejects go to the rejects file and its corridors to COPY (respecting back-pressure).
 */
async function streamStockFile(file: string, copy: Writable, opts: StockImportOptions): Promise<StreamResult> {
  const sink = new RejectSink(opts.skipInvalid ? opts.rejectsFile : undefined);
  const hash = crypto.createHash('sha256');
  const lines = new StockLines(file, opts.expect?.years ? new Set(opts.expect.years) : null, opts.skipInvalid === true);
  const progress = progressReporter(file, opts.onProgress);
  const input = fs.createReadStream(file, { highWaterMark: 1 << 18 });
  const flush = async (): Promise<void> => {
    for (const r of lines.rejects) await sink.add(r);
    lines.rejects.length = 0;
    if (lines.out.length > 0 && !copy.write(lines.out.take())) await once(copy, 'drain');
    progress.tick(lines.rows, input.bytesRead);
  };
  try {
    let tail: Buffer | null = null;
    for await (const chunk of input) {
      hash.update(chunk as Buffer);
      const b: Buffer = tail ? Buffer.concat([tail, chunk as Buffer]) : (chunk as Buffer);
      const from = lines.chunk(b, 0);
      // The unfinished line is carried into the next chunk: capped, so a line without end is never re-joined for long.
      lines.checkTail(b.length - from);
      tail = from < b.length ? b.subarray(from) : null;
      await flush();
    }
    if (tail) lines.last(tail);
    if (lines.line === 0) throw new ImportError(`${file} is empty: expected the header "${STOCK_HEADER}"; nothing was written`);
    lines.finish();
    await flush();
  } catch (error) {
    input.destroy();
    copy.destroy(error as Error);
    await sink.close().catch(() => undefined);
    throw error;
  }
  await new Promise<void>((resolve, reject) => {
    copy.once('error', reject);
    copy.end(() => resolve());
  });
  await sink.close();
  progress.done(lines.rows);
  const corridorsByYear = new Map<number, number>();
  lines.corridorsPerYear.forEach((n, i) => n > 0 && corridorsByYear.set(FIRST_YEAR + i, n));
  return {
    rows: lines.rows, sink, sums: lines.sums, corridorsByYear, splitCorridors: lines.splitCorridors,
    ranking: lines.splitCorridors === 0 ? lines.ranking : null, sha256: hash.digest('hex'),
  };
}
