import { definition } from '../../../services/consultative-processes/src/service';
import { danglingAt, entityErrors } from '../../support/entities';
import { startServiceHarness, type ServiceHarness } from '../../support/serviceHarness';
import { countingRows } from '../../support/rowsRead';

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

describe('consultative-processes alone', () => {
  it('finds MIDCAS by its French name DIMAC, with its lead organisation and status', async () => {
    const result = await svc.execute(`{
      consultativeProcess(code: "dimac") { code aliases scope status leadOrganization { code name(lang: FR) } provenance { confidence verified } }
    }`);
    expect(result).toEqual({
      data: {
        consultativeProcess: {
          code: 'MIDCAS',
          aliases: ['DIMAC', "Dialogue sur la migration pour les Etats de l'Afrique centrale"],
          scope: 'REGIONAL',
          status: 'DORMANT',
          leadOrganization: { code: 'ECCAS', name: "Communauté économique des États de l'Afrique centrale" },
          provenance: { confidence: 'SEEN', verified: true },
        },
      },
    });
  });

  it('lists the organisations Niger belonged to on 2024-06-30 and on 2025-06-30', async () => {
    const result = await svc.execute(`{
      country(code: "NER") {
        before: organizationMemberships(asOf: "2024-06-30") { organization { code } type from to }
        after: organizationMemberships(asOf: "2025-06-30") { organization { code } }
      }
    }`);
    expect(result).toEqual({
      data: {
        country: {
          before: [{ organization: { code: 'ECOWAS' }, type: 'MEMBER', from: '1975-05-28', to: '2025-01-29' }],
          after: [],
        },
      },
    });
  });

  it('counts ECOWAS members before and after the 2025 withdrawals, and Mauritania as an associate', async () => {
    const result = await svc.execute(`{
      org: regionalOrganization(code: "CEDEAO") {
        code
        y2024: members(asOf: "2024-06-30", includeAssociates: false) { country { code } }
        y2025: members(asOf: "2025-06-30", includeAssociates: false) { country { code } }
        associates: members(asOf: "2025-06-30") { country { code } type }
      }
    }`);
    const org = result.data?.org as {
      code: string;
      y2024: { country: { code: string } }[];
      y2025: { country: { code: string } }[];
      associates: { country: { code: string }; type: string }[];
    };
    expect(org.code).toBe('ECOWAS');
    expect(org.y2024).toHaveLength(15);
    expect(org.y2025.map((m) => m.country.code)).toEqual([
      'BEN',
      'CIV',
      'CPV',
      'GHA',
      'GIN',
      'GMB',
      'GNB',
      'LBR',
      'NGA',
      'SEN',
      'SLE',
      'TGO',
    ]);
    expect(org.associates.filter((m) => m.type === 'ASSOCIATE')).toEqual([{ country: { code: 'MRT' }, type: 'ASSOCIATE' }]);
  });

  it('filters countries by membership as of a date, with a cursor connection', async () => {
    const result = await svc.execute(`{
      countries(filter: { memberOf: "ECCAS", asOf: "2010-01-01" }, first: 5) {
        totalCount pageInfo { hasNextPage } edges { node { code name(lang: FR) } }
      }
    }`);
    expect(result.data?.countries).toEqual({
      totalCount: 10,
      pageInfo: { hasNextPage: true },
      edges: [
        { node: { code: 'AGO', name: 'Angola' } },
        { node: { code: 'BDI', name: 'Burundi' } },
        { node: { code: 'CAF', name: 'République centrafricaine' } },
        { node: { code: 'CMR', name: 'Cameroun' } },
        { node: { code: 'COD', name: 'République démocratique du Congo' } },
      ],
    });
  });

  it('resolves Country, ConsultativeProcess, RegionalOrganization and Meeting through _entities, with null and a DANGLING_REFERENCE error for unknown keys', async () => {
    const result = await svc.execute(
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Country { code name processParticipations { process { code } role } }
        ... on ConsultativeProcess { code name }
        ... on RegionalOrganization { code acronym(lang: FR) }
        ... on Meeting { id city country { code } }
      } }`,
      {
        r: [
          { __typename: 'Country', code: 'CPV' },
          { __typename: 'ConsultativeProcess', code: 'IDM' },
          { __typename: 'RegionalOrganization', code: 'ECCAS' },
          { __typename: 'Meeting', id: 'MIDCAS-2012-BRAZZAVILLE' },
          { __typename: 'Country', code: 'ZZZ' },
        ],
      },
    );
    expect({ ...result, errors: entityErrors(result) }).toEqual({
      errors: [danglingAt(4, 'Country', 'ZZZ')],
      data: {
        _entities: [
          {
            code: 'CPV',
            name: 'Cabo Verde',
            processParticipations: [
              { process: { code: 'MIDWA' }, role: 'MEMBER' },
              { process: { code: 'MIDWA' }, role: 'STEERING_COMMITTEE_MEMBER' },
            ],
          },
          { code: 'IDM', name: 'International Dialogue on Migration' },
          { code: 'ECCAS', acronym: 'CEEAC' },
          { id: 'MIDCAS-2012-BRAZZAVILLE', city: 'Brazzaville', country: { code: 'COG' } },
          null,
        ],
      },
    });
  });

  it('answers memberships of many countries with as many SQL statements as for one', async () => {
    const query = `query($codes: [ID!]) { countries(filter: { codes: $codes }, first: 100) { edges { node {
      organizationMemberships(asOf: "2024-06-30") { organization { code name } }
      processParticipations { process { code } }
      meetingsHosted { id }
    } } } }`;
    const one = await svc.executeCounting(query, { codes: ['SEN'] });
    const many = await svc.executeCounting(query, { codes: ['SEN', 'NER', 'MLI', 'CMR', 'GAB', 'TCD', 'NGA', 'GHA'] });
    expect(one.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(many.sql).toBe(one.sql);
  });

  it('rejects a malformed country code, an unknown process and an out-of-range page size with codes', async () => {
    const bad = await svc.execute('{ country(code: "3SN") { code } }');
    expect(bad.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const unknown = await svc.execute('{ consultativeProcess(code: "NOPE") { code } }');
    expect(unknown.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    const tooMany = await svc.execute('{ meetings(first: 1000) { totalCount } }');
    expect(tooMany.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const badDate = await svc.execute('{ country(code: "SEN") { organizationMemberships(asOf: "2024-02-30") { to } } }');
    expect(badDate.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('nested lists cut in SQL', () => {
  const query = (n: { members: number; history: number; participants: number; meetings: number }) => `query($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on RegionalOrganization {
        code
        members(asOf: "2024-06-30", first: ${n.members}) { country { code } type from }
        membershipHistory(first: ${n.history}) { country { code } from to }
      }
      ... on ConsultativeProcess {
        code
        participants(first: ${n.participants}) { country { code } organization role }
        meetings(first: ${n.meetings}) { id }
      }
    }
  }`;
  const reps = (organizations: string[], processes: string[]) => ({
    r: [
      ...organizations.map((code) => ({ __typename: 'RegionalOrganization', code })),
      ...processes.map((code) => ({ __typename: 'ConsultativeProcess', code })),
    ],
  });
  type Parent = Record<string, unknown[] | string>;

  it('reads at most `first` members, memberships, participants and meetings of each organisation and process from the database, the start of each whole list, in as many statements for many parents as for one', async () => {
    const many = reps(['ECOWAS', 'ECCAS'], ['MIDWA', 'MIDCAS']);
    const whole = (await svc.execute(query({ members: 40, history: 80, participants: 100, meetings: 100 }), many)).data
      ?._entities as Parent[];
    const sizes = { members: 2, membershipHistory: 3, participants: 2, meetings: 1 };
    const cut = await countingRows(() =>
      svc.executeCounting(query({ members: 2, history: 3, participants: 2, meetings: 1 }), many),
    );
    expect(cut.result.errors).toBeUndefined();
    expect(cut.result.data).toEqual({
      _entities: whole.map((p) =>
        Object.fromEntries(
          Object.entries(p).map(([field, value]) => [
            field,
            Array.isArray(value) ? value.slice(0, sizes[field as keyof typeof sizes]) : value,
          ]),
        ),
      ),
    });
    // Every list asked is longer than the part of it asked.
    for (const p of whole) {
      for (const [field, value] of Object.entries(p)) {
        if (Array.isArray(value))
          expect([p.code, field, value.length > sizes[field as keyof typeof sizes]]).toEqual([p.code, field, true]);
      }
    }
    // The four parents, then at most 2 + 3 rows of each organisation and 2 + 1 of each process.
    expect(cut.rows).toBeLessThanOrEqual(4 + 2 * (2 + 3) + 2 * (2 + 1));
    const one = await svc.executeCounting(
      query({ members: 2, history: 3, participants: 2, meetings: 1 }),
      reps(['ECOWAS'], ['MIDWA']),
    );
    expect(cut.result.sql).toBe(one.sql);
  });
});
