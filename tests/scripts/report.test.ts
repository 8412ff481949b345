import { applyKeep, flattenRows, loadReport, parseArgs, reportVariables, toCsv } from '../../scripts/report';

describe('the report writer', () => {
  it('makes one row per leaf record, repeats the scalars above it, and gives sibling lists rows of their own', () => {
    const data = {
      country: {
        code: 'SEN',
        status: { value: 'PARTY' },
        themes: ['a', 'b'],
        trainings: [{ id: 'T1' }, { id: 'T2' }],
        programmes: [{ id: 'P1', agencies: [{ agency: { acronym: 'ILO' } }, { agency: { acronym: 'UNDP' } }] }],
        meetings: [],
      },
    };
    expect(flattenRows(data)).toEqual([
      { 'country.code': 'SEN', 'country.status.value': 'PARTY', 'country.themes': 'a; b', 'country.meetings': null, 'country.trainings.id': 'T1' },
      { 'country.code': 'SEN', 'country.status.value': 'PARTY', 'country.themes': 'a; b', 'country.meetings': null, 'country.trainings.id': 'T2' },
      { 'country.code': 'SEN', 'country.status.value': 'PARTY', 'country.themes': 'a; b', 'country.meetings': null, 'country.programmes.id': 'P1', 'country.programmes.agencies.agency.acronym': 'ILO' },
      { 'country.code': 'SEN', 'country.status.value': 'PARTY', 'country.themes': 'a; b', 'country.meetings': null, 'country.programmes.id': 'P1', 'country.programmes.agencies.agency.acronym': 'UNDP' },
    ]);
  });

  it('keeps a record whose lists are all empty as one row, an empty list and a null object as empty cells', () => {
    expect(flattenRows({ list: [{ code: 'A', items: [], country: null }] })).toEqual([{ 'list.code': 'A', 'list.items': null, 'list.country': null }]);
  });

  it('writes RFC 4180 CSV with every column in order of first appearance', () => {
    expect(toCsv([{ a: 'x,y', b: null }, { a: 'say "hi"', c: 3 }])).toBe('a,b,c\r\n"x,y",,\r\n"say ""hi""",,3\r\n');
  });

  it('keeps only the list items a keep rule selects, dropping those without the value', () => {
    const rule = { list: ['p', 'items'], field: ['country', 'status'], op: '!=' as const, value: 'PARTY' };
    const data = { p: { items: [{ country: { status: 'PARTY' } }, { country: { status: 'SIGNATORY' } }, { country: null }] } };
    expect(applyKeep(data, [rule])).toEqual({ p: { items: [{ country: { status: 'SIGNATORY' } }] } });
    expect(data.p.items).toHaveLength(3);
  });

  it('types --var values by the operation, splitting lists on commas, and rejects bad ones with a message', () => {
    expect(reportVariables(loadReport('data-coverage'), ['codes=SEN, MLI', 'asOf=2024-01-01'])).toEqual({ codes: ['SEN', 'MLI'], asOf: '2024-01-01' });
    expect(() => reportVariables(loadReport('gap-analysis'), ['process'])).toThrow('--var takes key=value, not "process"');
    expect(loadReport('gap-analysis').keep).toEqual([
      { list: ['consultativeProcess', 'participants'], field: ['country', 'treatyStatus', 'status'], op: '!=', value: 'PARTY' },
    ]);
  });

  it('reads the command line and refuses what it does not know', () => {
    expect(parseArgs(['gap-analysis', '--var', 'process=MIDCAS', '--format', 'json', '--out', 'x.json'])).toEqual({
      name: 'gap-analysis', vars: ['process=MIDCAS'], format: 'json', out: 'x.json',
    });
    expect(() => parseArgs(['a', '--format', 'xml'])).toThrow('--format must be csv or json, not "xml"');
    expect(() => parseArgs(['a', '--verbose'])).toThrow('Unknown option --verbose');
    expect(() => parseArgs(['a', 'b'])).toThrow('One report at a time (got "a" and "b")');
  });
});
