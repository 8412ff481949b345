import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { readCsv } from '../../shared/src/io/csv';
import { required } from '../../shared/src/runtime/required';

// The treaty-status rule as the legal-instruments schema documents it, computed straight from the
// seed CSVs: tests compare the graph's answers with these, never with the graph's own output.

const seed = (file: string) => readCsv(path.join(PROJECT_ROOT, 'services', 'legal-instruments', 'seed', file));
export const ratificationRows = seed('ratifications.csv');
export const instrumentRows = seed('legal-instruments.csv');
export const coverageRows = seed('ratifications-coverage.csv');

type Row = Record<string, string>;

const firstDay = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);
function lastDay(d: string): string {
  if (d.length === 4) return `${d}-12-31`;
  if (d.length === 7) {
    const [y, m] = d.split('-').map(Number);
    return `${d}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
  }
  return d;
}
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
export function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
export const todayUtc = () => new Date().toISOString().slice(0, 10);

/** Confidence not unverified, and no note calling a part of the row unverified. */
export const rowVerified = (r: Row) => r.confidence !== 'unverified' && !/\bunverified\b/i.test(r.notes);
const isParty = (r: Row) => r.action !== 'signature';

export function coverageOf(instrument: string): Row {
  return required(
    coverageRows.find((c) => c.instrument === instrument),
    'row',
  );
}

/** The first day an undated action can have taken place on. */
export function lowerBound(r: Row): string {
  const adopted = required(
    instrumentRows.find((i) => i.code === r.instrument),
    'row',
  ).adopted_date;
  const coverage = coverageOf(r.instrument);
  const candidates = [adopted === '' ? '' : firstDay(adopted)];
  if (coverage.complete_for_27 === 'true') candidates.push(nextDay(coverage.as_of));
  if (isParty(r)) {
    for (const s of ratificationRows) {
      if (s.instrument === r.instrument && s.iso3 === r.iso3 && s.action === 'signature' && s.date !== '')
        candidates.push(firstDay(s.date));
    }
  }
  return required(candidates.sort().pop(), 'a bound');
}

const span = (r: Row, today: string) => (r.date === '' ? [lowerBound(r), today] : [firstDay(r.date), lastDay(r.date)]);

export interface ExpectedStatus {
  status: 'PARTY' | 'SIGNATORY' | 'NOT_PARTY' | 'UNKNOWN';
  party: 'YES' | 'NO' | 'UNKNOWN';
  since: string | null;
  dateCertain: boolean;
  verified: boolean;
}

export function expectedStatus(country: string, instrument: string, asOf: string, today = todayUtc()): ExpectedStatus {
  const rows = ratificationRows.filter((r) => r.iso3 === country && r.instrument === instrument);
  const counted = rows.filter((r) => span(r, today)[1] <= asOf);
  const maybe = rows.filter((r) => span(r, today)[0] <= asOf && asOf < span(r, today)[1]);
  const partyCounted = counted.filter(isParty);
  const coverage = coverageOf(instrument);
  const adopted = required(
    instrumentRows.find((i) => i.code === instrument),
    'row',
  ).adopted_date;
  let party: ExpectedStatus['party'];
  if (partyCounted.some(rowVerified)) party = 'YES';
  else if (partyCounted.length > 0 || maybe.some(isParty)) party = 'UNKNOWN';
  else if (rows.some(isParty) || (adopted !== '' && asOf < firstDay(adopted))) party = 'NO';
  else party = coverage.complete_for_27 === 'true' && asOf <= coverage.as_of ? 'NO' : 'UNKNOWN';
  const byLast = (a: Row, b: Row) => (span(a, today)[1] < span(b, today)[1] ? -1 : 1);
  const signed = counted.filter((r) => !isParty(r)).sort(byLast);
  const basis = partyCounted.filter(rowVerified).sort(byLast)[0] ?? partyCounted.sort(byLast)[0] ?? signed[0] ?? null;
  const status = partyCounted.length > 0 ? 'PARTY' : signed.length > 0 ? 'SIGNATORY' : party === 'NO' ? 'NOT_PARTY' : 'UNKNOWN';
  const open = status !== 'PARTY' && (maybe.some(isParty) || (status !== 'SIGNATORY' && maybe.length > 0));
  return {
    status,
    party,
    since: basis === null || basis.date === '' ? null : basis.date,
    dateCertain: !open && (basis === null || basis.date !== ''),
    verified: party !== 'UNKNOWN' && (basis === null || rowVerified(basis)),
  };
}
