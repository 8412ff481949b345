import { definition } from '../../../services/migration-data/src/service';
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
  await svc.ds
    .query(`INSERT INTO "data"."indicator" ("code", "name", "unit", "definition", "allow_negative", "source", "confidence") VALUES
    ('TEST_NET', 'Test net migration', 'persons', 'Immigrants minus emigrants', true, 'Test fixture', 'seen'),
    ('TEST_COUNT', 'Test refugees', 'persons', 'Refugees hosted', false, 'Test fixture', 'seen')`);
});
afterAll(async () => {
  await svc.close();
});

const editor = as('editor:migration-data', 'data-editor');
const admin = as('admin', 'admin-1');
const TABLES = ['migration_profile', 'indicator_value'];
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
];

const profile: EditableCase = {
  name: 'MigrationProfile',
  payload: 'migrationProfile',
  select: 'id version title',
  createInput: (tag) => ({ country: COUNTRIES[tag % 16], year: 1900 + tag, title: `Profile ${tag}`, language: 'FR', pages: 120 }),
  keyOf: (r) => ({ id: r.id }),
  change: { title: 'Revised profile', isbn: '978-92-9068-000-0' },
};
const indicatorValue: EditableCase = {
  name: 'IndicatorValue',
  payload: 'indicatorValue',
  select: 'indicator { code } country { code } year version value unit',
  createInput: (tag) => ({ indicator: 'TEST_NET', country: 'SEN', year: 1900 + tag, value: -tag, source: 'Test source' }),
  keyOf: (r) => ({
    indicator: (r.indicator as { code: string }).code,
    country: (r.country as { code: string }).code,
    year: r.year,
  }),
  change: { value: 42.5, confidence: 'DERIVED' },
};

const seriesOf = async (code: string, indicator: string) => {
  const r = await svc.execute(
    `query($r: [_Any!]!, $i: ID!) { _entities(representations: $r) { ... on Country { indicatorSeries(indicator: $i) { year value version } } } }`,
    { r: [{ __typename: 'Country', code }], i: indicator },
  );
  return (r.data?._entities as { indicatorSeries: unknown[] }[])[0].indicatorSeries;
};

describe('migration-data writes', () => {
  describeRoleMatrix('migration-data', 'data', () => svc, [profile, indicatorValue]);

  it('rejects invalid values with one problem per field and writes nothing', async () => {
    const before = await counts(svc.ds, 'data', TABLES);
    const bad = await svc.execute(
      `mutation($input: CreateMigrationProfileInput!) { createMigrationProfile(input: $input) { migrationProfile { id } } }`,
      { input: { country: 'ZZZ', year: 1800, title: '', language: 'EN', isbn: '12-34', pages: 0, url: 'not a url' } },
      editor,
    );
    expect(bad.errors?.map((e) => e.extensions)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        problems: [
          { field: 'input.country', message: '"ZZZ" is not in the country list' },
          { field: 'input.year', message: 'must be an integer between 1900 and 2100' },
          { field: 'input.title', message: 'must not be empty (use null to clear it)' },
          { field: 'input.isbn', message: 'must be an ISBN of 10 or 13 digits (hyphens allowed)' },
          { field: 'input.pages', message: 'must be an integer between 1 and 5000' },
          { field: 'input.url', message: 'must be an http or https URL' },
        ],
      },
    ]);
    const negative = await svc.execute(
      `mutation($input: CreateIndicatorValueInput!) { createIndicatorValue(input: $input) { indicatorValue { year } } }`,
      { input: { indicator: 'TEST_COUNT', country: 'SEN', year: 2020, value: -5, source: 'x' } },
      editor,
    );
    expect(negative.errors?.map((e) => e.extensions)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'input.value', message: 'must not be negative: TEST_COUNT takes no negative values' }],
      },
    ]);
    const unknown = await svc.execute(
      `mutation($input: CreateIndicatorValueInput!) { createIndicatorValue(input: $input) { indicatorValue { year } } }`,
      { input: { indicator: 'NOPE', country: 'SEN', year: 2020, value: 5 } },
      editor,
    );
    expect(unknown.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', problems: [{ field: 'input.source', message: 'is required' }] },
    ]);
    expect(await counts(svc.ds, 'data', TABLES)).toEqual(before);
  });

  it('takes the unit of a new indicator value from the catalogue', async () => {
    const created = await mutate(
      svc,
      'create',
      indicatorValue,
      { indicator: 'TEST_COUNT', country: 'MLI', year: 2021, value: 1200, source: 'UNHCR' },
      editor,
    );
    expect(created).toEqual({
      indicator: { code: 'TEST_COUNT' },
      country: { code: 'MLI' },
      year: 2021,
      version: 1,
      value: 1200,
      unit: 'persons',
    });
  });

  it('lets exactly one of 50 concurrent updates of an indicator value win', async () => {
    await mutate(
      svc,
      'create',
      indicatorValue,
      { indicator: 'TEST_NET', country: 'NER', year: 2020, value: 0, source: 'Test' },
      editor,
    );
    const outcome = await race(
      svc,
      indicatorValue,
      { indicator: 'TEST_NET', country: 'NER', year: 2020 },
      1,
      'value',
      (i) => i + 0.5,
      async () =>
        (
          await svc.ds.query(
            `SELECT value FROM data.indicator_value WHERE indicator_code = 'TEST_NET' AND country_code = 'NER' AND year = 2020`,
          )
        )[0].value,
      editor,
    );
    expect(outcome).toEqual({ succeeded: 1, conflicts: 49, other: 0, finalIsWinner: true });
  });

  it('hides a deleted value and profile from reads, brings them back on restore, and shows the history to admins only', async () => {
    await mutate(
      svc,
      'create',
      indicatorValue,
      { indicator: 'TEST_NET', country: 'GHA', year: 2015, value: 7, source: 'Test' },
      editor,
    );
    await mutate(svc, 'create', profile, { country: 'GHA', year: 2030, title: 'Ghana 2030', language: 'EN' }, editor);
    expect(await seriesOf('GHA', 'TEST_NET')).toEqual([{ year: 2015, value: 7, version: 1 }]);
    await mutate(svc, 'delete', indicatorValue, { indicator: 'TEST_NET', country: 'GHA', year: 2015, version: 1 }, editor);
    await mutate(svc, 'delete', profile, { id: 'GHA-2030', version: 1 }, editor);
    expect(await seriesOf('GHA', 'TEST_NET')).toEqual([]);
    expect(codes(await svc.execute(`{ migrationProfile(id: "GHA-2030") { id } }`))).toEqual(['NOT_FOUND']);
    const ghana2030 = async () =>
      (
        (await svc.execute(`{ migrationProfiles(country: "GHA") { edges { node { id version } } } }`)).data
          ?.migrationProfiles as { edges: { node: { id: string } }[] }
      ).edges
        .map((e) => e.node)
        .filter((x) => x.id === 'GHA-2030');
    expect(await ghana2030()).toEqual([]);
    await mutate(svc, 'restore', indicatorValue, { indicator: 'TEST_NET', country: 'GHA', year: 2015, version: 2 }, editor);
    await mutate(svc, 'restore', profile, { id: 'GHA-2030', version: 2 }, editor);
    expect(await seriesOf('GHA', 'TEST_NET')).toEqual([{ year: 2015, value: 7, version: 3 }]);
    expect(await ghana2030()).toEqual([{ id: 'GHA-2030', version: 3 }]);

    const history = `{ migrationProfile(id: "GHA-2030") { history { edges { node { actor action key } } } } }`;
    expect((await svc.execute(history, {}, admin)).data).toEqual({
      migrationProfile: {
        history: {
          edges: [
            { actor: 'data-editor', action: 'RESTORE', key: 'GHA-2030' },
            { actor: 'data-editor', action: 'DELETE', key: 'GHA-2030' },
            { actor: 'data-editor', action: 'CREATE', key: 'GHA-2030' },
          ].map((node) => ({ node })),
        },
      },
    });
    for (const who of [as(null), as('partner'), editor])
      expect(codes(await svc.execute(history, {}, who))).toEqual(['FORBIDDEN']);
    const valueHistory = await svc.execute(
      `{ _entities(representations: [{ __typename: "Country", code: "GHA" }]) { ... on Country { indicatorSeries(indicator: "TEST_NET") { history(first: 2) { totalCount edges { node { action key } } pageInfo { hasNextPage } } } } } }`,
      {},
      admin,
    );
    expect(valueHistory.data).toEqual({
      _entities: [
        {
          indicatorSeries: [
            {
              history: {
                totalCount: 3,
                edges: [
                  { node: { action: 'RESTORE', key: 'TEST_NET/GHA/2015' } },
                  { node: { action: 'DELETE', key: 'TEST_NET/GHA/2015' } },
                ],
                pageInfo: { hasNextPage: true },
              },
            },
          ],
        },
      ],
    });
  });

  it("shows the editors' note of a profile to partners and null to anonymous callers; seeded profiles are at version 1", async () => {
    await mutate(
      svc,
      'create',
      profile,
      { country: 'TGO', year: 2031, title: 'Togo', language: 'FR', internalNote: 'draft: waiting for the ministry' },
      editor,
    );
    const read = `{ migrationProfile(id: "TGO-2031") { internalNote } seeded: migrationProfile(id: "SEN-2018") { version } }`;
    expect((await svc.execute(read, {}, as(null))).data).toEqual({
      migrationProfile: { internalNote: null },
      seeded: { version: 1 },
    });
    expect((await svc.execute(read, {}, as('partner'))).data).toEqual({
      migrationProfile: { internalNote: 'draft: waiting for the ministry' },
      seeded: { version: 1 },
    });
  });
});
