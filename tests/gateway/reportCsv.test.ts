import { tableCsv } from '../../gateway/src/reports/formats';
import type { Table } from '../../gateway/src/reports/tables';
import { libreOfficeDescribe, openInSpreadsheet, type ReadCell } from '../support/libreOffice';

// A report's CSV as a spreadsheet opens it: LibreOffice Calc reads the file with type detection on,
// as Excel does, and the cells are read back with their types.

const table: Table = {
  name: 'organizationMemberships',
  columns: [
    { label: 'country code', date: false },
    { label: 'from', date: true },
    { label: 'members', date: false },
  ],
  rows: [
    ['MRT', '2017-08', 12],
    ['CPV', '1977', 15],
    ['SEN', '2024-06-30', 15],
    ['TCD', null, 11],
  ],
};

const text = (value: string): ReadCell => ({ type: 'text', value });
const number = (value: number): ReadCell => ({ type: 'number', value });
const header = [text('country code'), text('from'), text('members')];

describe('dates in a report CSV', () => {
  it('writes dates as ISO text by default, and as a text formula of the same date with dates=text', () => {
    expect(tableCsv(table).split('\r\n')).toEqual([
      '\ufeffcountry code,from,members',
      'MRT,2017-08,12',
      'CPV,1977,15',
      'SEN,2024-06-30,15',
      'TCD,,11',
      '',
    ]);
    expect(tableCsv(table, ';', 'text').split('\r\n')).toEqual([
      '\ufeffcountry code;from;members',
      'MRT;"=""2017-08""";12',
      'CPV;"=""1977""";15',
      'SEN;"=""2024-06-30""";15',
      'TCD;;11',
      '',
    ]);
  });

  it('wraps only what has the form of a date: anything else in a date column is neutralised as text always is', () => {
    const odd: Table = { ...table, rows: [['X', '=HYPERLINK("http://example.invalid")', 1]] };
    expect(tableCsv(odd, ',', 'text').split('\r\n')[1]).toBe(`X,"'=HYPERLINK(""http://example.invalid"")",1`);
  });
});

libreOfficeDescribe('opening report CSV files in LibreOffice Calc')('dates in a report CSV opened in a spreadsheet', () => {
  it('keeps every date as the text it is with dates=text, in a comma file (English) and a semicolon file (French)', async () => {
    const [comma, semicolon] = await openInSpreadsheet([
      { csv: tableCsv(table, ',', 'text'), import: { separator: ',', language: 1033 } },
      { csv: tableCsv(table, ';', 'text'), import: { separator: ';', language: 1036 } },
    ]);
    const expected = [
      header,
      [text('MRT'), text('2017-08'), number(12)],
      [text('CPV'), text('1977'), number(15)],
      [text('SEN'), text('2024-06-30'), number(15)],
      [text('TCD'), { type: 'empty' }, number(11)],
    ];
    expect({ comma, semicolon }).toEqual({ comma: expected, semicolon: expected });
  }, 180_000);

  it('retypes plain ISO dates of mixed precision, which is why the option exists: a year becomes a number, a day a date', async () => {
    const [plain] = await openInSpreadsheet([{ csv: tableCsv(table), import: { separator: ',', language: 1033 } }]);
    expect(plain.map((row) => row[1])).toEqual([
      text('from'),
      // Excel makes this one a day (1 August 2017) as well; LibreOffice leaves a year and month alone.
      text('2017-08'),
      number(1977),
      { type: 'date', value: '2024-06-30' },
      { type: 'empty' },
    ]);
  }, 180_000);
});
