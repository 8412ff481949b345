import { definition } from '../../../services/legal-instruments/src/service';
import { required } from '../../../shared/src/runtime/required';
import { startServiceHarness, type ServiceHarness } from '../../support/serviceHarness';
import {
  coverageOf,
  coverageRows,
  expectedStatus,
  instrumentRows,
  lowerBound,
  nextDay,
  previousDay,
  ratificationRows,
  rowVerified,
  todayUtc,
} from '../../support/expectedTreatyStatus';

// Expected values come from the seed CSVs (tests/support/expectedTreatyStatus.ts), never from the graph.

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ...F } }`;
const countries = (...codes: string[]) => ({ r: codes.map((code) => ({ __typename: 'Country', code })) });
const STATES = coverageOf('PSR1967').states_listed.split(' ');
const alias = (code: string) => code.replace(/-/g, '_');

interface Status {
  status: string;
  party: string;
  since: string | null;
  dateCertain?: boolean;
  verified: boolean;
  possibleSince?: string | null;
  explanation?: string;
}

async function statusesOn(asOf: string, codes = STATES): Promise<Record<string, Record<string, Status>>> {
  const fields = instrumentRows
    .map(
      (i) =>
        `${alias(i.code)}: treatyStatus(instrument: "${i.code}", asOf: "${asOf}") { status party since dateCertain verified }`,
    )
    .join('\n');
  const result = await svc.execute(`${entities} fragment F on Country { code ${fields} }`, countries(...codes));
  expect(result.errors).toBeUndefined();
  const rows = result.data?._entities as Record<string, Status & string>[];
  return Object.fromEntries(rows.map((row) => [row.code as unknown as string, row as unknown as Record<string, Status>]));
}

describe('treaty status that tells the truth', () => {
  it('serves every row of ratifications.csv and the coverage of each instrument', async () => {
    const result = await svc.execute(`{
      treatyActions(first: 1) { totalCount }
      treatyCoverage { instrument { code } sourceList asOf complete statesListed { code } statesAbsent { code } notes }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data?.treatyActions).toEqual({ totalCount: ratificationRows.length });
    expect(ratificationRows.length).toBe(241);
    const codes = (cell: string) => (cell === '' ? [] : cell.split(' ').map((code) => ({ code })));
    expect(result.data?.treatyCoverage).toEqual(
      [...coverageRows]
        .sort((a, b) => (a.instrument < b.instrument ? -1 : 1))
        .map((c) => ({
          instrument: { code: c.instrument },
          sourceList: c.source_list,
          asOf: c.as_of === '' ? null : c.as_of,
          complete: c.complete_for_27 === 'true',
          statesListed: codes(c.states_listed),
          statesAbsent: codes(c.states_absent),
          notes: c.notes,
        })),
    );
  });

  it("gives Togo's and São Tomé's Migrant Workers Convention status before adoption, on 2010-12-31 and today", async () => {
    const icrmw = required(
      instrumentRows.find((i) => i.code === 'ICRMW'),
      'row',
    );
    const signature = (iso3: string) =>
      required(
        ratificationRows.find((r) => r.instrument === 'ICRMW' && r.iso3 === iso3 && r.action === 'signature'),
        'row',
      ).date;
    const listDate = coverageOf('ICRMW').as_of;
    const today = todayUtc();
    const result = await svc.execute(
      `${entities} fragment F on Country { code
        early: treatyStatus(instrument: "ICRMW", asOf: "1985-01-01") { status party since verified }
        y2010: treatyStatus(instrument: "ICRMW", asOf: "2010-12-31") { status party since verified possibleSince basis { action } }
        later: treatyStatus(instrument: "ICRMW", asOf: "${nextDay(listDate)}") { status party since verified possibleSince }
        today: treatyStatus(instrument: "ICRMW") { asOf status party since verified possibleSince dateCertain basis { action date } explanation }
      }`,
      countries('TGO', 'STP'),
    );
    expect(result.errors).toBeUndefined();
    expect('1985-01-01' < icrmw.adopted_date).toBe(true);
    expect(result.data?._entities).toEqual(
      ['TGO', 'STP'].map((code) => ({
        code,
        // Before the convention existed: not a party, and sure of it.
        early: { status: 'NOT_PARTY', party: 'NO', since: null, verified: true },
        // The complete 2015 list shows the signature only: a signatory then, verified as of that list.
        y2010: {
          status: 'SIGNATORY',
          party: 'NO',
          since: signature(code),
          verified: true,
          possibleSince: null,
          basis: { action: 'SIGNATURE' },
        },
        // After the list's date the undated ratification may have happened: maybe, not yes.
        later: {
          status: 'SIGNATORY',
          party: 'UNKNOWN',
          since: signature(code),
          verified: false,
          possibleSince: nextDay(listDate),
        },
        today: {
          asOf: today,
          status: 'PARTY',
          party: 'UNKNOWN',
          since: null,
          verified: false,
          possibleSince: nextDay(listDate),
          dateCertain: false,
          basis: { action: 'RATIFICATION', date: null },
          explanation: expect.stringContaining('not verified') as string,
        },
      })),
    );
  });

  it('answers every state for every instrument as the CSVs say, on dates around each list and today', async () => {
    const days = new Set(['1985-01-01', '2010-12-31', todayUtc()]);
    for (const c of coverageRows) {
      if (c.as_of !== '') {
        days.add(c.as_of);
        days.add(nextDay(c.as_of));
      }
    }
    let compared = 0;
    for (const day of days) {
      const served = await statusesOn(day);
      for (const country of STATES) {
        for (const instrument of instrumentRows) {
          expect({ country, instrument: instrument.code, day, ...served[country][alias(instrument.code)] }).toEqual({
            country,
            instrument: instrument.code,
            day,
            ...expectedStatus(country, instrument.code, day),
          });
          compared++;
        }
      }
    }
    expect(compared).toBe(days.size * STATES.length * instrumentRows.length);
  });

  it('bounds each undated action: not a party before its earliest day, maybe from then, a party (verified or not) today', async () => {
    const undated = ratificationRows.filter((r) => r.date === '' && r.action !== 'signature');
    expect(undated.length).toBeGreaterThan(0);
    for (const r of undated) {
      const from = lowerBound(r);
      const result = await svc.execute(
        `${entities} fragment F on Country {
          before: treatyStatus(instrument: "${r.instrument}", asOf: "${previousDay(from)}") { party status }
          from: treatyStatus(instrument: "${r.instrument}", asOf: "${from}") { party status possibleSince }
          today: treatyStatus(instrument: "${r.instrument}") { party status verified }
        }`,
        countries(r.iso3),
      );
      expect({ row: `${r.instrument} ${r.iso3}`, ...(result.data?._entities as object[])[0] }).toEqual({
        row: `${r.instrument} ${r.iso3}`,
        before: { party: 'NO', status: expect.not.stringMatching(/^PARTY$/) as string },
        from: { party: 'UNKNOWN', status: expect.not.stringMatching(/^PARTY$/) as string, possibleSince: from },
        today: { party: rowVerified(r) ? 'YES' : 'UNKNOWN', status: 'PARTY', verified: rowVerified(r) },
      });
    }
  });

  it('reads a missing row as NOT_PARTY only up to a complete list, and as UNKNOWN after it or without one', async () => {
    const icrmw = coverageOf('ICRMW');
    const absent = required(
      icrmw.states_absent.split(' ').find((s) => !ratificationRows.some((r) => r.instrument === 'ICRMW' && r.iso3 === s)),
      'a state absent from the list and without a row',
    );
    const incomplete = required(
      coverageRows.find((c) => c.complete_for_27 === 'false' && c.states_listed === ''),
      'row',
    );
    const result = await svc.execute(
      `${entities} fragment F on Country {
        onList: treatyStatus(instrument: "ICRMW", asOf: "${icrmw.as_of}") { status party verified basis { id } }
        afterList: treatyStatus(instrument: "ICRMW", asOf: "${nextDay(icrmw.as_of)}") { status party verified explanation }
        noList: treatyStatus(instrument: "${incomplete.instrument}") { status party verified explanation coverage { complete } }
      }`,
      countries(absent),
    );
    expect(result.errors).toBeUndefined();
    expect((result.data?._entities as object[])[0]).toEqual({
      onList: { status: 'NOT_PARTY', party: 'NO', verified: true, basis: null },
      afterList: {
        status: 'UNKNOWN',
        party: 'UNKNOWN',
        verified: false,
        explanation: expect.stringContaining(`complete only as of ${icrmw.as_of}`) as string,
      },
      noList: {
        status: 'UNKNOWN',
        party: 'UNKNOWN',
        verified: false,
        explanation: expect.stringContaining('No complete participant list') as string,
        coverage: { complete: false },
      },
    });
  });

  it('marks a fact unverified when its own notes call its date or value unverified, whatever its confidence', async () => {
    const served: {
      node: { instrument: { code: string }; country: { code: string }; action: string; provenance: { verified: boolean } };
    }[] = [];
    let after: string | null = null;
    do {
      const page = await svc.execute(
        `query($after: String) { treatyActions(first: 100, after: $after) {
          pageInfo { hasNextPage endCursor }
          edges { node { instrument { code } country { code } action provenance { verified } } }
        } }`,
        { after },
      );
      const connection = page.data?.treatyActions as {
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: typeof served;
      };
      served.push(...connection.edges);
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after !== null);
    const key = (instrument: string, iso3: string, action: string) => `${instrument} ${iso3} ${action}`;
    const expected = new Map(ratificationRows.map((r) => [key(r.instrument, r.iso3, r.action.toUpperCase()), rowVerified(r)]));
    expect(
      new Map(served.map(({ node: n }) => [key(n.instrument.code, n.country.code, n.action), n.provenance.verified])),
    ).toEqual(expected);
    // The rows this rule changes: a derived São Tomé ratification whose notes call its date unverified,
    // and the AU protocol whose adoption date its notes call unverified.
    const flagged = ratificationRows.filter((r) => r.confidence !== 'unverified' && !rowVerified(r));
    expect(flagged.map((r) => `${r.instrument} ${r.iso3}`)).toEqual(['ICRMW STP']);
    const auFmp = await svc.execute(`{ instrument(code: "AU-FMP") { provenance { confidence verified } } }`);
    const auFmpRow = required(
      instrumentRows.find((i) => i.code === 'AU-FMP'),
      'row',
    );
    expect(auFmp.data).toEqual({
      instrument: { provenance: { confidence: auFmpRow.confidence.toUpperCase(), verified: rowVerified(auFmpRow) } },
    });
    expect(rowVerified(auFmpRow)).toBe(false);
  });
});
