import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { graphError } from './errors';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const PARTIAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * The years a date may name. The graph records modern migration law, data and cooperation (the
 * oldest fact is of the 20th century); 1000 keeps every year at four digits with no year 0 and
 * clear of Date.UTC's reading of 0-99 as 1900-1999, and 2100 leaves room for planned end dates
 * (publication years stop there too). 0000 or 9999-12 is a typo or a placeholder, never a fact.
 */
export const MIN_YEAR = 1000;
export const MAX_YEAR = 2100;

function isYear(y: number): boolean {
  return y >= MIN_YEAR && y <= MAX_YEAR;
}

/** True when the string is a real calendar day in YYYY-MM-DD form, in MIN_YEAR..MAX_YEAR. */
export function isCalendarDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isYear(y)) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** True for ISO 8601 dates at year, month or day precision (YYYY, YYYY-MM, YYYY-MM-DD), in MIN_YEAR..MAX_YEAR. */
export function isPartialDate(value: string): boolean {
  const m = PARTIAL.exec(value);
  if (!m) return false;
  if (!isYear(Number(m[1]))) return false;
  if (m[3] !== undefined) return isCalendarDay(value);
  if (m[2] !== undefined) return Number(m[2]) >= 1 && Number(m[2]) <= 12;
  return true;
}

/** Today in UTC, as YYYY-MM-DD: the default of every asOf argument. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The last day a reduced-precision date can stand for: 2009 -> 2009-12-31, 2009-02 -> 2009-02-28. */
export function latestDay(partial: string): string {
  const [y, m, d] = partial.split('-');
  if (d) return partial;
  if (m) {
    const last = new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate();
    return `${y}-${m}-${String(last).padStart(2, '0')}`;
  }
  return `${y}-12-31`;
}

/** The first day a reduced-precision date can stand for: 2009 -> 2009-01-01. */
export function earliestDay(partial: string): string {
  const [y, m, d] = partial.split('-');
  if (d) return partial;
  if (m) return `${y}-${m}-01`;
  return `${y}-01-01`;
}

function stringLiteral(ast: ValueNode, name: string): string {
  if (ast.kind !== Kind.STRING) {
    throw graphError('BAD_USER_INPUT', `${name} must be a string`);
  }
  return ast.value;
}

function checked(value: unknown, name: string, test: (v: string) => boolean, form: string): string {
  if (typeof value !== 'string' || !test(value)) {
    throw graphError('BAD_USER_INPUT', `${name} must be ${form}, got ${JSON.stringify(value)}`);
  }
  return value;
}

const DAY_FORM = `a calendar day in YYYY-MM-DD form, years ${MIN_YEAR} to ${MAX_YEAR}`;
const PARTIAL_FORM = `YYYY, YYYY-MM or YYYY-MM-DD, years ${MIN_YEAR} to ${MAX_YEAR}`;

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar day in ISO 8601 form, YYYY-MM-DD.',
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)),
  parseValue: (v) => checked(v, 'Date', isCalendarDay, DAY_FORM),
  parseLiteral: (ast) => checked(stringLiteral(ast, 'Date'), 'Date', isCalendarDay, DAY_FORM),
});

export const PartialDateScalar = new GraphQLScalarType({
  name: 'PartialDate',
  description: 'An ISO 8601 date at the precision the source gives: YYYY, YYYY-MM or YYYY-MM-DD. Never padded to a made-up day.',
  serialize: (v) => String(v),
  parseValue: (v) => checked(v, 'PartialDate', isPartialDate, PARTIAL_FORM),
  parseLiteral: (ast) => checked(stringLiteral(ast, 'PartialDate'), 'PartialDate', isPartialDate, PARTIAL_FORM),
});
