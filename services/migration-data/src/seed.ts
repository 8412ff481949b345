import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { DataSource, EntityManager } from 'typeorm';
import { isKnownCountryCode } from '../../../shared/src/countries';
import { blankToNull, readCsv } from '../../../shared/src/csv';
import { isConfidence } from '../../../shared/src/provenance';
import { isPartialDate } from '../../../shared/src/scalars';
import { checksumFiles, type SeedResult, seedOnce, splitList } from '../../../shared/src/seed';
import { MigrationProfile, StockRevision } from './entities';
import { SCHEMA } from './dataSource';

const SEED_DIR = path.resolve(__dirname, '..', 'seed');
const file = (name: string) => path.join(SEED_DIR, name);
const PROFILES = file('migration-profiles.csv');
const REVISIONS = file('stock-revisions.csv');

const STOCK_HEADER = 'destination_iso3,origin_iso3,year,sex,stock';
/** Rows per INSERT: large enough to load a revision in a few dozen statements. */
const BATCH_SIZE = 5000;
const LANGUAGES: Record<string, string> = { English: 'en', French: 'fr' };

/** A seed file row that cannot be loaded: the whole seed set fails and writes nothing. */
function invalid(fileName: string, line: number, problem: string): Error {
  return new Error(`${path.basename(fileName)} line ${line}: ${problem}`);
}

function intCell(value: string | undefined, fileName: string, line: number, field: string): number | null {
  const cell = blankToNull(value);
  if (cell === null) return null;
  if (!/^\d{1,9}$/.test(cell)) throw invalid(fileName, line, `${field} "${cell}" is not a whole number`);
  return Number(cell);
}

function knownCode(code: string, fileName: string, line: number, field: string): string {
  if (!isKnownCountryCode(code)) throw invalid(fileName, line, `${field} "${code}" is not a known country code`);
  return code;
}

function confidenceCell(value: string, fileName: string, line: number): string {
  if (!isConfidence(value)) throw invalid(fileName, line, `confidence "${value}" is not seen, derived or unverified`);
  return value;
}

/** The IOM country migration profiles. Id: country and edition year, such as SEN-2018. */
async function seedProfiles(ds: DataSource): Promise<SeedResult> {
  return seedOnce(ds, SCHEMA, 'reference-data', [PROFILES], async (m) => {
    const profiles = readCsv(PROFILES).map((r, i) => {
      const line = i + 2;
      const countryCode = knownCode(r.iso3, PROFILES, line, 'iso3');
      const year = intCell(r.year, PROFILES, line, 'year');
      if (year === null) throw invalid(PROFILES, line, 'year is empty');
      const language = LANGUAGES[r.language];
      if (!language) throw invalid(PROFILES, line, `language "${r.language}" is neither English nor French`);
      return {
        id: `${countryCode}-${year}`, countryCode, title: r.title, year, language, isbn: blankToNull(r.isbn),
        pages: intCell(r.pages, PROFILES, line, 'pages'), publisher: blankToNull(r.publisher), url: blankToNull(r.url),
        notes: blankToNull(r.notes), source: blankToNull(r.source), confidence: confidenceCell(r.confidence, PROFILES, line),
      };
    });
    await m.createQueryBuilder().insert().into(MigrationProfile).values(profiles)
      .orUpdate(['country_code', 'title', 'year', 'language', 'isbn', 'pages', 'publisher', 'url', 'notes', 'source', 'confidence'], ['id'])
      .execute();
    return profiles.length;
  });
}

/** A row of stock-revisions.csv: what to cite and what the revision's file must hold. */
export interface RevisionRow {
  code: string;
  title: string;
  citation: string;
  sourceUrl: string | null;
  published: string | null;
  file: string;
  rows: number;
  years: number[];
  notes: string | null;
  source: string | null;
  confidence: string;
}

export function readRevisions(): RevisionRow[] {
  return readCsv(REVISIONS).map((r, i) => {
    const line = i + 2;
    const published = blankToNull(r.published);
    if (published !== null && !isPartialDate(published)) throw invalid(REVISIONS, line, `published "${published}" is not a date`);
    const rows = intCell(r.rows, REVISIONS, line, 'rows');
    if (rows === null) throw invalid(REVISIONS, line, 'rows is empty');
    return {
      code: r.code, title: r.title, citation: r.citation, sourceUrl: blankToNull(r.source_url), published,
      file: file(r.file), rows, years: splitList(r.years).map((y) => Number(y)),
      notes: blankToNull(r.notes), source: blankToNull(r.source), confidence: confidenceCell(r.confidence, REVISIONS, line),
    };
  });
}

class StockBatch {
  destinations: string[] = [];
  origins: string[] = [];
  years: number[] = [];
  sexes: string[] = [];
  stocks: number[] = [];
  get size(): number {
    return this.stocks.length;
  }
}

async function insertBatch(m: EntityManager, revision: string, b: StockBatch): Promise<void> {
  await m.query(
    `INSERT INTO "data"."migrant_stock" ("revision", "destination_code", "origin_code", "year", "sex", "stock")
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int2[], $5::text[], $6::int8[])`,
    [revision, b.destinations, b.origins, b.years, b.sexes, b.stocks],
  );
}

/**
 * Streams one revision's CSV into migrant_stock in batches, validating every row (known codes, a
 * year of the revision, male or female, a non-negative whole number, no duplicate key). Replaces
 * the revision's rows, so a changed file never leaves stale ones behind.
 */
export async function loadStock(m: EntityManager, rev: RevisionRow): Promise<number> {
  const name = rev.file;
  const declaredYears = new Set(rev.years);
  await m.createQueryBuilder().insert().into(StockRevision)
    .values({
      code: rev.code, title: rev.title, citation: rev.citation, sourceUrl: rev.sourceUrl, published: rev.published,
      years: rev.years, rowCount: 0, sha256: checksumFiles([rev.file]), notes: rev.notes, source: rev.source, confidence: rev.confidence,
    })
    .orUpdate(['title', 'citation', 'source_url', 'published', 'years', 'row_count', 'sha256', 'notes', 'source', 'confidence'], ['code'])
    .execute();
  await m.query(`DELETE FROM "data"."migrant_stock" WHERE "revision" = $1`, [rev.code]);

  const seen = new Set<string>();
  const yearsSeen = new Set<number>();
  let batch = new StockBatch();
  let count = 0;
  let line = 0;
  const lines = readline.createInterface({ input: fs.createReadStream(name, 'utf8'), crlfDelay: Infinity });
  for await (const raw of lines) {
    line += 1;
    if (line === 1) {
      if (raw.replace(/^\uFEFF/, '') !== STOCK_HEADER) throw invalid(name, line, `header must be "${STOCK_HEADER}"`);
      continue;
    }
    const cells = raw.split(',');
    if (cells.length !== 5) throw invalid(name, line, `expected 5 comma-separated cells, got ${cells.length}`);
    const [destination, origin, yearCell, sex, stockCell] = cells;
    knownCode(destination, name, line, 'destination_iso3');
    knownCode(origin, name, line, 'origin_iso3');
    if (destination === 'OOO') throw invalid(name, line, 'OOO (unknown origin) cannot be a destination');
    const year = Number(yearCell);
    if (!/^\d{4}$/.test(yearCell) || !declaredYears.has(year)) {
      throw invalid(name, line, `year "${yearCell}" is not one of the revision's years (${rev.years.join(', ')})`);
    }
    if (sex !== 'male' && sex !== 'female') throw invalid(name, line, `sex "${sex}" must be male or female (the source has no totals)`);
    if (!/^\d{1,15}$/.test(stockCell)) throw invalid(name, line, `stock "${stockCell}" is not a non-negative whole number`);
    const key = `${destination}${origin}${yearCell}${sex}`;
    if (seen.has(key)) throw invalid(name, line, `duplicate row for ${destination} from ${origin} in ${yearCell} (${sex})`);
    seen.add(key);
    yearsSeen.add(year);
    batch.destinations.push(destination);
    batch.origins.push(origin);
    batch.years.push(year);
    batch.sexes.push(sex);
    batch.stocks.push(Number(stockCell));
    count += 1;
    if (batch.size >= BATCH_SIZE) {
      await insertBatch(m, rev.code, batch);
      batch = new StockBatch();
    }
  }
  if (batch.size > 0) await insertBatch(m, rev.code, batch);
  if (count !== rev.rows) throw new Error(`${path.basename(name)}: expected ${rev.rows} rows, read ${count}`);
  const missing = rev.years.filter((y) => !yearsSeen.has(y));
  if (missing.length > 0) throw new Error(`${path.basename(name)}: no rows for the years ${missing.join(', ')}`);
  await m.query(`UPDATE "data"."stock_revision" SET "row_count" = $2, "loaded_at" = now() WHERE "code" = $1`, [rev.code, count]);
  // Fresh planner statistics, so the first aggregate queries do not plan for an empty table.
  await m.query(`ANALYZE "data"."migrant_stock"`);
  return count;
}

/**
 * Loads the reference data of this domain once (see seed/README.md for origin and licence): the
 * migration profiles, then each migrant-stock revision as its own seed set.
 */
export async function seed(ds: DataSource): Promise<SeedResult[]> {
  const results = [await seedProfiles(ds)];
  for (const rev of readRevisions()) {
    results.push(await seedOnce(ds, SCHEMA, `migrant-stock-${rev.code}`, [rev.file, REVISIONS], (m) => loadStock(m, rev)));
  }
  return results;
}
