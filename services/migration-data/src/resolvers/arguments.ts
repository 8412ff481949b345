import { badUserInput, notFound } from '../../../../shared/src/graphql/errors';
import { countryCodeArg, intArg } from '../../../../shared/src/graphql/arguments';
import { INDICATOR_CODE, isValid, normalise, spelled } from '../../../../shared/src/reference/identifiers';
import { NON_PLACE_CODES } from '../../../../shared/src/reference/countries';
import type { Context } from '../context';
import type { IndicatorRow } from '../entities/analytics';

/** The arguments the service's resolvers share: code lists, year ranges, indicator codes. */

const CODE_LIST_MAX = 300;

type YearRangeArgs = { fromYear?: number | null; toYear?: number | null };

/** The codes a `countriesOnly: true` list leaves out (those the country list marks as naming no place), or null. */
export const excludedCodes = (countriesOnly: boolean | null | undefined): readonly string[] | null =>
  countriesOnly ? NON_PLACE_CODES : null;

export function codeListArg(codes: string[] | null | undefined, field: string): string[] | null {
  if (codes == null) return null;
  if (codes.length > CODE_LIST_MAX) {
    throw badUserInput(`\`${field}\` takes at most ${CODE_LIST_MAX} codes, got ${codes.length}`, [
      { field, message: `at most ${CODE_LIST_MAX} codes` },
    ]);
  }
  return [...new Set(codes.map((c) => countryCodeArg(c, field)))];
}

/** Both ends of a corridor restricted to the set; an explicit list is intersected with it. */
export function within(list: string[] | null, set: string[] | null): string[] | null {
  if (set === null) return list;
  return list === null ? set : list.filter((c) => set.includes(c));
}

export function yearRangeArg(args: YearRangeArgs): { fromYear: number | null; toYear: number | null } {
  const fromYear = args.fromYear == null ? null : intArg(args.fromYear, 'fromYear', 1900, 2100);
  const toYear = args.toYear == null ? null : intArg(args.toYear, 'toYear', 1900, 2100);
  if (fromYear !== null && toYear !== null && fromYear > toYear) {
    throw badUserInput(`\`fromYear\` (${fromYear}) is after \`toYear\` (${toYear})`, [
      { field: 'fromYear', message: 'at most toYear' },
    ]);
  }
  return { fromYear, toYear };
}

export function indicatorCodeArg(code: string): string {
  const upper = normalise(INDICATOR_CODE, code);
  if (!isValid(INDICATOR_CODE, upper)) {
    throw badUserInput(`"${code}" is not an indicator code`, [
      { field: 'indicator', message: spelled(INDICATOR_CODE, 'NET_MIGRATION') },
    ]);
  }
  return upper;
}

export async function requireIndicator(ctx: Context, code: string): Promise<IndicatorRow> {
  const indicator = await ctx.loaders.indicator.load(indicatorCodeArg(code));
  if (!indicator) throw notFound(`The indicator catalogue has no indicator "${code.trim().toUpperCase()}"`);
  return indicator;
}
