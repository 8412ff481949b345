/**
 * Country codes in the corridor table are stored as small integers: the three letters of an ISO
 * alpha-3 code (or OOO, XCX) read as a base-26 number, 0 (AAA) to 17,575 (ZZZ). The order of the
 * numbers is the alphabetical order of the codes, so ranking ties still break on the code; sorting
 * and comparing two-byte integers makes the import's index build and the queries' sorts about
 * twice as fast as on char(3). The database has the same mapping as SQL functions
 * (data.country_key, data.country_code) for people who query it directly.
 */
export const COUNTRY_KEYS = 26 * 26 * 26;

/** The key of a code of three capital letters; -1 for anything else. */
export function countryKey(code: string): number {
  if (code.length !== 3) return -1;
  const a = code.charCodeAt(0) - 65;
  const b = code.charCodeAt(1) - 65;
  const c = code.charCodeAt(2) - 65;
  if (a < 0 || a > 25 || b < 0 || b > 25 || c < 0 || c > 25) return -1;
  return a * 676 + b * 26 + c;
}

const CODES: string[] = [];
for (let k = 0; k < COUNTRY_KEYS; k += 1) {
  CODES.push(String.fromCharCode(65 + Math.floor(k / 676), 65 + (Math.floor(k / 26) % 26), 65 + (k % 26)));
}

/** The code of a key (the inverse of countryKey). */
export function codeOfKey(key: number): string {
  const code = CODES[key];
  if (code === undefined) throw new RangeError(`${key} is not a country key`);
  return code;
}

export const countryKeys = (codes: readonly string[]): number[] => codes.map(countryKey);
