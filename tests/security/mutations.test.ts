import { type PrivateStack, startPrivateStack } from '../support/stack';

// Issue #11, finding 6: a document with mutations of two services answered `data: null` when the
// second failed, though the first had committed; the caller could not tell, and a retry got
// CONFLICT. Mutation fields are nullable now: each mutation answers for itself.

let stack: PrivateStack;
beforeAll(async () => {
  stack = await startPrivateStack('mg_mut');
}, 120000);
afterAll(async () => {
  await stack?.stop();
}, 120000);

const TWO_SERVICES = `mutation($training: UpdateTrainingInput!, $profile: UpdateMigrationProfileInput!) {
  a: updateTraining(input: $training) { training { id version activity } }
  b: updateMigrationProfile(input: $profile) { migrationProfile { id version title } }
}`;
const READ = `{ trainings(filter: { country: "BEN" }) { edges { node { id version activity history { edges { node { actor action } } } } } } }`;

describe('a document with several mutations', () => {
  it('reports a committed mutation as committed when a mutation of another service is forbidden', async () => {
    const editor = await stack.token('legal-editor', ['editor:legal-instruments']);
    const activity = 'Training on migration law, as corrected by the legal editor';
    const result = await stack.query(
      TWO_SERVICES,
      {
        training: { id: 'IML-CEDEAO-BEN', version: 1, activity },
        profile: { id: 'SEN-2018', version: 1, title: 'Not this editor’s to change' },
      },
      editor,
    );
    expect({
      status: result.status,
      data: result.data,
      errors: result.errors?.map((e) => ({ path: e.path, code: e.extensions?.code })),
    }).toEqual({
      status: 200,
      data: { a: { training: { id: 'IML-CEDEAO-BEN', version: 2, activity } }, b: null },
      errors: [{ path: ['b'], code: 'FORBIDDEN' }],
    });

    // What the answer said is what is stored: a written and audited, b not written.
    const admin = await stack.token('admin-1', ['admin']);
    expect(await stack.query(READ, {}, admin)).toEqual({
      status: 200,
      data: {
        trainings: {
          edges: [
            {
              node: {
                id: 'IML-CEDEAO-BEN',
                version: 2,
                activity,
                history: { edges: [{ node: { actor: 'legal-editor', action: 'UPDATE' } }] },
              },
            },
          ],
        },
      },
    });
    expect(await stack.query(`{ migrationProfile(id: "SEN-2018") { version title } }`)).toEqual({
      status: 200,
      data: { migrationProfile: { version: 1, title: 'Migration au Sénégal, profil national 2018' } },
    });
  });

  it('answers each mutation of one service on its own: the first commits, the second gets CONFLICT, the third commits', async () => {
    const editor = await stack.token('dialogue-editor', ['editor:consultative-processes']);
    const created = await stack.query(
      `mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { meeting { id version } } }`,
      { input: { id: 'MUT-IDM-2026', process: 'IDM', title: 'First title', kind: 'regional', confidence: 'UNVERIFIED' } },
      editor,
    );
    expect(created.data).toEqual({ createMeeting: { meeting: { id: 'MUT-IDM-2026', version: 1 } } });
    const result = await stack.query(
      `mutation {
        first: updateMeeting(input: { id: "MUT-IDM-2026", version: 1, title: "Second title" }) { meeting { version title } }
        stale: updateMeeting(input: { id: "MUT-IDM-2026", version: 1, title: "Lost update" }) { meeting { version title } }
        third: updateMeeting(input: { id: "MUT-IDM-2026", version: 2, title: "Third title" }) { meeting { version title } }
      }`,
      {},
      editor,
    );
    expect({ data: result.data, errors: result.errors?.map((e) => ({ path: e.path, code: e.extensions?.code })) }).toEqual({
      data: {
        first: { meeting: { version: 2, title: 'Second title' } },
        stale: null,
        third: { meeting: { version: 3, title: 'Third title' } },
      },
      errors: [{ path: ['stale'], code: 'CONFLICT' }],
    });
  });
});
