import { definition } from '../../../services/un-partnerships/src/service';
import { as, startPrivateHarness } from '../../support/editing';
import type { ServiceHarness } from '../../support/serviceHarness';

// A database of its own: the test adds an agency, which the read tests beside it must not see.
let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startPrivateHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

const editor = as('editor:un-partnerships', 'partners-editor');

describe('French names of UN agencies', () => {
  it('answers an agency without a cited French name in English and says so in nameLanguages', async () => {
    const created = await svc.execute(
      'mutation($input: CreateUnAgencyInput!) { createUnAgency(input: $input) { agency { acronym } } }',
      { input: { acronym: 'UN Test FR', name: 'Test agency without a French name' } },
      editor,
    );
    expect(created.errors).toBeUndefined();
    const result = await svc.execute(`{
      added: unAgency(acronym: "un test fr") { name fr: name(lang: FR) abbreviation(lang: FR) nameLanguages }
      ilo: unAgency(acronym: "oit") { acronym name fr: name(lang: FR) abbreviation(lang: FR) nameLanguages }
    }`);
    expect(result).toEqual({
      data: {
        added: {
          name: 'Test agency without a French name',
          fr: 'Test agency without a French name',
          abbreviation: 'UN Test FR',
          nameLanguages: ['EN'],
        },
        ilo: {
          acronym: 'ILO',
          name: 'International Labour Organization',
          fr: 'Organisation internationale du Travail',
          abbreviation: 'OIT',
          nameLanguages: ['EN', 'FR'],
        },
      },
    });
  });

  it('looks an English acronym up before a French one and refuses a malformed one with BAD_USER_INPUT', async () => {
    const result = await svc.execute(`{
      unicef: unAgency(acronym: "UNICEF") { acronym abbreviation(lang: FR) }
      unWomen: unAgency(acronym: "onu femmes") { acronym abbreviation(lang: FR) }
    }`);
    expect(result).toEqual({
      data: {
        unicef: { acronym: 'UNICEF', abbreviation: 'UNICEF' },
        unWomen: { acronym: 'UN Women', abbreviation: 'ONU Femmes' },
      },
    });
    const malformed = await svc.execute('{ unAgency(acronym: "O.I.T.") { acronym } }');
    expect(malformed.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
