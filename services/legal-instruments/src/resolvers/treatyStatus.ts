import { earliestDay, latestDay } from '../../../../shared/src/graphql/scalars';
import type { TreatyAction } from '../entities';

export type TreatyStatusValue = 'PARTY' | 'SIGNATORY' | 'NO_RECORD';

export interface TreatyStatusResult {
  instrumentCode: string;
  countryCode: string;
  asOf: string;
  status: TreatyStatusValue;
  since: string | null;
  basis: TreatyAction | null;
  dateCertain: boolean;
  verified: boolean;
}

const PARTY_ACTIONS = new Set(['ratification', 'accession', 'succession']);

/** An action counts by a day when the latest day its date can stand for is on or before it; undated counts as done. */
function countsBy(a: TreatyAction, day: string): boolean {
  return a.date === null || latestDay(a.date) <= day;
}

/** A year- or month-precision date whose span includes the day: the action may or may not have happened by then. */
function straddles(a: TreatyAction, day: string): boolean {
  return a.date !== null && earliestDay(a.date) <= day && day < latestDay(a.date);
}

/** Earliest first; undated last (they count, but nothing says when). */
function byDate(a: TreatyAction, b: TreatyAction): number {
  if (a.date === b.date) return 0;
  if (a.date === null) return 1;
  if (b.date === null) return -1;
  return latestDay(a.date) < latestDay(b.date) ? -1 : 1;
}

/** The status of one country for one instrument on a day, from that pair's recorded actions. */
export function treatyStatus(
  instrumentCode: string,
  countryCode: string,
  actions: TreatyAction[],
  asOf: string,
): TreatyStatusResult {
  const counted = actions.filter((a) => countsBy(a, asOf));
  const party = counted.filter((a) => PARTY_ACTIONS.has(a.action)).sort(byDate);
  const signed = counted.filter((a) => a.action === 'signature').sort(byDate);
  const basis = party[0] ?? signed[0] ?? null;
  const status: TreatyStatusValue = party.length > 0 ? 'PARTY' : signed.length > 0 ? 'SIGNATORY' : 'NO_RECORD';
  const pending = actions.some((a) => straddles(a, asOf));
  return {
    instrumentCode,
    countryCode,
    asOf,
    status,
    since: basis?.date ?? null,
    basis,
    dateCertain: !pending && (basis === null || basis.date !== null),
    verified: basis === null || basis.confidence !== 'unverified',
  };
}

/** Statuses for every instrument a country has a recorded action for, ordered by instrument code. */
export function statusesOf(countryCode: string, actions: TreatyAction[], asOf: string): TreatyStatusResult[] {
  const byInstrument = new Map<string, TreatyAction[]>();
  for (const a of actions) byInstrument.set(a.instrumentCode, [...(byInstrument.get(a.instrumentCode) ?? []), a]);
  return [...byInstrument]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, instrumentActions]) => treatyStatus(code, countryCode, instrumentActions, asOf));
}
