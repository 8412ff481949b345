import { didYouMean, editDistance, MAX_SUGGESTIBLE_INPUT, suggest } from '../../shared/src/graphql/suggestions';

const records = [
  { code: 'CIV', name: "Côte d'Ivoire", alternateCodes: ['CI'] },
  { code: 'CHN', name: 'China', alternateCodes: ['CN'] },
  { code: 'SEN', name: 'Senegal', alternateCodes: ['SN'] },
  { code: 'MNE', name: 'Montenegro', alternateCodes: ['ME'] },
  { code: 'GIN', name: 'Guinea', alternateCodes: ['GN'] },
  { code: 'GNB', name: 'Guinea-Bissau', alternateCodes: ['GW'] },
  { code: 'ILO', name: 'International Labour Organization', alternateCodes: ['OIT'] },
];
const codes = (input: string) => suggest(input, records).map((s) => s.code);

describe('suggestions for a code that matches nothing', () => {
  it('counts edits, a swap of two neighbours as one', () => {
    expect([
      editDistance('CIV', 'CIV'),
      editDistance('CVI', 'CIV'),
      editDistance('IVC', 'CIV'),
      editDistance('SEN', 'MNE'),
    ]).toEqual([0, 1, 2, 2]);
  });

  it('answers another code of a record with that record only, whatever else is near', () => {
    expect([codes('CI'), codes('ci'), codes('OIT')]).toEqual([['CIV'], ['CIV'], ['ILO']]);
  });

  it('puts the same letters in another order before codes one edit away', () => {
    expect([codes('IVC'), codes('SNE'), codes('CVI')]).toEqual([['CIV'], ['SEN', 'MNE'], ['CIV']]);
  });

  it('finds names that contain the input, accents and case aside, from four characters', () => {
    expect([codes('ivoire'), codes('COTE'), codes('guinea'), codes('gui')]).toEqual([['CIV'], ['CIV'], ['GIN', 'GNB'], []]);
  });

  it('gives at most three suggestions, nearest first and then by code', () => {
    const near = ['SEA', 'SEB', 'SEC', 'SED', 'NES'].map((code) => ({ code, name: code }));
    expect(suggest('SEN', near).map((s) => s.code)).toEqual(['NES', 'SEA', 'SEB']);
  });

  it('suggests nothing for the code itself or for what is far from everything', () => {
    expect([codes('CIV'), codes('XYZ'), codes('   ')]).toEqual([[], [], []]);
  });

  it('does not compare an input longer than any code or name with the records (a hostile 100 KB code stalled a service)', () => {
    let read = 0;
    const watched = records.map((r) => ({
      get code() {
        read += 1;
        return r.code;
      },
      name: r.name,
    }));
    expect(suggest('CIV'.repeat(40_000), watched)).toEqual([]);
    expect(read).toBe(0);
    expect(suggest(`${'x'.repeat(MAX_SUGGESTIBLE_INPUT - 3)}CIV`, watched)).toEqual([]);
    expect(read).toBe(watched.length);
  });

  it('suggests no code whose length is past the edit limit from the input, and still finds names', () => {
    // Seven characters against three-letter codes: at least four edits apart, past the limit of two.
    expect(codes('CIVCIVX')).toEqual([]);
    expect(codes('Guinea-')).toEqual(['GNB']);
  });

  it('says "did you mean" with codes and names, or nothing', () => {
    expect([
      didYouMean([]),
      didYouMean([{ code: 'CIV', name: "Côte d'Ivoire" }]),
      didYouMean([
        { code: 'SEN', name: 'Senegal' },
        { code: 'MNE', name: 'Montenegro' },
        { code: 'X', name: 'X' },
      ]),
    ]).toEqual(['', " Did you mean CIV (Côte d'Ivoire)?", ' Did you mean SEN (Senegal), MNE (Montenegro) or X?']);
  });
});
