import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import { PROJECT_ROOT, type ServiceName } from '../../shared/src/runtime/config';
import { listBounds } from '../../shared/src/graphql/listBounds';
import { loadServices } from '../../services/definitions';
import { type Stack, startStack } from '../support/stack';
import { startServiceHarness, type ServiceHarness } from '../support/serviceHarness';

/**
 * Every field sized by an argument, its cap, the service that owns it and how to ask it with a
 * given size: at the gateway as a client would, and at the service alone (Country fields through
 * `_entities`, as the gateway calls them).
 */
/** Where a field is asked from: the root, or one record of a type (Country through `_entities` at its service). */
type Parent =
  'root' | { country: string } | { instrument: string } | { organization: string } | { process: string } | { indicator: string };

interface Capped {
  coordinate: string;
  argument: string;
  cap: number;
  service: ServiceName;
  /** The selection, with N where the size goes. */
  field: string;
  parent: Parent;
}

const root = (coordinate: string, service: ServiceName, cap: number, field: string): Capped => ({
  coordinate,
  argument: 'first',
  cap,
  service,
  field,
  parent: 'root',
});
/** A field sized by `first`, or by `limit` when its selection says so. */
const sized = (coordinate: string, service: ServiceName, cap: number, field: string, parent: Parent): Capped => ({
  coordinate,
  argument: /\blimit: N/.test(field) ? 'limit' : 'first',
  cap,
  service,
  field,
  parent,
});

const CAPPED: Capped[] = [
  root('Query.countries', 'consultative-processes', 300, 'countries(first: N) { totalCount }'),
  root('Query.meetings', 'consultative-processes', 100, 'meetings(first: N) { totalCount }'),
  root('Query.instruments', 'legal-instruments', 100, 'instruments(first: N) { totalCount }'),
  root('Query.treatyActions', 'legal-instruments', 100, 'treatyActions(first: N) { totalCount }'),
  root('Query.trainings', 'legal-instruments', 100, 'trainings(first: N) { totalCount }'),
  root('Query.migrationPolicies', 'legal-instruments', 100, 'migrationPolicies(first: N) { totalCount }'),
  root('Query.publications', 'legal-instruments', 100, 'publications(first: N) { totalCount }'),
  root('Query.migrationProfiles', 'migration-data', 100, 'migrationProfiles(first: N) { totalCount }'),
  root('Query.corridors', 'migration-data', 100, 'corridors(filter: { year: 2020 }, first: N) { totalCount }'),
  root(
    'Query.displacementCorridors',
    'migration-data',
    100,
    'displacementCorridors(filter: { year: 2020 }, first: N) { totalCount }',
  ),
  root('Query.missingMigrantIncidents', 'migration-data', 100, 'missingMigrantIncidents(first: N) { totalCount }'),
  sized('Query.missingMigrantsGeoJson', 'migration-data', 5000, 'missingMigrantsGeoJson(limit: N) { totalCount }', 'root'),
  sized(
    'Query.missingMigrantsTotals',
    'migration-data',
    2000,
    'missingMigrantsTotals(by: [YEAR], limit: N) { incidents }',
    'root',
  ),
  root('Query.programmes', 'un-partnerships', 100, 'programmes(first: N) { totalCount }'),
  sized('Country.topOrigins', 'migration-data', 50, 'topOrigins(year: 2020, limit: N) { origin { code } total }', {
    country: 'SEN',
  }),
  sized('Country.topDestinations', 'migration-data', 50, 'topDestinations(year: 2020, limit: N) { destination { code } total }', {
    country: 'SEN',
  }),
  sized(
    'Country.displacementOrigins',
    'migration-data',
    50,
    'displacementOrigins(year: 2020, limit: N) { origin { code } value }',
    {
      country: 'NGA',
    },
  ),
  sized(
    'Country.displacementDestinations',
    'migration-data',
    50,
    'displacementDestinations(year: 2020, limit: N) { asylum { code } value }',
    { country: 'NGA' },
  ),
  sized('Country.treatyActions', 'legal-instruments', 60, 'treatyActions(first: N) { instrument { code } action date }', {
    country: 'SEN',
  }),
  sized('Country.treatyStatuses', 'legal-instruments', 30, 'treatyStatuses(first: N) { instrument { code } status }', {
    country: 'SEN',
  }),
  sized('LegalInstrument.treatyActions', 'legal-instruments', 120, 'treatyActions(first: N) { country { code } action date }', {
    instrument: 'ICRMW',
  }),
  sized('LegalInstrument.parties', 'legal-instruments', 60, 'parties(first: N) { country { code } status }', {
    instrument: 'ICRMW',
  }),
  sized('RegionalOrganization.members', 'consultative-processes', 40, 'members(first: N) { country { code } type from }', {
    organization: 'ECOWAS',
  }),
  sized(
    'RegionalOrganization.membershipHistory',
    'consultative-processes',
    80,
    'membershipHistory(first: N) { country { code } type from to }',
    { organization: 'ECOWAS' },
  ),
  sized('Country.meetingsHosted', 'consultative-processes', 30, 'meetingsHosted(first: N) { id }', { country: 'SEN' }),
  sized(
    'ConsultativeProcess.participants',
    'consultative-processes',
    100,
    'participants(first: N) { country { code } organization role }',
    {
      process: 'MIDWA',
    },
  ),
  sized('ConsultativeProcess.meetings', 'consultative-processes', 100, 'meetings(first: N) { id }', { process: 'MIDWA' }),
  sized(
    'IndicatorAggregate.leftOut',
    'migration-data',
    300,
    'aggregate(countries: { subregion: "Western Asia" }, fromYear: 2023, toYear: 2023) { leftOut(first: N) { value } }',
    { indicator: 'WB_NET_MIGRATION' },
  ),
];

/** Every editable type's `history`: capped like the others, asked by admins only (so tested apart, below). */
const HISTORIES = [
  'ConsultativeProcess',
  'IndicatorValue',
  'LegalInstrument',
  'Meeting',
  'MigrationProfile',
  'OrganizationMembership',
  'ProcessParticipation',
  'Programme',
  'ProgrammeAgency',
  'ProgrammeCountry',
  'Publication',
  'Training',
  'TreatyAction',
  'UnAgency',
].map((type) => ({ coordinate: `${type}.history`, argument: 'first', cap: 100 }));

/** The field's name in the answer, and the answer's path to the list (or connection). */
const answerPath = (c: Capped): string[] => {
  const name = c.field.slice(0, c.field.indexOf('('));
  if (c.parent === 'root') return [name];
  if ('country' in c.parent) return ['country', name];
  if ('instrument' in c.parent) return ['instrument', name];
  if ('organization' in c.parent) return ['regionalOrganization', name];
  if ('indicator' in c.parent) return ['indicator', name];
  return ['consultativeProcess', name];
};

function around(c: Capped, field: string): string {
  const p = c.parent;
  if (p === 'root') return `{ ${field} }`;
  if ('country' in p) return `{ country(code: "${p.country}") { ${field} } }`;
  if ('instrument' in p) return `{ instrument(code: "${p.instrument}") { ${field} } }`;
  if ('organization' in p) return `{ regionalOrganization(code: "${p.organization}") { ${field} } }`;
  if ('indicator' in p) return `{ indicator(code: "${p.indicator}") { ${field} } }`;
  return `{ consultativeProcess(code: "${p.process}") { ${field} } }`;
}

function gatewayQuery(c: Capped, size: number): string {
  return around(c, c.field.replace('N', String(size)));
}

function serviceQuery(c: Capped, size: number): string {
  const field = c.field.replace('N', String(size));
  return typeof c.parent === 'object' && 'country' in c.parent
    ? `{ _entities(representations: [{ __typename: "Country", code: "${c.parent.country}" }]) { ... on Country { ${field} } } }`
    : around(c, field);
}

const refusal = (c: Capped, size: number) => `\`${c.argument}\` of ${c.coordinate} must be between 0 and ${c.cap}, got ${size}`;

let stack: Stack;
const services = new Map<ServiceName, ServiceHarness>();

beforeAll(async () => {
  stack = await startStack();
  for (const definition of loadServices()) services.set(definition.name, await startServiceHarness(definition));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  for (const svc of services.values()) await svc.close();
});

describe('page-size caps', () => {
  it('declares one cap for every field sized by an argument, in the supergraph where the cost analysis reads it', () => {
    const supergraph = fs.readFileSync(path.join(PROJECT_ROOT, 'gateway', 'supergraph.graphql'), 'utf8');
    const declared = [...listBounds(supergraph)]
      .filter(([, bound]) => bound.slicingArguments !== undefined)
      .map(([coordinate, bound]) => ({ coordinate, arguments: bound.slicingArguments, cap: bound.assumedSize }))
      .sort((a, b) => a.coordinate.localeCompare(b.coordinate));
    expect(declared).toEqual(
      [...CAPPED, ...HISTORIES]
        .map((c) => ({ coordinate: c.coordinate, arguments: [c.argument], cap: c.cap }))
        .sort((a, b) => a.coordinate.localeCompare(b.coordinate)),
    );
  });

  it('says each cap in the description of the argument that is capped', () => {
    const supergraph = parse(fs.readFileSync(path.join(PROJECT_ROOT, 'gateway', 'supergraph.graphql'), 'utf8'));
    const description = (c: { coordinate: string; argument: string }) => {
      const [typeName, fieldName] = c.coordinate.split('.');
      const type = supergraph.definitions.find((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === typeName);
      const field = type?.kind === Kind.OBJECT_TYPE_DEFINITION ? type.fields?.find((f) => f.name.value === fieldName) : undefined;
      return field?.arguments?.find((a) => a.name.value === c.argument)?.description?.value;
    };
    const all = [...CAPPED, ...HISTORIES];
    expect(all.map((c) => [c.coordinate, /\(at most (\d+)\)\.$/.exec(description(c) ?? '')?.[1]])).toEqual(
      all.map((c) => [c.coordinate, String(c.cap)]),
    );
  });

  it.each(CAPPED.map((c) => [c.coordinate, c] as const))(
    'answers %s at its cap and refuses one more with the same message at the gateway and at the service',
    async (_, c) => {
      const svc = services.get(c.service);
      if (!svc) throw new Error(`no harness for ${c.service}`);

      const atCap = await stack.query(gatewayQuery(c, c.cap));
      expect({ status: atCap.status, errors: atCap.errors }).toEqual({ status: 200, errors: undefined });
      expect((await svc.execute(serviceQuery(c, c.cap))).errors).toBeUndefined();

      const problem = { field: c.argument, message: `must be between 0 and ${c.cap}` };
      expect(await stack.query(gatewayQuery(c, c.cap + 1))).toEqual({
        status: 400,
        errors: [{ message: refusal(c, c.cap + 1), extensions: { code: 'BAD_USER_INPUT', problems: [problem] } }],
      });
      const direct = await svc.execute(serviceQuery(c, c.cap + 1));
      expect(direct.errors?.map((e) => ({ message: e.message, extensions: e.extensions }))).toEqual([
        { message: refusal(c, c.cap + 1), extensions: { code: 'BAD_USER_INPUT', problems: [problem] } },
      ]);
    },
  );

  it("refuses a record's history over its cap before any service is called, whoever asks, and answers an admin at the cap", async () => {
    const history = (n: number) => `{ instrument(code: "ICRMW") { history(first: ${n}) { totalCount } } }`;
    expect(await stack.query(history(101))).toEqual({
      status: 400,
      errors: [
        {
          message: '`first` of LegalInstrument.history must be between 0 and 100, got 101',
          extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'first', message: 'must be between 0 and 100' }] },
        },
      ],
    });
    const admin = await stack.token('admin-1', ['admin']);
    expect(await stack.query(history(100), {}, admin)).toEqual({
      status: 200,
      data: { instrument: { history: { totalCount: 0 } } },
    });
  });

  it('refuses a negative size, and a size over the cap given in a variable, before any service is called', async () => {
    expect(await stack.query('query ($n: Int) { meetings(first: $n) { totalCount } }', { n: 150 })).toEqual({
      status: 400,
      errors: [
        {
          message: '`first` of Query.meetings must be between 0 and 100, got 150',
          extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'first', message: 'must be between 0 and 100' }] },
        },
      ],
    });
    expect(await stack.query('{ programmes(first: -1) { totalCount } }')).toEqual({
      status: 400,
      errors: [
        {
          message: '`first` of Query.programmes must be between 0 and 100, got -1',
          extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'first', message: 'must be between 0 and 100' }] },
        },
      ],
    });
  });
});

interface PageAnswer {
  totalCount: number;
  edges: { cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const ROOT_CONNECTIONS = CAPPED.filter((c) => c.parent === 'root' && c.argument === 'first');

/** One page of a root connection through the gateway: its cursors, pageInfo and totalCount. */
async function page(c: Capped, first: number, after: string | null): Promise<PageAnswer> {
  const field = c.field
    .replace('first: N', 'first: $first, after: $after')
    .replace('{ totalCount }', '{ totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }');
  const name = c.coordinate.slice('Query.'.length);
  const answer = await stack.query(`query ($first: Int, $after: String) { ${field} }`, { first, after });
  expect(answer.errors).toBeUndefined();
  return answer.data?.[name] as PageAnswer;
}

/** What Relay's PageInfo must say of a page of `count` items starting at `offset` of `total`. */
const pageInfoOf = (edges: { cursor: string }[], offset: number, total: number) => ({
  hasNextPage: offset + edges.length < total,
  hasPreviousPage: offset > 0,
  startCursor: edges[0]?.cursor ?? null,
  endCursor: edges[edges.length - 1]?.cursor ?? null,
});

describe('connections as Relay clients expect', () => {
  it.each(ROOT_CONNECTIONS.map((c) => [c.coordinate, c] as const))(
    '%s gives a first page and the page after it with startCursor, endCursor, hasPreviousPage and hasNextPage',
    async (_, c) => {
      const one = await page(c, 1, null);
      expect(one.totalCount).toBeGreaterThan(1);
      expect(one.pageInfo).toEqual(pageInfoOf(one.edges, 0, one.totalCount));
      expect(one.edges).toHaveLength(1);
      const two = await page(c, 1, one.pageInfo.endCursor);
      expect(two.pageInfo).toEqual(pageInfoOf(two.edges, 1, two.totalCount));
      expect(two.totalCount).toBe(one.totalCount);
      expect(two.edges.length).toBeGreaterThan(0);
      expect(two.edges.map((e) => e.cursor)).not.toContain(one.pageInfo.endCursor);
    },
  );

  it('walks the programmes to their end one at a time, and an empty page after the end has null cursors and items before it', async () => {
    const programmes = ROOT_CONNECTIONS.find((c) => c.coordinate === 'Query.programmes');
    if (!programmes) throw new Error('Query.programmes is not in the table');
    const seen: string[] = [];
    let after: string | null = null;
    let last: PageAnswer;
    do {
      last = await page(programmes, 1, after);
      expect(last.pageInfo).toEqual(pageInfoOf(last.edges, seen.length, last.totalCount));
      seen.push(...last.edges.map((e) => e.cursor));
      after = last.pageInfo.endCursor;
    } while (last.pageInfo.hasNextPage);
    expect(seen).toHaveLength(last.totalCount);
    expect(new Set(seen).size).toBe(seen.length);
    expect(await page(programmes, 1, after)).toEqual({
      totalCount: last.totalCount,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
  });
});

describe('nested lists sized by an argument', () => {
  const dig = (data: unknown, path: string[]): unknown[] =>
    path.reduce<unknown>((value, key) => (value as Record<string, unknown> | null)?.[key], data) as unknown[];

  // Top-N lists (`limit`) are cut in SQL and tested with their service; no country hosted two meetings in the seed data;
  // the values left out of an aggregate are a list in each year of a list (cut in indicators.test.ts).
  const cut = CAPPED.filter(
    (c) =>
      c.parent !== 'root' &&
      c.argument === 'first' &&
      c.coordinate !== 'Country.meetingsHosted' &&
      c.coordinate !== 'IndicatorAggregate.leftOut',
  );

  it.each(cut.map((c) => [c.coordinate, c] as const))(
    '%s gives the start of the whole list, as long as asked, and the whole list is under its cap',
    async (_, c) => {
      const whole = await stack.query(gatewayQuery(c, c.cap));
      const one = await stack.query(gatewayQuery(c, 1));
      expect(whole.errors).toBeUndefined();
      const list = dig(whole.data, answerPath(c));
      expect(list.length).toBeGreaterThan(1);
      expect(list.length).toBeLessThan(c.cap);
      expect(one).toEqual({ status: 200, data: setAt(answerPath(c), list.slice(0, 1)) });
    },
  );
});

/** { a: { b: value } } from ['a', 'b'] and value. */
function setAt(path: string[], value: unknown): Record<string, unknown> {
  let nestedValue: unknown = value;
  for (const key of [...path].reverse()) nestedValue = { [key]: nestedValue };
  return nestedValue as Record<string, unknown>;
}
