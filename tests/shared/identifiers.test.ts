import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { readCsv } from '../../shared/src/io/csv';
import {
  ACRONYM,
  COUNTRY_CODE,
  type IdentifierFormat,
  INDICATOR_CODE,
  INSTRUMENT_CODE,
  isValid,
  named,
  normalise,
  ORGANIZATION_CODE,
  PROCESS_CODE,
  RECORD_ID,
  spelled,
} from '../../shared/src/reference/identifiers';

const column = (file: string, name: string) =>
  readCsv(path.join(PROJECT_ROOT, file))
    .map((r) => r[name])
    .filter((v) => v !== '');

describe('identifier formats', () => {
  // The formats are the ones reads and writes share: every identifier of the reference data must pass.
  it.each<[string, IdentifierFormat, string[]]>([
    ['instrument codes', INSTRUMENT_CODE, column('services/legal-instruments/seed/legal-instruments.csv', 'code')],
    ['training ids', RECORD_ID, column('services/legal-instruments/seed/iml-trainings.csv', 'id')],
    ['publication ids', RECORD_ID, column('services/legal-instruments/seed/publications.csv', 'id')],
    ['meeting ids', RECORD_ID, column('services/consultative-processes/seed/meetings.csv', 'id')],
    ['programme ids', RECORD_ID, column('services/un-partnerships/seed/programmes.csv', 'id')],
    ['process codes', PROCESS_CODE, column('services/consultative-processes/seed/consultative-processes.csv', 'code')],
    ['processes a programme supports', PROCESS_CODE, column('services/un-partnerships/seed/programmes.csv', 'supports_process')],
    [
      'regional organisation codes',
      ORGANIZATION_CODE,
      column('services/consultative-processes/seed/regional-economic-communities.csv', 'code'),
    ],
    ['agency acronyms', ACRONYM, column('services/un-partnerships/seed/un-agencies.csv', 'acronym')],
    [
      'indicator codes of the catalogue fixture',
      INDICATOR_CODE,
      column('tests/fixtures/migration-data/indicator-catalogue.csv', 'code'),
    ],
    ['country codes', COUNTRY_CODE, column('services/legal-instruments/seed/ratifications.csv', 'iso3')],
  ])('accepts every one of the seeded %s', (_, format, values) => {
    expect(values.filter((v) => !isValid(format, normalise(format, v)))).toEqual([]);
  });

  it('normalises to upper case except for acronyms, which keep their case', () => {
    expect([normalise(RECORD_ID, ' iml-cedeao-sen '), normalise(ACRONYM, ' UN Women ')]).toEqual(['IML-CEDEAO-SEN', 'UN Women']);
  });

  it('refuses what no write could store: a dot or more than 20 characters in an acronym, 61 characters in a record id or an indicator code', () => {
    expect([
      isValid(ACRONYM, 'U.N. Women'),
      isValid(ACRONYM, 'A'.repeat(21)),
      isValid(ACRONYM, 'A'.repeat(20)),
      isValid(RECORD_ID, 'A'.repeat(61)),
      isValid(RECORD_ID, 'A'.repeat(60)),
      isValid(INDICATOR_CODE, `W${'_'.repeat(59)}`),
      isValid(INDICATOR_CODE, `W${'_'.repeat(60)}`),
    ]).toEqual([false, false, true, false, true, true, false]);
  });

  it('spells the messages from the format, with its lengths when asked', () => {
    expect([
      spelled(RECORD_ID, 'MIDWA-2024-ABUJA', { lengths: true }),
      spelled(INSTRUMENT_CODE, 'AU-KAMPALA'),
      spelled(RECORD_ID),
      named(PROCESS_CODE, 'MIDWA'),
      named(RECORD_ID, 'FMM-WEST-AFRICA', 'a programme id'),
    ]).toEqual([
      'letters, digits and hyphens (2 to 60), such as MIDWA-2024-ABUJA',
      'letters, digits and hyphens, such as AU-KAMPALA',
      'letters, digits and hyphens',
      'a process code, such as MIDWA',
      'a programme id, such as FMM-WEST-AFRICA',
    ]);
  });
});
