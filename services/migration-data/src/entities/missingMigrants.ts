import type { DataSource } from 'typeorm';

/** One record of IOM's Missing Migrants Project, as stored. */
export interface IncidentRow {
  id: string;
  /** At the precision the source gives: YYYY, YYYY-MM or YYYY-MM-DD. */
  date: string;
  year: number;
  recordType: string;
  routeId: number;
  routeName: string;
  countryCode: string;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  deadAndMissing: number;
  /** As published: five records are negative, which the graph serves as unknown. */
  survivors: number | null;
  causes: string[];
  originCodes: string[];
}

/** A box in decimal degrees; west > east crosses the antimeridian. */
export interface BoundingBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Which records a list, a total or a map takes; null is no restriction. */
export interface IncidentFilter {
  routeIds: number[] | null;
  countries: string[] | null;
  fromYear: number | null;
  toYear: number | null;
  bbox: BoundingBox | null;
  cause: string | null;
}

/** What totals are grouped by. */
export type IncidentDimension = 'route' | 'year' | 'country' | 'cause';

/** Records, dead and missing, and survivors of one group (fields of the dimensions not grouped by are null). */
export interface IncidentTotal {
  routeId: number | null;
  year: number | null;
  countryCode: string | null;
  cause: string | null;
  incidents: number;
  deadAndMissing: number;
  /** The sum over records that give a number (a negative one is unknown); null when none does. */
  survivors: number | null;
}

export interface RouteRow {
  id: number;
  name: string;
  incidents: number;
  deadAndMissing: number;
  aliases: { alias: string; notes: string; confidence: string }[];
}

type RawIncident = {
  id: string;
  date: string;
  year: number;
  record_type: string;
  route_id: number;
  route_name: string;
  country_code: string;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  dead_and_missing: number;
  survivors: number | null;
  causes: string[];
  origin_codes: string[];
};

const COLUMNS = `i.id, i.date, i.year, i.record_type, i.route_id, r.name AS route_name, i.country_code, i.location, i.latitude,
  i.longitude, i.dead_and_missing, i.survivors, i.causes, i.origin_codes`;
const FROM = `"data"."missing_migrant_incident" i JOIN "data"."migration_route" r ON r.id = i.route_id`;

function toIncident(r: RawIncident): IncidentRow {
  return {
    id: r.id,
    date: r.date,
    year: Number(r.year),
    recordType: r.record_type,
    routeId: Number(r.route_id),
    routeName: r.route_name,
    countryCode: r.country_code,
    location: r.location,
    latitude: r.latitude,
    longitude: r.longitude,
    deadAndMissing: Number(r.dead_and_missing),
    survivors: r.survivors,
    causes: r.causes,
    originCodes: r.origin_codes,
  };
}

const INCIDENTS = `"data"."missing_migrant_incident" i`;
/** The records summed by route, year, country and causes (see the MissingMigrantsTotals migration). */
const TOTALS = `"data"."missing_migrant_total" i`;

/**
 * The WHERE clause of a filter, its parameters numbered after `params`, on the records or, for a
 * filter without a bounding box, on their sums (`totals`), which have the same route, country,
 * year and causes columns.
 */
function whereOf(f: IncidentFilter, params: unknown[], on: 'records' | 'totals' = 'records'): string {
  const where: string[] = ['true'];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (f.routeIds) where.push(`i.route_id = ANY(${add(f.routeIds)}::int2[])`);
  if (f.countries) where.push(`i.country_code = ANY(${add(f.countries)}::text[])`);
  if (on === 'totals') {
    if (f.bbox) throw new Error('the sums have no coordinates: a bounding box is checked on the records');
    if (f.fromYear !== null) where.push(`i.year >= ${add(f.fromYear)}::int`);
    if (f.toYear !== null) where.push(`i.year <= ${add(f.toYear)}::int`);
  } else {
    // Years as a range of first days, which the date index serves (a record's first day is in its year).
    if (f.fromYear !== null) where.push(`i.first_day >= make_date(${add(f.fromYear)}::int, 1, 1)`);
    if (f.toYear !== null) where.push(`i.first_day < make_date(${add(f.toYear)}::int + 1, 1, 1)`);
  }
  if (f.cause !== null) where.push(`${add(f.cause)} = ANY(i.causes)`);
  if (f.bbox) {
    const b = f.bbox;
    const [south, north] = [add(b.south), add(b.north)];
    // The box of points narrows the rows through the place index (its containment test allows a
    // millionth of a degree more); the exact test on latitude and longitude decides.
    const box = (west: string, east: string) =>
      `point(i.longitude, i.latitude) <@ box(point(${west}::float8, ${south}::float8), point(${east}::float8, ${north}::float8))`;
    where.push('i.latitude IS NOT NULL');
    where.push(`i.latitude BETWEEN ${south} AND ${north}`);
    if (b.west <= b.east) {
      const [west, east] = [add(b.west), add(b.east)];
      where.push(box(west, east));
      where.push(`i.longitude BETWEEN ${west} AND ${east}`);
    } else {
      const [west, east] = [add(b.west), add(b.east)];
      where.push(`(${box(west, '180')} OR ${box('-180', east)})`);
      where.push(`(i.longitude >= ${west} OR i.longitude <= ${east})`);
    }
  }
  return where.join(' AND ');
}

/**
 * How many records match, and how many of them have coordinates: summed from the totals, or
 * counted on the records when the filter has a bounding box.
 */
async function countOf(ds: DataSource, f: IncidentFilter, located: boolean): Promise<number> {
  const params: unknown[] = [];
  const rows: { n: number }[] = f.bbox
    ? await ds.query(
        `SELECT count(*)::int AS n FROM ${INCIDENTS} WHERE ${whereOf(f, params)}${located ? ' AND i.latitude IS NOT NULL' : ''}`,
        params,
      )
    : await ds.query(
        `SELECT coalesce(sum(i.${located ? 'located' : 'incidents'}), 0)::int AS n FROM ${TOTALS} WHERE ${whereOf(f, params, 'totals')}`,
        params,
      );
  return Number(rows[0].n);
}

/** One page of records, newest first (then by id), and how many match in all. */
export async function findIncidents(
  ds: DataSource,
  f: IncidentFilter,
  limit: number,
  offset: number,
): Promise<[IncidentRow[], number]> {
  const params: unknown[] = [];
  const where = whereOf(f, params);
  // The page is taken from the records alone (in the date index's order), then joined to its routes.
  const [rows, counted] = await Promise.all([
    ds.query(
      `SELECT ${COLUMNS} FROM (
         SELECT * FROM ${INCIDENTS} WHERE ${where} ORDER BY i.first_day DESC, i.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}
       ) i JOIN "data"."migration_route" r ON r.id = i.route_id
       ORDER BY i.first_day DESC, i.id`,
      [...params, limit, offset],
    ) as Promise<RawIncident[]>,
    countOf(ds, f, false),
  ]);
  return [rows.map(toIncident), counted];
}

/** Records by id, in no particular order. */
export async function incidentsById(ds: DataSource, ids: readonly string[]): Promise<IncidentRow[]> {
  const rows: RawIncident[] = await ds.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE i.id = ANY($1::text[])`, [ids]);
  return rows.map(toIncident);
}

/**
 * The records with coordinates, largest first (then newest, then id), at most `limit`, and how many
 * match in all: a map drawn from a capped list shows the largest records.
 */
export async function incidentPoints(ds: DataSource, f: IncidentFilter, limit: number): Promise<[IncidentRow[], number]> {
  const params: unknown[] = [];
  const where = `${whereOf(f, params)} AND i.latitude IS NOT NULL`;
  // The largest records from the records alone (in the order of the index of located records), then joined to their routes.
  const [rows, counted] = await Promise.all([
    ds.query(
      `SELECT ${COLUMNS} FROM (
         SELECT * FROM ${INCIDENTS} WHERE ${where} ORDER BY i.dead_and_missing DESC, i.first_day DESC, i.id LIMIT $${params.length + 1}
       ) i JOIN "data"."migration_route" r ON r.id = i.route_id
       ORDER BY i.dead_and_missing DESC, i.first_day DESC, i.id`,
      [...params, limit],
    ) as Promise<RawIncident[]>,
    countOf(ds, f, true),
  ]);
  return [rows.map(toIncident), counted];
}

const GROUP_COLUMN: Record<IncidentDimension, string> = {
  route: 'i.route_id',
  year: 'i.year',
  country: 'i.country_code',
  cause: 'c.cause',
};

/**
 * Totals grouped by the dimensions, largest dead and missing first, at most `limit` groups. By
 * cause, a record with several causes counts under each of them. Summed from the totals table
 * unless the filter has a bounding box.
 */
export async function incidentTotals(
  ds: DataSource,
  f: IncidentFilter,
  by: readonly IncidentDimension[],
  limit: number,
): Promise<IncidentTotal[]> {
  const params: unknown[] = [];
  // Without a bounding box, the sums by route, year, country and causes add up to the same totals.
  const summed = f.bbox === null;
  const where = whereOf(f, params, summed ? 'totals' : 'records');
  const dims = [...new Set(by)];
  const select = (Object.keys(GROUP_COLUMN) as IncidentDimension[])
    .map((d) => `${dims.includes(d) ? GROUP_COLUMN[d] : 'NULL'} AS ${d}`)
    .join(', ');
  const group = dims.map((d) => GROUP_COLUMN[d]);
  const rows: {
    route: number | null;
    year: number | null;
    country: string | null;
    cause: string | null;
    incidents: number;
    dead_and_missing: number;
    survivors: number | null;
  }[] = await ds.query(
    `SELECT ${select}, ${
      summed
        ? 'coalesce(sum(i.incidents), 0)::int AS incidents, sum(i.dead_and_missing)::int AS dead_and_missing, sum(i.survivors)::int AS survivors'
        : 'count(*)::int AS incidents, sum(i.dead_and_missing)::int AS dead_and_missing, sum(i.survivors) FILTER (WHERE i.survivors >= 0)::int AS survivors'
    }
     FROM ${summed ? TOTALS : INCIDENTS} ${dims.includes('cause') ? 'CROSS JOIN LATERAL unnest(i.causes) AS c(cause)' : ''}
     WHERE ${where}
     ${group.length > 0 ? `GROUP BY ${group.join(', ')}` : ''}
     ORDER BY dead_and_missing DESC NULLS LAST${group.length > 0 ? `, ${group.join(', ')}` : ''}
     LIMIT $${params.length + 1}`,
    [...params, limit],
  );
  return rows
    .filter((r) => r.incidents > 0)
    .map((r) => ({
      routeId: r.route === null ? null : Number(r.route),
      year: r.year === null ? null : Number(r.year),
      countryCode: r.country,
      cause: r.cause,
      incidents: Number(r.incidents),
      deadAndMissing: Number(r.dead_and_missing),
      survivors: r.survivors === null ? null : Number(r.survivors),
    }));
}

/** Every route with its totals and other names, by name. */
export async function findRoutes(ds: DataSource): Promise<RouteRow[]> {
  const rows: {
    id: number;
    name: string;
    incidents: number;
    dead_and_missing: number;
    aliases: { alias: string; notes: string; confidence: string }[];
  }[] = await ds.query(
    `SELECT r.id, r.name, r.incidents, r.dead_and_missing,
       coalesce((SELECT json_agg(json_build_object('alias', a.alias, 'notes', a.notes, 'confidence', a.confidence) ORDER BY a.alias)
         FROM "data"."migration_route_alias" a WHERE a.route_id = r.id), '[]') AS aliases
     FROM "data"."migration_route" r ORDER BY r.name`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    incidents: Number(r.incidents),
    deadAndMissing: Number(r.dead_and_missing),
    aliases: r.aliases,
  }));
}

/** For each country asked about, its records between two optional years (one statement for all). */
export async function incidentTotalsByCountry(
  ds: DataSource,
  codes: readonly string[],
  fromYear: number | null,
  toYear: number | null,
): Promise<Map<string, IncidentTotal>> {
  const totals = await incidentTotals(
    ds,
    { routeIds: null, countries: [...codes], fromYear, toYear, bbox: null, cause: null },
    ['country'],
    codes.length,
  );
  return new Map(totals.map((t) => [t.countryCode ?? '', t]));
}
