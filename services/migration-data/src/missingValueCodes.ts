/**
 * Figures a source may use for "no data" (−9999, −999, 999, 9999). Where an indicator's checks find
 * values equal to one of them (seed/indicators/checks.md), such a value is kept as given but served
 * as unverified: it may be a real figure or a missing-value code left in by the source.
 */
export const MISSING_VALUE_CODES: readonly number[] = [-9999, -999, 999, 9999];

/**
 * The indicators whose values are checked against MISSING_VALUE_CODES: those whose data checks
 * flag such values (net migration). Counts such as UNHCR's hold 999 as a plausible figure and are not.
 */
export const CODE_CHECKED_INDICATORS: readonly string[] = ['WB_NET_MIGRATION'];

/** The provenance note of a value equal to a missing-value code of a checked indicator, or null for any other value. */
export function missingValueCodeNote(indicator: string, value: number): string | null {
  if (!CODE_CHECKED_INDICATORS.includes(indicator) || !MISSING_VALUE_CODES.includes(value)) return null;
  return `The value ${value} equals a common missing-value code (${MISSING_VALUE_CODES.join(', ').replace(/, (?=[^,]*$)/, ' or ')}); it is kept as the source gives it and was not verified at the source.`;
}
