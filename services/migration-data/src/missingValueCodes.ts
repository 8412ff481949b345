/**
 * Figures a source may use for "no data" (−9999, −999, 999, 9999). Where an indicator's checks find
 * values equal to one of them (seed/indicators/checks.md), such a value is kept as given but served
 * as unverified: it may be a real figure or a missing-value code left in by the source. Sums leave it
 * out (isSuspectedMissingValueCode).
 */
export const MISSING_VALUE_CODES: readonly number[] = [-9999, -999, 999, 9999];

/**
 * The indicators whose values are checked against MISSING_VALUE_CODES: those whose data checks
 * flag such values (net migration). Counts such as UNHCR's hold 999 as a plausible figure and are not.
 */
export const CODE_CHECKED_INDICATORS: readonly string[] = ['WB_NET_MIGRATION'];

/** The codes in words: -9999, -999, 999 or 9999. */
const CODES_IN_WORDS = MISSING_VALUE_CODES.join(', ').replace(/, (?=[^,]*$)/, ' or ');

/** The provenance note of a value equal to a missing-value code of a checked indicator, or null for any other value. */
export function missingValueCodeNote(indicator: string, value: number): string | null {
  if (!CODE_CHECKED_INDICATORS.includes(indicator) || !MISSING_VALUE_CODES.includes(value)) return null;
  return `The value ${value} equals a common missing-value code (${CODES_IN_WORDS}); it is kept as the source gives it and was not verified at the source.`;
}

/** The columns of a stored value that decide whether it is a suspected missing-value code. */
export interface CodeCheckedValue {
  indicatorCode: string;
  value: number;
  source: string | null;
  confidence: string | null;
}

/**
 * Whether a stored value is a suspected missing-value code: it equals one of MISSING_VALUE_CODES, its
 * indicator is checked for them, and it has no provenance of its own (an editor's or a series file's
 * source and confidence say what the value is, and are served instead). Such a value is served as
 * unverified with missingValueCodeNote, and is not data: sums leave it out and count its country as
 * without data. SUSPECTED_CODE_SQL is the same rule in SQL.
 */
export function isSuspectedMissingValueCode(v: CodeCheckedValue): boolean {
  return (v.source === null || v.confidence === null) && missingValueCodeNote(v.indicatorCode, v.value) !== null;
}

/**
 * isSuspectedMissingValueCode in SQL, for a row of "data"."indicator_value" named `alias`, given the
 * parameter numbers at which a statement passes CODE_CHECKED_INDICATORS (text[]) and MISSING_VALUE_CODES (float8[]).
 */
export function suspectedCodeSql(alias: string, indicatorsParam: number, codesParam: number): string {
  return `(${alias}.indicator_code = ANY($${indicatorsParam}::text[]) AND ${alias}.value = ANY($${codesParam}::float8[])
    AND (${alias}.source IS NULL OR ${alias}.confidence IS NULL))`;
}

/**
 * What a sum left out, in words, for the values left out as suspected missing-value codes (each
 * with its country); null when none was.
 */
export function leftOutNote(leftOut: readonly { countryCode: string; value: number }[]): string | null {
  if (leftOut.length === 0) return null;
  const listed = leftOut.map((v) => `${v.countryCode} (${v.value})`).join(', ');
  const one = leftOut.length === 1;
  return `Left out of the sum: ${listed}. ${one ? 'This value equals' : 'These values equal'} a common missing-value code (${CODES_IN_WORDS}) and ${one ? 'was' : 'were'} not verified at the source; ${one ? 'its country counts' : 'their countries count'} as without data.`;
}
