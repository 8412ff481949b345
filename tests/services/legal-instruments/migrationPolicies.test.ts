import path from 'node:path';
import { definition } from '../../../services/legal-instruments/src/service';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';
import { readCsv } from '../../../shared/src/io/csv';
import { startServiceHarness, type ServiceHarness } from '../../support/serviceHarness';
import { rowVerified } from '../../support/expectedTreatyStatus';

// Expected values come from the seed CSV, never from the graph.
const rows = readCsv(path.join(PROJECT_ROOT, 'services', 'legal-instruments', 'seed', 'national-migration-policies.csv'));
const UN_AGENCIES = readCsv(path.join(PROJECT_ROOT, 'services', 'un-partnerships', 'seed', 'un-agencies.csv')).map(
  (a) => a.acronym,
);
const enumOf = (value: string) => value.toUpperCase().replace(/ /g, '_');
const KIND_CODE: Record<string, string> = {
  'national migration policy': 'NMP',
  'labour migration policy': 'LMP',
  'diaspora policy': 'DP',
  'migration strategy': 'NMS',
};
const list = (cell: string) => (cell === '' ? [] : cell.split(';').map((p) => p.trim()));
const expected = (r: Record<string, string>) => ({
  id: `${r.iso3}-${KIND_CODE[r.kind]}-${r.year || 'UNDATED'}`,
  country: { code: r.iso3 },
  title: r.title,
  titleEn: r.title_en || null,
  kind: enumOf(r.kind),
  status: enumOf(r.status),
  year: r.year === '' ? null : Number(r.year),
  supportedBy: list(r.supported_by),
  unAgencies: list(r.supported_by)
    .filter((p) => UN_AGENCIES.includes(p))
    .map((acronym) => ({ acronym })),
  basedOnMigrationProfile: r.based_on_migration_profile === '' ? null : r.based_on_migration_profile === 'true',
  migrationProfile: null,
  provenance: { confidence: r.confidence.toUpperCase(), verified: rowVerified(r), notes: r.notes || null },
});
const FIELDS = `id country { code } title titleEn kind status year supportedBy unAgencies { acronym }
  basedOnMigrationProfile migrationProfile { id } provenance { confidence verified notes }`;
const order = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

describe('national migration policies', () => {
  it('serves every row of the policies file, for 23 states, with partners, UN agencies and provenance', async () => {
    const result = await svc.execute(`{ migrationPolicies(first: 100) { totalCount edges { node { ${FIELDS} } } } }`);
    expect(result.errors).toBeUndefined();
    const connection = result.data?.migrationPolicies as {
      totalCount: number;
      edges: { node: { id: string; basedOnMigrationProfile: boolean | null } }[];
    };
    const served = connection.edges.map((e) => e.node);
    expect(connection.totalCount).toBe(40);
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.iso3)).size).toBe(23);
    expect([...served].sort(order)).toEqual(rows.map(expected).sort(order));
    // Spelled out: the UN agencies named as supporters (ILO, UNFPA), and Guinea's policy, the only one
    // said to build on a migration profile.
    expect(served).toContainEqual(
      expect.objectContaining({ id: 'TGO-NMS-2016', unAgencies: [{ acronym: 'UNFPA' }], status: 'VALIDATED' }),
    );
    expect(served.filter((p) => p.basedOnMigrationProfile === true)).toEqual([
      expect.objectContaining({ id: 'GIN-NMP-2021', status: 'ADOPTED', year: 2021 }),
    ]);
  });

  it("lists a country's policies on Country and filters by country, kind and status", async () => {
    const result = await svc.execute(
      `query($r: [_Any!]!) {
        _entities(representations: $r) { ... on Country { code migrationPolicies { id } } }
        adopted: migrationPolicies(status: ADOPTED, first: 100) { totalCount edges { node { id } } }
        diaspora: migrationPolicies(kind: DIASPORA_POLICY, country: "nga") { totalCount edges { node { id } } }
        none: migrationPolicies(country: "GAB") { totalCount edges { node { id } } pageInfo { hasNextPage startCursor endCursor } }
      }`,
      { r: [{ __typename: 'Country', code: 'NGA' }] },
    );
    expect(result.errors).toBeUndefined();
    const ids = (filter: (r: Record<string, string>) => boolean) => rows.filter(filter).map((r) => expected(r).id);
    expect(result.data).toEqual({
      _entities: [
        {
          code: 'NGA',
          migrationPolicies: [...ids((r) => r.iso3 === 'NGA')]
            .map((id) => ({ id }))
            .sort(order)
            .sort((a, b) => {
              const [, ka, ya] = a.id.split('-');
              const [, kb, yb] = b.id.split('-');
              const kind = (k: string) => Object.entries(KIND_CODE).find(([, c]) => c === k)?.[0] ?? '';
              return kind(ka) === kind(kb) ? (ya < yb ? -1 : 1) : kind(ka) < kind(kb) ? -1 : 1;
            }),
        },
      ],
      adopted: {
        totalCount: rows.filter((r) => r.status === 'adopted').length,
        edges: expect.arrayContaining(ids((r) => r.status === 'adopted').map((id) => ({ node: { id } }))) as unknown[],
      },
      diaspora: {
        totalCount: ids((r) => r.iso3 === 'NGA' && r.kind === 'diaspora policy').length,
        edges: ids((r) => r.iso3 === 'NGA' && r.kind === 'diaspora policy').map((id) => ({ node: { id } })),
      },
      none: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, startCursor: null, endCursor: null } },
    });
    expect((result.data?.adopted as { edges: unknown[] }).edges.length).toBe(rows.filter((r) => r.status === 'adopted').length);
    const codes = async (query: string) => (await svc.execute(query)).errors?.map((e) => e.extensions?.code);
    expect(await codes('{ migrationPolicies(country: "1NG") { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ migrationPolicies(first: 101) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ migrationPolicies(after: "nonsense") { totalCount } }')).toEqual(['BAD_USER_INPUT']);
  });

  it('pages through the policies by country, kind and year, each once, 15 at a time', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let n = 0; n < 3; n += 1) {
      const result = await svc.execute(
        `query($after: String) { migrationPolicies(first: 15, after: $after) {
          totalCount edges { node { id country { code } kind year } } pageInfo { hasNextPage hasPreviousPage endCursor }
        } }`,
        { after },
      );
      const connection = result.data?.migrationPolicies as {
        totalCount: number;
        edges: { node: { id: string; country: { code: string }; kind: string; year: number | null } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
      };
      expect(connection.totalCount).toBe(40);
      expect(connection.edges).toHaveLength(n < 2 ? 15 : 10);
      expect([connection.pageInfo.hasNextPage, connection.pageInfo.hasPreviousPage]).toEqual([n < 2, n > 0]);
      seen.push(...connection.edges.map((e) => e.node.id));
      after = connection.pageInfo.endCursor;
    }
    expect([...seen].sort()).toEqual(rows.map((r) => expected(r).id).sort());
    expect(new Set(seen).size).toBe(40);
  });

  it('resolves a policy by its key through _entities, and an unknown key to null with an error', async () => {
    const result = await svc.execute(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on MigrationPolicy { id title } } }`,
      {
        r: [
          { __typename: 'MigrationPolicy', id: 'GHA-NMP-2015' },
          { __typename: 'MigrationPolicy', id: 'GHA-NMP-1900' },
        ],
      },
    );
    const ghana = rows.find((r) => r.iso3 === 'GHA' && r.kind === 'national migration policy');
    expect(result.data?._entities).toEqual([{ id: 'GHA-NMP-2015', title: ghana?.title }, null]);
    expect(result.errors).toHaveLength(1);
  });
});
