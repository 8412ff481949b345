import countries from 'i18n-iso-countries';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { readCsv } from '../../shared/src/io/csv';
import { type Stack, startStack } from '../support/stack';
import { required } from '../../shared/src/runtime/required';

// French names come from their sources: i18n-iso-countries for countries, the organisations' and
// processes' seed rows; instruments have no French title in any source yet, so they stay English and
// say so (titleLanguages), never a made-up translation.
const seed = (file: string) => readCsv(path.join(PROJECT_ROOT, 'services', file));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

describe('French through the gateway', () => {
  it('names countries, organisations, processes and instruments in French where a source does, in one operation', async () => {
    const result = await stack.query(`{
      country(code: "CIV") { name(lang: FR) }
      regionalOrganization(code: "CEEAC") { name(lang: FR) acronym(lang: FR) }
      midcas: consultativeProcess(code: "DIMAC") { name(lang: FR) }
      midwa: consultativeProcess(code: "MIDWA") { name(lang: FR) }
      instrument(code: "ICRMW") { title(lang: FR) shortTitle(lang: FR) titleLanguages english: title }
    }`);
    const eccas = required(
      seed('consultative-processes/seed/regional-economic-communities.csv').find((r) => r.code === 'ECCAS'),
      'ECCAS',
    );
    const processes = seed('consultative-processes/seed/consultative-processes.csv');
    const icrmw = required(
      seed('legal-instruments/seed/legal-instruments.csv').find((r) => r.code === 'ICRMW'),
      'ICRMW',
    );
    expect(result).toEqual({
      status: 200,
      data: {
        country: { name: countries.getName('CI', 'fr') },
        regionalOrganization: { name: eccas.french_name, acronym: eccas.french_acronym },
        // The French alias of MIDCAS is the only French process name a source gives.
        midcas: {
          name: required(
            processes.find((p) => p.code === 'MIDCAS'),
            'MIDCAS',
          )
            .aliases.split(';')
            .map((a) => a.trim())
            .find((a) => a.startsWith('Dialogue')),
        },
        midwa: { name: processes.find((p) => p.code === 'MIDWA')?.name },
        instrument: { title: icrmw.title, shortTitle: icrmw.short_title, titleLanguages: ['EN'], english: icrmw.title },
      },
    });
  });

  it('gives every instrument its English title with titleLanguages [EN] while no source gives a French one', async () => {
    const result = await stack.query(
      '{ instruments(first: 100) { edges { node { code fr: title(lang: FR) en: title titleLanguages } } } }',
    );
    const rows = seed('legal-instruments/seed/legal-instruments.csv').sort((a, b) => (a.code < b.code ? -1 : 1));
    expect(result.data).toEqual({
      instruments: { edges: rows.map((r) => ({ node: { code: r.code, fr: r.title, en: r.title, titleLanguages: ['EN'] } })) },
    });
  });
});
