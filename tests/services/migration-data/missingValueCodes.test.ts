import { Client } from 'pg';
import {
  CODE_CHECKED_INDICATORS,
  isSuspectedMissingValueCode,
  MISSING_VALUE_CODES,
  suspectedCodeSql,
} from '../../../services/migration-data/src/missingValueCodes';
import { testDatabaseUrl } from '../../support/serviceHarness';

// Sums decide in SQL which values are suspected missing-value codes, and the graph serves them as
// unverified in JavaScript: both must pick the same values, or a sum would leave out a value served as
// data (or keep one served as unverified).

let client: Client;
beforeAll(async () => {
  client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

/** The rows of `rows` that suspectedCodeSql picks, by position. */
async function pickedInSql(rows: { indicatorCode: string; value: number; source: string | null; confidence: string | null }[]) {
  const result = await client.query<{ n: number }>(
    `SELECT v.n FROM unnest($1::text[], $2::float8[], $3::text[], $4::text[]) WITH ORDINALITY
       AS v(indicator_code, value, source, confidence, n)
     WHERE ${suspectedCodeSql('v', 5, 6)} ORDER BY v.n`,
    [
      rows.map((r) => r.indicatorCode),
      rows.map((r) => r.value),
      rows.map((r) => r.source),
      rows.map((r) => r.confidence),
      CODE_CHECKED_INDICATORS,
      MISSING_VALUE_CODES,
    ],
  );
  return result.rows.map((r) => Number(r.n) - 1);
}

describe('suspected missing-value codes', () => {
  it('are the same values in the SQL of sums as in the provenance the graph serves', async () => {
    const indicators = [...CODE_CHECKED_INDICATORS, 'UNHCR_REFUGEES_BY_ASYLUM'];
    const values = [
      ...MISSING_VALUE_CODES,
      ...MISSING_VALUE_CODES.map((c) => c + 1),
      ...MISSING_VALUE_CODES.map((c) => c / 10),
      0,
      999.5,
    ];
    const provenances: [string | null, string | null][] = [
      [null, null],
      ['An editor', 'seen'],
      ['A series file', 'unverified'],
    ];
    const rows = indicators.flatMap((indicatorCode) =>
      values.flatMap((value) => provenances.map(([source, confidence]) => ({ indicatorCode, value, source, confidence }))),
    );
    const inJs = rows.flatMap((r, n) => (isSuspectedMissingValueCode(r) ? [n] : []));
    // Only a checked indicator's code without provenance of its own is suspected.
    expect(inJs.map((n) => rows[n])).toEqual(
      CODE_CHECKED_INDICATORS.flatMap((indicatorCode) =>
        MISSING_VALUE_CODES.map((value) => ({ indicatorCode, value, source: null, confidence: null })),
      ),
    );
    expect(await pickedInSql(rows)).toEqual(inJs);
  });

  it('are the same values of the stored indicator values in SQL and in JavaScript', async () => {
    const stored = await client.query<{
      indicator_code: string;
      value: number;
      source: string | null;
      confidence: string | null;
    }>(
      `SELECT indicator_code, value, source, confidence FROM data.indicator_value
       WHERE value = ANY($1::float8[]) ORDER BY indicator_code, country_code, year`,
      [MISSING_VALUE_CODES],
    );
    const rows = stored.rows.map((r) => ({
      indicatorCode: r.indicator_code,
      value: Number(r.value),
      source: r.source,
      confidence: r.confidence,
    }));
    const inJs = rows.flatMap((r, n) => (isSuspectedMissingValueCode(r) ? [n] : []));
    expect(inJs.length).toBeGreaterThan(0);
    expect(await pickedInSql(rows)).toEqual(inJs);
  });
});
