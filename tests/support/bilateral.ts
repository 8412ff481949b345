import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';

/** One row of a bilateral migrant-stock CSV, as the file has it. */
export interface BilateralRow {
  destination: string;
  origin: string;
  year: number;
  sex: 'male' | 'female';
  stock: number;
}

const cache = new Map<string, BilateralRow[]>();

/**
 * The rows of a seeded bilateral file, read straight from the CSV: an oracle that does not go
 * through the import or the database.
 */
export function bilateralRows(file = 'migrant-stock-bilateral.csv'): BilateralRow[] {
  const cached = cache.get(file);
  if (cached) return cached;
  const text = fs.readFileSync(path.join(PROJECT_ROOT, 'services', 'migration-data', 'seed', file), 'utf8');
  const rows = text
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => {
      const [destination, origin, year, sex, stock] = l.split(',');
      return { destination, origin, year: Number(year), sex: sex as 'male' | 'female', stock: Number(stock) };
    });
  cache.set(file, rows);
  return rows;
}

/** Male and female sums of the rows that match. */
export function sumBySex(rows: BilateralRow[], keep: (r: BilateralRow) => boolean): { male: number; female: number } {
  let male = 0;
  let female = 0;
  for (const r of rows) {
    if (!keep(r)) continue;
    if (r.sex === 'male') male += r.stock;
    else female += r.stock;
  }
  return { male, female };
}

export interface OracleCorridor {
  destination: string;
  origin: string;
  male: number | null;
  female: number | null;
  total: number | null;
}

/**
 * The corridors of one year among the rows that match, in the graph's order: larger total first
 * (total known only when both sexes have a row; unknown totals last), then destination, origin.
 */
export function rankedCorridors(
  rows: BilateralRow[],
  year: number,
  keep: (r: BilateralRow) => boolean = () => true,
): OracleCorridor[] {
  const byKey = new Map<string, OracleCorridor>();
  for (const r of rows) {
    if (r.year !== year || !keep(r)) continue;
    const key = `${r.destination}${r.origin}`;
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { destination: r.destination, origin: r.origin, male: null, female: null, total: null }));
    c[r.sex] = r.stock;
  }
  const list = [...byKey.values()];
  for (const c of list) c.total = c.male !== null && c.female !== null ? c.male + c.female : null;
  return list.sort(
    (a, b) =>
      (b.total ?? -1) - (a.total ?? -1) ||
      (a.destination < b.destination ? -1 : a.destination > b.destination ? 1 : 0) ||
      (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0),
  );
}
