import type { BaseContext } from '@apollo/server';
import { definition as legal } from '../../services/legal-instruments/src/service';
import { definition as processes } from '../../services/consultative-processes/src/service';
import { definition as partnerships } from '../../services/un-partnerships/src/service';
import type { ServiceDefinition } from '../../shared/src/runtime/service';
import { as, codes, startPrivateHarness } from '../support/editing';
import type { GraphQLResult, ServiceHarness } from '../support/serviceHarness';

/**
 * A parent's delete (or restore) and a child's create (or restore) on the same parent, sent at the
 * same moment, must serialise on the parent row: afterwards no live child hangs under a deleted
 * parent, and each side either succeeded or got an error saying why.
 */
interface ParentChild {
  service: string;
  definition: ServiceDefinition<BaseContext>;
  editor: string;
  /** Creates a fresh parent (version 1) and returns its key input. */
  parent(tag: number): { mutation: string; input: Record<string, unknown>; key: Record<string, unknown> };
  deleteParent: string;
  /** A child of the parent with this key. */
  child(key: Record<string, unknown>, tag: number): { mutation: string; input: Record<string, unknown> };
  deleteChild: string;
  restoreChild: string;
  /** Live children whose parent is deleted. */
  orphans: string;
}

const CASES: ParentChild[] = [
  {
    service: 'legal-instruments',
    definition: legal as unknown as ServiceDefinition<BaseContext>,
    editor: 'editor:legal-instruments',
    parent: (tag) => ({
      mutation: 'mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) { instrument { code } } }',
      input: {
        code: `RACE-I${tag}`,
        title: `Race instrument ${tag}`,
        kind: 'CONVENTION',
        scope: 'GLOBAL',
        status: 'NOT_IN_FORCE',
      },
      key: { code: `RACE-I${tag}` },
    }),
    deleteParent: 'mutation($input: InstrumentVersionInput!) { deleteInstrument(input: $input) { instrument { code } } }',
    child: (key) => ({
      mutation:
        'mutation($input: CreateTreatyActionInput!) { createTreatyAction(input: $input) { treatyAction { id version } } }',
      input: { instrument: key.code, country: 'SEN', action: 'SIGNATURE', date: '2020-02-03' },
    }),
    deleteChild:
      'mutation($input: TreatyActionVersionInput!) { deleteTreatyAction(input: $input) { treatyAction { id version } } }',
    restoreChild:
      'mutation($input: TreatyActionVersionInput!) { restoreTreatyAction(input: $input) { treatyAction { id version } } }',
    orphans: `SELECT count(*)::int AS n FROM legal.treaty_action a JOIN legal.instrument i ON i.code = a.instrument_code
              WHERE a.deleted_at IS NULL AND i.deleted_at IS NOT NULL`,
  },
  {
    service: 'consultative-processes',
    definition: processes as unknown as ServiceDefinition<BaseContext>,
    editor: 'editor:consultative-processes',
    parent: (tag) => ({
      mutation:
        'mutation($input: CreateConsultativeProcessInput!) { createConsultativeProcess(input: $input) { consultativeProcess { code } } }',
      input: { code: `RACE-P${tag}`, name: `Race process ${tag}`, scope: 'REGIONAL', status: 'ACTIVE' },
      key: { code: `RACE-P${tag}` },
    }),
    deleteParent:
      'mutation($input: ConsultativeProcessVersionInput!) { deleteConsultativeProcess(input: $input) { consultativeProcess { code } } }',
    child: (key, tag) => ({
      mutation: 'mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { meeting { id version } } }',
      input: { id: `RACE-M${tag}`, process: key.code, title: `Race meeting ${tag}`, kind: 'regional', startDate: '2024-05' },
    }),
    deleteChild: 'mutation($input: MeetingVersionInput!) { deleteMeeting(input: $input) { meeting { id version } } }',
    restoreChild: 'mutation($input: MeetingVersionInput!) { restoreMeeting(input: $input) { meeting { id version } } }',
    orphans: `SELECT count(*)::int AS n FROM dialogue.meeting m JOIN dialogue.consultative_process p ON p.code = m.process_code
              WHERE m.deleted_at IS NULL AND p.deleted_at IS NOT NULL`,
  },
  {
    service: 'un-partnerships',
    definition: partnerships as unknown as ServiceDefinition<BaseContext>,
    editor: 'editor:un-partnerships',
    parent: (tag) => ({
      mutation: 'mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id } } }',
      input: { id: `RACE-PR${tag}`, name: `Race programme ${tag}`, kind: 'PROJECT', scope: 'REGIONAL', startDate: '2023' },
      key: { id: `RACE-PR${tag}` },
    }),
    deleteParent: 'mutation($input: ProgrammeVersionInput!) { deleteProgramme(input: $input) { programme { id } } }',
    child: (key) => ({
      mutation:
        'mutation($input: CreateProgrammeCountryInput!) { createProgrammeCountry(input: $input) { programmeCountry { id version } } }',
      input: { programme: key.id, country: 'SEN' },
    }),
    deleteChild:
      'mutation($input: ProgrammeCountryVersionInput!) { deleteProgrammeCountry(input: $input) { programmeCountry { id version } } }',
    restoreChild:
      'mutation($input: ProgrammeCountryVersionInput!) { restoreProgrammeCountry(input: $input) { programmeCountry { id version } } }',
    orphans: `SELECT count(*)::int AS n FROM partners.programme_country c JOIN partners.programme p ON p.id = c.programme_id
              WHERE c.deleted_at IS NULL AND p.deleted_at IS NOT NULL`,
  },
];

const TRIES = 30;
/** The codes a losing side may get: the parent changed under it, or the parent it names is gone. */
const CLEAR_REFUSALS = ['CONFLICT', 'BAD_USER_INPUT'];

function outcome(result: GraphQLResult): string {
  if (!result.errors) return 'ok';
  const found = codes(result);
  return found.length === 1 && CLEAR_REFUSALS.includes(String(found[0]))
    ? 'refused'
    : `unexpected ${JSON.stringify(result.errors)}`;
}

function payloadOf(result: GraphQLResult): Record<string, unknown> {
  if (result.errors || !result.data) throw new Error(`setting up the race failed: ${JSON.stringify(result.errors)}`);
  const [payload] = Object.values(result.data) as Record<string, Record<string, unknown>>[];
  return Object.values(payload)[0];
}

describe.each(CASES)('racing writes on one parent in $service', (c) => {
  let svc: ServiceHarness;
  const editor = as(c.editor as never, 'racer');
  beforeAll(async () => {
    svc = await startPrivateHarness(c.definition);
  });
  afterAll(async () => {
    await svc.close();
  });

  const run = (mutation: string, input: Record<string, unknown>) => svc.execute(mutation, { input }, editor);

  it(`leaves no orphan when a child is created while its parent is deleted, ${TRIES} times over`, async () => {
    const outcomes: string[] = [];
    for (let tag = 0; tag < TRIES; tag += 1) {
      const parent = c.parent(tag);
      payloadOf(await run(parent.mutation, parent.input));
      const child = c.child(parent.key, tag);
      const [created, deleted] = await Promise.all([
        run(child.mutation, child.input),
        run(c.deleteParent, { ...parent.key, version: 1 }),
      ]);
      outcomes.push(outcome(created), outcome(deleted));
      // Exactly one side can win: a child under a live parent, or a deleted parent with no child.
      expect([created.errors ? 'refused' : 'ok', deleted.errors ? 'refused' : 'ok'].sort()).toEqual(['ok', 'refused']);
    }
    expect(outcomes.filter((o) => o.startsWith('unexpected'))).toEqual([]);
    expect(await svc.ds.query(c.orphans)).toEqual([{ n: 0 }]);
  });

  it(`leaves no orphan when a deleted child is restored while its parent is deleted, ${TRIES} times over`, async () => {
    const outcomes: string[] = [];
    for (let tag = 100; tag < 100 + TRIES; tag += 1) {
      const parent = c.parent(tag);
      payloadOf(await run(parent.mutation, parent.input));
      const child = c.child(parent.key, tag);
      const made = payloadOf(await run(child.mutation, child.input));
      const gone = payloadOf(await run(c.deleteChild, { id: made.id, version: made.version }));
      const [restored, deleted] = await Promise.all([
        run(c.restoreChild, { id: gone.id, version: gone.version }),
        run(c.deleteParent, { ...parent.key, version: 1 }),
      ]);
      outcomes.push(outcome(restored), outcome(deleted));
      expect([restored.errors ? 'refused' : 'ok', deleted.errors ? 'refused' : 'ok'].sort()).toEqual(['ok', 'refused']);
    }
    expect(outcomes.filter((o) => o.startsWith('unexpected'))).toEqual([]);
    expect(await svc.ds.query(c.orphans)).toEqual([{ n: 0 }]);
  });
});
