import path from 'node:path';
import { definition } from '../../../services/un-partnerships/src/service';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';
import { readCsv } from '../../../shared/src/io/csv';
import { startServiceHarness, type ServiceHarness } from '../../support/serviceHarness';

// Expected values come from the seed CSV, never from the graph.
const rows = readCsv(path.join(PROJECT_ROOT, 'services', 'un-partnerships', 'seed', 'iom-facts.csv'));

let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

describe('IOM facts', () => {
  it('serves every figure with its provenance, flagging the undated ones, dated first within a fact', async () => {
    const result = await svc.execute('{ iomFacts { fact value asOf dated provenance { confidence verified sources { url } } } }');
    expect(result.errors).toBeUndefined();
    const served = result.data?.iomFacts as { fact: string; asOf: string | null }[];
    expect(new Set(served)).toEqual(
      new Set(
        rows.map((r) =>
          expect.objectContaining({
            fact: r.fact,
            value: r.value,
            asOf: r.as_of || null,
            dated: r.as_of !== '',
            provenance: expect.objectContaining({
              confidence: r.confidence.toUpperCase(),
              verified: r.confidence !== 'unverified',
            }),
          }),
        ),
      ),
    );
    expect(served).toHaveLength(rows.length);
    const members = await svc.execute('{ iomFacts(fact: "member_states_count") { value asOf dated provenance { verified } } }');
    const count = rows.filter((r) => r.fact === 'member_states_count');
    const dated = count.filter((r) => r.as_of !== '');
    const undated = count.filter((r) => r.as_of === '');
    expect(members.data?.iomFacts).toEqual([
      ...dated.map((r) => ({
        value: r.value,
        asOf: r.as_of,
        dated: true,
        provenance: { verified: r.confidence !== 'unverified' },
      })),
      ...undated.map((r) => ({
        value: r.value,
        asOf: null,
        dated: false,
        provenance: { verified: r.confidence !== 'unverified' },
      })),
    ]);
    // Spelled out: 157 members as of 2015-11-24 (seen); 175 from an undated site header (unverified).
    expect(members.data?.iomFacts).toEqual([
      { value: '157', asOf: '2015-11-24', dated: true, provenance: { verified: true } },
      { value: '175', asOf: null, dated: false, provenance: { verified: false } },
    ]);
    const bad = await svc.execute('{ iomFacts(fact: "DROP TABLE") { value } }');
    expect(bad.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
