import { type GatewayLimits, loadConfig } from '../../shared/src/runtime/config';
import { DEFAULT_LIMITS } from '../../gateway/src/limits';
import { startStack, type Stack } from '../support/stack';

// Small limits, so that each can be met exactly and passed by one step.
const LIMITS: GatewayLimits = { maxDepth: 4, maxAliases: 3, maxTokens: 40, maxCost: 27, maxListLength: 8, maxBodyBytes: 2048 };

let small: Stack;
let production: Stack;

beforeAll(async () => {
  small = await startStack({ limits: LIMITS });
  production = await startStack({ limits: DEFAULT_LIMITS, production: true });
}, 120_000);

afterAll(async () => {
  await small?.stop();
  await production?.stop();
});

async function post(stack: Stack, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: res.status,
    body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

const refusal = (status: number, code: string, message: string) => ({
  status,
  body: { errors: [{ message, extensions: { code } }] },
});
const ok = (data: unknown) => ({ status: 200, body: { data } });
/** The first error's message and code, and the status: for refusals whose message carries a location. */
const outcome = (answer: Awaited<ReturnType<typeof post>>) => ({
  status: answer.status,
  code: answer.body.errors?.[0]?.extensions?.code,
  message: answer.body.errors?.[0]?.message,
  data: answer.body.data,
});

describe('query limits at the gateway', () => {
  it('answers a query at the depth limit and refuses one level deeper', async () => {
    // Single objects all the way down: with list sizes in the cost, a nested list would pass the small cost limit first.
    const atLimit = '{ country(code: "SEN") { treatyStatus(instrument: "ICRMW") { basis { action } } } }';
    expect(await small.query(atLimit)).toEqual({
      status: 200,
      data: { country: { treatyStatus: { basis: { action: 'ACCESSION' } } } },
    });
    const deeper = await small.query(
      '{ country(code: "SEN") { treatyStatus(instrument: "ICRMW") { basis { instrument { code } } } } }',
    );
    expect(deeper).toEqual({
      status: 400,
      errors: [
        { message: 'Syntax Error: Query depth limit of 4 exceeded, found 5.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      ],
    });
  });

  it('answers a query with as many aliases as allowed and refuses one more', async () => {
    expect(await small.query('{ a: country(code: "SEN") { code } b: country(code: "MLI") { c: code } }')).toEqual({
      status: 200,
      data: { a: { code: 'SEN' }, b: { c: 'MLI' } },
    });
    expect(
      await small.query(
        '{ a: country(code: "SEN") { code } b: country(code: "MLI") { c: code } d: country(code: "NER") { code } }',
      ),
    ).toEqual({
      status: 400,
      errors: [
        { message: 'Syntax Error: Aliases limit of 3 exceeded, found 4.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      ],
    });
  });

  it('answers a query of as many tokens as allowed and refuses one more token', async () => {
    // `{ country ( code : "SEN" ) { code } }` is 11 tokens; each __typename adds one and costs nothing.
    const withFields = (n: number) => `{ country(code: "SEN") { code ${Array(n).fill('__typename').join(' ')} } }`;
    expect(await small.query(withFields(29))).toEqual({ status: 200, data: { country: { code: 'SEN', __typename: 'Country' } } });
    expect(outcome(await post(small, JSON.stringify({ query: withFields(30) })))).toEqual({
      status: 400,
      code: 'GRAPHQL_PARSE_FAILED',
      // sic: graphql-js's own wording.
      message: 'Syntax Error: Document contains more that 40 tokens. Parsing aborted.',
      data: undefined,
    });
  });

  it('counts a page size passed in a variable into the cost: 6 items are within it, 7 are not', async () => {
    // The connection counts 1 and each edge 4 (itself, its cursor, its node and the node's code):
    // 6 edges cost 25, 7 cost 29 against a limit of 27 (the analysis stops at 28, past the limit).
    const query = 'query ($n: Int) { instruments(first: $n) { edges { cursor node { code } } } }';
    const under = await small.query(query, { n: 6 });
    expect({ status: under.status, errors: under.errors }).toEqual({ status: 200, errors: undefined });
    expect(await small.query(query, { n: 7 })).toEqual({
      status: 400,
      errors: [
        { message: 'The operation costs at least 28; at most 27 is accepted', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      ],
    });
  });

  it('accepts a list argument at the list cap and refuses one value more, in a literal or a variable', async () => {
    const years = [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024];
    const stock = (list: number[]) => `{ country(code: "SEN") { immigrantStock(years: [${list.join(', ')}]) { year } } }`;
    expect(await small.query(stock(years))).toEqual({
      status: 200,
      data: { country: { immigrantStock: years.map((year) => ({ year })) } },
    });
    const tooMany = {
      status: 400,
      errors: [{ message: 'A list argument has 9 values; at most 8 are accepted', extensions: { code: 'BAD_USER_INPUT' } }],
    };
    expect(await small.query(stock([...years, 2024]))).toEqual(tooMany);
    const byVariable = 'query ($years: [Int!]) { country(code: "SEN") { immigrantStock(years: $years) { year } } }';
    expect((await small.query(byVariable, { years })).status).toBe(200);
    expect(await small.query(byVariable, { years: [...years, 2024] })).toEqual(tooMany);
  });

  it("holds a page size to its field's declared cap, not to the list-argument limit", async () => {
    const page = (n: number) => `{ instruments(first: ${n}) { __typename } }`;
    expect(await small.query(page(100))).toEqual({ status: 200, data: { instruments: { __typename: 'InstrumentConnection' } } });
    expect(await small.query(page(101))).toEqual({
      status: 400,
      errors: [
        {
          message: '`first` of Query.instruments must be between 0 and 100, got 101',
          extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'first', message: 'must be between 0 and 100' }] },
        },
      ],
    });
  });

  it('holds each request of one query text to the cap with its own variables: within, over, then within again', async () => {
    const query = 'query ($n: Int) { instruments(first: $n) { __typename } }';
    const answered = { status: 200, data: { instruments: { __typename: 'InstrumentConnection' } } };
    expect(await small.query(query, { n: 100 })).toEqual(answered);
    expect(await small.query(query, { n: 101 })).toEqual({
      status: 400,
      errors: [
        {
          message: '`first` of Query.instruments must be between 0 and 100, got 101',
          extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'first', message: 'must be between 0 and 100' }] },
        },
      ],
    });
    expect(await small.query(query, { n: 100 })).toEqual(answered);
  });

  it('accepts a request body of exactly the size limit and refuses one byte more with 413', async () => {
    const padded = (size: number) => {
      const bare = JSON.stringify({ query: '{ country(code: "SEN") { code } }' });
      return JSON.stringify({ query: `{ country(code: "SEN") { code } }${' '.repeat(size - bare.length)}` });
    };
    expect(Buffer.byteLength(padded(2048))).toBe(2048);
    expect(await post(small, padded(2048))).toEqual(ok({ country: { code: 'SEN' } }));
    expect(await post(small, padded(2049))).toEqual(refusal(413, 'BAD_REQUEST', 'Request body is larger than 2048 bytes'));
  });

  it('refuses batched requests (a JSON array of operations), even of one, and answers the same operation alone', async () => {
    const one = { query: '{ country(code: "SEN") { code } }' };
    expect(await post(small, JSON.stringify(one))).toEqual(ok({ country: { code: 'SEN' } }));
    const refused = refusal(400, 'BAD_REQUEST', 'Operation batching disabled.');
    expect(await post(small, JSON.stringify([one]))).toEqual(refused);
    expect(await post(small, JSON.stringify([one, one]))).toEqual(refused);
  });

  it('has the same defaults in the configuration as in the gateway (the named reports run under them end to end)', () => {
    expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toEqual({
      maxDepth: 12,
      maxAliases: 30,
      maxTokens: 2000,
      maxCost: 200000,
      maxListLength: 300,
      maxBodyBytes: 256 * 1024,
    });
  });
});

describe('the gateway in production', () => {
  const introspection = '{ __schema { queryType { name } } }';

  it('refuses introspection to anonymous callers and to signed-in callers without a role', async () => {
    const forbidden = {
      status: 403,
      errors: [
        {
          message: 'Introspection is open to partners, editors and admins only: sign in with a token',
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    };
    expect(await production.query(introspection)).toEqual(forbidden);
    expect(await production.query('{ __type(name: "Country") { name } }')).toEqual(forbidden);
    expect(await production.query(introspection, undefined, await production.token('someone', []))).toEqual(forbidden);
  });

  it('answers introspection for a partner and for an editor', async () => {
    const answer = { status: 200, data: { __schema: { queryType: { name: 'Query' } } } };
    expect(await production.query(introspection, undefined, await production.token('ada', ['partner']))).toEqual(answer);
    expect(await production.query(introspection, undefined, await production.token('bo', ['editor:migration-data']))).toEqual(
      answer,
    );
  });

  it('gives no field suggestions in production, and gives them in development', async () => {
    const typo = '{ country(code: "SEN") { nam } }';
    expect(outcome(await post(production, JSON.stringify({ query: typo })))).toEqual({
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'Cannot query field "nam" on type "Country".',
      data: undefined,
    });
    expect(outcome(await post(small, JSON.stringify({ query: typo })))).toEqual({
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'Cannot query field "nam" on type "Country". Did you mean "name"?',
      data: undefined,
    });
  });

  it('lets anyone run an ordinary query and __typename', async () => {
    expect(await production.query('{ __typename country(code: "SEN") { code } }')).toEqual({
      status: 200,
      data: { __typename: 'Query', country: { code: 'SEN' } },
    });
  });
});
