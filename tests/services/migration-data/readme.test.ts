import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';
import { type Stack, startStack } from '../../support/stack';

// Every GraphQL example of the migration-data README runs through the gateway without an error and
// answers something (the detailed figures are checked against the CSVs in indicators.test.ts).
const README = fs.readFileSync(path.join(PROJECT_ROOT, 'services', 'migration-data', 'README.md'), 'utf8');
const EXAMPLES = [...README.matchAll(/```graphql\n([\s\S]*?)\n```/g)].map((m) => m[1]);

/** Every list and object in an answer, flattened: an example whose answer holds only empty lists or nulls fails. */
function leaves(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return value === null ? [] : [value];
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

describe('the migration-data README examples', () => {
  it('has the examples of the indicator and displacement queries', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(9);
  });

  it.each(EXAMPLES.map((e) => [e.slice(0, 60), e]))('answers %s…', async (_, example) => {
    const r = await stack.query(example);
    expect(r.errors).toBeUndefined();
    expect(leaves(r.data).length).toBeGreaterThan(5);
  });
});
