import type { DataSource } from 'typeorm';
import { codeOfKey, countryKeys } from '../countryKey';
import type { Population } from '../import/displacement';

/** People of one UNHCR population type from an origin in a country of asylum in one year. */
export interface DisplacementRow {
  population: Population;
  year: number;
  originCode: string;
  asylumCode: string;
  value: number;
  midYear: boolean;
}

type Raw = { population: Population; year: number; origin_key: number; asylum_key: number; value: number; mid_year: boolean };

const COLUMNS = 'd.population, d.year, d.origin_key, d.asylum_key, d.value, d.mid_year';
// The order of every list: larger first, then the codes (the order of the ranked index).
const ORDER = 'd.value DESC, d.origin_key, d.asylum_key';

function toRow(r: Raw): DisplacementRow {
  return {
    population: r.population,
    year: Number(r.year),
    originCode: codeOfKey(Number(r.origin_key)),
    asylumCode: codeOfKey(Number(r.asylum_key)),
    value: Number(r.value),
    midYear: r.mid_year,
  };
}

export interface DisplacementQuery {
  population: Population;
  year: number;
  origins: string[] | null;
  asylums: string[] | null;
  /** Codes to leave out at either end (those that name no country), or null. */
  excluded: readonly string[] | null;
  limit: number;
  offset: number;
}

/**
 * One page of a year's corridors of one population type, largest first, and how many match in all:
 * the page walks the ranked index (population, year, value DESC) and stops at its last row; the
 * count reads the same index range.
 */
export async function findDisplacementCorridors(ds: DataSource, q: DisplacementQuery): Promise<[DisplacementRow[], number]> {
  const params: unknown[] = [q.population, q.year];
  const where = ['d.population = $1', 'd.year = $2'];
  if (q.origins) {
    params.push(countryKeys(q.origins));
    where.push(`d.origin_key = ANY($${params.length}::int2[])`);
  }
  if (q.asylums) {
    params.push(countryKeys(q.asylums));
    where.push(`d.asylum_key = ANY($${params.length}::int2[])`);
  }
  if (q.excluded) {
    params.push(countryKeys(q.excluded));
    where.push(`NOT (d.origin_key = ANY($${params.length}::int2[]) OR d.asylum_key = ANY($${params.length}::int2[]))`);
  }
  const [rows, counted] = await Promise.all([
    ds.query(
      `SELECT ${COLUMNS} FROM "data"."displacement" d WHERE ${where.join(' AND ')}
       ORDER BY ${ORDER} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.limit, q.offset],
    ) as Promise<Raw[]>,
    ds.query(`SELECT count(*)::int AS n FROM "data"."displacement" d WHERE ${where.join(' AND ')}`, params) as Promise<
      { n: number }[]
    >,
  ]);
  return [rows.map(toRow), Number(counted[0].n)];
}

/** Which end of a corridor a country's list is taken on: its hosted populations (asylum) or its own people abroad (origin). */
export type DisplacementSide = 'asylum' | 'origin';
const KEY: Record<DisplacementSide, string> = { asylum: 'asylum_key', origin: 'origin_key' };
const OTHER: Record<DisplacementSide, string> = { asylum: 'origin_key', origin: 'asylum_key' };

/** The `limit` largest corridors of each country in one year and population type, in one statement for all countries. */
export async function topDisplacement(
  ds: DataSource,
  side: DisplacementSide,
  population: Population,
  year: number,
  codes: readonly string[],
  limit: number,
  excluded: readonly string[] | null,
): Promise<DisplacementRow[]> {
  const rows: Raw[] = await ds.query(
    `SELECT c.population, c.year, c.origin_key, c.asylum_key, c.value, c.mid_year FROM (
       SELECT ${COLUMNS}, row_number() OVER (PARTITION BY d.${KEY[side]} ORDER BY d.value DESC, d.${OTHER[side]}) AS rank
       FROM "data"."displacement" d
       WHERE d.population = $1 AND d.year = $2 AND d.${KEY[side]} = ANY($3::int2[])
         AND ($5::int2[] IS NULL OR NOT d.${OTHER[side]} = ANY($5::int2[]))
     ) c
     WHERE c.rank <= $4
     ORDER BY c.${KEY[side]}, c.rank`,
    [population, year, countryKeys(codes), limit, excluded ? countryKeys(excluded) : null],
  );
  return rows.map(toRow);
}

/** One pair's figures per year (every population type, or one), oldest first. */
export async function displacementSeries(
  ds: DataSource,
  origin: string,
  asylum: string,
  population: Population | null,
  fromYear: number | null,
  toYear: number | null,
): Promise<DisplacementRow[]> {
  const rows: Raw[] = await ds.query(
    `SELECT ${COLUMNS} FROM "data"."displacement" d
     WHERE d.origin_key = $1 AND d.asylum_key = $2 AND ($3::text IS NULL OR d.population = $3)
       AND ($4::int IS NULL OR d.year >= $4) AND ($5::int IS NULL OR d.year <= $5)
     ORDER BY d.year, d.population`,
    [...countryKeys([origin, asylum]), population, fromYear, toYear],
  );
  return rows.map(toRow);
}
