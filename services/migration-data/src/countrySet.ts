import { COUNTRIES } from '../../../shared/src/reference/countries';
import { badUserInput } from '../../../shared/src/graphql/errors';
import { countryCodeArg } from '../../../shared/src/graphql/arguments';

/** A set of countries as clients give it: codes and/or a UN M49 region, sub-region or intermediate region. */
export interface CountrySetInput {
  codes?: string[] | null;
  region?: string | null;
  subregion?: string | null;
  intermediateRegion?: string | null;
}

export const COUNTRY_SET_MAX = 300;

/**
 * The codes of the set, sorted: every criterion given must hold. Regions come from the shared
 * reference list, so a region costs no call to another service.
 */
export function countrySetArg(set: CountrySetInput, field: string): string[] {
  const regions = (['region', 'subregion', 'intermediateRegion'] as const).flatMap((key) => {
    const name = set[key];
    return name == null ? [] : [{ key, name }];
  });
  if (set.codes == null && regions.length === 0) {
    throw badUserInput(`\`${field}\` needs codes or a region`, [
      { field, message: 'give codes, region, subregion or intermediateRegion' },
    ]);
  }
  if (set.codes != null && set.codes.length > COUNTRY_SET_MAX) {
    throw badUserInput(`\`${field}.codes\` takes at most ${COUNTRY_SET_MAX} codes, got ${set.codes.length}`, [
      { field: `${field}.codes`, message: `at most ${COUNTRY_SET_MAX} codes` },
    ]);
  }
  let codes = set.codes != null ? [...new Set(set.codes.map((c) => countryCodeArg(c, `${field}.codes`)))] : [...COUNTRIES.keys()];
  for (const { key, name } of regions) {
    const wanted = name.trim().toLowerCase();
    const matching = codes.filter((c) => COUNTRIES.get(c)?.[key]?.toLowerCase() === wanted);
    if (![...COUNTRIES.values()].some((c) => c[key]?.toLowerCase() === wanted)) {
      throw badUserInput(`No country has the ${key} "${name}"`, [
        { field: `${field}.${key}`, message: 'a UN M49 name, such as Western Africa' },
      ]);
    }
    codes = matching;
  }
  return codes.sort();
}
