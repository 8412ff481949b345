import { definition } from '../../../services/consultative-processes/src/service';
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
});
afterAll(async () => {
  await svc.close();
});

const editor = as('editor:consultative-processes', 'dialogue-editor');
const admin = as('admin', 'admin-1');
const TABLES = ['consultative_process', 'organization_membership', 'process_participation', 'meeting'];

const process: EditableCase = {
  name: 'ConsultativeProcess',
  payload: 'consultativeProcess',
  select: 'code version status',
  createInput: (tag) => ({ code: `TEST-P${tag}`, name: `Test process ${tag}`, scope: 'REGIONAL', status: 'ACTIVE' }),
  keyOf: (r) => ({ code: r.code }),
  change: { status: 'DORMANT', aliases: ['TP'] },
};
const membership: EditableCase = {
  name: 'OrganizationMembership',
  payload: 'membership',
  select: 'id version from to',
  // A year per tag (tag + 500 included) inside PartialDate's 1000-2100.
  createInput: (tag) => ({ organization: 'ECCAS', country: 'BRA', type: 'ASSOCIATE', from: String(1400 + tag) }),
  keyOf: (r) => ({ id: r.id }),
  change: { to: '2030-01-01' },
};
const participation: EditableCase = {
  name: 'ProcessParticipation',
  payload: 'participation',
  select: 'id version role organization',
  createInput: (tag) => ({ process: 'IDM', organization: `Test organisation ${tag}`, role: 'OBSERVER' }),
  keyOf: (r) => ({ id: r.id }),
  change: { role: 'MEMBER' },
};
const meeting: EditableCase = {
  name: 'Meeting',
  payload: 'meeting',
  select: 'id version title',
  createInput: (tag) => ({
    id: `TEST-M${tag}`,
    process: 'MIDWA',
    title: `Meeting ${tag}`,
    kind: 'regional',
    startDate: '2024-05',
    themes: ['LABOUR_MIGRATION'],
  }),
  keyOf: (r) => ({ id: r.id }),
  change: { endDate: '2024-06', title: 'Renamed meeting' },
};

const members = async (asOf: string) => {
  const r = await svc.execute(
    `query($d: Date) { regionalOrganization(code: "ECCAS") { members(asOf: $d, includeAssociates: true) { country { code } } } }`,
    { d: asOf },
  );
  return (r.data?.regionalOrganization as { members: { country: { code: string } }[] }).members.map((m) => m.country.code);
};

describe('consultative-processes writes', () => {
  describeRoleMatrix('consultative-processes', 'dialogue', () => svc, [process, membership, participation, meeting]);

  it('rejects invalid memberships, participations and meetings with field-level problems and writes nothing', async () => {
    const before = await counts(svc.ds, 'dialogue', TABLES);
    const m = await svc.execute(
      `mutation($input: CreateOrganizationMembershipInput!) { createOrganizationMembership(input: $input) { membership { id } } }`,
      { input: { organization: 'NOPE', country: 'SEN', type: 'MEMBER', from: '2020-05-01', to: '2020-05' } },
      editor,
    );
    expect(m.errors?.map((e) => e.extensions)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        problems: [
          { field: 'input.to', message: 'must be after `from`' },
          { field: 'input.organization', message: 'no regional organisation has the key "NOPE"' },
        ],
      },
    ]);
    const p = await svc.execute(
      `mutation($input: CreateProcessParticipationInput!) { createProcessParticipation(input: $input) { participation { id } } }`,
      { input: { process: 'MIDWA', country: 'SEN', organization: 'ECOWAS', role: 'MEMBER' } },
      editor,
    );
    expect(p.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', problems: [{ field: 'input.country', message: 'give exactly one of country and organization' }] },
    ]);
    const meet = await svc.execute(
      `mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { meeting { id } } }`,
      {
        input: {
          id: 'TEST-BAD',
          process: 'MIDWA',
          title: 'T',
          kind: 'party',
          themes: ['ROOT_CAUSES', 'ROOT_CAUSES'],
          country: 'XXX',
          startDate: '2024-13',
        },
      },
      editor,
    );
    expect(codes(meet)).toEqual(['BAD_USER_INPUT']);
    const typed = await svc.execute(
      `mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { meeting { id } } }`,
      {
        input: {
          id: 'TEST-BAD',
          process: 'MIDWA',
          title: 'T',
          kind: 'party',
          themes: ['ROOT_CAUSES', 'ROOT_CAUSES'],
          country: 'XXX',
        },
      },
      editor,
    );
    expect(typed.errors?.map((e) => e.extensions)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        problems: [
          { field: 'input.kind', message: 'must be one of ministerial, regional, thematic_working_group, global, mission' },
          { field: 'input.country', message: '"XXX" is not in the country list' },
          { field: 'input.themes', message: 'must not repeat an item' },
        ],
      },
    ]);
    expect(await counts(svc.ds, 'dialogue', TABLES)).toEqual(before);
  });

  it('counts a new membership in the members on a day, hides it once deleted and counts it again once restored', async () => {
    const created = await mutate(
      svc,
      'create',
      membership,
      { organization: 'ECCAS', country: 'NGA', type: 'ASSOCIATE', from: '2024-01-15', to: '2025-01-01' },
      editor,
    );
    expect(await members('2024-06-30')).toContain('NGA');
    expect(await members('2025-06-30')).not.toContain('NGA');
    await mutate(svc, 'delete', membership, { id: created.id, version: 1 }, editor);
    expect(await members('2024-06-30')).not.toContain('NGA');
    await mutate(svc, 'restore', membership, { id: created.id, version: 2 }, editor);
    expect(await members('2024-06-30')).toContain('NGA');
  });

  it('refuses to delete a process that still has meetings', async () => {
    const result = await svc.execute(
      `mutation($input: ConsultativeProcessVersionInput!) { deleteConsultativeProcess(input: $input) { consultativeProcess { code } } }`,
      { input: { code: 'MIDWA', version: 1 } },
      editor,
    );
    expect(codes(result)).toEqual(['CONFLICT']);
    expect((await svc.execute(`{ consultativeProcess(code: "MIDWA") { code version } }`)).data).toEqual({
      consultativeProcess: { code: 'MIDWA', version: 1 },
    });
  });

  it('lets exactly one of 50 concurrent updates of a meeting win', async () => {
    await mutate(svc, 'create', meeting, meeting.createInput(9001), editor);
    const outcome = await race(
      svc,
      meeting,
      { id: 'TEST-M9001' },
      1,
      'title',
      (i) => `Title ${i}`,
      async () => (await svc.ds.query(`SELECT title FROM dialogue.meeting WHERE id = 'TEST-M9001'`))[0].title,
      editor,
    );
    expect(outcome).toEqual({ succeeded: 1, conflicts: 49, other: 0, finalIsWinner: true });
  });

  it("shows a meeting's history to admins only and its editors' note to partners only", async () => {
    await mutate(svc, 'create', meeting, { ...meeting.createInput(9002), internalNote: 'agenda not final' }, editor);
    await mutate(svc, 'update', meeting, { id: 'TEST-M9002', version: 1, outcome: 'A declaration' }, admin);
    const read = `{ _entities(representations: [{ __typename: "Meeting", id: "TEST-M9002" }]) { ... on Meeting { internalNote } } }`;
    expect((await svc.execute(read, {}, as(null))).data).toEqual({ _entities: [{ internalNote: null }] });
    expect((await svc.execute(read, {}, as('partner'))).data).toEqual({ _entities: [{ internalNote: 'agenda not final' }] });
    const history = `{ _entities(representations: [{ __typename: "Meeting", id: "TEST-M9002" }]) { ... on Meeting { history { totalCount edges { node { actor action } } } } } }`;
    expect((await svc.execute(history, {}, admin)).data).toEqual({
      _entities: [
        {
          history: {
            totalCount: 2,
            edges: [{ node: { actor: 'admin-1', action: 'UPDATE' } }, { node: { actor: 'dialogue-editor', action: 'CREATE' } }],
          },
        },
      ],
    });
    for (const who of [as(null), as('partner'), editor])
      expect(codes(await svc.execute(history, {}, who))).toEqual(['FORBIDDEN']);
  });
});
