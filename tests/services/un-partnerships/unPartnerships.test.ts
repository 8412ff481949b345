import { definition } from '../../../services/un-partnerships/src/service';
import { danglingAt, entityErrors } from '../../support/entities';
import { startServiceHarness, type ServiceHarness } from '../../support/serviceHarness';

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

// Source cells of un-agencies.csv, cited by the rows this service compiled from them.
const ILO_SOURCES = [
  { title: 'intl.ch', url: 'http://www.intl.ch/gi/egimain/record.php?idnumber=038' },
  { title: 'safety2021canada.com', url: 'https://www.safety2021canada.com/ilo/' },
  {
    title: 'newshour.media',
    url: 'https://newshour.media/2016/08/25/migration-dialogue-west-africa-midwa-meets-combat-irregular-migration',
  },
];
const UNODC_SOURCES = [
  { title: 'unvienna.org', url: 'http://www.unvienna.org/unov/en/unodc.html' },
  { title: 'en.wikipedia.org', url: 'https://en.wikipedia.org/wiki/United_Nations_Office_on_Drugs_and_Crime' },
  { title: 'cryer.org.uk', url: 'http://cryer.org.uk/Protocol_to_Prevent%2c_Suppress_and_Punish_Trafficking_in_Persons' },
];
const MIDWA_MEMBERS = ['BEN', 'BFA', 'CIV', 'CPV', 'GHA', 'GIN', 'GMB', 'GNB', 'LBR', 'MLI', 'NER', 'NGA', 'SEN', 'SLE', 'TGO'];

describe('un-partnerships alone', () => {
  it('lists the nine agencies in acronym order with their founding year and headquarters', async () => {
    const result = await svc.execute('{ unAgencies { acronym founded headquarters } }');
    expect(result).toEqual({
      data: {
        unAgencies: [
          { acronym: 'ILO', founded: '1919', headquarters: 'Geneva, Switzerland' },
          { acronym: 'UN Women', founded: '2010', headquarters: 'New York, United States' },
          { acronym: 'UNAIDS', founded: '1994', headquarters: 'Geneva, Switzerland' },
          { acronym: 'UNDP', founded: '1965', headquarters: 'New York, United States' },
          { acronym: 'UNFPA', founded: '1967', headquarters: 'New York, United States' },
          { acronym: 'UNHCR', founded: '1950', headquarters: 'Geneva, Switzerland' },
          { acronym: 'UNICEF', founded: '1946', headquarters: 'New York, United States' },
          { acronym: 'UNODC', founded: '1997', headquarters: 'Vienna, Austria' },
          { acronym: 'WFP', founded: '1961', headquarters: 'Rome, Italy' },
        ],
      },
    });
  });

  it('finds UN Women by a lower-case, hyphenated acronym', async () => {
    const result = await svc.execute(
      '{ unAgency(acronym: "un-women") { acronym name programmes { id } custodianOf { code } provenance { confidence verified sources { title url } } } }',
    );
    expect(result).toEqual({
      data: {
        unAgency: {
          acronym: 'UN Women',
          name: 'United Nations Entity for Gender Equality and the Empowerment of Women',
          programmes: [],
          custodianOf: [],
          provenance: {
            confidence: 'SEEN',
            verified: true,
            sources: [
              { title: 'press.un.org', url: 'https://press.un.org/en/2010/ga10959.doc.htm' },
              { title: 'en.wikipedia.org', url: 'https://en.wikipedia.org/?oldid=391391223&title=UN_Women' },
            ],
          },
        },
      },
    });
  });

  it('gives the custodianships of UNODC, UNHCR and the ILO, keeping inferred links as DERIVED', async () => {
    const result = await svc.execute(`{
      unodc: unAgency(acronym: "UNODC") { custodianships { instrument { code } role provenance { confidence verified } } }
      unhcr: unAgency(acronym: "unhcr") { custodianOf { code } custodianships { role provenance { confidence } } }
      ilo: unAgency(acronym: "ILO") { custodianships { instrument { code } role provenance { confidence sources { url } } } }
    }`);
    expect(result).toEqual({
      data: {
        unodc: {
          custodianships: [
            { instrument: { code: 'UNTOC-SOM' }, role: 'IMPLEMENTATION', provenance: { confidence: 'DERIVED', verified: true } },
            { instrument: { code: 'UNTOC-TIP' }, role: 'IMPLEMENTATION', provenance: { confidence: 'SEEN', verified: true } },
          ],
        },
        unhcr: {
          custodianOf: [{ code: 'CSR1951' }, { code: 'PSR1967' }],
          custodianships: [
            { role: 'SUPERVISION', provenance: { confidence: 'SEEN' } },
            { role: 'SUPERVISION', provenance: { confidence: 'DERIVED' } },
          ],
        },
        ilo: {
          custodianships: ['ILO-C097', 'ILO-C143', 'ILO-C189'].map((code) => ({
            instrument: { code },
            role: 'STANDARD_SETTING',
            provenance: { confidence: 'DERIVED', sources: ILO_SOURCES.map((s) => ({ url: s.url })) },
          })),
        },
      },
    });
  });

  it('describes FMM West Africa with its lead, partners, funders, MIDWA and unknown dates', async () => {
    const result = await svc.execute(`{
      programme(id: "fmm-west-africa") {
        id name kind scope startDate endDate status themes
        agencies { agency { acronym } role provenance { confidence } }
        organizations { name role regionalOrganization { code } }
        supportsProcess { code }
        provenance { confidence verified sources { title url } sourceUrlRecorded }
      }
    }`);
    expect(result).toEqual({
      data: {
        programme: {
          id: 'FMM-WEST-AFRICA',
          name: 'FMM West Africa',
          kind: 'PROJECT',
          scope: 'REGIONAL',
          startDate: null,
          endDate: null,
          status: null,
          themes: ['FREE_MOVEMENT', 'LABOUR_MIGRATION', 'MIGRATION_DIALOGUE'],
          agencies: [{ agency: { acronym: 'ILO' }, role: 'LEAD', provenance: { confidence: 'DERIVED' } }],
          organizations: [
            { name: 'IOM', role: 'IMPLEMENTING_PARTNER', regionalOrganization: null },
            { name: 'ICMPD', role: 'IMPLEMENTING_PARTNER', regionalOrganization: null },
            { name: 'EU', role: 'FUNDER', regionalOrganization: null },
            { name: 'ECOWAS', role: 'FUNDER', regionalOrganization: { code: 'ECOWAS' } },
          ],
          supportsProcess: { code: 'MIDWA' },
          provenance: { confidence: 'SEEN', verified: true, sources: ILO_SOURCES, sourceUrlRecorded: true },
        },
      },
    });
  });

  it('keeps the inferred country coverage of FMM West Africa DERIVED, ordered by code', async () => {
    const result = await svc.execute(
      '{ programme(id: "FMM-WEST-AFRICA") { countries { country { code } provenance { confidence } } } }',
    );
    expect(result).toEqual({
      data: {
        programme: { countries: MIDWA_MEMBERS.map((code) => ({ country: { code }, provenance: { confidence: 'DERIVED' } })) },
      },
    });
  });

  it('gives the Blue Heart Campaign its March 2009 start, global scope and no countries', async () => {
    const result = await svc.execute(`{
      programme(id: "UNODC-BLUE-HEART") {
        name kind scope startDate endDate themes countries { country { code } } supportsProcess { code }
        agencies { agency { acronym } role provenance { confidence sources { title url } } }
      }
    }`);
    expect(result).toEqual({
      data: {
        programme: {
          name: 'Blue Heart Campaign',
          kind: 'CAMPAIGN',
          scope: 'GLOBAL',
          startDate: '2009-03',
          endDate: null,
          themes: ['HUMAN_TRAFFICKING'],
          countries: [],
          supportsProcess: null,
          agencies: [{ agency: { acronym: 'UNODC' }, role: 'LEAD', provenance: { confidence: 'SEEN', sources: UNODC_SOURCES } }],
        },
      },
    });
  });

  it('filters programmes by agency, country and theme in a cursor connection', async () => {
    const result = await svc.execute(`{
      all: programmes(first: 1) { totalCount pageInfo { hasNextPage } edges { node { id } } }
      byAgency: programmes(filter: { agency: "unodc" }) { totalCount edges { node { id } } }
      byCountry: programmes(filter: { country: "sen" }) { totalCount edges { node { id } } }
      byTheme: programmes(filter: { theme: LABOUR_MIGRATION, agency: "UNODC" }) { totalCount edges { node { id } } }
      nowhere: programmes(filter: { country: "FRA" }) { totalCount edges { node { id } } }
    }`);
    expect(result).toEqual({
      data: {
        all: { totalCount: 2, pageInfo: { hasNextPage: true }, edges: [{ node: { id: 'FMM-WEST-AFRICA' } }] },
        byAgency: { totalCount: 1, edges: [{ node: { id: 'UNODC-BLUE-HEART' } }] },
        byCountry: { totalCount: 1, edges: [{ node: { id: 'FMM-WEST-AFRICA' } }] },
        byTheme: { totalCount: 0, edges: [] },
        nowhere: { totalCount: 0, edges: [] },
      },
    });
  });

  it('pages through programmes with the end cursor', async () => {
    const first = await svc.execute('{ programmes(first: 1) { pageInfo { endCursor } } }');
    const after = (first.data?.programmes as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
    const next = await svc.execute(
      'query($after: String) { programmes(first: 1, after: $after) { pageInfo { hasNextPage } edges { node { id } } } }',
      { after },
    );
    expect(next).toEqual({
      data: { programmes: { pageInfo: { hasNextPage: false }, edges: [{ node: { id: 'UNODC-BLUE-HEART' } }] } },
    });
  });

  it('lists the programmes and agencies of a country, keeping a programme whose dates are unknown on any day', async () => {
    const result = await svc.execute(`{
      _entities(representations: [{ __typename: "Country", code: "MLI" }, { __typename: "Country", code: "FRA" }]) {
        ... on Country {
          code
          programmes { id }
          past: programmes(asOf: "1990-01-01") { id }
          unAgencies(asOf: "2024-06-30") { acronym }
        }
      }
    }`);
    expect(result).toEqual({
      data: {
        _entities: [
          {
            code: 'MLI',
            programmes: [{ id: 'FMM-WEST-AFRICA' }],
            past: [{ id: 'FMM-WEST-AFRICA' }],
            unAgencies: [{ acronym: 'ILO' }],
          },
          { code: 'FRA', programmes: [], past: [], unAgencies: [] },
        ],
      },
    });
  });

  it('resolves Country, UnAgency, Programme and LegalInstrument through _entities, with null and a DANGLING_REFERENCE error for unknown keys', async () => {
    const result = await svc.execute(
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Country { code name programmes { id } }
        ... on UnAgency { acronym name }
        ... on Programme { id name }
        ... on LegalInstrument { code custodians { agency { acronym } role provenance { confidence } } }
      } }`,
      {
        r: [
          { __typename: 'Country', code: 'SEN' },
          { __typename: 'UnAgency', acronym: 'UN Women' },
          { __typename: 'Programme', id: 'UNODC-BLUE-HEART' },
          { __typename: 'LegalInstrument', code: 'CSR1951' },
          { __typename: 'LegalInstrument', code: 'AU-FMP' },
          { __typename: 'Country', code: 'ZZZ' },
          { __typename: 'UnAgency', acronym: 'IOM' },
          { __typename: 'Programme', id: 'NO-SUCH-PROGRAMME' },
        ],
      },
    );
    expect({ ...result, errors: entityErrors(result) }).toEqual({
      errors: [
        danglingAt(5, 'Country', 'ZZZ'),
        danglingAt(6, 'UnAgency', 'IOM'),
        danglingAt(7, 'Programme', 'NO-SUCH-PROGRAMME'),
      ],
      data: {
        _entities: [
          { code: 'SEN', name: 'Senegal', programmes: [{ id: 'FMM-WEST-AFRICA' }] },
          { acronym: 'UN Women', name: 'United Nations Entity for Gender Equality and the Empowerment of Women' },
          { id: 'UNODC-BLUE-HEART', name: 'Blue Heart Campaign' },
          {
            code: 'CSR1951',
            custodians: [{ agency: { acronym: 'UNHCR' }, role: 'SUPERVISION', provenance: { confidence: 'SEEN' } }],
          },
          { code: 'AU-FMP', custodians: [] },
          null,
          null,
          null,
        ],
      },
    });
  });

  it('answers programmes and agencies of many countries with as many SQL statements as for one', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Country {
      programmes(asOf: "2024-06-30") { id agencies { agency { acronym } role } countries { country { code } } }
      unAgencies(asOf: "2024-06-30") { acronym custodianships { instrument { code } } }
    } } }`;
    const reps = (codes: string[]) => ({ r: codes.map((code) => ({ __typename: 'Country', code })) });
    const one = await svc.executeCounting(query, reps(['SEN']));
    const many = await svc.executeCounting(query, reps(['SEN', 'NER', 'MLI', 'GHA', 'NGA', 'CMR', 'GAB', 'TCD', 'CIV', 'FRA']));
    expect(one.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect((many.data?._entities as unknown[]).length).toBe(10);
    // Programme links by country, programmes, agency roles by programme, agencies, countries by programme, custodianships by agency.
    expect(one.sql).toBe(6);
    expect(many.sql).toBe(one.sql);
  });

  it('rejects malformed input with BAD_USER_INPUT and unknown keys with NOT_FOUND', async () => {
    const codes = async (query: string) => (await svc.execute(query)).errors?.map((e) => e.extensions?.code);
    expect(await codes('{ unAgency(acronym: "U?N") { acronym } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ unAgency(acronym: "IOM") { acronym } }')).toEqual(['NOT_FOUND']);
    expect(await codes('{ programme(id: "FMM WEST AFRICA!") { id } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ programme(id: "NO-SUCH-PROGRAMME") { id } }')).toEqual(['NOT_FOUND']);
    expect(await codes('{ programmes(filter: { country: "3SN" }) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ programmes(filter: { country: "QQQ" }) { totalCount } }')).toEqual(['NOT_FOUND']);
    expect(await codes('{ programmes(filter: { agency: "IOM" }) { totalCount } }')).toEqual(['NOT_FOUND']);
    expect(await codes('{ programmes(first: 101) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ programmes(first: -1) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ programmes(after: "nonsense") { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    const badDate = await svc.execute(
      '{ _entities(representations: [{ __typename: "Country", code: "SEN" }]) { ... on Country { programmes(asOf: "2024-02-30") { id } } } }',
    );
    expect(badDate.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('seeds once: a second run writes nothing', async () => {
    expect(await definition.seed(svc.ds, undefined as never)).toEqual([
      { name: 'reference-data', applied: false, rows: 0 },
      { name: 'iom-facts', applied: false, rows: 0 },
    ]);
  });
});
