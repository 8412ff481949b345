import { isKnownCountryCode } from './countries';
import { badUserInput, notFound } from './errors';
import { today } from './scalars';

/** Normalises a country code argument: malformed is BAD_USER_INPUT, well-formed but unknown is NOT_FOUND. */
export function countryCodeArg(code: string, field = 'code'): string {
  const upper = code.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(upper)) {
    throw badUserInput(`"${code}" is not an ISO 3166-1 alpha-3 country code`, [
      { field, message: 'must be three letters, such as SEN' },
    ]);
  }
  if (!isKnownCountryCode(upper)) throw notFound(`No country has the code "${upper}"`);
  return upper;
}

/** An optional asOf argument, already checked by the Date scalar; default today. */
export function asOfArg(asOf: string | null | undefined): string {
  return asOf ?? today();
}

/** Checks an integer argument against a closed range before any SQL runs. */
export function intArg(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badUserInput(`\`${field}\` must be between ${min} and ${max}, got ${value}`, [
      { field, message: `must be between ${min} and ${max}` },
    ]);
  }
  return value;
}

/** Folds case and accents, for name searches. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}
