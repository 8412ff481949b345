import fs from 'node:fs';
import readline from 'node:readline';
import type { Writable } from 'node:stream';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COUNTRIES, isKnownCountryCode } from '../../../../shared/src/countries';
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

/** Partition indexes, the same as the migration gives every partition (attach adopts them). */
const PARTITION_INDEXES = {
  pkey: '("revision", "destination_code", "year", "origin_code", "sex") INCLUDE ("stock")',
  origin: '("origin_code", "year") INCLUDE ("destination_code", "sex", "stock")',
  year: '("year", "destination_code") INCLUDE ("origin_code", "sex", "stock")',
};

/**
 * Flat-memory duplicate detection: one bit per possible (destination, origin, year, sex) key of a
 * revision, about 1 MB whatever the size of the file.
 */
class KeySet {
  private readonly index = new Map<string, number>();
  private readonly years: number;
  private readonly bits: Uint8Array;
  constructor() {
    [...COUNTRIES.keys()].sort().forEach((code, i) => this.index.set(code, i));
    this.years = maxYear() - MIN_YEAR + 1;
    const n = this.index.size;
    this.bits = new Uint8Array(Math.ceil((n * n * this.years * 2) / 8));
  }
  /** Adds the key; false when it was already there. */
  add(destination: string, origin: string, year: number, sex: string): boolean {
    const n = this.index.size;
    const key = ((this.index.get(destination)! * n + this.index.get(origin)!) * this.years + (year - MIN_YEAR)) * 2 + (sex === 'male' ? 1 : 0);
    const byte = key >> 3;
    const bit = 1 << (key & 7);
    if (this.bits[byte] & bit) return false;
    this.bits[byte] |= bit;
    return true;
  }
}

/** Why a data line of a stock file is invalid, or null when it is valid. `keys` records it when valid. */
export function checkStockLine(cells: string[], keys: KeySet, years: Set<number> | null): string | null {
  if (cells.length !== 5) return `expected 5 comma-separated cells, got ${cells.length}`;
  const [destination, origin, yearCell, sex, stockCell] = cells;
  if (!isKnownCountryCode(destination)) return `destination_iso3 "${destination}" is not a known country code`;
  if (!isKnownCountryCode(origin)) return `origin_iso3 "${origin}" is not a known country code`;
  if (destination === 'OOO') return 'OOO (unknown origin) cannot be a destination';
  if (!/^\d{4}$/.test(yearCell)) return `year "${yearCell}" is not a year`;
  const year = Number(yearCell);
  if (years ? !years.has(year) : year < MIN_YEAR || year > maxYear()) {
    return years
      ? `year ${year} is not one of the revision's years (${[...years].join(', ')})`
      : `year ${year} is out of range (${MIN_YEAR} to ${maxYear()})`;
  }
  if (sex !== 'male' && sex !== 'female') return `sex "${sex}" must be male or female (the source has no totals)`;
  if (/^-\d+(\.\d+)?$/.test(stockCell)) return `stock ${stockCell} is negative`;
  if (!/^\d{1,15}$/.test(stockCell)) return `stock "${stockCell}" is not a whole number`;
  if (!keys.add(destination, origin, year, sex)) return `duplicate row for ${destination} from ${origin} in ${year} (${sex})`;
  return null;
}

export { KeySet };

const partitionName = (revision: string) => `migrant_stock_${revision}`;

/**
 * Loads a UN DESA-style bilateral migrant-stock CSV as one revision, in one transaction:
 * validated row by row while it streams through COPY (FREEZE) into a fresh table, indexed, then
 * swapped in for the revision's old partition. Readers see the old revision until the commit; a
 * failure or a killed process leaves it untouched. The same file a second time changes nothing.
 */
export async function importStock(client: ClientBase, file: string, opts: StockImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const revision = opts.revision;
  if (!REVISION_NAME.test(revision)) {
    throw new ImportError(`revision "${revision}" must be 1 to 30 lower-case letters, digits or underscores`);
  }
  const sha256 = await sha256File(file);
  const final = partitionName(revision);
  const load = `${final}_load`;
  const suffix = Date.now().toString(36);
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL statement_timeout = 0');
    await lockTarget(client, `import:stock:${revision}`, opts);
    const done = await client.query(
      `SELECT l.sha256 FROM "data"."import_log" l WHERE l.kind = 'stock' AND l.target = $1 AND to_regclass($2) IS NOT NULL`,
      [revision, `"data"."${final}"`],
    );
    if (done.rows.length > 0 && done.rows[0].sha256 === sha256) {
      await client.query('ROLLBACK');
      return { kind: 'stock', target: revision, changed: false, rows: 0, rejected: 0, rejects: [], sha256, ms: Date.now() - started };
    }

    await client.query(`CREATE TABLE "data"."${load}" (LIKE "data"."migrant_stock" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await client.query(`ALTER TABLE "data"."${load}" ALTER COLUMN "revision" SET DEFAULT '${revision}',
      ADD CONSTRAINT "${load}_revision" CHECK ("revision" = '${revision}')`);
    const copy = client.query(copyFrom(
      `COPY "data"."${load}" ("destination_code", "origin_code", "year", "sex", "stock") FROM STDIN WITH (FORMAT csv, FREEZE true)`,
    ));
    // A failed row stream destroys the COPY; its error is the server's echo of ours: ignore it here.
    copy.on('error', () => undefined);
    const { rows, sink, sums } = await streamStockFile(file, copy, opts);

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

    await client.query(`ALTER TABLE "data"."${load}" ADD CONSTRAINT "${final}_pkey_${suffix}" PRIMARY KEY ${PARTITION_INDEXES.pkey}`);
    await client.query(`CREATE INDEX "${final}_origin_${suffix}" ON "data"."${load}" ${PARTITION_INDEXES.origin}`);
    await client.query(`CREATE INDEX "${final}_year_${suffix}" ON "data"."${load}" ${PARTITION_INDEXES.year}`);
    await client.query(`ANALYZE "data"."${load}"`);

    const m = opts.meta ?? {};
    await client.query(
      `INSERT INTO "data"."stock_revision" ("code", "title", "citation", "source_url", "published", "years", "row_count", "sha256", "notes", "source", "confidence")
       VALUES ($1, coalesce($2, 'Migrant stock revision ' || $1), coalesce($3, 'Imported from ' || $10), $4, $5, '{}', $6, $7, $8, $9, coalesce($11, 'unverified'))
       ON CONFLICT ("code") DO UPDATE SET
         "title" = coalesce($2, "stock_revision"."title"), "citation" = coalesce($3, "stock_revision"."citation"),
         "source_url" = CASE WHEN $12 THEN $4 ELSE "stock_revision"."source_url" END,
         "published" = CASE WHEN $13 THEN $5 ELSE "stock_revision"."published" END,
         "notes" = CASE WHEN $14 THEN $8 ELSE "stock_revision"."notes" END,
         "source" = CASE WHEN $15 THEN $9 ELSE "stock_revision"."source" END,
         "confidence" = coalesce($11, "stock_revision"."confidence"),
         "row_count" = $6, "sha256" = $7, "loaded_at" = now()`,
      [
        revision, m.title ?? null, m.citation ?? null, m.sourceUrl ?? null, m.published ?? null, rows, sha256, m.notes ?? null,
        m.source ?? null, file.split(/[\\/]/).pop(), m.confidence ?? null,
        'sourceUrl' in m, 'published' in m, 'notes' in m, 'source' in m,
      ],
    );
    await client.query(`DELETE FROM "data"."stock_country_year" WHERE "revision" = $1`, [revision]);
    await client.query(
      `INSERT INTO "data"."stock_country_year" ("revision", "side", "code", "year", "male", "female")
       SELECT $1, * FROM unnest($2::text[], $3::bpchar[], $4::int2[], $5::int8[], $6::int8[])`,
      [revision, ...sums.columns()],
    );
    const years: number[] = (await client.query(
      `SELECT DISTINCT year FROM "data"."stock_country_year" WHERE revision = $1 AND side = 'destination' ORDER BY year`,
      [revision],
    )).rows.map((r: { year: number }) => Number(r.year));
    const missing = (opts.expect?.years ?? []).filter((y) => !years.includes(y));
    if (missing.length > 0) throw new ImportError(`${file}: no rows for the years ${missing.join(', ')}; nothing was written`);
    await client.query(`UPDATE "data"."stock_revision" SET "years" = $2 WHERE "code" = $1`, [revision, years]);

    // The swap: from here to COMMIT, readers of this revision wait a moment, then see the new rows.
    const old = await client.query('SELECT to_regclass($1) AS t', [`"data"."${final}"`]);
    if (old.rows[0].t !== null) {
      await client.query(`ALTER TABLE "data"."migrant_stock" DETACH PARTITION "data"."${final}"`);
      await client.query(`DROP TABLE "data"."${final}"`);
    }
    await client.query(`ALTER TABLE "data"."${load}" RENAME TO "${final}"`);
    await client.query(`ALTER TABLE "data"."migrant_stock" ATTACH PARTITION "data"."${final}" FOR VALUES IN ('${revision}')`);
    await client.query(
      `INSERT INTO "data"."import_log" ("kind", "target", "sha256", "rows", "rejected") VALUES ('stock', $1, $2, $3, $4)
       ON CONFLICT ("kind", "target") DO UPDATE SET "sha256" = $2, "rows" = $3, "rejected" = $4, "imported_at" = now()`,
      [revision, sha256, rows, sink.count],
    );
    await client.query('COMMIT');
    return { kind: 'stock', target: revision, changed: true, rows, rejected: sink.count, rejects: sink.first, sha256, ms: Date.now() - started };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Per-country yearly sums by side and sex, kept while the file streams: a few thousand entries
 * whatever the number of rows, and no second pass over the table.
 */
class CountrySums {
  private readonly sums = new Map<string, { male: number | null; female: number | null }>();
  add(side: 'destination' | 'origin', code: string, year: string, sex: string, stock: number): void {
    const key = `${side},${code},${year}`;
    let entry = this.sums.get(key);
    if (!entry) this.sums.set(key, (entry = { male: null, female: null }));
    if (sex === 'male') entry.male = (entry.male ?? 0) + stock;
    else entry.female = (entry.female ?? 0) + stock;
  }
  columns(): [string[], string[], number[], (number | null)[], (number | null)[]] {
    const out: [string[], string[], number[], (number | null)[], (number | null)[]] = [[], [], [], [], []];
    for (const [key, v] of this.sums) {
      const [side, code, year] = key.split(',');
      out[0].push(side);
      out[1].push(code);
      out[2].push(Number(year));
      out[3].push(v.male);
      out[4].push(v.female);
    }
    return out;
  }
}

async function streamStockFile(file: string, copy: Writable, opts: StockImportOptions) {
  const sink = new RejectSink(opts.skipInvalid ? opts.rejectsFile : undefined);
  const writer = new CopyWriter(copy);
  const keys = new KeySet();
  const sums = new CountrySums();
  const years = opts.expect?.years ? new Set(opts.expect.years) : null;
  const progress = progressReporter(file, opts.onProgress);
  const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  let rows = 0;
  try {
    for await (const raw of lines) {
      line += 1;
      if (line === 1) {
        const header = raw.replace(/^\uFEFF/, '').trim();
        if (header !== STOCK_HEADER) throw new ImportError(`${file} line 1: wrong column set: expected "${STOCK_HEADER}", got "${header}"; nothing was written`);
        continue;
      }
      if (raw === '') continue;
      const cells = raw.split(',');
      const reason = checkStockLine(cells, keys, years);
      if (reason !== null) {
        await sink.add({ line, reason, text: raw });
        continue;
      }
      rows += 1;
      const stock = Number(cells[4]);
      sums.add('destination', cells[0], cells[2], cells[3], stock);
      sums.add('origin', cells[1], cells[2], cells[3], stock);
      // After a bad row, a strict import only goes on validating: the transaction will not commit.
      if (sink.count === 0 || opts.skipInvalid) await writer.write(`${cells[0]},${cells[1]},${cells[2]},${cells[3]},${cells[4]}\n`);
      progress.tick(rows, input.bytesRead);
    }
    if (line === 0) throw new ImportError(`${file} is empty: expected the header "${STOCK_HEADER}"; nothing was written`);
  } catch (error) {
    lines.close();
    input.destroy();
    copy.destroy(error as Error);
    await sink.close().catch(() => undefined);
    throw error;
  }
  await writer.end();
  await sink.close();
  progress.done(rows);
  return { rows, sink, sums };
}
