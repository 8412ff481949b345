import ExcelJS from 'exceljs';
import { csvText, spreadsheetText } from '../../../shared/src/io/csv';
import type { Table } from './tables';

export const FORMATS = ['csv', 'json', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<Format, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The byte order mark: Excel reads a CSV file as UTF-8 only when it starts with one. */
const BOM = '\ufeff';

/** How a CSV writes dates: ISO text as the graph gives it, or that text as a spreadsheet keeps it. */
export const DATE_FORMS = ['iso', 'text'] as const;
export type DateForm = (typeof DATE_FORMS)[number];

/**
 * One table as CSV for a spreadsheet: UTF-8 with a BOM, a header of column names, CRLF lines, `,`
 * or `;` between cells (Excel in French and other locales whose decimal separator is a comma
 * expects `;`). Formula-like text is neutralised (csvText). Dates are ISO text as the graph gives
 * them (`1977`, `2024-05`, `2024-05-17`), which programs read as it is but a spreadsheet retypes (a
 * day, a number); `text` writes them `="2024-05"`, which Excel and LibreOffice keep as text.
 */
export function tableCsv(table: Table, delimiter: ',' | ';' = ',', dates: DateForm = 'iso'): string {
  const dateColumns = new Set(dates === 'text' ? table.columns.flatMap((c, j) => (c.date ? [j] : [])) : []);
  return BOM + csvText([table.columns.map((c) => c.label), ...table.rows], '\r\n', delimiter, dateColumns);
}

/** One table as JSON records, keyed by column name. */
export function tableRecords(table: Table): Record<string, unknown>[] {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, j) => [c.label, row[j]])));
}

/** Sheet names: at most 31 characters, none of []:*?/\, unique. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'table';
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base.slice(0, 31 - String(n).length - 1)}~${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/**
 * The tables as an xlsx workbook, one sheet per table with a bold, frozen header. Numbers and
 * booleans are typed cells; every text is a text cell, formula-like text neutralised as in CSV;
 * dates and partial dates are text cells formatted as text (`@`), so `2024-05` stays what it says.
 */
export async function tablesXlsx(tables: Table[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const taken = new Set<string>();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(sheetName(table.name, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(table.columns.map((c) => spreadsheetText(c.label))).font = { bold: true };
    for (const values of table.rows) {
      const row = sheet.addRow(values.map((v) => (typeof v === 'string' ? spreadsheetText(v) : v)));
      table.columns.forEach((c, j) => {
        if (c.date && values[j] !== null) row.getCell(j + 1).numFmt = '@';
      });
    }
    table.columns.forEach((c, j) => {
      const widest = Math.max(c.label.length, ...table.rows.map((r) => String(r[j] ?? '').length));
      sheet.getColumn(j + 1).width = Math.min(60, Math.max(8, widest + 2));
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
