import { type Stack, startStack } from '../support/stack';

// Writes through the gateway, as an editor's client would send them: a bearer token, the gateway
// verifies it and signs the caller's identity into the call to the service that owns the data.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

const CREATE = `mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { meeting { id version title country { code name } process { code } } } }`;
const UPDATE = `mutation($input: UpdateMeetingInput!) { updateMeeting(input: $input) { meeting { id version title } } }`;
const DELETE = `mutation($input: MeetingVersionInput!) { deleteMeeting(input: $input) { meeting { id version } } }`;
const HISTORY = `{ meetings(filter: { process: "IDM" }, first: 100) { edges { node { id history { edges { node { actor action } } } } } } }`;
const HOSTED = `{ country(code: "STP") { meetingsHosted { id title } } }`;
const input = {
  id: 'E2E-IDM-2026-SAO-TOME',
  process: 'IDM',
  title: 'A meeting written through the gateway',
  kind: 'regional',
  startDate: '2026-03',
  country: 'STP',
  confidence: 'UNVERIFIED',
  source: 'end-to-end test',
};
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.map((e) => e.extensions?.code);

describe('editing through the gateway', () => {
  it('refuses anonymous callers and editors of another domain, and writes nothing', async () => {
    expect(codes(await stack.query(CREATE, { input }))).toEqual(['FORBIDDEN']);
    const otherEditor = await stack.token('someone', ['editor:legal-instruments']);
    expect(codes(await stack.query(CREATE, { input }, otherEditor))).toEqual(['FORBIDDEN']);
    expect(await stack.query(HOSTED)).toEqual({ status: 200, data: { country: { meetingsHosted: [] } } });
  });

  it('refuses a forged token with 401 before anything runs', async () => {
    const forged = `${(await stack.token('someone', ['admin'])).slice(0, -4)}AAAA`;
    const result = await stack.query(CREATE, { input }, forged);
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it("lets the domain's editor create, update and delete, with versions, conflicts and an audit trail admins can read", async () => {
    const editor = await stack.token('editor-1', ['editor:consultative-processes']);
    const created = await stack.query(CREATE, { input }, editor);
    expect(created).toEqual({
      status: 200,
      data: {
        createMeeting: {
          meeting: {
            id: input.id,
            version: 1,
            title: input.title,
            country: { code: 'STP', name: 'Sao Tome and Principe' },
            process: { code: 'IDM' },
          },
        },
      },
    });
    // The new meeting is part of the graph at once: the country now hosts it.
    expect(await stack.query(HOSTED)).toEqual({
      status: 200,
      data: { country: { meetingsHosted: [{ id: input.id, title: input.title }] } },
    });

    const updated = await stack.query(UPDATE, { input: { id: input.id, version: 1, title: 'Renamed' } }, editor);
    expect(updated.data).toEqual({ updateMeeting: { meeting: { id: input.id, version: 2, title: 'Renamed' } } });
    const stale = await stack.query(UPDATE, { input: { id: input.id, version: 1, title: 'Lost update' } }, editor);
    expect(codes(stale)).toEqual(['CONFLICT']);

    const admin = await stack.token('admin-1', ['admin']);
    const history = await stack.query(HISTORY, {}, admin);
    const node = (history.data?.meetings as { edges: { node: { id: string; history: unknown } }[] }).edges.find(
      (e) => e.node.id === input.id,
    );
    expect(node?.node.history).toEqual({
      edges: [{ node: { actor: 'editor-1', action: 'UPDATE' } }, { node: { actor: 'editor-1', action: 'CREATE' } }],
    });
    expect(codes(await stack.query(HISTORY, {}, editor))).toContain('FORBIDDEN');

    const deleted = await stack.query(DELETE, { input: { id: input.id, version: 2 } }, editor);
    expect(deleted.data).toEqual({ deleteMeeting: { meeting: { id: input.id, version: 3 } } });
    expect(await stack.query(HOSTED)).toEqual({ status: 200, data: { country: { meetingsHosted: [] } } });
  });
});
