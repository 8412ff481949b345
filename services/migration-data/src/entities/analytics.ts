import type { DataSource } from 'typeorm';
import { countryKeys } from '../countryKey';
import type { Side } from './queries';

/** Sums by sex: total is male + female, female share is derived. */
export interface Totals {
  male: number;
  female: number;
  total: number;
  femaleShare: number | null;
}

export interface RegionalFigure {
  year: number;
  revision: string;
  countryCount: number;
  immigrants: Totals;
  emigrants: Totals;
  withinSet: Totals;
}

export interface ChangeRow {
  code: string;
  side: Side;
  revision: string;
  from: Totals & { year: number };
  to: Totals & { year: number };
  absolute: number;
  percent: number | null;
  femaleShareChange: number | null;
}

export interface IndicatorRow {
  code: string;
  name: string;
  unit: string;
  definition: string;
  allowNegative: boolean;
  source: string;
  sourceUrl: string | null;
  confidence: string;
  licence: string | null;
  /** Whether values of different countries add up (a regional aggregate is answered only then). */
  additive: boolean;
}

export interface IndicatorValueRow {
  indicatorCode: string;
  countryCode: string;
  year: number;
  value: number;
  unit: string;
  /** Null (with confidence) when the value's provenance is its indicator's. */
  source: string | null;
  confidence: string | null;
  version: number;
  internalNote: string | null;
}

type Raw = Record<string, string | number | boolean | null>;

export function totals(male: unknown, female: unknown): Totals {
  const m = male == null ? 0 : Number(male);
  const f = female == null ? 0 : Number(female);
  const total = m + f;
  return { male: m, female: f, total, femaleShare: total === 0 ? null : Math.round((f / total) * 1e4) / 1e4 };
}

/**
 * Sums over a set of countries per year, in one statement: the members' immigrant and emigrant
 * stock (from the per-country sums) and the corridors with both ends in the set (from the
 * corridors of those years: one index lookup per year and member destination, so that no server
 * version is tempted into scanning the revision, as PostgreSQL 15 did with three ANY conditions).
 */
export async function regionalStock(
  ds: DataSource,
  revision: string,
  codes: string[],
  years: number[],
): Promise<RegionalFigure[]> {
  const rows: Raw[] = await ds.query(
    `SELECT s.year, s.side AS part, sum(s.male) AS male, sum(s.female) AS female
     FROM "data"."stock_country_year" s
     WHERE s.revision = $1 AND s.code = ANY($2::bpchar[]) AND s.year = ANY($3::int2[])
     GROUP BY s.year, s.side
     UNION ALL
     SELECT y.year, 'within', sum(w.male), sum(w.female)
     FROM unnest($3::int2[]) AS y(year)
     CROSS JOIN unnest($4::int2[]) AS d(key)
     CROSS JOIN LATERAL (
       SELECT sum(m.male) AS male, sum(m.female) AS female FROM "data"."stock_corridor" m
       WHERE m.revision = $1 AND m.year = y.year AND m.destination_key = d.key AND m.origin_key = ANY($4::int2[])
     ) w
     GROUP BY y.year`,
    [revision, codes, years, countryKeys(codes)],
  );
  const empty = totals(0, 0);
  return years.map((year) => {
    const part = (name: string) => {
      const r = rows.find((x) => Number(x.year) === year && x.part === name);
      return r ? totals(r.male, r.female) : empty;
    };
    return {
      year,
      revision,
      countryCount: codes.length,
      immigrants: part('destination'),
      emigrants: part('origin'),
      withinSet: part('within'),
    };
  });
}

/** Each country's figure in two years and the change, computed in SQL, largest increase first. */
export async function stockChange(
  ds: DataSource,
  revision: string,
  side: Side,
  codes: string[],
  from: number,
  to: number,
): Promise<ChangeRow[]> {
  const rows: Raw[] = await ds.query(
    `SELECT c.code, f.male AS from_male, f.female AS from_female, t.male AS to_male, t.female AS to_female,
       coalesce(t.male + t.female, 0) - coalesce(f.male + f.female, 0) AS absolute,
       round(100.0 * (coalesce(t.male + t.female, 0) - coalesce(f.male + f.female, 0)) / nullif(f.male + f.female, 0), 2) AS percent
     FROM unnest($3::bpchar[]) AS c(code)
     LEFT JOIN "data"."stock_country_year" f ON f.revision = $1 AND f.side = $2 AND f.code = c.code AND f.year = $4
     LEFT JOIN "data"."stock_country_year" t ON t.revision = $1 AND t.side = $2 AND t.code = c.code AND t.year = $5
     WHERE f.code IS NOT NULL OR t.code IS NOT NULL
     ORDER BY absolute DESC, c.code`,
    [revision, side, codes, from, to],
  );
  return rows.map((r) => {
    const a = totals(r.from_male, r.from_female);
    const b = totals(r.to_male, r.to_female);
    return {
      code: String(r.code),
      side,
      revision,
      from: { ...a, year: from },
      to: { ...b, year: to },
      absolute: Number(r.absolute),
      percent: r.percent === null ? null : Number(r.percent),
      femaleShareChange:
        a.femaleShare === null || b.femaleShare === null ? null : Math.round((b.femaleShare - a.femaleShare) * 1e4) / 1e2,
    };
  });
}

const INDICATOR_COLUMNS = `code, name, unit, definition, allow_negative AS "allowNegative", source, source_url AS "sourceUrl", confidence,
  licence, additive`;

export function findIndicators(ds: DataSource, codes?: readonly string[]): Promise<IndicatorRow[]> {
  return codes
    ? ds.query(`SELECT ${INDICATOR_COLUMNS} FROM "data"."indicator" WHERE code = ANY($1::text[]) ORDER BY code`, [codes])
    : ds.query(`SELECT ${INDICATOR_COLUMNS} FROM "data"."indicator" ORDER BY code`);
}

/**
 * Values of one indicator for many countries (one statement): each country's values, oldest first,
 * by country code; a country without values is absent.
 *
 * PostgreSQL hands back one row per country, each column's values as one JSON array: a series of 60
 * countries over 35 years is 60 rows rather than 2,100, parsed natively by JSON.parse instead of
 * field by field by the driver (which took about a quarter of the service's CPU time for such a
 * series, and half of its garbage collection). The arrays of one row are aggregated together, so
 * their elements line up; they come in the sorted subquery's order, which PostgreSQL does not
 * promise (an ORDER BY in each aggregate would sort seven times), so a country's values are sorted
 * here when they are not already in year order. JSON keeps each value as the driver gave it: float8
 * as its shortest exact text (NaN and Infinity as strings, which Number() reads back the same),
 * text escaped losslessly.
 */
export async function indicatorValuesByCountry(
  ds: DataSource,
  indicator: string,
  codes: readonly string[],
  fromYear: number | null,
  toYear: number | null,
): Promise<Map<string, IndicatorValueRow[]>> {
  const rows: { country_code: string; columns: string }[] = await ds.query(
    `SELECT v.country_code,
            '[' || json_agg(v.year) || ',' || json_agg(v.value) || ',' || json_agg(v.unit) || ',' || json_agg(v.source) || ','
              || json_agg(v.confidence) || ',' || json_agg(v.version) || ',' || json_agg(v.internal_note) || ']' AS columns
     FROM (
       SELECT v.country_code, v.year, v.value, v.unit, v.source, v.confidence, v.version, v.internal_note
       FROM "data"."indicator_value" v
       WHERE v.indicator_code = $1 AND v.country_code = ANY($2::bpchar[]) AND v.deleted_at IS NULL
         AND ($3::int IS NULL OR v.year >= $3) AND ($4::int IS NULL OR v.year <= $4)
       ORDER BY v.country_code, v.year
     ) v
     GROUP BY v.country_code`,
    [indicator, codes, fromYear, toYear],
  );
  const byCountry = new Map<string, IndicatorValueRow[]>();
  for (const row of rows) {
    const countryCode = String(row.country_code);
    const [years, values, units, sources, confidences, versions, notes] = JSON.parse(row.columns) as [
      number[],
      (number | string)[],
      string[],
      (string | null)[],
      (string | null)[],
      number[],
      (string | null)[],
    ];
    const list: IndicatorValueRow[] = new Array(years.length);
    let ordered = true;
    for (let n = 0; n < years.length; n += 1) {
      list[n] = {
        indicatorCode: indicator,
        countryCode,
        year: Number(years[n]),
        value: Number(values[n]),
        unit: String(units[n]),
        source: sources[n],
        confidence: confidences[n],
        version: Number(versions[n]),
        internalNote: notes[n] === null ? null : String(notes[n]),
      };
      if (n > 0 && list[n - 1].year > list[n].year) ordered = false;
    }
    if (!ordered) list.sort((a, b) => a.year - b.year);
    byCountry.set(countryCode, list);
  }
  return byCountry;
}
