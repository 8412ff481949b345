import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { readCsv } from '../../shared/src/io/csv';

// Expected indicator values, displacement corridors and national migration policies, computed from
// the seed CSVs with the rules the schema documents, never read back from the graph.

const INDICATORS = path.join(PROJECT_ROOT, 'services', 'migration-data', 'seed', 'indicators');

/** The indicator each Country series field reads, as the schema's descriptions name it. */
export const SERIES_FIELDS = {
  population: 'WPP_POPULATION',
  refugeesHosted: 'UNHCR_REFUGEES_BY_ASYLUM',
  asylumSeekersHosted: 'UNHCR_ASYLUM_SEEKERS_BY_ASYLUM',
  refugeesOriginating: 'UNHCR_REFUGEES_BY_ORIGIN',
  internallyDisplaced: 'UNHCR_IDPS',
  conflictIdps: 'IDMC_IDP_STOCK_CONFLICT',
  disasterIdps: 'IDMC_IDP_STOCK_DISASTER',
  netMigration: 'WB_NET_MIGRATION',
  remittancesReceived: 'WB_REMITTANCES_RECEIVED_USD',
  remittancesShareOfGdp: 'WB_REMITTANCES_RECEIVED_PCT_GDP',
} as const;
export type SeriesField = keyof typeof SERIES_FIELDS;

let values: Map<string, { year: number; value: number }[]> | undefined;
/** values.csv by indicator and country, oldest year first. */
function indicatorValues() {
  if (values) return values;
  values = new Map();
  for (const r of readCsv(path.join(INDICATORS, 'values.csv'))) {
    const key = `${r.indicator} ${r.iso3}`;
    const list = values.get(key) ?? [];
    list.push({ year: Number(r.year), value: Number(r.value) });
    values.set(key, list);
  }
  for (const list of values.values()) list.sort((a, b) => a.year - b.year);
  return values;
}

/** A country's latest value of an indicator up to a year (inclusive), with its year; null when the file has none. */
export function latestValue(indicator: string, iso3: string, upToYear?: number): { year: number; value: number } | null {
  const list = (indicatorValues().get(`${indicator} ${iso3}`) ?? []).filter((v) => upToYear === undefined || v.year <= upToYear);
  return list.at(-1) ?? null;
}

let catalogue: Map<string, string> | undefined;
/** The catalogue's confidence of an indicator, as the graph's enum spells it. */
function catalogueConfidence(indicator: string): string {
  catalogue ??= new Map(readCsv(path.join(INDICATORS, 'catalogue.csv')).map((r) => [r.code, r.confidence.toUpperCase()]));
  const confidence = catalogue.get(indicator);
  if (confidence === undefined) throw new Error(`catalogue.csv has no ${indicator}`);
  return confidence;
}

/**
 * A value's confidence: its indicator's, except for a net-migration value equal to a common
 * missing-value code (the data's checks flag +/-999 and +/-9999 there), which is unverified.
 */
export function valueConfidence(indicator: string, value: number): string {
  return indicator === 'WB_NET_MIGRATION' && [-9999, -999, 999, 9999].includes(value)
    ? 'UNVERIFIED'
    : catalogueConfidence(indicator);
}

type LatestFigure = { year: number; value?: number; provenance?: { confidence: string } };

/** The latest value of each series field for a country, as `{ year value }` (or only `{ year }`, or with its confidence). */
export function latestSeries<F extends SeriesField>(
  fields: readonly F[],
  iso3: string,
  options: { upToYear?: number; yearOnly?: boolean; confidence?: boolean } = {},
): Record<F, LatestFigure | null> {
  const out = {} as Record<F, LatestFigure | null>;
  for (const f of fields) {
    const v = latestValue(SERIES_FIELDS[f], iso3, options.upToYear);
    out[f] =
      v === null
        ? null
        : options.yearOnly
          ? { year: v.year }
          : options.confidence
            ? { ...v, provenance: { confidence: valueConfidence(SERIES_FIELDS[f], v.value) } }
            : v;
  }
  return out;
}

const POPULATION_COLUMNS = {
  REFUGEES: 'refugees',
  ASYLUM_SEEKERS: 'asylum_seekers',
  REFUGEE_RETURNS: 'refugee_returns',
  IDPS: 'idps',
  IDP_RETURNS: 'idp_returns',
  STATELESS: 'stateless',
  OTHERS_OF_CONCERN: 'others_of_concern',
} as const;
export type Population = keyof typeof POPULATION_COLUMNS;

/** The codes of the UNHCR data that name a group of people, not a place (the data README's Codes section). */
export const NOT_PLACES = ['OOO', 'STL', 'TIB'];

let bilateral: Record<string, string>[] | undefined;
const bilateralRows = () => (bilateral ??= readCsv(path.join(INDICATORS, 'unhcr-bilateral.csv')));

export interface ExpectedCorridor {
  origin: string;
  asylum: string;
  value: number;
  midYear: boolean;
}

/**
 * The `limit` largest corridors of one year and population type hosted in `asylum` (side 'asylum',
 * by origin) or from `origin` (side 'origin', by country of asylum), largest first, then by the code
 * at the other end; an empty cell is no corridor.
 */
export function topCorridors(
  side: 'asylum' | 'origin',
  code: string,
  year: number,
  population: Population,
  limit: number,
  countriesOnly: boolean,
): ExpectedCorridor[] {
  const column = POPULATION_COLUMNS[population];
  const other = side === 'asylum' ? 'origin_iso3' : 'asylum_iso3';
  return bilateralRows()
    .filter((r) => Number(r.year) === year && r[`${side}_iso3`] === code && r[column] !== '')
    .filter((r) => !countriesOnly || !NOT_PLACES.includes(r[other]))
    .map((r) => ({
      origin: r.origin_iso3,
      asylum: r.asylum_iso3,
      value: Number(r[column]),
      midYear: r.reference_period === 'mid-year',
    }))
    .sort(
      (a, b) =>
        b.value - a.value || (a[side === 'asylum' ? 'origin' : 'asylum'] < b[side === 'asylum' ? 'origin' : 'asylum'] ? -1 : 1),
    )
    .slice(0, limit);
}

const policies = readCsv(path.join(PROJECT_ROOT, 'services', 'legal-instruments', 'seed', 'national-migration-policies.csv'));
const KIND_CODES: Record<string, string> = {
  'national migration policy': 'NMP',
  'labour migration policy': 'LMP',
  'diaspora policy': 'DP',
  'migration strategy': 'NMS',
};
const enumOf = (value: string) => value.toUpperCase().replace(/ /g, '_');

export interface ExpectedPolicy {
  id: string;
  country: string;
  title: string;
  kind: string;
  status: string;
  year: number | null;
  supportedBy: string[];
}

/** The national migration policies of the seed file, ordered by country, kind (as stored, in words), year (undated last) and id. */
export function expectedPolicies(filter: (p: ExpectedPolicy) => boolean = () => true): ExpectedPolicy[] {
  return policies
    .map((r) => ({
      sortKind: r.kind,
      policy: {
        id: `${r.iso3}-${KIND_CODES[r.kind]}-${r.year || 'UNDATED'}`,
        country: r.iso3,
        title: r.title,
        kind: enumOf(r.kind),
        status: enumOf(r.status),
        year: r.year === '' ? null : Number(r.year),
        supportedBy: r.supported_by === '' ? [] : r.supported_by.split(';').map((s) => s.trim()),
      },
    }))
    .sort(
      (a, b) =>
        cmp(a.policy.country, b.policy.country) ||
        cmp(a.sortKind, b.sortKind) ||
        (a.policy.year ?? Infinity) - (b.policy.year ?? Infinity) ||
        cmp(a.policy.id, b.policy.id),
    )
    .map((p) => p.policy)
    .filter(filter);
}
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
