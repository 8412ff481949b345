/**
 * Hostile documents the gateway's cost limit must refuse before any service is called: held by
 * tests/security/cost.test.ts and measured by `npm run measure:hostile`.
 */

/** treatyActions { instrument { ... } } nested five times under instrument(code: "ICRMW"), depth 11. */
export const NESTED_TREATY_ACTIONS = `{ instrument(code: "ICRMW") { ${'treatyActions { instrument { '.repeat(4)}treatyActions { action }${' } }'.repeat(4)} } }`;

/** Fragment F0 spreads F1 ten times, F1 spreads F2 ten times... down to F(depth-1), which selects one field: 10^(depth-1) spreads. */
export function fragmentBomb(depth: number): string {
  const fragments = Array.from({ length: depth }, (_, i) =>
    i === depth - 1
      ? `fragment F${i} on Query { __typename }`
      : `fragment F${i} on Query { ${Array(10)
          .fill(`...F${i + 1}`)
          .join(' ')} }`,
  );
  return `query Bomb { ...F0 } ${fragments.join(' ')}`;
}

/** Each hostile document with what it is. */
export const HOSTILE_DOCUMENTS: readonly { name: string; query: string }[] = [
  { name: 'treatyActions/instrument nested 5 times (depth 11)', query: NESTED_TREATY_ACTIONS },
  { name: 'fragment fan-out, depth 8', query: fragmentBomb(8) },
  { name: 'fragment fan-out, depth 9', query: fragmentBomb(9) },
  { name: 'fragment fan-out, depth 12', query: fragmentBomb(12) },
];
