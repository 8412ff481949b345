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
  /** False for the two UN DESA codes that are not ISO 3166-1 (OOO, XCX). */
  isoCode: boolean;
}

/** Codes used by the UN DESA migrant-stock data that ISO 3166-1 does not have. */
const NON_ISO: CountryRef[] = [
  {
    code: 'OOO',
    iso2: null,
    m49: null,
    name: 'Other or unknown origin',
    nameFr: 'Origine autre ou inconnue',
    region: null,
    subregion: null,
    intermediateRegion: null,
    isoCode: false,
  },
  {
    code: 'XCX',
    iso2: null,
    m49: '830',
    name: 'Channel Islands',
    nameFr: 'Îles Anglo-Normandes',
    region: 'Europe',
    subregion: 'Northern Europe',
    intermediateRegion: null,
    isoCode: false,
  },
];

function load(): Map<string, CountryRef> {
  const rows = readCsv(path.join(PROJECT_ROOT, 'shared', 'data', 'countries.csv'));
  const map = new Map<string, CountryRef>();
  for (const row of rows) {
    const code = row.iso3.trim();
    map.set(code, {
      code,
      // Namibia's alpha-2 code is the string "NA": never read it as missing.
      iso2: row.iso2 === '' ? null : row.iso2,
      m49: blankToNull(row.m49),
      name: row.name,
      nameFr: countriesI18n.getName(code, 'fr') ?? null,
      region: blankToNull(row.region),
      subregion: blankToNull(row.subregion),
      intermediateRegion: blankToNull(row.intermediate_region),
      isoCode: true,
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
