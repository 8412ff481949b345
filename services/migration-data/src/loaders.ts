import { In, type DataSource } from 'typeorm';
import { argsLoader, groupLoader, partition, rowLoader } from '../../../shared/src/graphql/loaders';
import { type CacheScope, readCacheOf } from '../../../shared/src/data/readCache';
import { historyLoader } from '../../../shared/src/editing/audit';
import { registered } from '../../../shared/src/runtime/registry';
import { MigrationProfile, StockRevision } from './entities';
import { findIndicators, indicatorValuesByCountry, type IndicatorValueRow } from './entities/analytics';
import { type CorridorRow, type Side, stockByYear, type StockYear, topCorridors } from './entities/queries';
import { seriesLoaders } from './seriesLoaders';
import { findRoutes, type IncidentTotal, incidentTotalsByCountry, type RouteRow } from './entities/missingMigrants';

const SCHEMA = registered('migration-data').schema;

/** A country's yearly stock in one revision. */
export interface StockKey {
  code: string;
  revision: string;
}

/** A country's largest corridors in one revision and year. */
export interface TopKey {
  code: string;
  revision: string;
  year: number;
  limit: number;
  /** Codes left out at the other end (countriesOnly), or null. */
  excluded: readonly string[] | null;
}

/** One statement per revision for every country asked about, whatever their number. */
function stockLoader(ds: DataSource, side: Side, cache?: CacheScope<StockKey, StockYear[]>) {
  return argsLoader(async (keys: readonly StockKey[]): Promise<StockYear[][]> => {
    const byKey = new Map<string, StockYear[]>();
    for (const { value: revision, keys: group } of partition(keys, (k) => k.revision).values()) {
      const rows = await stockByYear(ds, side, revision, [...new Set(group.map((k) => k.code))]);
      for (const row of rows) {
        const id = `${revision}:${row.code}`;
        const list = byKey.get(id);
        if (list) list.push(row);
        else byKey.set(id, [row]);
      }
    }
    return keys.map((k) => byKey.get(`${k.revision}:${k.code}`) ?? []);
  }, cache);
}

/**
 * One statement per (revision, year) for every country asked about: it ranks with the largest
 * limit requested and each key keeps its own first `limit` corridors.
 */
function topLoader(ds: DataSource, side: Side, cache?: CacheScope<TopKey, CorridorRow[]>) {
  const codeOf = (c: CorridorRow) => (side === 'destination' ? c.destinationCode : c.originCode);
  return argsLoader(async (keys: readonly TopKey[]): Promise<CorridorRow[][]> => {
    const byKey = new Map<string, CorridorRow[]>();
    const groups = partition(keys, (k) => ({ revision: k.revision, year: k.year, excluded: k.excluded }));
    for (const [groupId, { value, keys: group }] of groups) {
      const limit = Math.max(...group.map((k) => k.limit));
      const codes = [...new Set(group.map((k) => k.code))];
      const rows = await topCorridors(ds, side, value.revision, value.year, codes, limit, value.excluded);
      for (const row of rows) {
        const id = `${groupId}:${codeOf(row)}`;
        const list = byKey.get(id);
        if (list) list.push(row);
        else byKey.set(id, [row]);
      }
    }
    return keys.map((k) => {
      const id = JSON.stringify({ revision: k.revision, year: k.year, excluded: k.excluded });
      return (byKey.get(`${id}:${k.code}`) ?? []).slice(0, k.limit);
    });
  }, cache);
}

/** One country's values of one indicator between two optional years. */
export interface IndicatorKey {
  code: string;
  indicator: string;
  fromYear: number | null;
  toYear: number | null;
}

/** One statement per (indicator, years) for every country asked about. */
function indicatorValuesLoader(ds: DataSource, cache?: CacheScope<IndicatorKey, IndicatorValueRow[]>) {
  return argsLoader(async (keys: readonly IndicatorKey[]): Promise<IndicatorValueRow[][]> => {
    const out: IndicatorValueRow[][] = new Array(keys.length);
    const groups = partition(
      keys.map((k, n) => ({ ...k, n })),
      (k) => ({ indicator: k.indicator, fromYear: k.fromYear, toYear: k.toYear }),
    );
    for (const { value, keys: group } of groups.values()) {
      const byCountry = await indicatorValuesByCountry(
        ds,
        value.indicator,
        [...new Set(group.map((k) => k.code))],
        value.fromYear,
        value.toYear,
      );
      for (const k of group) out[k.n] = byCountry.get(k.code) ?? [];
    }
    return out;
  }, cache);
}

/** A country's Missing Migrants Project records between two optional years. */
export interface MissingMigrantsKey {
  code: string;
  fromYear: number | null;
  toYear: number | null;
}

/** One statement per year range for every country asked about; a country without records has zero totals. */
function missingMigrantsLoader(ds: DataSource, cache?: CacheScope<MissingMigrantsKey, IncidentTotal>) {
  return argsLoader(async (keys: readonly MissingMigrantsKey[]): Promise<IncidentTotal[]> => {
    const out: IncidentTotal[] = new Array(keys.length);
    const groups = partition(
      keys.map((k, n) => ({ ...k, n })),
      (k) => ({ fromYear: k.fromYear, toYear: k.toYear }),
    );
    for (const { value, keys: group } of groups.values()) {
      const totals = await incidentTotalsByCountry(ds, [...new Set(group.map((k) => k.code))], value.fromYear, value.toYear);
      for (const k of group) {
        out[k.n] = totals.get(k.code) ?? {
          routeId: null,
          year: null,
          countryCode: k.code,
          cause: null,
          incidents: 0,
          deadAndMissing: 0,
          survivors: null,
        };
      }
    }
    return out;
  }, cache);
}

/** Per-request loaders: one SQL statement per kind of look-up, whatever the number of parents. */
export function createLoaders(ds: DataSource) {
  const cache = readCacheOf(ds);
  const profiles = ds.getRepository(MigrationProfile);
  const revisions = ds.getRepository(StockRevision);
  return {
    profile: rowLoader(
      (ids: readonly string[]) => profiles.findBy({ id: In([...ids]) }),
      (p) => p.id,
      cache?.scope('profile'),
    ),
    profilesByCountry: groupLoader(
      (codes: readonly string[]) =>
        profiles.find({ where: { countryCode: In([...codes]) }, order: { year: 'ASC', language: 'ASC' } }),
      (p) => p.countryCode,
      cache?.scope('profilesByCountry'),
    ),
    revision: rowLoader(
      (codes: readonly string[]) => revisions.findBy({ code: In([...codes]) }),
      (r) => r.code,
      cache?.scope('revision'),
    ),
    immigrantStock: stockLoader(ds, 'destination', cache?.scope('immigrantStock')),
    emigrantStock: stockLoader(ds, 'origin', cache?.scope('emigrantStock')),
    topOrigins: topLoader(ds, 'destination', cache?.scope('topOrigins')),
    topDestinations: topLoader(ds, 'origin', cache?.scope('topDestinations')),
    indicator: rowLoader(
      (codes: readonly string[]) => findIndicators(ds, codes),
      (i) => i.code,
      cache?.scope('indicator'),
    ),
    indicatorValues: indicatorValuesLoader(ds, cache?.scope('indicatorValues')),
    ...seriesLoaders(ds, cache),
    /** Every Missing Migrants Project route (a few dozen at most), read once per request. */
    migrationRoutes: argsLoader(async (keys: readonly { all: true }[]): Promise<RouteRow[][]> => {
      const routes = await findRoutes(ds);
      return keys.map(() => routes);
    }, cache?.scope('migrationRoutes')),
    missingMigrants: missingMigrantsLoader(ds, cache?.scope('missingMigrants')),
    /** Audit entries of records (admins only), by entity and key. */
    history: historyLoader(ds, SCHEMA),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
