import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * The longest line (record) any CSV reader of the project accepts: a longer one is refused at once
 * with its line number, so a file without line breaks costs 64 KiB of memory, not its size.
 */
export const MAX_LINE_BYTES = 64 * 1024;

/** Reads a small RFC 4180 CSV file with a header line into records of strings. Empty cells stay ''. */
export function readCsv(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
    max_record_size: MAX_LINE_BYTES,
  });
}

/** An empty cell means "no source gave the value": it becomes null, never 0 or "none". */
export function blankToNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export type CsvValue = string | number | boolean | null | undefined;

/** An ISO 8601 date of any precision, as the graph's Date and PartialDate give it: 1977, 2017-08, 2024-06-30. */
const ISO_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/**
 * RFC 4180 text of rows, for every CSV the project writes for people (reports, rejects files): a
 * text cell beginning with =, +, -, @, tab or carriage return gets a leading single quote, so a
 * spreadsheet shows it instead of running it as a formula (OWASP's CSV-injection advice); numbers
 * are left as they are, a negative one included (also when it comes as text). Empty and null cells are empty.
 * In the columns `textDateColumns` names, a date is written `="2017-08"`, which Excel and LibreOffice
 * hold as the text it says instead of guessing a day or a number from it.
 */
export function csvText(
  rows: CsvValue[][],
  lineEnd: '\n' | '\r\n' = '\r\n',
  delimiter: ',' | ';' = ',',
  textDateColumns: ReadonlySet<number> = new Set(),
): string {
  return stringify(rows, {
    delimiter,
    escape_formulas: true,
    record_delimiter: lineEnd === '\n' ? 'unix' : 'windows',
    // Otherwise csv-stringify leaves a lone \r or \n unquoted once record_delimiter is given.
    quote_record_delimiter: true,
    // csv-stringify writes true as 1 and false as empty; a report shows the words.
    cast: {
      boolean: (v) => (v ? 'true' : 'false'),
      string: (v, context) => {
        // A negative number written as text (a cell of a rejected row) is a number too: it carries no formula.
        if (NEGATIVE_NUMBER.test(v)) return { value: v, escape_formulas: false };
        // A date as a formula of its text: a spreadsheet keeps the result as text, not a day it guesses.
        if (typeof context.column === 'number' && textDateColumns.has(context.column) && ISO_DATE.test(v)) {
          return { value: `="${v}"`, escape_formulas: false };
        }
        return v;
      },
    },
  });
}

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell for a spreadsheet file (xlsx), by the same rule as csvText: text that a spreadsheet
 * would run as a formula, once edited or saved again as CSV, gets a leading single quote.
 */
export function spreadsheetText(value: string): string {
  return FORMULA_START.test(value) && !NEGATIVE_NUMBER.test(value) ? `'${value}` : value;
}
