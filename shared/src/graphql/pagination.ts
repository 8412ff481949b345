import type { GraphQLError } from 'graphql';
import { badUserInput, graphError, type GraphErrorOptions } from './errors';
import type { ListBound } from './listBounds';

/** The page size when a client passes `first: null` (the schema's default applies when it passes nothing). */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Why the size a client asked of a field is refused, or null. A field sized by an argument declares
 * its cap as `@listSize(assumedSize: <cap>, slicingArguments: [...])`: the one number the gateway
 * checks before any service is called, each service checks before the field resolves, and the cost
 * analysis counts when no size is given.
 */
export function pageSizeProblem(
  coordinate: string,
  bound: ListBound | undefined,
  args: Record<string, unknown>,
  options: GraphErrorOptions = {},
): GraphQLError | null {
  const cap = bound?.assumedSize;
  if (!bound?.slicingArguments || cap === undefined) return null;
  for (const name of bound.slicingArguments) {
    const value = args[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > cap) {
      return graphError(
        'BAD_USER_INPUT',
        `\`${name}\` of ${coordinate} must be between 0 and ${cap}, got ${String(value)}`,
        { problems: [{ field: name, message: `must be between 0 and ${cap}` }] },
        options,
      );
    }
  }
  return null;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  limit: number;
  offset: number;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^o:(\d{1,9})$/.exec(decoded);
  if (!m) throw badUserInput('`after` is not a cursor this field returned', [{ field: 'after', message: 'invalid cursor' }]);
  return Number(m[1]);
}

/** The size a field sized by an argument was asked for (its first slicing argument given a number), else null. */
export function askedSize(bound: ListBound | undefined, args: Record<string, unknown>): number | null {
  for (const name of bound?.slicingArguments ?? []) {
    const value = args[name];
    if (typeof value === 'number') return value;
  }
  return null;
}

/**
 * Reads `first` and `after` before any SQL runs. `first` has already been held to the field's
 * declared cap (pageSizeProblem, run for every field before it resolves).
 */
export function parsePage(args: PageArgs, fallback = DEFAULT_PAGE_SIZE): Page {
  const first = args.first ?? fallback;
  const offset = args.after ? decodeCursor(args.after) + 1 : 0;
  return { limit: first, offset };
}

/** Builds a connection from one page of rows (already sliced by limit/offset) and the total. */
export function toConnection<T>(rows: T[], totalCount: number, page: Page): Connection<T> {
  const edges = rows.map((node, i) => ({ cursor: encodeCursor(page.offset + i), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.offset + rows.length < totalCount,
      // Offset cursors know exactly whether anything precedes the page, so the answer is given rather than false.
      hasPreviousPage: page.offset > 0 && totalCount > 0,
      startCursor: edges.length > 0 ? edges[0].cursor : null,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    },
    totalCount,
  };
}

/** Pages an in-memory list (small lists that a loader already fetched whole). */
export function connectionFromArray<T>(all: T[], args: PageArgs): Connection<T> {
  const page = parsePage(args);
  return toConnection(all.slice(page.offset, page.offset + page.limit), all.length, page);
}

/**
 * A page read by key rather than by position, for lists read newest first whose head grows while a
 * client pages (a record's history): the page after a cursor is the items whose key is below the
 * cursor's, so an item added meanwhile shifts nothing. Keys are positive integers (a sequence).
 */
export interface KeysetPage {
  limit: number;
  /** The key of the `after` cursor: the page holds the items below it. Null for the first page. */
  below: string | null;
}

function encodeKeyCursor(key: string): string {
  return Buffer.from(`k:${key}`, 'utf8').toString('base64url');
}

function decodeKeyCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  // At most 18 digits: always within a bigint, so the cursor never reaches SQL as an error.
  const m = /^k:([1-9]\d{0,17})$/.exec(decoded);
  if (!m) throw badUserInput('`after` is not a cursor this field returned', [{ field: 'after', message: 'invalid cursor' }]);
  return m[1];
}

/** Reads `first` and `after` of a field paged by key (`first` already held to its cap). */
export function parseKeysetPage(args: PageArgs, fallback = DEFAULT_PAGE_SIZE): KeysetPage {
  return { limit: args.first ?? fallback, below: args.after ? decodeKeyCursor(args.after) : null };
}

/**
 * Builds a connection (without its total) from the rows a keyset read returned: up to `limit + 1`
 * in key order, the extra one only telling that more follow.
 */
export function toKeysetConnection<T>(rows: T[], page: KeysetPage, keyOf: (row: T) => string): Omit<Connection<T>, 'totalCount'> {
  const edges = rows.slice(0, page.limit).map((node) => ({ cursor: encodeKeyCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.limit,
      // A cursor names an item this field returned: it precedes the page.
      hasPreviousPage: page.below !== null,
      startCursor: edges.length > 0 ? edges[0].cursor : null,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    },
  };
}
