import type { GraphQLError } from 'graphql';
import { graphError } from './errors';

/**
 * "Did you mean...?" for a code or name that matches nothing: the nearest known records, in the
 * message and in `extensions.suggestions`, so that a NOT_FOUND answer says what to ask instead.
 * Used by every service's look-ups (countries, instruments, processes, organisations, agencies).
 */

/** A record a look-up can find: its code, its name, and the other codes it answers to (an ISO2 code, an alias). */
export interface Suggestible {
  code: string;
  name: string;
  /** Other codes that mean this record exactly (CI for CIV): a match is the first suggestion. */
  alternateCodes?: readonly string[];
}

/** What a NOT_FOUND error suggests: the code to ask for and the record's name. */
export interface Suggestion {
  code: string;
  name: string;
}

/** Folds case and accents, for name searches. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/** Most suggestions given. */
export const MAX_SUGGESTIONS = 3;

/**
 * Longest input compared with the records: longer than any code or name, so nothing could be near it.
 * Without it, a hostile 100 KB "code" costs a quadratic edit distance per record and stalls the service.
 */
export const MAX_SUGGESTIBLE_INPUT = 120;

/** Edit distance with adjacent transpositions (optimal string alignment): CVI is one edit from CIV. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[rows - 1][cols - 1];
}

const sortedLetters = (text: string) => [...text].sort().join('');

/**
 * The nearest records to `input`, best first, at most MAX_SUGGESTIONS:
 * 1. a record one of whose other codes is the input (CI → CIV, OIT → ILO): then that one only;
 * 2. codes with the same letters in another order (IVC → CIV, SNE → SEN), then codes close by edit
 *    distance (at most one edit for inputs of up to four characters, two for longer ones);
 * 3. records whose name contains the input, once it has four characters or more (ivoire → CIV).
 * Case and accents are ignored. Nothing when nothing is near.
 */
export function suggest(input: string, records: readonly Suggestible[]): Suggestion[] {
  if (input.length > MAX_SUGGESTIBLE_INPUT) return [];
  const wanted = fold(input.trim());
  if (wanted === '') return [];
  const scored: { record: Suggestible; score: number }[] = [];
  const limit = wanted.length <= 4 ? 1 : 2;
  for (const record of records) {
    const code = fold(record.code);
    if (code === wanted) continue;
    let score = Infinity;
    if ((record.alternateCodes ?? []).some((c) => fold(c) === wanted)) score = 0;
    else {
      // The distance is at least the difference in length, so most codes need no matrix at all.
      const distance = Math.abs(wanted.length - code.length) > limit ? Infinity : editDistance(wanted, code);
      const anagram = wanted.length === code.length && sortedLetters(wanted) === sortedLetters(code);
      const near = anagram ? Math.min(distance, 0.5) : distance;
      if (near <= limit) score = near;
      else if (wanted.length >= 4 && fold(record.name).includes(wanted)) score = limit + 1;
    }
    if (score !== Infinity) scored.push({ record, score });
  }
  // A record the input names exactly by another code is the answer: nothing else is suggested.
  const exact = scored.filter((s) => s.score === 0);
  return (exact.length > 0 ? exact : scored)
    .sort((a, b) => a.score - b.score || (a.record.code < b.record.code ? -1 : a.record.code > b.record.code ? 1 : 0))
    .slice(0, MAX_SUGGESTIONS)
    .map(({ record }) => ({ code: record.code, name: record.name }));
}

/** " Did you mean CIV (Côte d'Ivoire) or CPV (Cabo Verde)?", or nothing. */
export function didYouMean(suggestions: readonly Suggestion[]): string {
  if (suggestions.length === 0) return '';
  const named = suggestions.map((s) => (s.name === s.code ? s.code : `${s.code} (${s.name})`));
  const listed = named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}`;
  return ` Did you mean ${listed}?`;
}

/** NOT_FOUND for `input`, with the nearest records, when there are some, in the message and in extensions.suggestions. */
export function notFoundSuggesting(message: string, input: string, records: readonly Suggestible[]): GraphQLError {
  const suggestions = suggest(input, records);
  if (suggestions.length === 0) return graphError('NOT_FOUND', message);
  return graphError('NOT_FOUND', `${message}.${didYouMean(suggestions)}`, { suggestions });
}
