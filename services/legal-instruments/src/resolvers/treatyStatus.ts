import { earliestDay, latestDay, today } from '../../../../shared/src/graphql/scalars';
import { isVerified } from '../../../../shared/src/reference/provenance';
import type { TreatyAction, TreatyCoverage } from '../entities';

export type TreatyStatusValue = 'PARTY' | 'SIGNATORY' | 'NOT_PARTY' | 'UNKNOWN';
export type YesNoUnknown = 'YES' | 'NO' | 'UNKNOWN';

/** What, besides a country's own actions, bounds its status: the instrument's adoption and its participant list. */
export interface InstrumentFrame {
  code: string;
  adoptedDate: string | null;
  coverage: TreatyCoverage | null;
}

export interface TreatyStatusResult {
  instrumentCode: string;
  countryCode: string;
  asOf: string;
  status: TreatyStatusValue;
  party: YesNoUnknown;
  since: string | null;
  basis: TreatyAction | null;
  possibleSince: string | null;
  dateCertain: boolean;
  verified: boolean;
  explanation: string;
}

const PARTY_ACTIONS = new Set(['ratification', 'accession', 'succession']);

function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function maxDay(days: (string | null)[]): string | null {
  return days.reduce<string | null>((max, d) => (d !== null && (max === null || d > max) ? d : max), null);
}

/** The days an action can have taken place on: its date's span, or for an undated action its bounds. */
interface Window {
  action: TreatyAction;
  earliest: string;
  latest: string;
}

/**
 * An undated action cannot precede the instrument's adoption, nor (for a ratification, accession or
 * succession) the country's own dated signature, nor the date of a complete participant list (that
 * list dates every action it shows, so an undated one is not from it). It is recorded, so it took
 * place by today: it counts from today, and before that only "may have".
 */
function windowOf(a: TreatyAction, all: TreatyAction[], frame: InstrumentFrame, now: string): Window {
  if (a.date !== null) return { action: a, earliest: earliestDay(a.date), latest: latestDay(a.date) };
  const signatures = PARTY_ACTIONS.has(a.action)
    ? all.flatMap((s) => (s.action === 'signature' && s.date !== null ? [earliestDay(s.date)] : []))
    : [];
  const list = frame.coverage?.complete && frame.coverage.asOf !== null ? dayAfter(frame.coverage.asOf) : null;
  const lower = maxDay([frame.adoptedDate === null ? null : earliestDay(frame.adoptedDate), list, ...signatures]) ?? '0001-01-01';
  return { action: a, earliest: lower < now ? lower : now, latest: now };
}

/** Earliest first; among equal days the verified first. */
function byLatest(a: Window, b: Window): number {
  if (a.latest !== b.latest) return a.latest < b.latest ? -1 : 1;
  return Number(isVerified(b.action)) - Number(isVerified(a.action));
}

function describe(a: TreatyAction): string {
  return a.date === null ? `a ${a.action} recorded without a date` : `a ${a.action} dated ${a.date}`;
}

/**
 * The status of one country for one instrument on a day, from that pair's recorded actions, the
 * instrument's adoption date and its participant list. `party` answers "a party on that day?"
 * without ever turning a maybe into a yes: YES only from a verified action that certainly counts
 * by the day, NO only when no recorded or unrecorded party action can count by then.
 */
export function treatyStatus(
  frame: InstrumentFrame,
  countryCode: string,
  actions: TreatyAction[],
  asOf: string,
  now: string = today(),
): TreatyStatusResult {
  const windows = actions.map((a) => windowOf(a, actions, frame, now));
  const partyWindows = windows.filter((w) => PARTY_ACTIONS.has(w.action.action));
  const certainParty = partyWindows.filter((w) => w.latest <= asOf).sort(byLatest);
  const possibleParty = partyWindows.filter((w) => w.earliest <= asOf && w.latest > asOf).sort(byLatest);
  const signatures = windows.filter((w) => w.action.action === 'signature');
  const certainSigned = signatures.filter((w) => w.latest <= asOf).sort(byLatest);
  const possibleSigned = signatures.filter((w) => w.earliest <= asOf && w.latest > asOf);
  const listDate = frame.coverage?.complete === true ? frame.coverage.asOf : null;
  const beforeAdoption = frame.adoptedDate !== null && asOf < earliestDay(frame.adoptedDate);
  const reasons: string[] = [];

  let party: YesNoUnknown;
  if (certainParty.some((w) => isVerified(w.action))) party = 'YES';
  else if (certainParty.length > 0 || possibleParty.length > 0) party = 'UNKNOWN';
  else if (beforeAdoption) party = 'NO';
  else if (partyWindows.length > 0) party = 'NO';
  else if (listDate !== null && asOf <= listDate) party = 'NO';
  else party = 'UNKNOWN';

  const basisWindow = certainParty.find((w) => isVerified(w.action)) ?? certainParty[0] ?? certainSigned[0] ?? null;
  const basis = basisWindow?.action ?? null;
  const status: TreatyStatusValue =
    certainParty.length > 0 ? 'PARTY' : certainSigned.length > 0 ? 'SIGNATORY' : party === 'NO' ? 'NOT_PARTY' : 'UNKNOWN';

  if (basisWindow !== null) {
    const basis = basisWindow.action;
    const undated = basis.date === null ? ` (it cannot precede ${basisWindow.earliest}; counted from today)` : '';
    reasons.push(`${status === 'PARTY' ? 'Party' : 'Signatory'} by ${describe(basis)}${undated}.`);
  }
  if (beforeAdoption) reasons.push(`The instrument was adopted on ${frame.adoptedDate}, after ${asOf}.`);
  if (possibleParty.length > 0 && status !== 'PARTY') {
    const w = possibleParty[0];
    reasons.push(`It may have become a party by then: ${describe(w.action)}, between ${w.earliest} and ${w.latest}.`);
  } else if (party === 'NO' && !beforeAdoption && partyWindows.length > 0) {
    const first = [...partyWindows].sort(byLatest)[0];
    reasons.push(`It became a party later: ${describe(first.action)}, not before ${first.earliest}.`);
  } else if (party === 'NO' && !beforeAdoption) {
    reasons.push(`The complete participant list as of ${listDate ?? '?'} shows no ratification, accession or succession.`);
  } else if (party === 'UNKNOWN' && certainParty.length === 0) {
    reasons.push(
      listDate !== null
        ? `The participant list is complete only as of ${listDate}: a later action would be missing, so the status on ${asOf} is unknown.`
        : 'No complete participant list was consulted for this instrument: a missing action means unknown, not "not a party".',
    );
  }
  if (party === 'UNKNOWN' && certainParty.length > 0) {
    reasons.push('The action is not verified (see its provenance notes): do not present it as fact.');
  } else if (basis !== null && !isVerified(basis)) {
    reasons.push('The action is not verified (see its provenance notes): do not present it as fact.');
  }

  const pending = status === 'PARTY' ? false : possibleParty.length > 0 || (status !== 'SIGNATORY' && possibleSigned.length > 0);
  const partyWindow = status === 'PARTY' ? basisWindow : (possibleParty[0] ?? null);
  const fullDay = partyWindow !== null && partyWindow.action.date !== null && partyWindow.action.date.length === 10;
  return {
    instrumentCode: frame.code,
    countryCode,
    asOf,
    status,
    party,
    since: basis?.date ?? null,
    basis,
    possibleSince: partyWindow === null || fullDay ? null : partyWindow.earliest,
    dateCertain: !pending && (basis === null || basis.date !== null),
    verified: party !== 'UNKNOWN' && (basis === null || isVerified(basis)),
    explanation: reasons.join(' '),
  };
}

/** Statuses for every instrument a country has a recorded action for, ordered by instrument code. */
export function statusesOf(
  frames: Map<string, InstrumentFrame>,
  countryCode: string,
  actions: TreatyAction[],
  asOf: string,
): TreatyStatusResult[] {
  const byInstrument = new Map<string, TreatyAction[]>();
  for (const a of actions) byInstrument.set(a.instrumentCode, [...(byInstrument.get(a.instrumentCode) ?? []), a]);
  return [...byInstrument.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([code, own]) => {
      const frame = frames.get(code);
      return frame ? [treatyStatus(frame, countryCode, own, asOf)] : [];
    });
}
