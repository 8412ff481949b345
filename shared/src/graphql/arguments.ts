import { COUNTRIES, isKnownCountryCode } from '../reference/countries';
import { COUNTRY_CODE, isValid, normalise } from '../reference/identifiers';
import { badUserInput, graphError } from './errors';
import { today } from './scalars';
import { didYouMean, notFoundSuggesting, type Suggestible, suggest } from './suggestions';

/** Every country the graph knows, for suggestions: its ISO 3166-1 alpha-2 code answers to it too. */
function suggestibleCountries(): Suggestible[] {
  return [...COUNTRIES.values()].map((c) => ({ code: c.code, name: c.name, alternateCodes: c.iso2 ? [c.iso2] : [] }));
}

/** Normalises a country code argument: malformed is BAD_USER_INPUT, well-formed but unknown is NOT_FOUND. */
export function countryCodeArg(code: string, field = 'code'): string {
  const upper = normalise(COUNTRY_CODE, code);
  if (!isValid(COUNTRY_CODE, upper)) {
    const message = `"${code}" is not a country code (ISO 3166-1 alpha-3, such as SEN, or a data set's code, such as AB9)`;
    const problems = [{ field, message: 'must be three letters or digits, the first a letter, such as SEN' }];
    // A two-letter code is most likely ISO 3166-1 alpha-2: say which alpha-3 code it is.
    const suggestions = suggest(upper, suggestibleCountries());
    if (suggestions.length === 0) throw badUserInput(message, problems);
    throw graphError('BAD_USER_INPUT', `${message}.${didYouMean(suggestions)}`, { problems, suggestions });
  }
  if (!isKnownCountryCode(upper)) throw notFoundSuggesting(`No country has the code "${upper}"`, upper, suggestibleCountries());
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

export { fold } from './suggestions';

// Bidi embeddings, overrides and isolates reorder how the text around them is displayed (the
// "Trojan Source" trick): never needed in this graph's English and French text.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
// C0 and C1 controls other than tab and line breaks: terminal escapes and binary, never text.
// eslint-disable-next-line no-control-regex -- finding control characters is what it is for
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// Half of a UTF-16 surrogate pair without its other half is not a character at all.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Characters that show nothing on their own: spaces, format characters (zero-width space, joiners,
// marks, BOM), controls, combining marks, and the blank letters (Hangul fillers, braille blank).
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Cc}\p{Mn}\p{Me}\u115F\u1160\u3164\uFFA0\u2800]/u;

/**
 * Why a piece of free text cannot be stored, or null when it can: it must be well-formed Unicode,
 * carry no control or bidi-override characters, and show at least one visible character.
 */
export function textProblem(text: string): string | null {
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode (it has a lone surrogate)';
  if (BIDI_CONTROL.test(text))
    return 'must not contain bidirectional override or isolate characters (U+202A-U+202E, U+2066-U+2069)';
  if (CONTROL.test(text)) return 'must not contain control characters';
  if (!VISIBLE.test(text)) return 'must contain a visible character';
  return null;
}

// Characters a URL never needs raw and that break out of an HTML attribute or a CSV cell.
// eslint-disable-next-line no-control-regex -- finding control characters is what it is for
const URL_FORBIDDEN = /[\s"'<>`\\\u0000-\u001F\u007F-\u009F]/;

/**
 * Why a string is not an acceptable link, or null: an absolute http(s) URL as the WHATWG URL
 * parser reads it, with a host, without credentials, and without quotes, spaces or controls.
 */
export function urlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  // The WHATWG parser keeps a quote in a host (http://x"onmouseover="alert(1) parses): refuse them raw.
  if (URL_FORBIDDEN.test(text)) return 'must not contain spaces, quotes, angle brackets, backslashes or control characters';
  if (url.hostname === '') return 'must name a host';
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  return null;
}
