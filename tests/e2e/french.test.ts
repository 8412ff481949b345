import countries from 'i18n-iso-countries';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { readCsv } from '../../shared/src/io/csv';
import { type Stack, startStack } from '../support/stack';
import { required } from '../../shared/src/runtime/required';
import { WCA_27 } from '../../operations/countrySets';

// French names come from their sources: ISO 3166-1's French short names for the 27 states of the
// region (shared/data/country-names-fr.csv) and i18n-iso-countries for the other countries, the
// organisations', processes' and agencies' seed rows; instruments have no French title in any source
// yet, so they stay English and say so (titleLanguages), never a made-up translation.
const seed = (file: string) => readCsv(path.join(PROJECT_ROOT, 'services', file));
const ISO_FRENCH = readCsv(path.join(PROJECT_ROOT, 'shared', 'data', 'country-names-fr.csv'));
const AGENCIES = seed('un-partnerships/seed/un-agencies.csv');
const AGENCIES_FR = seed('un-partnerships/seed/un-agency-names-fr.csv');
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** ISO's short name as written for reading: without the article in parentheses, an inverted name put back in order. */
function readingOrder(isoName: string): string {
  const inverted = /^(.+) \((?:la |le |les |l')(.+)\)$/.exec(isoName);
  if (inverted) return `${inverted[2]} ${inverted[1]}`;
  return isoName.replace(/ \((?:la|le|les|l')\)$/, '');
}

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
        // ISO 3166-1's French short name, not the package's "Côte-d'Ivoire".
        country: { name: "Côte d'Ivoire" },
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

  it('says in nameLanguages which processes and organisations answer in English for want of a French name', async () => {
    const result = await stack.query(`{
      consultativeProcesses { code fr: name(lang: FR) nameLanguages }
      regionalOrganizations { code fr: name(lang: FR) frAcronym: acronym(lang: FR) nameLanguages }
    }`);
    const processes = seed('consultative-processes/seed/consultative-processes.csv');
    const organisations = seed('consultative-processes/seed/regional-economic-communities.csv');
    const frenchAlias = (aliases: string) =>
      aliases
        .split(';')
        .map((a) => a.trim())
        .find((a) => a.startsWith('Dialogue sur'));
    expect(result).toEqual({
      status: 200,
      data: {
        consultativeProcesses: [...processes]
          .sort((a, b) => byCode(a.code, b.code))
          .map((p) => {
            const french = frenchAlias(p.aliases);
            return { code: p.code, fr: french ?? p.name, nameLanguages: french ? ['EN', 'FR'] : ['EN'] };
          }),
        regionalOrganizations: [...organisations]
          .sort((a, b) => byCode(a.code, b.code))
          .map((o) => ({
            code: o.code,
            fr: o.french_name || o.name,
            frAcronym: o.french_acronym || o.code,
            nameLanguages: o.french_name ? ['EN', 'FR'] : ['EN'],
          })),
      },
    });
    // Spelled out: only MIDCAS has a French name in the sources; MIDWA and the IDM fall back to English.
    const languages = Object.fromEntries(
      (result.data as { consultativeProcesses: { code: string; nameLanguages: string[] }[] }).consultativeProcesses.map((p) => [
        p.code,
        p.nameLanguages,
      ]),
    );
    expect(languages).toEqual({ IDM: ['EN'], MIDCAS: ['EN', 'FR'], MIDWA: ['EN'] });
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

  it("names the 27 states of the region as ISO 3166-1's French short names do, each with EN and FR as its languages", async () => {
    const result = await stack.query(
      `query($codes: [ID!]) { countries(filter: { codes: $codes }, first: 30) { edges { node { code fr: name(lang: FR) nameLanguages } } } }`,
      { codes: WCA_27 },
    );
    expect(ISO_FRENCH.map((r) => r.iso3).sort(byCode)).toEqual(WCA_27);
    expect(result).toEqual({
      status: 200,
      data: {
        countries: {
          edges: [...ISO_FRENCH]
            .sort((a, b) => byCode(a.iso3, b.iso3))
            .map((r) => ({ node: { code: r.iso3, fr: readingOrder(r.iso_short_name_fr), nameLanguages: ['EN', 'FR'] } })),
        },
      },
    });
    // Spelled out: the names the package gets wrong, and one ISO inverts for sorting.
    const fr = Object.fromEntries(
      (result.data as { countries: { edges: { node: { code: string; fr: string } }[] } }).countries.edges.map((e) => [
        e.node.code,
        e.node.fr,
      ]),
    );
    expect([fr.CIV, fr.CAF, fr.COG, fr.COD, fr.CPV, fr.STP]).toEqual([
      "Côte d'Ivoire",
      'République centrafricaine',
      'Congo',
      'République démocratique du Congo',
      'Cabo Verde',
      'Sao Tomé-et-Principe',
    ]);
    expect([countries.getName('CI', 'fr'), countries.getName('CF', 'fr')]).toEqual([
      "Côte-d'Ivoire",
      'République Centrafricaine',
    ]);
  });

  it('names the nine UN agencies and their acronyms in French from the cited pages', async () => {
    const result = await stack.query(
      '{ unAgencies { acronym name fr: name(lang: FR) abbreviation frAbbreviation: abbreviation(lang: FR) nameLanguages } }',
    );
    expect(result).toEqual({
      status: 200,
      data: {
        unAgencies: [...AGENCIES]
          .sort((a, b) => byCode(a.acronym, b.acronym))
          .map((a) => {
            const french = required(
              AGENCIES_FR.find((f) => f.acronym === a.acronym),
              `the French name of ${a.acronym}`,
            );
            return {
              acronym: a.acronym,
              name: a.name,
              fr: french.french_name,
              abbreviation: a.acronym,
              frAbbreviation: french.french_acronym,
              nameLanguages: ['EN', 'FR'],
            };
          }),
      },
    });
    expect(AGENCIES_FR.map((f) => f.french_acronym).sort(byCode)).toEqual([
      'HCR',
      'OIT',
      'ONU Femmes',
      'ONUDC',
      'ONUSIDA',
      'PAM',
      'PNUD',
      'UNFPA',
      'UNICEF',
    ]);
  });

  it('finds each agency by its French acronym, in any case and with or without a hyphen, and a programme by it', async () => {
    const result = await stack.query(`{
      oit: unAgency(acronym: "OIT") { acronym }
      hcr: unAgency(acronym: "hcr") { acronym }
      pam: unAgency(acronym: "PAM") { acronym }
      onudc: unAgency(acronym: "ONUDC") { acronym }
      pnud: unAgency(acronym: "PNUD") { acronym }
      onuFemmes: unAgency(acronym: "ONU Femmes") { acronym }
      onuFemmesHyphen: unAgency(acronym: "ONU-Femmes") { acronym }
      onusida: unAgency(acronym: "ONUSIDA") { acronym }
      unicef: unAgency(acronym: "UNICEF") { acronym }
      programmes(filter: { agency: "OIT" }) { edges { node { id } } }
    }`);
    const programmeIds = seed('un-partnerships/seed/programme-agencies.csv')
      .filter((p) => p.agency === 'ILO')
      .map((p) => p.programme)
      .sort(byCode);
    expect(result).toEqual({
      status: 200,
      data: {
        oit: { acronym: 'ILO' },
        hcr: { acronym: 'UNHCR' },
        pam: { acronym: 'WFP' },
        onudc: { acronym: 'UNODC' },
        pnud: { acronym: 'UNDP' },
        onuFemmes: { acronym: 'UN Women' },
        onuFemmesHyphen: { acronym: 'UN Women' },
        onusida: { acronym: 'UNAIDS' },
        unicef: { acronym: 'UNICEF' },
        programmes: { edges: programmeIds.map((id) => ({ node: { id } })) },
      },
    });
    const unknown = await stack.query('{ unAgency(acronym: "ONUX") { acronym } }');
    expect(unknown.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['No UN agency has the acronym "ONUX"', 'NOT_FOUND'],
    ]);
  });
});
