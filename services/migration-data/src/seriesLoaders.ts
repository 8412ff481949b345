import type { DataSource } from 'typeorm';
import { argsLoader, partition } from '../../../shared/src/graphql/loaders';
import type { CacheScope, ReadCache } from '../../../shared/src/data/readCache';
import type { IndicatorValueRow } from './entities/analytics';
import { type DisplacementRow, type DisplacementSide, topDisplacement } from './entities/displacement';
import { latestValues } from './entities/indicators';
import type { Population } from './import/displacement';

/** A country's latest value of one indicator, up to a year. */
export interface LatestKey {
  code: string;
  indicator: string;
  upToYear: number | null;
}

/** One statement per `upToYear` for every indicator and country asked about (a dossier's fields are one statement). */
function latestValueLoader(ds: DataSource, cache?: CacheScope<LatestKey, IndicatorValueRow | null>) {
  return argsLoader(async (keys: readonly LatestKey[]): Promise<(IndicatorValueRow | null)[]> => {
    const found = new Map<string, IndicatorValueRow>();
    for (const { value: upToYear, keys: group } of partition(keys, (k) => k.upToYear).values()) {
      const rows = await latestValues(
        ds,
        [...new Set(group.map((k) => k.indicator))],
        [...new Set(group.map((k) => k.code))],
        upToYear,
      );
      for (const r of rows) found.set(JSON.stringify([r.indicatorCode, r.countryCode, upToYear]), r);
    }
    return keys.map((k) => found.get(JSON.stringify([k.indicator, k.code, k.upToYear])) ?? null);
  }, cache);
}

/** A country's largest displacement corridors of one year and population type. */
export interface DisplacementTopKey {
  code: string;
  population: Population;
  year: number;
  limit: number;
  excluded: readonly string[] | null;
}

/** One statement per (population, year, exclusion) for every country asked about, ranked with the largest limit requested. */
function displacementTopLoader(
  ds: DataSource,
  side: DisplacementSide,
  cache?: CacheScope<DisplacementTopKey, DisplacementRow[]>,
) {
  const codeOf = (r: DisplacementRow) => (side === 'asylum' ? r.asylumCode : r.originCode);
  return argsLoader(async (keys: readonly DisplacementTopKey[]): Promise<DisplacementRow[][]> => {
    const byKey = new Map<string, DisplacementRow[]>();
    const groups = partition(keys, (k) => ({ population: k.population, year: k.year, excluded: k.excluded }));
    for (const [id, { value, keys: group }] of groups) {
      const limit = Math.max(...group.map((k) => k.limit));
      const codes = [...new Set(group.map((k) => k.code))];
      const rows = await topDisplacement(ds, side, value.population, value.year, codes, limit, value.excluded);
      for (const row of rows) {
        const list = byKey.get(`${id}:${codeOf(row)}`);
        if (list) list.push(row);
        else byKey.set(`${id}:${codeOf(row)}`, [row]);
      }
    }
    return keys.map((k) => {
      const id = JSON.stringify({ population: k.population, year: k.year, excluded: k.excluded });
      return (byKey.get(`${id}:${k.code}`) ?? []).slice(0, k.limit);
    });
  }, cache);
}

/** The loaders of the indicator look-ups and displacement corridors, part of each request's loaders. */
export function seriesLoaders(ds: DataSource, cache: ReadCache | undefined) {
  return {
    latestValue: latestValueLoader(ds, cache?.scope('latestValue')),
    displacementOrigins: displacementTopLoader(ds, 'asylum', cache?.scope('displacementOrigins')),
    displacementDestinations: displacementTopLoader(ds, 'origin', cache?.scope('displacementDestinations')),
  };
}
