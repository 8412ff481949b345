import type { DataSource } from 'typeorm';
import { MigrationProfile, StockRevision } from '.';
import { codeOfKey, countryKeys } from '../countryKey';
import { RANKING_DEPTH } from '../import/stock';

/** Which side of a corridor a country-level figure is taken on. */
export type Side = 'destination' | 'origin';

/** One country's stock in one year: male and female are sums of source rows, total is derived. */
export interface StockYear {
  code: string;
  revision: string;
  year: number;
  male: number;
  female: number;
  total: number;
}

/** One origin-destination corridor in one year. A sex with no source row is null (insufficient data). */
export interface CorridorRow {
  revision: string;
  destinationCode: string;
  originCode: string;
  year: number;
  male: number | null;
  female: number | null;
  total: number | null;
}

type Raw = Record<string, string | number | null>;
const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

function toCorridor(revision: string, year: number, r: Raw): CorridorRow {
  return {
    revision,
    destinationCode: codeOfKey(Number(r.destination_key)),
    originCode: codeOfKey(Number(r.origin_key)),
    year,
    male: num(r.male),
    female: num(r.female),
    total: num(r.total),
  };
}

const KEY_COLUMN: Record<Side, string> = { destination: 'destination_key', origin: 'origin_key' };
const OTHER_KEY: Record<Side, string> = { destination: 'origin_key', origin: 'destination_key' };
// The order of every corridor list: larger total first (unknown totals last), then the codes.
const CORRIDOR_ORDER = 's.total DESC NULLS LAST, s.destination_key, s.origin_key';

/**
 * Yearly stock of many countries at once (one statement): immigrants (side = destination, every
 * origin including OOO) or emigrants (side = origin, every destination). Read from the per-country
 * sums the import keeps, so the cost does not grow with the bilateral table.
 */
export async function stockByYear(ds: DataSource, side: Side, revision: string, codes: readonly string[]): Promise<StockYear[]> {
  const rows: Raw[] = await ds.query(
    `SELECT s.code, s.year, s.male, s.female
     FROM "data"."stock_country_year" s
     WHERE s.revision = $1 AND s.side = $2 AND s.code = ANY($3::bpchar[])
     ORDER BY s.code, s.year`,
    [revision, side, codes],
  );
  return rows.map((r) => toStockYear(String(r.code), revision, r));
}

function toStockYear(code: string, revision: string, r: Raw): StockYear {
  const male = num(r.male) ?? 0;
  const female = num(r.female) ?? 0;
  return { code, revision, year: Number(r.year), male, female, total: male + female };
}

/** Yearly stock of the whole world (every destination, every origin) in a revision. */
export async function worldStockByYear(ds: DataSource, revision: string): Promise<StockYear[]> {
  const rows: Raw[] = await ds.query(
    `SELECT s.year, sum(s.male) AS male, sum(s.female) AS female FROM "data"."stock_country_year" s
     WHERE s.revision = $1 AND s.side = 'destination' GROUP BY s.year ORDER BY s.year`,
    [revision],
  );
  return rows.map((r) => toStockYear('WLD', revision, r));
}

/**
 * The `limit` largest corridors of each country in one year, in one statement for all countries:
 * its origins (side = destination) or its destinations (side = origin), ranked by total with a
 * window function; ties break on the other country's code.
 */
export async function topCorridors(
  ds: DataSource,
  side: Side,
  revision: string,
  year: number,
  codes: readonly string[],
  limit: number,
  excluded: readonly string[] | null = null,
): Promise<CorridorRow[]> {
  const col = KEY_COLUMN[side];
  const rows: Raw[] = await ds.query(
    `SELECT c.destination_key, c.origin_key, c.male, c.female, c.total FROM (
       SELECT s.destination_key, s.origin_key, s.male, s.female, s.total,
         row_number() OVER (PARTITION BY s.${col} ORDER BY s.total DESC NULLS LAST, s.${OTHER_KEY[side]}) AS rank
       FROM "data"."stock_corridor" s
       WHERE s.revision = $1 AND s.year = $2 AND s.${col} = ANY($3::int2[])
         AND ($5::int2[] IS NULL OR NOT s.${OTHER_KEY[side]} = ANY($5::int2[]))
     ) c
     WHERE c.rank <= $4
     ORDER BY c.${col}, c.rank`,
    [revision, year, countryKeys(codes), limit, excluded ? countryKeys(excluded) : null],
  );
  return rows.map((r) => toCorridor(revision, year, r));
}

export interface CorridorQuery {
  revision: string;
  year: number;
  origins: string[] | null;
  destinations: string[] | null;
  /** Codes to leave out at either end (those that name no country), or null. */
  excluded?: readonly string[] | null;
  limit: number;
  offset: number;
}

/**
 * One page of corridors of a year, largest total first, and how many match in all. World-wide
 * (no origin or destination filter), the count is one row of stock_year and the first
 * RANKING_DEPTH places are a slice of the year's stock_ranking row; deeper pages sort the year's corridors.
 * Filtered, the index on (year, destination, origin) finds the matching corridors.
 */
export async function findCorridors(ds: DataSource, q: CorridorQuery): Promise<[CorridorRow[], number]> {
  if (!q.origins && !q.destinations && !q.excluded) return findWorldCorridors(ds, q);
  const params: unknown[] = [q.revision, q.year];
  const where = ['s.revision = $1', 's.year = $2'];
  if (q.origins) {
    params.push(countryKeys(q.origins));
    where.push(`s.origin_key = ANY($${params.length}::int2[])`);
  }
  if (q.destinations) {
    params.push(countryKeys(q.destinations));
    where.push(`s.destination_key = ANY($${params.length}::int2[])`);
  }
  if (q.excluded) {
    params.push(countryKeys(q.excluded));
    where.push(`NOT (s.origin_key = ANY($${params.length}::int2[]) OR s.destination_key = ANY($${params.length}::int2[]))`);
  }
  params.push(q.limit, q.offset);
  const rows: Raw[] = await ds.query(
    `SELECT s.destination_key, s.origin_key, s.male, s.female, s.total, count(*) OVER () AS total_count
     FROM "data"."stock_corridor" s
     WHERE ${where.join(' AND ')}
     ORDER BY ${CORRIDOR_ORDER}
     LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  // count(*) OVER () is computed before LIMIT/OFFSET, so any row carries the full count.
  if (rows.length > 0) return [rows.map((r) => toCorridor(q.revision, q.year, r)), Number(rows[0].total_count)];
  if (q.offset === 0) return [[], 0];
  const counted: { n: string }[] = await ds.query(
    `SELECT count(*) AS n FROM "data"."stock_corridor" s WHERE ${where.join(' AND ')}`,
    params.slice(0, params.length - 2),
  );
  return [[], Number(counted[0].n)];
}

async function findWorldCorridors(ds: DataSource, q: CorridorQuery): Promise<[CorridorRow[], number]> {
  const [counted]: { corridors: number }[] = await ds.query(
    `SELECT y.corridors FROM "data"."stock_year" y WHERE y.revision = $1 AND y.year = $2`,
    [q.revision, q.year],
  );
  const total = counted ? Number(counted.corridors) : 0;
  if (q.offset >= total) return [[], total];
  const rows: Raw[] =
    q.offset + q.limit <= RANKING_DEPTH || total <= RANKING_DEPTH
      ? await ds.query(
          `SELECT r.destination_key, r.origin_key, r.male, r.female, r.male + r.female AS total
       FROM "data"."stock_ranking" s,
         unnest(s.destination_keys[$3 + 1 : $3 + $4], s.origin_keys[$3 + 1 : $3 + $4], s.male[$3 + 1 : $3 + $4], s.female[$3 + 1 : $3 + $4])
           WITH ORDINALITY AS r(destination_key, origin_key, male, female, n)
       WHERE s.revision = $1 AND s.year = $2 ORDER BY r.n`,
          [q.revision, q.year, q.offset, q.limit],
        )
      : await ds.query(
          `SELECT s.destination_key, s.origin_key, s.male, s.female, s.total FROM "data"."stock_corridor" s
       WHERE s.revision = $1 AND s.year = $2 ORDER BY ${CORRIDOR_ORDER} LIMIT $3 OFFSET $4`,
          [q.revision, q.year, q.limit, q.offset],
        );
  return [rows.map((r) => toCorridor(q.revision, q.year, r)), total];
}

/** One page of migration profiles (every country's, or one country's) and the total, ordered by country and edition year. */
export function findProfiles(
  ds: DataSource,
  q: { countryCode?: string; limit: number; offset: number },
): Promise<[MigrationProfile[], number]> {
  return ds.getRepository(MigrationProfile).findAndCount({
    where: q.countryCode ? { countryCode: q.countryCode } : {},
    order: { countryCode: 'ASC', year: 'ASC', language: 'ASC', id: 'ASC' },
    skip: q.offset,
    take: q.limit,
  });
}

/** The loaded migrant-stock revisions, newest first. */
export function findRevisions(ds: DataSource): Promise<StockRevision[]> {
  return ds.getRepository(StockRevision).find({ order: { code: 'DESC' } });
}
