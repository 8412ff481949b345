import { badUserInput, type FieldProblem } from '../graphql/errors';
import { textProblem, urlProblem } from '../graphql/arguments';
import { earliestDay, isCalendarDay, isPartialDate, latestDay } from '../graphql/scalars';
import { isKnownCountryCode } from '../reference/countries';
import { COUNTRY_CODE, type IdentifierFormat, isValid, normalise } from '../reference/identifiers';
import { asStored, Confidence } from '../graphql/enums';

/**
 * Input validation for the services' mutations: a rule per field, keyed by the entity property it
 * writes, and every problem of an input reported at once, each with its field.
 */

/** A row as PostgreSQL returns it from to_jsonb: column name to value. */
export type Row = Record<string, unknown>;

/**
 * How one input field is checked. Rules are keyed by the entity property they write (the column
 * comes from TypeORM's metadata); `input` names the GraphQL field where it is named otherwise.
 */
export type FieldRule = { input?: string } & (
  | { kind: 'text'; max: number; required?: boolean }
  | { kind: 'code'; format: IdentifierFormat; hint: string; required?: boolean }
  | { kind: 'country'; required?: boolean }
  | { kind: 'partialDate'; required?: boolean }
  | { kind: 'day'; required?: boolean }
  | { kind: 'int'; min: number; max: number; required?: boolean }
  | { kind: 'number'; required?: boolean }
  | { kind: 'boolean'; required?: boolean }
  | { kind: 'enum'; values: Record<string, string>; required?: boolean; default?: string }
  | { kind: 'textList'; maxItems: number; maxLength: number }
  | { kind: 'enumList'; values: Record<string, string>; maxItems: number }
  | { kind: 'countryList'; maxItems: number }
  | { kind: 'url'; required?: boolean }
);

/** Rules by the property they write; the compiler checks each key against the entity. */
export type FieldRules<E extends object = Record<string, unknown>> = { [P in keyof E & string]?: FieldRule };

/** The longest link any record stores. */
export const URL_MAX_LENGTH = 2000;

/**
 * The provenance and editorial fields of every editable record. A record entered without a
 * confidence is UNVERIFIED: nothing becomes a fact by omission.
 */
export const PROVENANCE_RULES = {
  confidence: { kind: 'enum', values: asStored(Confidence), required: true, default: Confidence.UNVERIFIED },
  source: { kind: 'text', max: 2000 },
  notes: { kind: 'text', max: 4000 },
  internalNote: { kind: 'text', max: 4000 },
} satisfies FieldRules<{ confidence: string; source: string | null; notes: string | null; internalNote: string | null }>;

/** Collects the problems of one input object, so that the caller sees them all at once. */
export class Problems {
  readonly list: FieldProblem[] = [];
  constructor(readonly prefix = 'input') {}

  add(field: string, message: string): void {
    this.list.push({ field: `${this.prefix}.${field}`, message });
  }

  has(field: string): boolean {
    return this.list.some((p) => p.field === `${this.prefix}.${field}`);
  }

  /** Throws BAD_USER_INPUT with every problem when there is one. */
  throwIfAny(what = 'The input'): void {
    if (this.list.length === 0) return;
    const summary = this.list.map((p) => `${p.field} ${p.message}`).join('; ');
    throw badUserInput(`${what} is invalid: ${summary}`, this.list);
  }
}

/** Checks one value against its rule; returns the stored form, or undefined when it is invalid. */
function checkValue(name: string, rule: FieldRule, value: unknown, p: Problems): unknown {
  const bad = (message: string) => {
    p.add(name, message);
    return undefined;
  };
  switch (rule.kind) {
    case 'text': {
      const text = String(value).trim();
      if (text.length === 0) return bad('must not be empty (use null to clear it)');
      if (text.length > rule.max) return bad(`must have at most ${rule.max} characters, got ${text.length}`);
      const problem = textProblem(text);
      return problem ? bad(problem) : text;
    }
    case 'code': {
      const code = normalise(rule.format, value);
      return isValid(rule.format, code) ? code : bad(`must be ${rule.hint}`);
    }
    case 'country': {
      const code = normalise(COUNTRY_CODE, value);
      if (!isValid(COUNTRY_CODE, code))
        return bad('must be a country code of three letters or digits, the first a letter, such as SEN');
      return isKnownCountryCode(code) ? code : bad(`"${code}" is not in the country list`);
    }
    case 'partialDate':
      return typeof value === 'string' && isPartialDate(value) ? value : bad('must be a date YYYY, YYYY-MM or YYYY-MM-DD');
    case 'day':
      return typeof value === 'string' && isCalendarDay(value) ? value : bad('must be a calendar day YYYY-MM-DD');
    case 'int':
      return Number.isInteger(value) && (value as number) >= rule.min && (value as number) <= rule.max
        ? value
        : bad(`must be an integer between ${rule.min} and ${rule.max}`);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : bad('must be a finite number');
    case 'boolean':
      return typeof value === 'boolean' ? value : bad('must be true or false');
    case 'enum':
      return typeof value === 'string' && value in rule.values
        ? rule.values[value]
        : bad(`must be one of ${Object.keys(rule.values).join(', ')}`);
    case 'url': {
      const url = String(value).trim();
      if (url.length > URL_MAX_LENGTH) return bad(`must have at most ${URL_MAX_LENGTH} characters`);
      const problem = urlProblem(url);
      return problem ? bad(problem) : url;
    }
    case 'textList': {
      if (!Array.isArray(value)) return bad('must be a list');
      if (value.length > rule.maxItems) return bad(`must have at most ${rule.maxItems} items`);
      const items = value.map((v) => String(v).trim());
      if (items.some((v) => v.length === 0 || v.length > rule.maxLength))
        return bad(`items must have 1 to ${rule.maxLength} characters`);
      const itemProblem = items.map(textProblem).find((x) => x !== null);
      if (itemProblem) return bad(`items ${itemProblem}`);
      if (new Set(items).size !== items.length) return bad('must not repeat an item');
      return items;
    }
    case 'enumList': {
      if (!Array.isArray(value)) return bad('must be a list');
      if (value.length > rule.maxItems) return bad(`must have at most ${rule.maxItems} items`);
      if (value.some((v) => typeof v !== 'string' || !(v in rule.values)))
        return bad(`items must be among ${Object.keys(rule.values).join(', ')}`);
      if (new Set(value).size !== value.length) return bad('must not repeat an item');
      return (value as string[]).map((v) => rule.values[v]);
    }
    case 'countryList': {
      if (!Array.isArray(value)) return bad('must be a list');
      if (value.length > rule.maxItems) return bad(`must have at most ${rule.maxItems} items`);
      const codes = value.map((v) => String(v).trim().toUpperCase());
      const unknown = codes.filter((c) => !isKnownCountryCode(c));
      if (unknown.length > 0) return bad(`has codes not in the country list: ${unknown.join(', ')}`);
      if (new Set(codes).size !== codes.length) return bad('must not repeat a country');
      return codes;
    }
  }
}

function isRequired(rule: FieldRule): boolean {
  return 'required' in rule && rule.required === true;
}

/**
 * Reads an input object into property values. On create, every required field must be given (or
 * have a default); on update, only the fields present change, and null clears an optional one.
 */
export function readInput<E extends object>(
  rules: FieldRules<E>,
  input: Record<string, unknown>,
  mode: 'create' | 'update',
  p: Problems,
): Row {
  const values: Row = {};
  for (const [property, rule] of Object.entries(rules) as [string, FieldRule | undefined][]) {
    if (!rule) continue;
    const name = rule.input ?? property;
    let value = input[name];
    if (value === undefined && mode === 'create' && rule.kind === 'enum' && rule.default !== undefined) value = rule.default;
    if (value === undefined) {
      if (mode === 'create' && isRequired(rule)) p.add(name, 'is required');
      continue;
    }
    if (value === null) {
      if (isRequired(rule)) p.add(name, 'is required and cannot be null');
      else values[property] = rule.kind.endsWith('List') ? [] : null;
      continue;
    }
    const checked = checkValue(name, rule, value, p);
    if (checked !== undefined) values[property] = checked;
  }
  return values;
}

/** An end date must not come before its start (partial dates compare by the days they can stand for). */
export function checkOrder(
  p: Problems,
  field: string,
  start: unknown,
  end: unknown,
  message = 'must not be before the start',
): void {
  if (typeof start !== 'string' || typeof end !== 'string' || !isPartialDate(start) || !isPartialDate(end)) return;
  if (latestDay(end) < earliestDay(start)) p.add(field, message);
}
