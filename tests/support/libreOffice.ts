import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';

// LibreOffice Calc, headless (Debian's libreoffice-calc-nogui): a real spreadsheet engine that opens
// a CSV file the way a person would, guessing each cell's type, so a test can read back what it made.
const SOFFICE = '/usr/bin/soffice';

/**
 * `describe` when LibreOffice is installed; otherwise the block is skipped with a message naming what
 * is missing, except in CI (`CI` set), where a missing LibreOffice fails the run.
 */
export function libreOfficeDescribe(what: string): jest.Describe {
  const available = fs.existsSync(SOFFICE);
  if (!available && process.env.CI) {
    throw new Error(`${SOFFICE} is missing: CI must install libreoffice-calc-nogui before npm test`);
  }
  if (!available) {
    process.stderr.write(`[spreadsheet] skipping ${what}: ${SOFFICE} is missing (apt-get install -y libreoffice-calc-nogui)\n`);
  }
  return available ? describe : describe.skip;
}

/**
 * A cell as the engine typed it: text (also a formula whose result is text: what a spreadsheet sorts,
 * filters and shows as text), a number, a date (its day), another formula, or empty.
 */
export type ReadCell =
  | { type: 'text'; value: string }
  | { type: 'number'; value: number }
  | { type: 'date'; value: string }
  | { type: 'formula'; result: unknown }
  | { type: 'empty' };

function readCell(cell: ExcelJS.Cell): ReadCell {
  const v = cell.value;
  if (v === null || v === undefined) return { type: 'empty' };
  if (typeof v === 'number') return { type: 'number', value: v };
  if (typeof v === 'string') return { type: 'text', value: v };
  if (v instanceof Date) return { type: 'date', value: v.toISOString().slice(0, 10) };
  if (typeof v === 'object' && 'formula' in v) {
    return typeof v.result === 'string' ? { type: 'text', value: v.result } : { type: 'formula', result: v.result };
  }
  return { type: 'text', value: cell.text };
}

export interface CsvImport {
  /** The cell separator, as the import dialog would be set. */
  separator: ',' | ';';
  /** The locale the file is read in (a Windows language id: 1033 English (US), 1036 French). */
  language: number;
}

/**
 * Opens CSV files in LibreOffice as UTF-8 with "detect special numbers" on (what Excel does: dates
 * and times are recognised, not only plain numbers), saves each as xlsx and reads the cells back.
 */
export async function openInSpreadsheet(files: { csv: string; import: CsvImport }[]): Promise<ReadCell[][][]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-soffice-'));
  try {
    const out: ReadCell[][][] = [];
    for (const [i, file] of files.entries()) {
      const input = path.join(dir, `file${i}.csv`);
      fs.writeFileSync(input, file.csv);
      // Tokens: separator, quote, charset (76: UTF-8), first line, column formats, language, quoted as text, detect special numbers.
      const filter = `CSV:${file.import.separator.charCodeAt(0)},34,76,1,,${file.import.language},false,true`;
      await promisify(execFile)(
        SOFFICE,
        [
          `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
          '--headless',
          `--infilter=${filter}`,
          '--convert-to',
          'xlsx',
          '--outdir',
          dir,
          input,
        ],
        { timeout: 120_000 },
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(path.join(dir, `file${i}.xlsx`));
      const rows: ReadCell[][] = [];
      workbook.worksheets[0].eachRow({ includeEmpty: true }, (row) => {
        const cells: ReadCell[] = [];
        for (let j = 1; j <= row.cellCount; j++) cells.push(readCell(row.getCell(j)));
        rows.push(cells);
      });
      out.push(rows);
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
