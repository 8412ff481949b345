/**
 * The formats of the graph's identifiers, each stated once and used by the reads that look a
 * record up, the mutations that write one and the importers: a format that drifts between read
 * and write finds records it could never have stored, or refuses ones it did.
 */

export interface IdentifierFormat {
  /** The stored form, after normalise(). */
  readonly pattern: RegExp;
  readonly minLength: number;
  readonly maxLength: number;
  /** What messages call a value of this format, with its article: "a process code". */
  readonly noun: string;
  /** The characters it may hold, as messages spell them. */
  readonly spelling: string;
  /** Acronyms keep their case (UN Women); every other identifier is stored in upper case. */
  readonly keepCase: boolean;
}

function format(f: {
  chars: string;
  first: string;
  min: number;
  max: number;
  noun: string;
  spelling: string;
  keepCase?: boolean;
}): IdentifierFormat {
  return {
    pattern: new RegExp(`^${f.first}${f.chars}{${f.min - 1},${f.max - 1}}$`),
    minLength: f.min,
    maxLength: f.max,
    noun: f.noun,
    spelling: f.spelling,
    keepCase: f.keepCase ?? false,
  };
}

const HYPHENATED = 'letters, digits and hyphens';

/**
 * ISO 3166-1 alpha-3 (SEN), and the data sets' codes that ISO lacks, one of which has a digit: IDMC's
 * AB9 (Abyei). So a letter, then two letters or digits; which codes exist is the country list's say.
 */
export const COUNTRY_CODE = format({
  first: '[A-Z]',
  chars: '[A-Z0-9]',
  min: 3,
  max: 3,
  noun: 'a country code',
  spelling: 'three letters or digits, the first a letter',
});

/** Legal instruments: ICRMW, AU-KAMPALA, ILO-C097, ECOWAS-FMP-1979. */
export const INSTRUMENT_CODE = format({
  first: '[A-Z0-9]',
  chars: '[A-Z0-9-]',
  min: 2,
  max: 30,
  noun: 'an instrument code',
  spelling: HYPHENATED,
});

/** Consultative processes (MIDWA, MIDCAS, IDM), also where a programme names the one it supports. */
export const PROCESS_CODE = format({
  first: '[A-Z]',
  chars: '[A-Z0-9-]',
  min: 2,
  max: 20,
  noun: 'a process code',
  spelling: HYPHENATED,
});

/** Regional organisations (ECOWAS, ECCAS). */
export const ORGANIZATION_CODE = format({
  first: '[A-Z]',
  chars: '[A-Z0-9-]',
  min: 2,
  max: 20,
  noun: 'an organisation code',
  spelling: HYPHENATED,
});

/** Records named by a readable id: trainings, publications, meetings, programmes (IML-CEDEAO-SEN). */
export const RECORD_ID = format({
  first: '[A-Z0-9]',
  chars: '[A-Z0-9-]',
  min: 2,
  max: 60,
  noun: 'a record id',
  spelling: HYPHENATED,
});

/**
 * UN agencies: UNHCR, UN Women. No "." and at most 20 characters: no agency's acronym has more
 * (the reads once allowed both, so they accepted acronyms that no write could store).
 */
export const ACRONYM = format({
  first: '[A-Z]',
  chars: '[A-Za-z0-9 -]',
  min: 2,
  max: 20,
  noun: 'an agency acronym',
  spelling: 'letters, digits, spaces or hyphens',
  keepCase: true,
});

/** Indicators of the catalogue (WB_NET_MIGRATION, IDMC_NEW_DISPLACEMENTS_VOLCANIC_ACTIVITY). */
export const INDICATOR_CODE = format({
  first: '[A-Z]',
  chars: '[A-Z0-9_.]',
  min: 1,
  // The reference catalogue's longest code, IDMC_NEW_DISPLACEMENTS_EXTREME_TEMPERATURE, has 42.
  max: 60,
  noun: 'an indicator code',
  spelling: 'letters, digits, "_" or "."',
});

/** Migration profiles: the country and the edition year (SEN-2018). */
export const PROFILE_ID: IdentifierFormat = {
  pattern: /^[A-Z]{3}-\d{4}$/,
  minLength: 8,
  maxLength: 8,
  noun: 'a migration-profile id',
  spelling: 'a country code and a year',
  keepCase: false,
};

/** ISBN-10 or ISBN-13, hyphens anywhere between the digits. */
export const ISBN: IdentifierFormat = {
  pattern: /^(?=(?:[^0-9X]*[0-9X]){10}(?:(?:[^0-9X]*[0-9X]){3})?$)[0-9][0-9-]*[0-9X]$/,
  minLength: 10,
  maxLength: 17,
  noun: 'an ISBN of 10 or 13 digits (hyphens allowed)',
  spelling: 'digits and hyphens',
  keepCase: false,
};

/** Serial record ids: positive PostgreSQL integers. */
export const SERIAL_ID_MAX = 2147483647;

/** The stored form of a value given for this format: trimmed, and upper case unless it keeps its case. */
export function normalise(f: IdentifierFormat, value: unknown): string {
  const trimmed = String(value).trim();
  return f.keepCase ? trimmed : trimmed.toUpperCase();
}

/** Whether a value, once normalised, has this format. */
export function isValid(f: IdentifierFormat, value: string): boolean {
  return f.pattern.test(value);
}

/** "letters, digits and hyphens, such as MIDWA"; with lengths: "letters, digits and hyphens (2 to 20), such as MIDWA". */
export function spelled(f: IdentifierFormat, example?: string, opts: { lengths?: boolean } = {}): string {
  const lengths = opts.lengths ? ` (${f.minLength} to ${f.maxLength})` : '';
  return `${f.spelling}${lengths}${example ? `, such as ${example}` : ''}`;
}

/** "a process code, such as MIDWA". */
export function named(f: IdentifierFormat, example?: string, noun = f.noun): string {
  return example ? `${noun}, such as ${example}` : noun;
}

/** The years a record may carry (a profile's edition, a publication, an indicator value): part of some keys. */
export const RECORD_YEARS = { min: 1900, max: 2100 } as const;
