import { badUserInput } from './errors';

/** The hard cap on `first` for every connection in the graph. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

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
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
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

/** Validates `first` and `after` before any SQL runs. */
export function parsePage(args: PageArgs, max = MAX_PAGE_SIZE, fallback = DEFAULT_PAGE_SIZE): Page {
  const first = args.first ?? Math.min(fallback, max);
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw badUserInput(`\`first\` must be between 0 and ${max}, got ${first}`, [
      { field: 'first', message: `must be between 0 and ${max}` },
    ]);
  }
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
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    },
    totalCount,
  };
}

/** Pages an in-memory list (small lists that a loader already fetched whole). */
export function connectionFromArray<T>(all: T[], args: PageArgs, max = MAX_PAGE_SIZE): Connection<T> {
  const page = parsePage(args, max);
  return toConnection(all.slice(page.offset, page.offset + page.limit), all.length, page);
}
