import path from 'node:path';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';
import { readCsv } from '../../../shared/src/io/csv';
import { ADDITIVE_UNITS, NON_ADDITIVE_UNITS } from '../../../services/migration-data/src/import';

// Whether an indicator adds up across countries follows from its unit, by a rule in code: the
// catalogue has no column for it. A new unit in the catalogue must be placed on one side.

const CATALOGUE = readCsv(path.join(PROJECT_ROOT, 'services', 'migration-data', 'seed', 'indicators', 'catalogue.csv'));

describe('the additive-units rule', () => {
  it('classifies every unit of the catalogue as additive or not, none as both', () => {
    const units = [...new Set(CATALOGUE.map((r) => r.unit))].sort();
    expect(units.filter((u) => !ADDITIVE_UNITS.includes(u) && !NON_ADDITIVE_UNITS.includes(u))).toEqual([]);
    expect(ADDITIVE_UNITS.filter((u) => NON_ADDITIVE_UNITS.includes(u))).toEqual([]);
  });

  it('finds no additivity column in the catalogue, so the rule stays in code', () => {
    expect(Object.keys(CATALOGUE[0])).toEqual([
      'code',
      'name',
      'unit',
      'definition',
      'source',
      'source_url',
      'licence',
      'confidence',
      'negatives_allowed',
    ]);
  });
});
