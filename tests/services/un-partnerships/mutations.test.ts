import { definition } from '../../../services/un-partnerships/src/service';
import {
  as,
  codes,
  counts,
  describeRoleMatrix,
  type EditableCase,
  mutate,
  race,
  startPrivateHarness,
} from '../../support/editing';
import type { ServiceHarness } from '../../support/serviceHarness';

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startPrivateHarness(definition);
  await mutate(
    svc,
    'create',
    programme,
    { id: 'TEST-HOST', name: 'Host of test countries', kind: 'CAMPAIGN', scope: 'GLOBAL' },
    editor,
  );
});
afterAll(async () => {
  await svc.close();
});

const editor = as('editor:un-partnerships', 'partners-editor');
const admin = as('admin', 'admin-1');
const TABLES = ['un_agency', 'programme', 'programme_agency', 'programme_country'];
const COUNTRIES = [
  'BEN',
  'BFA',
  'CPV',
  'CIV',
  'GMB',
  'GHA',
  'GIN',
  'GNB',
  'LBR',
  'MLI',
  'MRT',
  'NER',
  'NGA',
  'SEN',
  'SLE',
  'TGO',
  'CMR',
  'TCD',
  'GAB',
  'GNQ',
  'COG',
  'COD',
  'CAF',
  'STP',
  'AGO',
  'BDI',
  'RWA',
  'KEN',
];

const agency: EditableCase = {
  name: 'UnAgency',
  payload: 'agency',
  select: 'acronym version name',
  createInput: (tag) => ({ acronym: `UN Test ${tag}`, name: `Test agency ${tag}`, founded: '1946' }),
  keyOf: (r) => ({ acronym: r.acronym }),
  change: { headquarters: 'Geneva' },
};
const programme: EditableCase = {
  name: 'Programme',
  payload: 'programme',
  select: 'id version name',
  createInput: (tag) => ({
    id: `TEST-PR${tag}`,
    name: `Programme ${tag}`,
    kind: 'PROJECT',
    scope: 'REGIONAL',
    startDate: '2023',
    themes: ['LABOUR_MIGRATION'],
  }),
  keyOf: (r) => ({ id: r.id }),
  change: { endDate: '2026-06', status: 'ACTIVE' },
};
// One role per agency and programme: each tag takes another programme (seeded FMM-WEST-AFRICA has ILO only).
const programmeAgency: EditableCase = {
  name: 'ProgrammeAgency',
  payload: 'programmeAgency',
  select: 'id version role',
  createInput: () => ({ programme: 'FMM-WEST-AFRICA', agency: 'UNHCR', role: 'PARTNER' }),
  keyOf: (r) => ({ id: r.id }),
  change: { role: 'LEAD' },
};
const programmeCountry: EditableCase = {
  name: 'ProgrammeCountry',
  payload: 'programmeCountry',
  select: 'id version country { code }',
  createInput: (tag) => ({ programme: 'TEST-HOST', country: COUNTRIES[tag % COUNTRIES.length] }),
  keyOf: (r) => ({ id: r.id }),
  change: { confidence: 'DERIVED' },
};

describe('un-partnerships writes', () => {
  // The agency-role case reuses one (programme, agency) pair: each run deletes its record at the end.
  describeRoleMatrix('un-partnerships', 'partners', () => svc, [agency, programme, programmeCountry]);

  it('lets only editors of un-partnerships and admins add an agency to a programme', async () => {
    const outcome: Record<string, unknown> = {};
    for (const [name, who] of [
      ['anonymous', as(null)],
      ['partner', as('partner')],
      ['editor:legal-instruments', as('editor:legal-instruments')],
      ['editor:migration-data', as('editor:migration-data')],
      ['editor:consultative-processes', as('editor:consultative-processes')],
      ['editor:un-partnerships', editor],
      ['admin', admin],
    ] as const) {
      const created = await svc.execute(
        `mutation($input: CreateProgrammeAgencyInput!) { createProgrammeAgency(input: $input) { programmeAgency { id version } } }`,
        { input: programmeAgency.createInput(0) },
        who,
      );
      const record = (created.data?.createProgrammeAgency as { programmeAgency: { id: string } } | undefined)?.programmeAgency;
      if (record) {
        const updated = await mutate(
          svc,
          'update',
          programmeAgency,
          { id: record.id, version: 1, ...programmeAgency.change },
          who,
        );
        await mutate(svc, 'delete', programmeAgency, { id: record.id, version: updated.version }, who);
        // Deleted, the pair is still taken (a restore brings it back): hard-remove it for the next role.
        await svc.ds.query(`DELETE FROM partners.programme_agency WHERE id = $1`, [record.id]);
      }
      outcome[name] = record ? 'allowed' : codes(created);
    }
    expect(outcome).toEqual({
      anonymous: ['FORBIDDEN'],
      partner: ['FORBIDDEN'],
      'editor:legal-instruments': ['FORBIDDEN'],
      'editor:migration-data': ['FORBIDDEN'],
      'editor:consultative-processes': ['FORBIDDEN'],
      'editor:un-partnerships': 'allowed',
      admin: 'allowed',
    });
  });

  it('rejects invalid programmes and links with field-level problems and writes nothing', async () => {
    const before = await counts(svc.ds, 'partners', TABLES);
    const bad = await svc.execute(
      `mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id } } }`,
      {
        input: {
          id: 'TEST-BAD',
          name: 'x'.repeat(301),
          kind: 'PROJECT',
          scope: 'GLOBAL',
          startDate: '2024-05',
          endDate: '2023',
          supportsProcess: 'midwa!',
        },
      },
      editor,
    );
    expect(bad.errors?.map((e) => e.extensions)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        problems: [
          { field: 'input.name', message: 'must have at most 300 characters, got 301' },
          { field: 'input.supportsProcess', message: 'must be a process code, such as MIDWA' },
        ],
      },
    ]);
    const order = await svc.execute(
      `mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id } } }`,
      { input: { id: 'TEST-BAD', name: 'P', kind: 'PROJECT', scope: 'GLOBAL', startDate: '2024-05', endDate: '2023' } },
      editor,
    );
    expect(order.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', problems: [{ field: 'input.endDate', message: 'must not be before the start' }] },
    ]);
    const link = await svc.execute(
      `mutation($input: CreateProgrammeAgencyInput!) { createProgrammeAgency(input: $input) { programmeAgency { id } } }`,
      { input: { programme: 'NO-SUCH', agency: 'NOBODY', role: 'LEAD' } },
      editor,
    );
    expect(link.errors?.map((e) => e.extensions)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        problems: [
          { field: 'input.programme', message: 'no programme has the key "NO-SUCH"' },
          { field: 'input.agency', message: 'no UN agency has the key "NOBODY"' },
        ],
      },
    ]);
    const duplicate = await svc.execute(
      `mutation($input: CreateProgrammeCountryInput!) { createProgrammeCountry(input: $input) { programmeCountry { id } } }`,
      { input: { programme: 'FMM-WEST-AFRICA', country: 'SEN' } },
      editor,
    );
    expect(codes(duplicate)).toEqual(['CONFLICT']);
    expect(await counts(svc.ds, 'partners', TABLES)).toEqual(before);
  });

  it('keeps a UN Women-style acronym as written and refuses to delete an agency that still has programme roles', async () => {
    const created = await mutate(
      svc,
      'create',
      agency,
      { acronym: 'UN Habitat', name: 'United Nations Human Settlements Programme' },
      editor,
    );
    expect(created).toEqual({ acronym: 'UN Habitat', version: 1, name: 'United Nations Human Settlements Programme' });
    const refused = await svc.execute(
      `mutation($input: UnAgencyVersionInput!) { deleteUnAgency(input: $input) { agency { acronym } } }`,
      { input: { acronym: 'ILO', version: 1 } },
      editor,
    );
    expect(codes(refused)).toEqual(['CONFLICT']);
  });

  it('hides a deleted country of a programme from the programme and the country, and brings it back on restore', async () => {
    const created = await mutate(svc, 'create', programmeCountry, { programme: 'FMM-WEST-AFRICA', country: 'MAR' }, editor);
    const read = async () => {
      const r = await svc.execute(`{
        programme(id: "FMM-WEST-AFRICA") { countries { country { code } } }
        _entities(representations: [{ __typename: "Country", code: "MAR" }]) { ... on Country { programmes { id } } }
      }`);
      const programmeCountries = (r.data?.programme as { countries: { country: { code: string } }[] }).countries.map(
        (c) => c.country.code,
      );
      return {
        inProgramme: programmeCountries.includes('MAR'),
        countryProgrammes: (r.data?._entities as { programmes: { id: string }[] }[])[0].programmes,
      };
    };
    expect(await read()).toEqual({ inProgramme: true, countryProgrammes: [{ id: 'FMM-WEST-AFRICA' }] });
    await mutate(svc, 'delete', programmeCountry, { id: created.id, version: 1 }, editor);
    expect(await read()).toEqual({ inProgramme: false, countryProgrammes: [] });
    await mutate(svc, 'restore', programmeCountry, { id: created.id, version: 2 }, editor);
    expect(await read()).toEqual({ inProgramme: true, countryProgrammes: [{ id: 'FMM-WEST-AFRICA' }] });
  });

  it('lets exactly one of 50 concurrent updates of a programme win, and shows the history to admins only', async () => {
    await mutate(svc, 'create', programme, programme.createInput(9001), editor);
    const outcome = await race(
      svc,
      programme,
      { id: 'TEST-PR9001' },
      1,
      'name',
      (i) => `Name ${i}`,
      async () => (await svc.ds.query(`SELECT name FROM partners.programme WHERE id = 'TEST-PR9001'`))[0].name,
      editor,
    );
    expect(outcome).toEqual({ succeeded: 1, conflicts: 49, other: 0, finalIsWinner: true });
    const history = `{ programme(id: "TEST-PR9001") { version history { edges { node { action actor } } } } }`;
    expect((await svc.execute(history, {}, admin)).data).toEqual({
      programme: {
        version: 2,
        history: {
          edges: [
            { node: { action: 'UPDATE', actor: 'partners-editor' } },
            { node: { action: 'CREATE', actor: 'partners-editor' } },
          ],
        },
      },
    });
    for (const who of [as(null), as('partner'), editor])
      expect(codes(await svc.execute(history, {}, who))).toEqual(['FORBIDDEN']);
  });

  it("shows an agency's editors' note to partners and null to anonymous callers", async () => {
    await mutate(
      svc,
      'create',
      agency,
      { acronym: 'UNTEST', name: 'Test', internalNote: 'focal point: to be confirmed' },
      editor,
    );
    const read = `{ unAgency(acronym: "UNTEST") { internalNote } }`;
    expect((await svc.execute(read, {}, as(null))).data).toEqual({ unAgency: { internalNote: null } });
    expect((await svc.execute(read, {}, as('partner'))).data).toEqual({
      unAgency: { internalNote: 'focal point: to be confirmed' },
    });
  });
});
