import fs from 'node:fs';
import { parse } from 'csv-parse/sync';

/** Reads a small RFC 4180 CSV file with a header line into records of strings. Empty cells stay ''. */
export function readCsv(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true });
}

/** An empty cell means "no source gave the value": it becomes null, never 0 or "none". */
export function blankToNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
