/**
 * The value where the code cannot go on without it: a lookup that must hit, a stream that was
 * piped, a regular expression group that matched. Fails with the name of what was missing instead
 * of a TypeError further on.
 */
export function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}
