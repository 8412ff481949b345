import path from 'node:path';
import countriesI18n from 'i18n-iso-countries';
import fr from 'i18n-iso-countries/langs/fr.json';
import en from 'i18n-iso-countries/langs/en.json';
import { blankToNull, readCsv } from '../io/csv';
import { PROJECT_ROOT } from '../runtime/config';

countriesI18n.registerLocale(fr);
countriesI18n.registerLocale(en);

/** A row of the country reference list. Every service resolves Country's reference fields from it. */
export interface CountryRef {
  code: string;
  iso2: string | null;
  m49: string | null;
  name: string;
  nameFr: string | null;
  region: string | null;
  subregion: string | null;
  intermediateRegion: string | null;
  /** False for the codes the data sets use that are not ISO 3166-1 (OOO, XCX, STL, TIB, AB9, CHI, ANT, XKX). */
  isoCode: boolean;
  /**
   * False for the codes that name no country or territory but a group of people: OOO (other or
   * unknown origin), STL (stateless), TIB (Tibetan). Lists that leave out "codes that are not
   * countries" leave out these.
   */
  place: boolean;
}

const notIso = (ref: Omit<CountryRef, 'isoCode' | 'place' | 'iso2'> & { place?: boolean }): CountryRef => ({
  iso2: null,
  isoCode: false,
  place: true,
  ...ref,
});

/**
 * Codes used by the data sets (UN DESA migrant stock; UNHCR, World Bank and IDMC indicators) that
 * ISO 3166-1 does not have. Their meanings are those given in the data sets' READMEs; none is
 * remapped to another code (CHI and XCX are both the Channel Islands, as the World Bank and UN DESA
 * code them).
 */
const NON_ISO: CountryRef[] = [
  notIso({
    code: 'OOO',
    m49: null,
    name: 'Other or unknown origin',
    nameFr: 'Origine autre ou inconnue',
    region: null,
    subregion: null,
    intermediateRegion: null,
    place: false,
  }),
  notIso({
    code: 'STL',
    m49: null,
    name: 'Stateless',
    nameFr: 'Apatrides',
    region: null,
    subregion: null,
    intermediateRegion: null,
    place: false,
  }),
  notIso({
    code: 'TIB',
    m49: null,
    name: 'Tibetan',
    nameFr: 'Tibétains',
    region: null,
    subregion: null,
    intermediateRegion: null,
    place: false,
  }),
  notIso({
    code: 'AB9',
    m49: null,
    name: 'Abyei Area',
    nameFr: "Zone d'Abyei",
    region: null,
    subregion: null,
    intermediateRegion: null,
  }),
  notIso({
    code: 'CHI',
    m49: '830',
    name: 'Channel Islands (World Bank code)',
    nameFr: 'Îles Anglo-Normandes (code de la Banque mondiale)',
    region: 'Europe',
    subregion: 'Northern Europe',
    intermediateRegion: null,
  }),
  notIso({
    code: 'ANT',
    m49: '530',
    name: 'Netherlands Antilles (former)',
    nameFr: 'Antilles néerlandaises (anciennes)',
    region: null,
    subregion: null,
    intermediateRegion: null,
  }),
  notIso({
    code: 'XKX',
    m49: null,
    name: 'Kosovo',
    nameFr: 'Kosovo',
    region: null,
    subregion: null,
    intermediateRegion: null,
  }),
  notIso({
    code: 'XCX',
    m49: '830',
    name: 'Channel Islands',
    nameFr: 'Îles Anglo-Normandes',
    region: 'Europe',
    subregion: 'Northern Europe',
    intermediateRegion: null,
  }),
];

/** French short names from ISO 3166-1 for the states of the region (shared/data/README.md), over the package's. */
function isoFrenchNames(): Map<string, string> {
  const rows = readCsv(path.join(PROJECT_ROOT, 'shared', 'data', 'country-names-fr.csv'));
  return new Map(rows.map((r) => [r.iso3, r.name_fr]));
}

function load(): Map<string, CountryRef> {
  const rows = readCsv(path.join(PROJECT_ROOT, 'shared', 'data', 'countries.csv'));
  const french = isoFrenchNames();
  const map = new Map<string, CountryRef>();
  for (const row of rows) {
    const code = row.iso3.trim();
    map.set(code, {
      code,
      // Namibia's alpha-2 code is the string "NA": never read it as missing.
      iso2: row.iso2 === '' ? null : row.iso2,
      m49: blankToNull(row.m49),
      name: row.name,
      nameFr: french.get(code) ?? countriesI18n.getName(code, 'fr') ?? null,
      region: blankToNull(row.region),
      subregion: blankToNull(row.subregion),
      intermediateRegion: blankToNull(row.intermediate_region),
      isoCode: true,
      place: true,
    });
  }
  for (const extra of NON_ISO) map.set(extra.code, extra);
  return map;
}

export const COUNTRIES: ReadonlyMap<string, CountryRef> = load();

export function findCountry(code: string): CountryRef | null {
  return COUNTRIES.get(code.toUpperCase()) ?? null;
}

export function isKnownCountryCode(code: string): boolean {
  return COUNTRIES.has(code);
}

/**
 * The reference list as lists of countries show it, ordered by code: the ISO 3166-1 countries and
 * territories, and the data sets' other codes (areas such as XKX and AB9, groups such as OOO and
 * STL) only when asked for. Those codes exist for the data that uses them, not as countries.
 */
export function listedCountries(options: { includeOtherCodes?: boolean } = {}): CountryRef[] {
  return [...COUNTRIES.values()]
    .filter((c) => c.isoCode || options.includeOtherCodes === true)
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The known codes that ISO 3166-1 lacks (see CountryRef.isoCode), sorted. */
export const NON_ISO_CODES: readonly string[] = [...COUNTRIES.values()]
  .filter((c) => !c.isoCode)
  .map((c) => c.code)
  .sort();

/** The known codes that name no country or territory (see CountryRef.place), sorted. */
export const NON_PLACE_CODES: readonly string[] = [...COUNTRIES.values()]
  .filter((c) => !c.place)
  .map((c) => c.code)
  .sort();
