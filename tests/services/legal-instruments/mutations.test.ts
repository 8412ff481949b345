import { definition } from '../../../services/legal-instruments/src/service';
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
import { required } from '../../../shared/src/runtime/required';

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startPrivateHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

const editor = as('editor:legal-instruments', 'editor-1');
const admin = as('admin', 'admin-1');
const TABLES = ['instrument', 'treaty_action', 'training', 'publication'];

const instrument: EditableCase = {
  name: 'Instrument',
  payload: 'instrument',
  select: 'code version title',
  createInput: (tag) => ({
    code: `TEST-I${tag}`,
    title: `Test instrument ${tag}`,
    kind: 'CONVENTION',
    scope: 'GLOBAL',
    status: 'NOT_IN_FORCE',
  }),
  keyOf: (r) => ({ code: r.code }),
  change: { title: 'Renamed instrument', adoptedDate: '2001-05' },
};
const treatyAction: EditableCase = {
  name: 'TreatyAction',
  payload: 'treatyAction',
  select: 'id version date',
  // One action per (instrument, country, kind): the tag picks a country from the list.
  createInput: (tag) => ({
    instrument: 'AU-FMP',
    country: [
      'ARG',
      'AUS',
      'AUT',
      'BEL',
      'BRA',
      'CAN',
      'CHL',
      'CHN',
      'DEU',
      'DNK',
      'ESP',
      'FIN',
      'FRA',
      'GBR',
      'GRC',
      'IND',
      'IRL',
      'ITA',
      'JPN',
      'KOR',
      'MEX',
      'NLD',
      'NOR',
      'NZL',
      'POL',
      'PRT',
      'SWE',
      'CHE',
    ][tag % 28],
    action: ['SIGNATURE', 'RATIFICATION', 'ACCESSION', 'SUCCESSION'][Math.floor(tag / 28) % 4],
    date: '2020-02-03',
  }),
  keyOf: (r) => ({ id: r.id }),
  change: { date: '2021' },
};
const training: EditableCase = {
  name: 'Training',
  payload: 'training',
  select: 'id version activity',
  createInput: (tag) => ({
    id: `TEST-T${tag}`,
    project: 'Test project',
    activity: 'A workshop',
    country: 'SEN',
    startDate: '2024-03-01',
    endDate: '2024-03-05',
  }),
  keyOf: (r) => ({ id: r.id }),
  change: { activity: 'A longer workshop', endDate: '2024-03-08' },
};
const publication: EditableCase = {
  name: 'Publication',
  payload: 'publication',
  select: 'id version title',
  createInput: (tag) => ({
    id: `TEST-P${tag}`,
    title: `A study ${tag}`,
    kind: 'STUDY',
    year: 2019,
    language: 'FR',
    countries: ['SEN', 'MLI'],
  }),
  keyOf: (r) => ({ id: r.id }),
  change: { title: 'A revised study', url: 'https://example.org/study.pdf' },
};

describe('legal-instruments writes', () => {
  describeRoleMatrix('legal-instruments', 'legal', () => svc, [instrument, treatyAction, training, publication]);

  it('rejects an invalid training with one problem per field and writes nothing', async () => {
    const before = await counts(svc.ds, 'legal', TABLES);
    const result = await svc.execute(
      `mutation($input: CreateTrainingInput!) { createTraining(input: $input) { training { id } } }`,
      {
        input: {
          id: 'bad id!',
          project: ' ',
          activity: 'x'.repeat(2001),
          country: 'XYZ',
          location: 'SENEGAL',
          startDate: '2024-05-01',
          endDate: '2024-04-30',
        },
      },
      editor,
    );
    expect(result.errors?.map((e) => e.extensions)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        problems: [
          { field: 'input.id', message: 'must be letters, digits and hyphens (2 to 60), such as IML-CEDEAO-SEN' },
          { field: 'input.project', message: 'must not be empty (use null to clear it)' },
          { field: 'input.country', message: '"XYZ" is not in the country list' },
          { field: 'input.activity', message: 'must have at most 2000 characters, got 2001' },
          {
            field: 'input.location',
            message: 'must be a country code of three letters or digits, the first a letter, such as SEN',
          },
        ],
      },
    ]);
    const order = await svc.execute(
      `mutation($input: CreateTrainingInput!) { createTraining(input: $input) { training { id } } }`,
      { input: { id: 'TEST-ORDER', project: 'P', activity: 'A', startDate: '2024-05-01', endDate: '2024-04-30' } },
      editor,
    );
    expect(order.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', problems: [{ field: 'input.endDate', message: 'must not be before the start' }] },
    ]);
    const action = await svc.execute(
      `mutation($input: CreateTreatyActionInput!) { createTreatyAction(input: $input) { treatyAction { id } } }`,
      { input: { instrument: 'NO-SUCH', country: 'SEN', action: 'SIGNATURE', date: '2024-02-30' } },
      editor,
    );
    expect(codes(action)).toEqual(['BAD_USER_INPUT']);
    const publicationResult = await svc.execute(
      `mutation($input: CreatePublicationInput!) { createPublication(input: $input) { publication { id } } }`,
      { input: { id: 'TEST-PUB-BAD', title: 'T', kind: 'MANUAL', year: 1800, url: 'ftp://x', countries: ['SEN', 'SEN'] } },
      editor,
    );
    expect(publicationResult.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      problems: [
        { field: 'input.year', message: 'must be an integer between 1900 and 2100' },
        { field: 'input.url', message: 'must be an http or https URL' },
        { field: 'input.countries', message: 'must not repeat a country' },
      ],
    });
    expect(await counts(svc.ds, 'legal', TABLES)).toEqual(before);
  });

  it('rejects a treaty action on an unknown instrument inside the transaction and writes nothing', async () => {
    const before = await counts(svc.ds, 'legal', TABLES);
    const result = await svc.execute(
      `mutation($input: CreateTreatyActionInput!) { createTreatyAction(input: $input) { treatyAction { id } } }`,
      { input: { instrument: 'NO-SUCH', country: 'SEN', action: 'SIGNATURE' } },
      editor,
    );
    expect(result.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', problems: [{ field: 'input.instrument', message: 'no instrument has the key "NO-SUCH"' }] },
    ]);
    expect(await counts(svc.ds, 'legal', TABLES)).toEqual(before);
  });

  it('refuses a duplicate key with CONFLICT and an update from a stale version with CONFLICT, writing nothing', async () => {
    const created = await mutate(svc, 'create', training, training.createInput(9001), editor);
    const before = await counts(svc.ds, 'legal', TABLES);
    const duplicate = await svc.execute(
      `mutation($input: CreateTrainingInput!) { createTraining(input: $input) { training { id } } }`,
      { input: training.createInput(9001) },
      editor,
    );
    expect(codes(duplicate)).toEqual(['CONFLICT']);
    await mutate(svc, 'update', training, { id: created.id, version: 1, activity: 'first' }, editor);
    const stale = await svc.execute(
      `mutation($input: UpdateTrainingInput!) { updateTraining(input: $input) { training { id } } }`,
      { input: { id: created.id, version: 1, activity: 'second' } },
      editor,
    );
    expect(stale.errors?.map((e) => e.extensions)).toEqual([{ code: 'CONFLICT', currentVersion: 2 }]);
    const missing = await svc.execute(
      `mutation($input: UpdateTrainingInput!) { updateTraining(input: $input) { training { id } } }`,
      { input: { id: 'NO-SUCH-TRAINING', version: 1, activity: 'x' } },
      editor,
    );
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    expect(await counts(svc.ds, 'legal', TABLES)).toEqual({ ...before, audit_log: before.audit_log + 1 });
  });

  it('lets exactly one of 50 concurrent updates from the same version win, in each of 10 runs', async () => {
    const created = await mutate(svc, 'create', training, training.createInput(9002), editor);
    let version = created.version as number;
    const outcomes = [];
    for (let run = 0; run < 10; run += 1) {
      const outcome = await race(
        svc,
        training,
        { id: created.id },
        version,
        'activity',
        (i) => `run ${run} writer ${i}`,
        async () => (await svc.ds.query(`SELECT activity FROM legal.training WHERE id = $1`, [created.id]))[0].activity,
        editor,
      );
      outcomes.push(outcome);
      version += 1;
    }
    expect(outcomes).toEqual(Array.from({ length: 10 }, () => ({ succeeded: 1, conflicts: 49, other: 0, finalIsWinner: true })));
    const [{ n }] = await svc.ds.query(
      `SELECT count(*)::int AS n FROM legal.audit_log WHERE entity = 'Training' AND record_key = $1`,
      [created.id],
    );
    expect(n).toBe(11);
  });

  it('records each change with who, before and after, and shows the history to admins only', async () => {
    const created = await mutate(svc, 'create', publication, publication.createInput(9003), editor);
    await mutate(
      svc,
      'update',
      publication,
      { id: created.id, version: 1, title: 'Second title' },
      as('editor:legal-instruments', 'editor-2'),
    );
    await mutate(svc, 'delete', publication, { id: created.id, version: 2 }, admin);
    await mutate(svc, 'restore', publication, { id: created.id, version: 3 }, admin);
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Publication { history { edges { node { actor action entity key before after } } } } } }`;
    const reps = { r: [{ __typename: 'Publication', id: created.id }] };
    const result = await svc.execute(query, reps, admin);
    const history = (
      result.data?._entities as { history: { edges: { node: Record<string, string | null> }[] } }[]
    )[0].history.edges
      .map((e) => e.node)
      .reverse();
    const pick = (json: string | null, ...fields: string[]) =>
      json === null ? null : Object.fromEntries(fields.map((f) => [f, JSON.parse(json)[f]]));
    expect(
      history.map((h) => ({ ...h, before: pick(h.before, 'title', 'version'), after: pick(h.after, 'title', 'version') })),
    ).toEqual([
      {
        actor: 'editor-1',
        action: 'CREATE',
        entity: 'Publication',
        key: created.id,
        before: null,
        after: { title: 'A study 9003', version: 1 },
      },
      {
        actor: 'editor-2',
        action: 'UPDATE',
        entity: 'Publication',
        key: created.id,
        before: { title: 'A study 9003', version: 1 },
        after: { title: 'Second title', version: 2 },
      },
      {
        actor: 'admin-1',
        action: 'DELETE',
        entity: 'Publication',
        key: created.id,
        before: { title: 'Second title', version: 2 },
        after: { title: 'Second title', version: 3 },
      },
      {
        actor: 'admin-1',
        action: 'RESTORE',
        entity: 'Publication',
        key: created.id,
        before: { title: 'Second title', version: 3 },
        after: { title: 'Second title', version: 4 },
      },
    ]);
    expect(JSON.parse(required(history[2].after, 'the record after its deletion')).deleted_at).not.toBeNull();
    for (const who of [as(null), as('partner'), editor]) {
      const denied = await svc.execute(query, reps, who);
      expect({ codes: codes(denied), data: denied.data }).toEqual({ codes: ['FORBIDDEN'], data: { _entities: [null] } });
    }
  });

  it('pages through 150 changes of one record newest first, each change once, and only for admins', async () => {
    const created = await mutate(svc, 'create', publication, publication.createInput(9005), editor);
    for (let version = 1; version < 150; version += 1) {
      await mutate(svc, 'update', publication, { id: created.id, version, title: `Title ${version + 1}` }, editor);
    }
    const query = `query($id: ID!, $first: Int, $after: String) {
      _entities(representations: [{ __typename: "Publication", id: $id }]) { ... on Publication {
        history(first: $first, after: $after) {
          totalCount
          edges { cursor node { id action after } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      } }
    }`;
    interface HistoryPage {
      totalCount: number;
      edges: { cursor: string; node: { id: string; action: string; after: string } }[];
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    }
    const page = async (first: number | null, after: string | null): Promise<HistoryPage> => {
      const result = await svc.execute(query, { id: created.id, first, after }, admin);
      expect(result.errors).toBeUndefined();
      return (result.data?._entities as { history: HistoryPage }[])[0].history;
    };
    const versions: number[] = [];
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const current = await page(40, after);
      pages += 1;
      expect(current.totalCount).toBe(150);
      expect(current.pageInfo).toEqual({
        hasNextPage: versions.length + current.edges.length < 150,
        hasPreviousPage: after !== null,
        startCursor: current.edges[0]?.cursor ?? null,
        endCursor: current.edges[current.edges.length - 1]?.cursor ?? null,
      });
      ids.push(...current.edges.map((e) => e.node.id));
      versions.push(...current.edges.map((e) => (JSON.parse(e.node.after) as { version: number }).version));
      after = current.pageInfo.endCursor;
      if (!current.pageInfo.hasNextPage) break;
    }
    expect(pages).toBe(4);
    // Newest first: versions 150 down to 1, the creation last; no entry missing or repeated.
    expect(versions).toEqual(Array.from({ length: 150 }, (_, n) => 150 - n));
    expect(new Set(ids).size).toBe(150);
    // The default page is the 20 newest changes; an empty page after the last has null cursors.
    const first = await page(null, null);
    expect(first.edges.map((e) => e.node.id)).toEqual(ids.slice(0, 20));
    expect(await page(5, after)).toEqual({
      totalCount: 150,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
    // A change made between two pages does not shift the pages already read.
    await mutate(svc, 'update', publication, { id: created.id, version: 150, title: 'Title 151' }, editor);
    const next = await page(3, first.pageInfo.endCursor);
    expect(next.edges.map((e) => e.node.id)).toEqual(ids.slice(20, 23));

    const refused = async (variables: Record<string, unknown>, who = admin) =>
      codes(await svc.execute(query, { id: created.id, ...variables }, who));
    expect(await refused({ first: 101 })).toEqual(['BAD_USER_INPUT']);
    expect(await refused({ first: -1 })).toEqual(['BAD_USER_INPUT']);
    expect(await refused({ after: 'not-a-cursor' })).toEqual(['BAD_USER_INPUT']);
    for (const who of [as(null), as('partner'), editor]) expect(await refused({ first: 10 }, who)).toEqual(['FORBIDDEN']);
  });

  it('hides a deleted instrument from every read and brings it back on restore', async () => {
    const created = await mutate(svc, 'create', instrument, { ...instrument.createInput(9004), themes: ['refugees'] }, editor);
    const action = await mutate(
      svc,
      'create',
      treatyAction,
      { instrument: created.code, country: 'SEN', action: 'SIGNATURE', date: '2024-01-02' },
      editor,
    );
    const read = `query($code: ID!) {
      instruments(filter: { theme: "refugees" }, first: 100) { edges { node { code } } }
      _entities(representations: [{ __typename: "Country", code: "SEN" }]) { ... on Country { treatyActions { instrument { code } } } }
      instrument(code: $code) { code }
    }`;
    const seen = async () => {
      const r = await svc.execute(read, { code: created.code });
      const edges = (r.data?.instruments as { edges: { node: { code: string } }[] } | undefined)?.edges ?? [];
      const actions =
        (r.data?._entities as { treatyActions: { instrument: { code: string } }[] }[] | undefined)?.[0]?.treatyActions ?? [];
      return {
        inList: edges.some((e) => e.node.code === created.code),
        inCountry: actions.some((a) => a.instrument.code === created.code),
        byCode: codes(r),
      };
    };
    expect(await seen()).toEqual({ inList: true, inCountry: true, byCode: [] });
    // Its treaty action still refers to it: the delete is refused until that is deleted.
    const refused = await svc.execute(
      `mutation($input: InstrumentVersionInput!) { deleteInstrument(input: $input) { instrument { code } } }`,
      { input: { code: created.code, version: 1 } },
      editor,
    );
    expect(codes(refused)).toEqual(['CONFLICT']);
    await mutate(svc, 'delete', treatyAction, { id: action.id, version: 1 }, editor);
    await mutate(svc, 'delete', instrument, { code: created.code, version: 1 }, editor);
    expect(await seen()).toEqual({ inList: false, inCountry: false, byCode: ['NOT_FOUND'] });
    // The action cannot come back while its instrument is deleted.
    const orphan = await svc.execute(
      `mutation($input: TreatyActionVersionInput!) { restoreTreatyAction(input: $input) { treatyAction { id } } }`,
      { input: { id: action.id, version: 2 } },
      editor,
    );
    expect(orphan.errors?.map((e) => e.extensions)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'input.instrument', message: `no instrument has the key "${created.code}"` }],
      },
    ]);
    await mutate(svc, 'restore', instrument, { code: created.code, version: 2 }, editor);
    await mutate(svc, 'restore', treatyAction, { id: action.id, version: 2 }, editor);
    expect(await seen()).toEqual({ inList: true, inCountry: true, byCode: [] });
  });

  it("shows editors' internal notes to partners and above, and null to anonymous callers", async () => {
    await mutate(svc, 'create', training, { ...training.createInput(9005), internalNote: 'call the ministry' }, editor);
    const read = `{ _entities(representations: [{ __typename: "Training", id: "TEST-T9005" }]) { ... on Training { internalNote version } } }`;
    expect((await svc.execute(read, {}, as(null))).data).toEqual({ _entities: [{ internalNote: null, version: 1 }] });
    expect((await svc.execute(read, {}, as('partner'))).data).toEqual({
      _entities: [{ internalNote: 'call the ministry', version: 1 }],
    });
  });

  it('gives seeded records version 1', async () => {
    const result = await svc.execute(
      `{ instrument(code: "AU-KAMPALA") { version } trainings(first: 1) { edges { node { id version } } } }`,
    );
    expect(result).toEqual({
      data: { instrument: { version: 1 }, trainings: { edges: [{ node: { id: 'IML-CEDEAO-BEN', version: 1 } }] } },
    });
  });
});
