import { type PrivateStack, startPrivateStack } from '../support/stack';

// A database of its own: every service's audit trail starts empty, so their sequence numbers are the same.
let stack: PrivateStack;
beforeAll(async () => {
  stack = await startPrivateStack('audit_ids');
}, 120_000);
afterAll(async () => {
  await stack.stop();
});

const CREATE_MEETING = `mutation($input: CreateMeetingInput!) {
  createMeeting(input: $input) { meeting { id history { edges { node { id entity key action } } } } }
}`;
const CREATE_TRAINING = `mutation($input: CreateTrainingInput!) {
  createTraining(input: $input) { training { id history { edges { node { id entity key action } } } } }
}`;

describe('audit entries across the graph', () => {
  it('never share an id between two services, whose audit trails both begin at one', async () => {
    const admin = await stack.token('admin-1', ['admin']);
    const meeting = await stack.query(
      CREATE_MEETING,
      {
        input: {
          id: 'AUDIT-IDM-2026',
          process: 'IDM',
          title: 'A meeting with an audit trail',
          kind: 'regional',
          startDate: '2026-03',
          country: 'STP',
          confidence: 'UNVERIFIED',
          source: 'audit id test',
        },
      },
      admin,
    );
    const training = await stack.query(
      CREATE_TRAINING,
      { input: { id: 'AUDIT-TRAINING-1', project: 'Audit ids', activity: 'A workshop' } },
      admin,
    );
    expect([meeting, training]).toEqual([
      {
        status: 200,
        data: {
          createMeeting: {
            meeting: {
              id: 'AUDIT-IDM-2026',
              history: {
                edges: [{ node: { id: 'consultative-processes:1', entity: 'Meeting', key: 'AUDIT-IDM-2026', action: 'CREATE' } }],
              },
            },
          },
        },
      },
      {
        status: 200,
        data: {
          createTraining: {
            training: {
              id: 'AUDIT-TRAINING-1',
              history: {
                edges: [{ node: { id: 'legal-instruments:1', entity: 'Training', key: 'AUDIT-TRAINING-1', action: 'CREATE' } }],
              },
            },
          },
        },
      },
    ]);
  });
});
