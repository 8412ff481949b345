import fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COUNTRIES } from '../../../../shared/src/countries';
import { codeOfKey, COUNTRY_KEYS, countryKey } from '../countryKey';
import {
  CopyWriter, describeRejects, ImportError, type ImportOptions, type ImportResult, lockTarget, maxYear, MIN_YEAR,
  progressReporter, RejectSink, sha256File,
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

export interface StockImportOptions extends ImportOptions {
  revision: string;
  /** Applied to the revision's row; fields left out keep their stored value (or the defaults for a new revision). */
  meta?: Partial<StockRevisionMeta>;
  /** For a published revision: only these years, every one present, and exactly this many rows. */
  expect?: { years?: number[]; rows?: number };
}

/** How many corridors of each year the ranking keeps in order (stock_ranking). */
export const RANKING_DEPTH = 1000;

/** Statistics target of the corridor columns: ANALYZE samples 3,000 rows, enough for these plans. */
const STATISTICS_TARGET = 10;

/** Whether a country code is in the shared list, by key. */
const KNOWN = new Uint8Array(COUNTRY_KEYS);
for (const code of COUNTRIES.keys()) KNOWN[countryKey(code)] = 1;
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
  private readonly dense = new Int16Array(COUNTRY_KEYS).fill(-1);
  private readonly n: number;
  private readonly years: number;
  private readonly bits: Uint8Array;
  constructor() {
    const codes = [...COUNTRIES.keys()].sort();
    codes.forEach((code, i) => (this.dense[countryKey(code)] = i));
    this.n = codes.length;
    this.years = maxYear() - MIN_YEAR + 1;
    this.bits = new Uint8Array(Math.ceil((this.n * this.n * this.years * 2) / 8));
  }
  /** Records the key of a valid row (known codes, year in range). */
  add(destination: number, origin: number, year: number, male: boolean): KeyState {
    const corridor = ((this.dense[destination] * this.n + this.dense[origin]) * this.years + (year - MIN_YEAR)) * 2;
    const key = corridor + (male ? 1 : 0);
    const other = corridor + (male ? 0 : 1);
    const bit = 1 << (key & 7);
    if (this.bits[key >> 3] & bit) return KeyState.Duplicate;
    this.bits[key >> 3] |= bit;
    return this.bits[other >> 3] & (1 << (other & 7)) ? KeyState.Second : KeyState.First;
  }
}

/** A valid row, as keys. */
interface StockRow {
  destination: number;
  origin: number;
  year: number;
  male: boolean;
  stock: number;
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
  if (d < 0 || KNOWN[d] === 0) return `destination_iso3 "${destination}" is not a known country code`;
  const o = countryKey(origin);
  if (o < 0 || KNOWN[o] === 0) return `origin_iso3 "${origin}" is not a known country code`;
  if (d === OOO) return 'OOO (unknown origin) cannot be a destination';
  if (!isDigits(yearCell, 4, 4)) return `year "${yearCell}" is not a year`;
  const year = Number(yearCell);
  if (years ? !years.has(year) : year < MIN_YEAR || year > maxYear()) {
    return years
      ? `year ${year} is not one of the revision's years (${[...years].join(', ')})`
      : `year ${year} is out of range (${MIN_YEAR} to ${maxYear()})`;
  }
  const male = sex === 'male';
  if (!male && sex !== 'female') return `sex "${sex}" must be male or female (the source has no totals)`;
  if (!isDigits(stockCell, 1, 15)) {
    if (/^-\d+(\.\d+)?$/.test(stockCell)) return `stock ${stockCell} is negative`;
    return `stock "${stockCell}" is not a whole number`;
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
    throw new ImportError(`revision "${revision}" must be 1 to 30 lower-case letters, digits or underscores`);
  }
  const sha256 = await sha256File(file);
  phases.lap('checksum');
  const final = partitionName(revision);
  const load = `${final}_load`;
  const suffix = Date.now().toString(36);
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL statement_timeout = 0; SET LOCAL maintenance_work_mem = '256MB'`);
    await lockTarget(client, `import:stock:${revision}`, opts);
    const done = await client.query(
      `SELECT l.sha256 FROM "data"."import_log" l WHERE l.kind = 'stock' AND l.target = $1 AND to_regclass($2) IS NOT NULL`,
      [revision, `"data"."${final}"`],
    );
    if (done.rows.length > 0 && done.rows[0].sha256 === sha256) {
      await client.query('ROLLBACK');
      return { kind: 'stock', target: revision, changed: false, rows: 0, rejected: 0, rejects: [], sha256, ms: Date.now() - started };
    }

    await createLoadTable(client, load, revision);
    const copy = client.query(copyFrom(
      `COPY "data"."${load}" ("year", "destination_key", "origin_key", "male", "female") FROM STDIN WITH (FORMAT csv, FREEZE true)`,
    ));
    // A failed row stream destroys the COPY; its error is the server's echo of ours: ignore it here.
    copy.on('error', () => undefined);
    const read = await streamStockFile(file, copy, opts);
    const { rows, sink } = read;
    phases.lap('read, validate and COPY');

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
    await writeDerived(client, revision, load, read);
    phases.lap('sums, counts and ranking');

    // The swap: from here to COMMIT, readers of this revision wait a moment, then see the new rows.
    const old = await client.query('SELECT to_regclass($1) AS t', [`"data"."${final}"`]);
    if (old.rows[0].t !== null) {
      await client.query(`ALTER TABLE "data"."stock_corridor" DETACH PARTITION "data"."${final}"`);
      await client.query(`DROP TABLE "data"."${final}"`);
    }
    await client.query(`ALTER TABLE "data"."${load}" RENAME TO "${final}"`);
    await client.query(`ALTER TABLE "data"."stock_corridor" ATTACH PARTITION "data"."${final}" FOR VALUES IN ('${revision}')`);
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
      phases: phases.result(),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A fresh table shaped like a stock_corridor partition of this revision (its CHECK lets ATTACH skip a scan). */
async function createLoadTable(client: ClientBase, table: string, revision: string): Promise<void> {
  await client.query(`CREATE TABLE "data"."${table}" (LIKE "data"."stock_corridor" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)`);
  const stats = ['year', 'destination_key', 'origin_key', 'male', 'female', 'total']
    .map((c) => `ALTER COLUMN "${c}" SET STATISTICS ${STATISTICS_TARGET}`).join(', ');
  await client.query(`ALTER TABLE "data"."${table}" ALTER COLUMN "revision" SET DEFAULT '${revision}',
    ADD CONSTRAINT "${table}_revision" CHECK ("revision" = '${revision}'), ${stats}`);
}

/**
 * The revision's derived tables, from what the stream gathered: per-country yearly sums, the number
 * of corridors per year, and each year's ranking (computed in SQL instead when corridors were split).
 */
async function writeDerived(client: ClientBase, revision: string, load: string, read: StreamResult): Promise<void> {
  // One round trip; the revision name is checked against REVISION_NAME before any SQL.
  await client.query(['stock_country_year', 'stock_year', 'stock_ranking']
    .map((t) => `DELETE FROM "data"."${t}" WHERE "revision" = '${revision}'`).join('; '));
  await client.query(
    `INSERT INTO "data"."stock_country_year" ("revision", "side", "code", "year", "male", "female")
     SELECT $1, * FROM unnest($2::text[], $3::bpchar[], $4::int2[], $5::int8[], $6::int8[])`,
    [revision, ...read.sums.columns()],
  );
  await client.query(
    `INSERT INTO "data"."stock_year" ("revision", "year", "corridors") SELECT $1, * FROM unnest($2::int2[], $3::int4[])`,
    [revision, [...read.corridorsByYear.keys()], [...read.corridorsByYear.values()]],
  );
  if (read.ranking) {
    await client.query(
      `INSERT INTO "data"."stock_ranking" ("revision", "year", "rank", "destination_key", "origin_key", "male", "female", "total")
       SELECT $1, * FROM unnest($2::int2[], $3::int4[], $4::int2[], $5::int2[], $6::int8[], $7::int8[], $8::int8[])`,
      [revision, ...read.ranking.columns()],
    );
  } else {
    await client.query(
      `INSERT INTO "data"."stock_ranking" ("revision", "year", "rank", "destination_key", "origin_key", "male", "female", "total")
       SELECT $1, y.year, r.rank, r.destination_key, r.origin_key, r.male, r.female, r.total
       FROM unnest($2::int2[]) AS y(year)
       CROSS JOIN LATERAL (
         SELECT s.*, row_number() OVER (ORDER BY s.total DESC NULLS LAST, s.destination_key, s.origin_key) AS rank
         FROM (SELECT * FROM "data"."${load}" s WHERE s.year = y.year
               ORDER BY s.total DESC NULLS LAST, s.destination_key, s.origin_key LIMIT ${RANKING_DEPTH}) s
       ) r`,
      [revision, [...read.corridorsByYear.keys()]],
    );
  }
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
  // key: ((year * COUNTRY_KEYS) + country key) * 2 + side (0 destination, 1 origin); value: [male, female]
  private readonly sums = new Map<number, [number | null, number | null]>();
  add(side: 0 | 1, country: number, year: number, male: boolean, stock: number): void {
    const key = (year * COUNTRY_KEYS + country) * 2 + side;
    let entry = this.sums.get(key);
    if (!entry) this.sums.set(key, (entry = [null, null]));
    const i = male ? 0 : 1;
    entry[i] = (entry[i] ?? 0) + stock;
  }
  columns(): [string[], string[], number[], (number | null)[], (number | null)[]] {
    const out: [string[], string[], number[], (number | null)[], (number | null)[]] = [[], [], [], [], []];
    for (const [key, v] of this.sums) {
      const side = key % 2;
      const rest = (key - side) / 2;
      out[0].push(side === 0 ? 'destination' : 'origin');
      out[1].push(codeOfKey(rest % COUNTRY_KEYS));
      out[2].push(Math.floor(rest / COUNTRY_KEYS));
      out[3].push(v[0]);
      out[4].push(v[1]);
    }
    return out;
  }
}

/** One corridor as it goes to COPY and, while its total is known, to the ranking. */
interface Corridor {
  year: number;
  destination: number;
  origin: number;
  male: number | null;
  female: number | null;
}

/** True when a ranks before b: larger total first (an unknown total last), then destination, then origin. */
function ranksBefore(a: Corridor, b: Corridor): boolean {
  const ta = a.male !== null && a.female !== null ? a.male + a.female : -1;
  const tb = b.male !== null && b.female !== null ? b.male + b.female : -1;
  if (ta !== tb) return ta > tb;
  if (a.destination !== b.destination) return a.destination < b.destination;
  return a.origin < b.origin;
}

/**
 * The RANKING_DEPTH largest corridors of each year, kept in bounded heaps (the weakest at the
 * root) while the file streams: memory depends on the number of years, not on the file.
 */
class Ranking {
  private readonly heaps = new Map<number, Corridor[]>();
  add(c: Corridor): void {
    let heap = this.heaps.get(c.year);
    if (!heap) this.heaps.set(c.year, (heap = []));
    if (heap.length < RANKING_DEPTH) {
      heap.push(c);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!ranksBefore(heap[parent], heap[i])) break;
        [heap[parent], heap[i]] = [heap[i], heap[parent]];
        i = parent;
      }
      return;
    }
    if (!ranksBefore(c, heap[0])) return;
    heap[0] = c;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let weakest = i;
      if (l < heap.length && ranksBefore(heap[weakest], heap[l])) weakest = l;
      if (r < heap.length && ranksBefore(heap[weakest], heap[r])) weakest = r;
      if (weakest === i) break;
      [heap[weakest], heap[i]] = [heap[i], heap[weakest]];
      i = weakest;
    }
  }
  columns(): [number[], number[], number[], number[], (number | null)[], (number | null)[], (number | null)[]] {
    const out: [number[], number[], number[], number[], (number | null)[], (number | null)[], (number | null)[]] = [[], [], [], [], [], [], []];
    for (const [year, heap] of this.heaps) {
      const ordered = [...heap].sort((a, b) => (ranksBefore(a, b) ? -1 : 1));
      ordered.forEach((c, i) => {
        out[0].push(year);
        out[1].push(i + 1);
        out[2].push(c.destination);
        out[3].push(c.origin);
        out[4].push(c.male);
        out[5].push(c.female);
        out[6].push(c.male !== null && c.female !== null ? c.male + c.female : null);
      });
    }
    return out;
  }
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
}

async function streamStockFile(file: string, copy: Writable, opts: StockImportOptions): Promise<StreamResult> {
  const sink = new RejectSink(opts.skipInvalid ? opts.rejectsFile : undefined);
  const writer = new CopyWriter(copy);
  const keys = new KeySet();
  const sums = new CountrySums();
  const ranking = new Ranking();
  const corridorsByYear = new Map<number, number>();
  const years = opts.expect?.years ? new Set(opts.expect.years) : null;
  const progress = progressReporter(file, opts.onProgress);
  const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const row: StockRow = { destination: 0, origin: 0, year: 0, male: false, stock: 0, state: KeyState.First };
  let line = 0;
  let rows = 0;
  let splitCorridors = 0;
  let pending: Corridor | null = null;
  // After a bad row, a strict import only goes on validating: the transaction will not commit.
  const writing = () => sink.count === 0 || opts.skipInvalid === true;
  const emit = async (c: Corridor): Promise<void> => {
    if (splitCorridors === 0) ranking.add(c);
    if (writing()) await writer.write(`${c.year},${c.destination},${c.origin},${c.male ?? ''},${c.female ?? ''}\n`);
  };
  const take = async (raw: string): Promise<void> => {
    line += 1;
    if (line === 1) {
      const header = raw.replace(/^\uFEFF/, '').trim();
      if (header !== STOCK_HEADER) throw new ImportError(`${file} line 1: wrong column set: expected "${STOCK_HEADER}", got "${header}"; nothing was written`);
      return;
    }
    if (raw === '') return;
    const reason = checkStockLine(raw.split(','), keys, years, row);
    if (reason !== null) {
      await sink.add({ line, reason, text: raw });
      return;
    }
    rows += 1;
    sums.add(0, row.destination, row.year, row.male, row.stock);
    sums.add(1, row.origin, row.year, row.male, row.stock);
    if (row.state === KeyState.First) corridorsByYear.set(row.year, (corridorsByYear.get(row.year) ?? 0) + 1);
    // The file's two rows of a corridor usually follow each other: merge them into one.
    if (pending !== null && pending.year === row.year && pending.destination === row.destination && pending.origin === row.origin) {
      if (row.male) pending.male = row.stock;
      else pending.female = row.stock;
      await emit(pending);
      pending = null;
    } else {
      if (pending !== null) await emit(pending);
      if (row.state === KeyState.Second) splitCorridors += 1;
      pending = { year: row.year, destination: row.destination, origin: row.origin, male: row.male ? row.stock : null, female: row.male ? null : row.stock };
    }
    progress.tick(rows, input.bytesRead);
  };
  try {
    let rest = '';
    for await (const chunk of input) {
      const text = rest + (chunk as string);
      let from = 0;
      for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
        const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        await take(text.slice(from, end));
        from = nl + 1;
      }
      rest = text.slice(from);
    }
    if (rest !== '') await take(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
    if (line === 0) throw new ImportError(`${file} is empty: expected the header "${STOCK_HEADER}"; nothing was written`);
    if (pending !== null) await emit(pending);
  } catch (error) {
    input.destroy();
    copy.destroy(error as Error);
    await sink.close().catch(() => undefined);
    throw error;
  }
  await writer.end();
  await sink.close();
  progress.done(rows);
  return { rows, sink, sums, corridorsByYear, splitCorridors, ranking: splitCorridors === 0 ? ranking : null };
}
