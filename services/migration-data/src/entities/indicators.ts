import type { DataSource } from 'typeorm';
import type { IndicatorValueRow } from './analytics';
import { CODE_CHECKED_INDICATORS, MISSING_VALUE_CODES, leftOutNote, suspectedCodeSql } from '../missingValueCodes';

type Raw = {
  indicator_code: string;
  country_code: string;
  year: number;
  value: number;
  unit: string;
  source: string | null;
  confidence: string | null;
  version: number;
  internal_note: string | null;
};

const VALUE_COLUMNS =
  'v.indicator_code, v.country_code, v.year, v.value, v.unit, v.source, v.confidence, v.version, v.internal_note';

function toValue(r: Raw): IndicatorValueRow {
  return {
    indicatorCode: r.indicator_code,
    countryCode: String(r.country_code),
    year: Number(r.year),
    value: Number(r.value),
    unit: r.unit,
    source: r.source,
    confidence: r.confidence,
    version: Number(r.version),
    internalNote: r.internal_note,
  };
}

/**
 * The latest value of each indicator for each country (up to a year if given), in one statement:
 * the primary key (indicator, country, year) finds each one's last year directly. A pair without
 * a value is absent.
 */
export async function latestValues(
  ds: DataSource,
  indicators: readonly string[],
  codes: readonly string[],
  upToYear: number | null,
): Promise<IndicatorValueRow[]> {
  const rows: Raw[] = await ds.query(
    `SELECT ${VALUE_COLUMNS}
     FROM unnest($1::text[]) AS i(code) CROSS JOIN unnest($2::bpchar[]) AS c(code)
     CROSS JOIN LATERAL (
       SELECT ${VALUE_COLUMNS} FROM "data"."indicator_value" v
       WHERE v.indicator_code = i.code AND v.country_code = c.code AND v.deleted_at IS NULL AND ($3::int IS NULL OR v.year <= $3)
       ORDER BY v.year DESC LIMIT 1
     ) v`,
    [indicators, codes, upToYear],
  );
  return rows.map(toValue);
}

export interface IndicatorChangeRow {
  code: string;
  from: IndicatorValueRow;
  to: IndicatorValueRow;
  absolute: number;
  percent: number | null;
}

/**
 * Each country's value in two years and the change, largest increase first; a country lacking either
 * value is absent. A value that is a suspected missing-value code (isSuspectedMissingValueCode) is
 * not data: it counts as missing, so its country is absent too.
 */
export async function indicatorChange(
  ds: DataSource,
  indicator: string,
  codes: readonly string[],
  from: number,
  to: number,
): Promise<IndicatorChangeRow[]> {
  const rows: Raw[] = await ds.query(
    `SELECT ${VALUE_COLUMNS} FROM "data"."indicator_value" v
     WHERE v.indicator_code = $1 AND v.country_code = ANY($2::bpchar[]) AND v.year = ANY($3::int2[]) AND v.deleted_at IS NULL
       AND NOT ${suspectedCodeSql('v', 4, 5)}
     ORDER BY v.country_code, v.year`,
    [indicator, codes, [from, to], CODE_CHECKED_INDICATORS, MISSING_VALUE_CODES],
  );
  const byCountry = new Map<string, { from?: IndicatorValueRow; to?: IndicatorValueRow }>();
  for (const raw of rows) {
    const v = toValue(raw);
    const entry = byCountry.get(v.countryCode) ?? {};
    if (v.year === from) entry.from = v;
    if (v.year === to) entry.to = v;
    byCountry.set(v.countryCode, entry);
  }
  const out: IndicatorChangeRow[] = [];
  for (const [code, { from: a, to: b }] of byCountry) {
    if (!a || !b) continue;
    const absolute = b.value - a.value;
    out.push({ code, from: a, to: b, absolute, percent: a.value === 0 ? null : Math.round((absolute / a.value) * 1e4) / 1e2 });
  }
  return out.sort((x, y) => y.absolute - x.absolute || x.code.localeCompare(y.code));
}

export interface IndicatorAggregateRow {
  year: number;
  /** Null when no country of the set has data this year (every value it has was left out). */
  value: number | null;
  countriesWithData: number;
  countryCount: number;
  /** The values left out of the sum as suspected missing-value codes, by country. */
  leftOut: IndicatorValueRow[];
  notes: string | null;
}

/**
 * The sum over a set of countries per year, with how many countries had a value (the others are
 * missing, not zero). A value that is a suspected missing-value code (isSuspectedMissingValueCode) is
 * not data: it is left out of the sum, its country counts as without data, and the row lists it.
 */
export async function indicatorAggregate(
  ds: DataSource,
  indicator: string,
  codes: readonly string[],
  fromYear: number | null,
  toYear: number | null,
): Promise<IndicatorAggregateRow[]> {
  const rows: { year: number; value: number | null; n: number; left_out: Raw[] | null }[] = await ds.query(
    `SELECT v.year, sum(v.value) FILTER (WHERE NOT v.suspected) AS value, count(*) FILTER (WHERE NOT v.suspected)::int AS n,
       json_agg(v ORDER BY v.country_code) FILTER (WHERE v.suspected) AS left_out
     FROM (
       SELECT ${VALUE_COLUMNS}, ${suspectedCodeSql('v', 5, 6)} AS suspected FROM "data"."indicator_value" v
       WHERE v.indicator_code = $1 AND v.country_code = ANY($2::bpchar[]) AND v.deleted_at IS NULL
         AND ($3::int IS NULL OR v.year >= $3) AND ($4::int IS NULL OR v.year <= $4)
     ) v
     GROUP BY v.year ORDER BY v.year`,
    [indicator, codes, fromYear, toYear, CODE_CHECKED_INDICATORS, MISSING_VALUE_CODES],
  );
  return rows.map((r) => {
    const leftOut = (r.left_out ?? []).map(toValue);
    return {
      year: Number(r.year),
      value: r.value === null ? null : Number(r.value),
      countriesWithData: Number(r.n),
      countryCount: codes.length,
      leftOut,
      notes: leftOutNote(leftOut),
    };
  });
}
