import { definition } from '../../../services/legal-instruments/src/service';
import { createLogger } from '../../../shared/src/runtime/logger';
import { danglingAt, entityErrors } from '../../support/entities';
import { startServiceHarness, type ServiceHarness } from '../../support/serviceHarness';
import { countingRows } from '../../support/rowsRead';
import { expectedStatus, ratificationRows, rowVerified } from '../../support/expectedTreatyStatus';

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ...F } }`;
const countries = (...codes: string[]) => ({ r: codes.map((code) => ({ __typename: 'Country', code })) });
const KAMPALA_SOURCE = 'africanlii.org';

describe('legal-instruments alone', () => {
  it("lists Senegal's recorded treaty actions per instrument, with dates and provenance", async () => {
    const result = await svc.execute(
      `${entities} fragment F on Country { code treatyActions {
        instrument { code } action date depositDate effectiveDate provenance { confidence verified sources { title } }
      } }`,
      countries('SEN'),
    );
    const rows = ratificationRows
      .filter((r) => r.iso3 === 'SEN')
      .sort((x, y) => (x.instrument + x.date + x.action < y.instrument + y.date + y.action ? -1 : 1));
    expect(rows.length).toBeGreaterThan(2);
    expect(result).toEqual({
      data: {
        _entities: [
          {
            code: 'SEN',
            treatyActions: rows.map((r) => ({
              instrument: { code: r.instrument },
              action: r.action.toUpperCase(),
              date: r.date || null,
              depositDate: r.deposit_date || null,
              effectiveDate: r.effective_date || null,
              provenance: {
                confidence: r.confidence.toUpperCase(),
                verified: rowVerified(r),
                sources: r.source.split(' | ').map((part) => ({
                  title: /^https?:\/\/\S+$/.test(part) ? new URL(part).hostname.replace(/^www\./, '') : part,
                })),
              },
            })),
          },
        ],
      },
    });
    // One spelled out: the Kampala signature, cited from the AU list.
    expect((result.data?._entities as { treatyActions: object[] }[])[0].treatyActions).toContainEqual({
      instrument: { code: 'AU-KAMPALA' },
      action: 'SIGNATURE',
      date: '2011-07-12',
      depositDate: null,
      effectiveDate: null,
      provenance: { confidence: 'SEEN', verified: true, sources: [{ title: KAMPALA_SOURCE }] },
    });
  });

  it("gives Senegal's status for every instrument it has a record for on 2024-06-30", async () => {
    const result = await svc.execute(
      `${entities} fragment F on Country { treatyStatuses(asOf: "2024-06-30") {
        instrument { code } asOf status party since dateCertain verified
      } }`,
      countries('SEN'),
    );
    const codes = [...new Set(ratificationRows.filter((r) => r.iso3 === 'SEN').map((r) => r.instrument))].sort();
    expect(result).toEqual({
      data: {
        _entities: [
          {
            treatyStatuses: codes.map((code) => ({
              instrument: { code },
              asOf: '2024-06-30',
              ...expectedStatus('SEN', code, '2024-06-30'),
            })),
          },
        ],
      },
    });
    // Spelled out: a party to the Migrant Workers Convention since its 1999 accession; a Kampala
    // signatory whose later ratification, if any, the incomplete AU copy could not show.
    const statuses = (result.data?._entities as { treatyStatuses: { instrument: { code: string } }[] }[])[0].treatyStatuses;
    expect(statuses.find((s) => s.instrument.code === 'ICRMW')).toEqual(
      expect.objectContaining({ status: 'PARTY', party: 'YES', since: '1999-06-09', verified: true }),
    );
    expect(statuses.find((s) => s.instrument.code === 'AU-KAMPALA')).toEqual(
      expect.objectContaining({ status: 'SIGNATORY', party: 'UNKNOWN', since: '2011-07-12', verified: false }),
    );
  });

  it('reports the Kampala Convention status of ECOWAS members on 2024-06-30, with UNKNOWN for Togo (cut off in the AU copy) and Cabo Verde', async () => {
    const result = await svc.execute(
      `${entities} fragment F on Country { code treatyStatus(instrument: "au-kampala", asOf: "2024-06-30") {
        status since basis { action depositDate } dateCertain
      } }`,
      countries('SEN', 'NGA', 'GHA', 'MLI', 'GNB', 'TGO', 'CPV'),
    );
    expect(result).toEqual({
      data: {
        _entities: [
          {
            code: 'SEN',
            treatyStatus: {
              status: 'SIGNATORY',
              since: '2011-07-12',
              basis: { action: 'SIGNATURE', depositDate: null },
              dateCertain: true,
            },
          },
          {
            code: 'NGA',
            treatyStatus: {
              status: 'PARTY',
              since: '2012-04-17',
              basis: { action: 'RATIFICATION', depositDate: '2012-05-22' },
              dateCertain: true,
            },
          },
          {
            code: 'GHA',
            treatyStatus: {
              status: 'SIGNATORY',
              since: '2010-02-02',
              basis: { action: 'SIGNATURE', depositDate: null },
              dateCertain: true,
            },
          },
          {
            code: 'MLI',
            treatyStatus: {
              status: 'PARTY',
              since: '2012-11-07',
              basis: { action: 'RATIFICATION', depositDate: '2012-11-26' },
              dateCertain: true,
            },
          },
          {
            code: 'GNB',
            treatyStatus: {
              status: 'PARTY',
              since: '2011-12-23',
              basis: { action: 'RATIFICATION', depositDate: '2012-01-04' },
              dateCertain: true,
            },
          },
          { code: 'TGO', treatyStatus: { status: 'UNKNOWN', since: null, basis: null, dateCertain: true } },
          { code: 'CPV', treatyStatus: { status: 'UNKNOWN', since: null, basis: null, dateCertain: true } },
        ],
      },
    });
  });

  it('judges Nigeria a Kampala signatory the day before its ratification and a party on that day', async () => {
    const result = await svc.execute(
      `${entities} fragment F on Country {
        before: treatyStatus(instrument: "AU-KAMPALA", asOf: "2012-04-16") { status since }
        on: treatyStatus(instrument: "AU-KAMPALA", asOf: "2012-04-17") { status since }
        earlier: treatyStatus(instrument: "AU-KAMPALA", asOf: "2009-10-22") { status since }
      }`,
      countries('NGA'),
    );
    expect(result).toEqual({
      data: {
        _entities: [
          {
            before: { status: 'SIGNATORY', since: '2009-10-23' },
            on: { status: 'PARTY', since: '2012-04-17' },
            earlier: { status: 'NOT_PARTY', since: null },
          },
        ],
      },
    });
  });

  it("marks Togo's ICRMW ratification unverified, undated and so not date-certain (today; before, see treatyStatus.test.ts)", async () => {
    const result = await svc.execute(
      `${entities} fragment F on Country { treatyStatus(instrument: "ICRMW") {
        status since dateCertain verified basis { action date provenance { confidence verified sourceUrlRecorded } }
      } }`,
      countries('TGO'),
    );
    expect(result).toEqual({
      data: {
        _entities: [
          {
            treatyStatus: {
              status: 'PARTY',
              since: null,
              dateCertain: false,
              verified: false,
              basis: {
                action: 'RATIFICATION',
                date: null,
                provenance: { confidence: 'UNVERIFIED', verified: false, sourceUrlRecorded: false },
              },
            },
          },
        ],
      },
    });
  });

  it("counts a year-only ratification from the year's last day and flags the days it straddles", async () => {
    const result = await svc.execute(
      `${entities} fragment F on Country {
        mid: treatyStatus(instrument: "ILO-C143", asOf: "1980-06-30") { status since dateCertain }
        end: treatyStatus(instrument: "ILO-C143", asOf: "1980-12-31") { status since dateCertain }
      }`,
      countries('BEN'),
    );
    expect(result).toEqual({
      data: {
        _entities: [
          {
            mid: { status: 'UNKNOWN', since: null, dateCertain: false },
            end: { status: 'PARTY', since: '1980', dateCertain: true },
          },
        ],
      },
    });
  });

  it('lists the OAU 1969 Convention parties on 1974-12-31 from the recorded ratifications', async () => {
    const result = await svc.execute(`{ instrument(code: "OAU1969") {
      code shortTitle kind scope status adoptedDate entryIntoForce depositary
      parties(asOf: "1974-12-31") { country { code } since basis { effectiveDate } }
    } }`);
    expect(result).toEqual({
      data: {
        instrument: {
          code: 'OAU1969',
          shortTitle: '1969 OAU Refugee Convention',
          kind: 'CONVENTION',
          scope: 'REGIONAL',
          status: 'IN_FORCE',
          adoptedDate: '1969-09-10',
          entryIntoForce: '1974-06-20',
          depositary: 'Chairperson of the Commission of the African Union',
          parties: [
            { country: { code: 'BEN' }, since: '1973-03-12', basis: { effectiveDate: '1974-06-20' } },
            { country: { code: 'CAF' }, since: '1970-08-07', basis: { effectiveDate: '1974-06-20' } },
            { country: { code: 'COG' }, since: '1971-02-01', basis: { effectiveDate: '1974-06-20' } },
            { country: { code: 'GIN' }, since: '1973-04-16', basis: { effectiveDate: '1974-06-20' } },
            { country: { code: 'LBR' }, since: '1972-02-07', basis: { effectiveDate: '1974-06-20' } },
          ],
        },
      },
    });
  });

  it('serves the AU Free Movement Protocol as not in force, with a year-only adoption date and editorial themes', async () => {
    const result = await svc.execute(`{ instrument(code: "AU-FMP") {
      kind scope status adoptedDate adoptedPlace entryIntoForce themes
      parties { country { code } since dateCertain party }
      provenance { confidence verified }
    } }`);
    expect(result).toEqual({
      data: {
        instrument: {
          kind: 'PROTOCOL',
          scope: 'REGIONAL',
          status: 'NOT_IN_FORCE',
          adoptedDate: '2018',
          adoptedPlace: 'Addis Ababa',
          entryIntoForce: null,
          themes: ['free movement', 'right of residence', 'right of establishment'],
          parties: [
            { country: { code: 'MLI' }, since: null, dateCertain: false, party: 'YES' },
            { country: { code: 'NER' }, since: null, dateCertain: false, party: 'YES' },
            { country: { code: 'RWA' }, since: null, dateCertain: false, party: 'YES' },
            { country: { code: 'STP' }, since: null, dateCertain: false, party: 'YES' },
          ],
          // Its notes call the exact adoption date unverified.
          provenance: { confidence: 'SEEN', verified: false },
        },
      },
    });
  });

  it('filters instruments by kind, theme and title, as cursor connections', async () => {
    const result = await svc.execute(`{
      ilo: instruments(filter: { kind: ILO_CONVENTION }, first: 2) { totalCount pageInfo { hasNextPage } edges { node { code shortTitle } } }
      refugees: instruments(filter: { theme: "Refugees" }) { totalCount edges { node { code } } }
      freeMovement: instruments(filter: { titleContains: "free movement", scope: REGIONAL }) { totalCount edges { node { code kind } } }
      notInForce: instruments(filter: { status: NOT_IN_FORCE }) { totalCount edges { node { code } } }
    }`);
    expect(result).toEqual({
      data: {
        ilo: {
          totalCount: 3,
          pageInfo: { hasNextPage: true },
          edges: [{ node: { code: 'ILO-C097', shortTitle: 'ILO C97' } }, { node: { code: 'ILO-C143', shortTitle: 'ILO C143' } }],
        },
        refugees: {
          totalCount: 3,
          edges: [{ node: { code: 'CSR1951' } }, { node: { code: 'OAU1969' } }, { node: { code: 'PSR1967' } }],
        },
        freeMovement: {
          totalCount: 2,
          edges: [
            { node: { code: 'AU-FMP', kind: 'PROTOCOL' } },
            { node: { code: 'ECOWAS-FMP-1979', kind: 'REGIONAL_PROTOCOL' } },
          ],
        },
        notInForce: { totalCount: 1, edges: [{ node: { code: 'AU-FMP' } }] },
      },
    });
  });

  it("pages Cameroon's treaty actions between 1970 and 1990 and follows the cursor", async () => {
    const first = await svc.execute(`{ treatyActions(filter: { country: "cmr", fromYear: 1970, toYear: 1990 }, first: 1) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { instrument { code } action date } }
    } }`);
    const page = first.data?.treatyActions as { pageInfo: { endCursor: string } };
    const second = await svc.execute(
      `query($after: String) { treatyActions(filter: { country: "CMR", fromYear: 1970, toYear: 1990 }, first: 1, after: $after) {
        pageInfo { hasNextPage } edges { node { instrument { code } action date } }
      } }`,
      { after: page.pageInfo.endCursor },
    );
    expect(first.data?.treatyActions).toEqual({
      totalCount: 2,
      pageInfo: { hasNextPage: true, endCursor: page.pageInfo.endCursor },
      edges: [{ node: { instrument: { code: 'ILO-C143' }, action: 'RATIFICATION', date: '1978' } }],
    });
    expect(second).toEqual({
      data: {
        treatyActions: {
          pageInfo: { hasNextPage: false },
          edges: [{ node: { instrument: { code: 'OAU1969' }, action: 'RATIFICATION', date: '1986-01-10' } }],
        },
      },
    });
  });

  it('counts successions to the 1951 Convention and accessions on record', async () => {
    const successions = ratificationRows
      .filter((r) => r.instrument === 'CSR1951' && r.action === 'succession')
      .sort((x, y) => (x.iso3 < y.iso3 ? -1 : 1));
    const result = await svc.execute(`{
      successions: treatyActions(filter: { instrument: "CSR1951", action: SUCCESSION }) { totalCount edges { node { country { code } date } } }
      accessions: treatyActions(filter: { action: ACCESSION }, first: 0) { totalCount edges { node { date } } }
    }`);
    expect(result).toEqual({
      data: {
        successions: {
          totalCount: successions.length,
          edges: successions.map((r) => ({ node: { country: { code: r.iso3 }, date: r.date } })),
        },
        accessions: { totalCount: ratificationRows.filter((r) => r.action === 'accession').length, edges: [] },
      },
    });
  });

  it("lists Senegal's trainings (the pilot held there and its national training) and those outside the benefiting list", async () => {
    const result = await svc.execute(
      `${entities} fragment F on Country { trainings {
        id country { code } location { code } startDate endDate duration benefitingMemberState provenance { confidence }
      } }`,
      countries('SEN'),
    );
    expect(result).toEqual({
      data: {
        _entities: [
          {
            trainings: [
              {
                id: 'IML-CEDEAO-PILOT',
                country: null,
                location: { code: 'SEN' },
                startDate: null,
                endDate: null,
                duration: 'two weeks',
                benefitingMemberState: null,
                provenance: { confidence: 'SEEN' },
              },
              {
                id: 'IML-CEDEAO-SEN',
                country: { code: 'SEN' },
                location: { code: 'SEN' },
                startDate: null,
                endDate: null,
                duration: null,
                benefitingMemberState: true,
                provenance: { confidence: 'DERIVED' },
              },
            ],
          },
        ],
      },
    });
    const outside = await svc.execute(`{ trainings(filter: { benefitingMemberState: false }) {
      totalCount edges { node { id projectType country { code } } }
    } }`);
    expect(outside).toEqual({
      data: {
        trainings: {
          totalCount: 2,
          edges: [
            { node: { id: 'IML-CEDEAO-CIV', projectType: 'International Migration Law', country: { code: 'CIV' } } },
            { node: { id: 'IML-CEDEAO-TGO', projectType: 'International Migration Law', country: { code: 'TGO' } } },
          ],
        },
      },
    });
  });

  it('lists the publications, the West Africa migration-law manual as unverified and without a URL', async () => {
    const result = await svc.execute(`{ publications {
      totalCount
      pageInfo { hasNextPage hasPreviousPage }
      edges { node { id title kind year language url countries { code } provenance { confidence verified sources { url } } } }
    } }`);
    expect(result).toEqual({
      data: {
        publications: {
          totalCount: 2,
          pageInfo: { hasNextPage: false, hasPreviousPage: false },
          edges: [
            {
              id: 'ICMPD-IOM-2015-MIGRATION-POLICIES-WA',
              title: 'A Survey on Migration Policies in West Africa',
              kind: 'STUDY',
              year: 2015,
              language: 'EN',
              url: 'https://publications.iom.int/books/survey-migration-policies-west-africa',
              countries: [
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
                'NER',
                'NGA',
                'SEN',
                'SLE',
                'TGO',
              ].map((code) => ({ code })),
              provenance: {
                confidence: 'DERIVED',
                verified: true,
                sources: [
                  { url: 'https://publications.iom.int/books/survey-migration-policies-west-africa' },
                  { url: 'https://iom.int/news/west-african-migration-policy-study-launched' },
                  {
                    url: 'https://icmpd.org/news/archive/governments-in-west-africa-continue-to-make-progress-towards-an-area-of-free-movement',
                  },
                ],
              },
            },
            {
              id: 'IOM-WCA-MIGRATION-LAW-MANUAL',
              title: 'Manual on migration and law in West Africa',
              kind: 'MANUAL',
              year: null,
              language: null,
              url: null,
              countries: [],
              provenance: {
                confidence: 'UNVERIFIED',
                verified: false,
                sources: [{ url: 'https://rodakar.iom.int/international-cooperation-and-partnerships' }],
              },
            },
          ].map((node) => ({ node })),
        },
      },
    });
    const second = await svc.execute(`{ publications(first: 1) { edges { cursor } } }`);
    const after = (second.data?.publications as { edges: { cursor: string }[] }).edges[0].cursor;
    expect(
      await svc.execute(
        `query($after: String) { publications(first: 1, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } }`,
        { after },
      ),
    ).toEqual({
      data: {
        publications: {
          totalCount: 2,
          edges: [{ node: { id: 'IOM-WCA-MIGRATION-LAW-MANUAL' } }],
          pageInfo: { hasNextPage: false, hasPreviousPage: true },
        },
      },
    });
  });

  it('resolves Country, LegalInstrument, Training and Publication through _entities, with null and a DANGLING_REFERENCE error for unknown keys', async () => {
    const result = await svc.execute(
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Country { code name treatyActions(instrument: "ILO-C189") { action date effectiveDate } }
        ... on LegalInstrument { code shortTitle treatyActions(country: "GIN") { action } }
        ... on Training { id activity }
        ... on Publication { id kind }
      } }`,
      {
        r: [
          { __typename: 'Country', code: 'GIN' },
          { __typename: 'LegalInstrument', code: 'ILO-C189' },
          { __typename: 'Training', id: 'IML-CEDEAO-PILOT' },
          { __typename: 'Publication', id: 'IOM-WCA-MIGRATION-LAW-MANUAL' },
          { __typename: 'Country', code: 'ZZZ' },
          { __typename: 'LegalInstrument', code: 'NOPE' },
          { __typename: 'Training', id: 'NOPE' },
          { __typename: 'Publication', id: 'NOPE' },
        ],
      },
    );
    expect({ ...result, errors: entityErrors(result) }).toEqual({
      errors: [
        danglingAt(4, 'Country', 'ZZZ'),
        danglingAt(5, 'LegalInstrument', 'NOPE'),
        danglingAt(6, 'Training', 'NOPE'),
        danglingAt(7, 'Publication', 'NOPE'),
      ],
      data: {
        _entities: [
          {
            code: 'GIN',
            name: 'Guinea',
            treatyActions: [{ action: 'RATIFICATION', date: '2017-04-25', effectiveDate: '2018-04-25' }],
          },
          { code: 'ILO-C189', shortTitle: 'ILO C189', treatyActions: [{ action: 'RATIFICATION' }] },
          {
            id: 'IML-CEDEAO-PILOT',
            activity: 'Pilot-testing of a training curriculum on migration and human rights (workshops)',
          },
          { id: 'IOM-WCA-MIGRATION-LAW-MANUAL', kind: 'MANUAL' },
          null,
          null,
          null,
          null,
        ],
      },
    });
  });

  it('answers treaty statuses, actions and trainings of many countries with as many SQL statements as for one', async () => {
    const query = `${entities} fragment F on Country {
      treatyStatus(instrument: "AU-KAMPALA", asOf: "2024-06-30") { status instrument { code } basis { instrument { shortTitle } } }
      treatyStatuses(asOf: "2024-06-30") { status instrument { code } }
      treatyActions { action instrument { code } }
      trainings { id }
    }`;
    const one = await svc.executeCounting(query, countries('SEN'));
    const many = await svc.executeCounting(
      query,
      countries('SEN', 'NER', 'MLI', 'CMR', 'GAB', 'TCD', 'NGA', 'GHA', 'TGO', 'BEN', 'CIV', 'GIN'),
    );
    expect(one.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(many.sql).toBe(one.sql);
    // The instrument argument, every country's actions (all instruments at once, for the statuses),
    // the start of each country's action list (cut to `first` in SQL), the trainings, and the
    // instruments the statuses and actions name (a second round of the instrument loader), and their
    // participant-list coverage.
    expect(one.sql).toBe(6);
  });

  it('rejects malformed codes, unknown codes and out-of-range page sizes with codes', async () => {
    const codes = async (query: string) => (await svc.execute(query)).errors?.map((e) => e.extensions?.code);
    expect(await codes('{ instrument(code: "AU KAMPALA!") { code } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ instrument(code: "NOPE") { code } }')).toEqual(['NOT_FOUND']);
    expect(await codes('{ treatyActions(first: 101) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ instruments(first: -1) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ treatyActions(filter: { country: "3SN" }) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ treatyActions(filter: { country: "ZZZ" }) { totalCount } }')).toEqual(['NOT_FOUND']);
    expect(await codes('{ treatyActions(filter: { fromYear: 3000 }) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ instruments(filter: { titleContains: "  " }) { totalCount } }')).toEqual(['BAD_USER_INPUT']);
    const unknownInstrument = await svc.execute(
      `${entities} fragment F on Country { treatyStatus(instrument: "NOPE") { status } }`,
      countries('SEN'),
    );
    expect(unknownInstrument.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    const badDate = await svc.execute('{ instrument(code: "ICRMW") { parties(asOf: "2024-02-30") { status } } }');
    expect(badDate.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('writes nothing when the seed runs a second time', async () => {
    expect(await definition.seed(svc.ds, createLogger('test', 'error'))).toEqual([
      { name: 'reference-data', applied: false, rows: 0 },
      { name: 'migration-policies', applied: false, rows: 0 },
    ]);
  });
});

describe('nested lists cut in SQL', () => {
  interface Cut {
    code: string;
    treatyActions: { id: string }[];
    inBurkinaFaso?: { id: string }[];
  }
  const query = (instrumentFirst: number, countryFirst: number) => `query($r: [_Any!]!) { _entities(representations: $r) {
    ... on LegalInstrument { code treatyActions(first: ${instrumentFirst}) { id } inBurkinaFaso: treatyActions(country: "BFA", first: 1) { id } }
    ... on Country { code treatyActions(first: ${countryFirst}) { id } }
  } }`;
  const reps = (instruments: string[], countryCodes: string[]) => ({
    r: [
      ...instruments.map((code) => ({ __typename: 'LegalInstrument', code })),
      ...countryCodes.map((code) => ({ __typename: 'Country', code })),
    ],
  });

  it('reads at most `first` treaty actions of each instrument and of each country from the database, the start of each whole list, in as many statements for many parents as for one', async () => {
    const many = reps(['AU-KAMPALA', 'UNTOC-TIP'], ['BFA', 'BEN']);
    const whole = (await svc.execute(query(120, 60), many)).data?._entities as Cut[];
    // Every list asked is longer than the part of it asked.
    expect(whole.map((p) => p.treatyActions.length)).toEqual([46, 42, 13, 12]);
    const cut = await countingRows(() => svc.executeCounting(query(3, 2), many));
    expect(cut.result.errors).toBeUndefined();
    expect(cut.result.data).toEqual({
      _entities: whole.map((p) =>
        p.inBurkinaFaso === undefined
          ? { code: p.code, treatyActions: p.treatyActions.slice(0, 2) }
          : { code: p.code, treatyActions: p.treatyActions.slice(0, 3), inBurkinaFaso: p.inBurkinaFaso.slice(0, 1) },
      ),
    });
    // The two instruments, then at most 3 + 1 actions of each and 2 of each country: not the 113 actions of the four.
    expect(cut.rows).toBeLessThanOrEqual(2 + 2 * (3 + 1) + 2 * 2);
    const one = await svc.executeCounting(query(3, 2), reps(['AU-KAMPALA'], ['BFA']));
    expect(cut.result.sql).toBe(one.sql);
  });
});
