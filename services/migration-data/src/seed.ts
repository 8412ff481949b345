import path from 'node:path';
import type { ClientBase } from 'pg';
import type { DataSource } from 'typeorm';
import { isKnownCountryCode } from '../../../shared/src/reference/countries';
import { blankToNull, readCsv } from '../../../shared/src/io/csv';
import { isConfidence } from '../../../shared/src/reference/provenance';
import { isPartialDate } from '../../../shared/src/graphql/scalars';
import { checksumFiles, type SeedResult, seedOnce, splitList } from '../../../shared/src/data/seed';
import { MigrationProfile } from './entities';
import {
  importCatalogue,
  importDisplacement,
  importIndicatorSeries,
  importMissingMigrants,
  type ImportOptions,
  type ImportResult,
  importStock,
  withClient,
} from './import';
import { registered } from '../../../shared/src/runtime/registry';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';

const SCHEMA = registered('migration-data').schema;

const SEED_DIR = path.join(PROJECT_ROOT, 'services', 'migration-data', 'seed');
const file = (name: string) => path.join(SEED_DIR, name);
const PROFILES = file('migration-profiles.csv');
const REVISIONS = file('stock-revisions.csv');
/** The indicator catalogue, its values and UNHCR's origin × asylum table (see seed/indicators/README.md). */
const INDICATOR_CATALOGUE = file('indicators/catalogue.csv');
const INDICATOR_VALUES = file('indicators/values.csv');
const DISPLACEMENT = file('indicators/unhcr-bilateral.csv');
/** IOM's Missing Migrants Project records, and other names of its routes (see seed/missing-migrants/README.md). */
export const MISSING_MIGRANTS = file('missing-migrants/incidents.csv');
const ROUTE_ALIASES = file('missing-migrants/route-aliases.csv');

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
        id: `${countryCode}-${year}`,
        countryCode,
        title: r.title,
        year,
        language,
        isbn: blankToNull(r.isbn),
        pages: intCell(r.pages, PROFILES, line, 'pages'),
        publisher: blankToNull(r.publisher),
        url: blankToNull(r.url),
        notes: blankToNull(r.notes),
        source: blankToNull(r.source),
        confidence: confidenceCell(r.confidence, PROFILES, line),
      };
    });
    await m.upsert(MigrationProfile, profiles, ['id']);
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
      code: r.code,
      title: r.title,
      citation: r.citation,
      sourceUrl: blankToNull(r.source_url),
      published,
      file: file(r.file),
      rows,
      years: splitList(r.years).map((y) => Number(y)),
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: confidenceCell(r.confidence, REVISIONS, line),
    };
  });
}

/**
 * Loads a published revision through the import (the one loading path): its years and row count
 * must be those of stock-revisions.csv, and its citation comes from there. Unchanged file, no write.
 */
export function importRevision(client: ClientBase, rev: RevisionRow, opts: ImportOptions = {}): Promise<ImportResult> {
  return importStock(client, rev.file, {
    ...opts,
    revision: rev.code,
    meta: {
      title: rev.title,
      citation: rev.citation,
      sourceUrl: rev.sourceUrl,
      published: rev.published,
      notes: rev.notes,
      source: rev.source,
      confidence: rev.confidence,
    },
    expect: { years: rev.years, rows: rev.rows },
  });
}

/**
 * Loads the reference data of this domain once (see seed/README.md for origin and licence): the
 * migration profiles, each migrant-stock revision as its own seed set, the indicators and the
 * Missing Migrants records. Three chains run at once, each on its own connection and each set in
 * its own transaction: sets that depend on one another, or lock the same tables, share a chain (the
 * revisions both attach partitions of the stock tables, whose key points at stock_revision; the
 * indicator values need the catalogue; the route aliases need the records' routes).
 */
export async function seed(ds: DataSource): Promise<SeedResult[]> {
  // Every chain ends (its transaction committed or rolled back) before a failure is reported.
  const chains = await Promise.allSettled([seedStock(ds), withClient(ds, seedIndicators), seedMissingMigrants(ds)]);
  const failed = chains.find((c) => c.status === 'rejected');
  if (failed) throw failed.reason;
  return chains.flatMap((c) => (c.status === 'fulfilled' ? c.value : []));
}

async function seedStock(ds: DataSource): Promise<SeedResult[]> {
  const results = [await seedProfiles(ds)];
  for (const rev of readRevisions()) {
    const r = await withClient(ds, (client) => importRevision(client, rev));
    results.push({ name: `migrant-stock-${rev.code}`, applied: r.changed, rows: r.changed ? r.rows : 0 });
  }
  return results;
}

async function seedMissingMigrants(ds: DataSource): Promise<SeedResult[]> {
  const missing = await withClient(ds, (client) => importMissingMigrants(client, MISSING_MIGRANTS));
  return [
    { name: 'missing-migrants', applied: missing.changed, rows: missing.changed ? missing.rows : 0 },
    await seedRouteAliases(ds),
  ];
}

/**
 * The indicator catalogue, its values and the forced-displacement corridors, through the import
 * (the one loading path), each once: a file whose checksum the import log holds is not read again.
 */
async function seedIndicators(client: ClientBase): Promise<SeedResult[]> {
  const catalogue = await seedCatalogue(client);
  const values = await importIndicatorSeries(client, INDICATOR_VALUES, { once: true });
  const displacement = await importDisplacement(client, DISPLACEMENT);
  return [
    catalogue,
    { name: 'indicator-values', applied: values.changed, rows: values.changed ? values.rows : 0 },
    { name: 'displacement', applied: displacement.changed, rows: displacement.changed ? displacement.rows : 0 },
  ];
}

/** The catalogue: 46 rows, upserted only when its checksum differs from the one recorded at its last seed. */
async function seedCatalogue(client: ClientBase): Promise<SeedResult> {
  const sha256 = checksumFiles([INDICATOR_CATALOGUE]);
  const done = await client.query(
    `SELECT 1 FROM "data"."import_log" WHERE kind = 'catalogue' AND target = 'seed' AND sha256 = $1`,
    [sha256],
  );
  if (done.rows.length > 0) return { name: 'indicator-catalogue', applied: false, rows: 0 };
  const r = await importCatalogue(client, INDICATOR_CATALOGUE);
  await client.query(
    `INSERT INTO "data"."import_log" ("kind", "target", "sha256", "rows", "rejected") VALUES ('catalogue', 'seed', $1, $2, 0)
     ON CONFLICT ("kind", "target") DO UPDATE SET "sha256" = $1, "rows" = $2, "imported_at" = now()`,
    [sha256, r.rows],
  );
  return { name: 'indicator-catalogue', applied: true, rows: r.rows };
}

/** Other names of MMP's routes (this project's own list): each names a route the records hold, or the seed fails. */
async function seedRouteAliases(ds: DataSource): Promise<SeedResult> {
  return seedOnce(ds, SCHEMA, 'route-aliases', [ROUTE_ALIASES], async (m) => {
    const rows = readCsv(ROUTE_ALIASES);
    for (const [i, r] of rows.entries()) {
      const line = i + 2;
      const notes = blankToNull(r.notes);
      if (notes === null) throw invalid(ROUTE_ALIASES, line, 'notes are empty: an alias says why it points to its route');
      const written: unknown[] = await m.query(
        `INSERT INTO "data"."migration_route_alias" ("alias", "route_id", "notes", "confidence")
         SELECT $1, "id", $3, $4 FROM "data"."migration_route" WHERE "name" = $2
         ON CONFLICT ("alias") DO UPDATE SET "route_id" = EXCLUDED."route_id", "notes" = EXCLUDED."notes", "confidence" = EXCLUDED."confidence"
         RETURNING 1`,
        [r.alias, r.route, notes, confidenceCell(r.confidence, ROUTE_ALIASES, line)],
      );
      if (written.length === 0)
        throw invalid(ROUTE_ALIASES, line, `route "${r.route}" is not a route of the missing-migrants records`);
    }
    return rows.length;
  });
}
