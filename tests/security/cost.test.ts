import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ApolloServer, type BaseContext } from '@apollo/server';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  graphql,
  type GraphQLSchema,
  isListType,
  isObjectType,
  parse,
} from 'graphql';
import { apiSchemaOf, composeSupergraph, SUPERGRAPH_FILE } from '../../gateway/src/compose';
import { DEFAULT_LIMITS, documentCost } from '../../gateway/src/limits';
import { fragmentBomb, NESTED_TREATY_ACTIONS } from '../../operations/hostile';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { type CallerSignal, createHttpFront, listen } from '../../shared/src/runtime/http';
import { listBounds } from '../../shared/src/graphql/listBounds';
import { bindRequest, guardResolvers } from '../../shared/src/graphql/requestBudget';
import { loadServices } from '../../services/definitions';
import type { ServiceDefinition } from '../../shared/src/runtime/service';
import { definition as legalInstruments } from '../../services/legal-instruments/src/service';
import { startServiceHarness } from '../support/serviceHarness';
import { createLogger } from '../../shared/src/runtime/logger';
import { startStack, type Stack } from '../support/stack';
import { required } from '../../shared/src/runtime/required';

const supergraphSdl = fs.readFileSync(SUPERGRAPH_FILE, 'utf8');
const apiSchema: GraphQLSchema = apiSchemaOf(supergraphSdl);
const bounds = listBounds(supergraphSdl);

/** The cost of a document's operation, as the gateway counts it, without a limit (the whole estimate). */
function costOf(query: string, variables: Record<string, unknown> = {}): number {
  return documentCost(apiSchema, parse(query), undefined, variables, bounds);
}

describe('cost knows list sizes', () => {
  it('declares a worst-case size for every list field of the composed graph', () => {
    const sdl = composeSupergraph();
    const schema = buildSchema(sdl, { assumeValidSDL: true });
    const declared = listBounds(sdl);
    // A connection's sizedFields (edges) take their size from the connection's slicing argument.
    const sizedByConnection = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        for (const sized of declared.get(`${type.name}.${field.name}`)?.sizedFields ?? [])
          sizedByConnection.add(`${getNamedType(field.type).name}.${sized}`);
      }
    }
    const unbounded: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || /^(__|join__|link__)/.test(type.name)) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (!isListType(getNullableType(field.type)) || sizedByConnection.has(coordinate)) continue;
        const bound = declared.get(coordinate);
        if (
          bound?.assumedSize === undefined &&
          !(bound?.slicingArguments ?? []).some((a) => field.args.some((arg) => arg.name === a))
        )
          unbounded.push(coordinate);
      }
    }
    expect(unbounded).toEqual([]);
    expect(declared.size).toBeGreaterThan(60);
  });

  it('costs the five-level treaty-action nesting at its declared sizes: over a million, not a few hundred', () => {
    const perInstrument = required(bounds.get('LegalInstrument.treatyActions')?.assumedSize, 'the size of treatyActions');
    // Innermost: each action and its `action`; then each level adds the action and its instrument.
    let level = perInstrument * 2;
    for (let i = 0; i < 4; i++) level = perInstrument * (1 + 1 + level);
    expect(costOf(NESTED_TREATY_ACTIONS)).toBe(1 + level);
    expect(costOf(NESTED_TREATY_ACTIONS)).toBeGreaterThan(1_000_000);
  });

  it('costs every named operation and every README example under the default limit', () => {
    const documents: Record<string, string> = {};
    const operationsDir = path.join(PROJECT_ROOT, 'operations');
    for (const file of fs.readdirSync(operationsDir).filter((f) => f.endsWith('.graphql')))
      documents[file] = fs.readFileSync(path.join(operationsDir, file), 'utf8');
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].forEach((m, i) => (documents[`README example ${i + 1}`] = m[1]));
    const over = Object.entries(documents)
      .map(([name, query]) => ({ name, cost: costOf(query) }))
      .filter((o) => o.cost > DEFAULT_LIMITS.maxCost);
    expect(over).toEqual([]);
    expect(Object.keys(documents).length).toBeGreaterThan(7);
  });

  it("accepts an analyst's indicator series over a whole region, which the data benchmark sends, under the default limit", () => {
    const series =
      '{ indicator(code: "WPP_POPULATION") { series(countries: { region: "Africa" }) { country { code } values { year value } } } }';
    const cost = costOf(series);
    // The indicator; each series at its declared bound counts itself, its country and code, and
    // each of its values at their bound counts itself, its year and its value.
    const countries = required(bounds.get('Indicator.series')?.assumedSize, 'the size of series');
    const values = required(bounds.get('IndicatorSeries.values')?.assumedSize, 'the size of values');
    expect(cost).toBe(1 + countries * (3 + values * 3));
    expect(cost).toBeLessThanOrEqual(DEFAULT_LIMITS.maxCost);
  });

  it('costs each fragment once: the depth-12 fragment bomb is costed past the limit, fast', () => {
    const started = performance.now();
    const cost = costOf(fragmentBomb(12));
    const ms = performance.now() - started;
    // 10^11 spreads of one field each: the walk itself visits twelve fragments.
    expect(cost).toBe(1e11);
    // A guard against an exponential walk (10^11 visits would take hours), not a speed target: the
    // margin is wide so that a loaded machine does not fail it; measure:hostile prints the real time.
    expect(ms).toBeLessThan(5_000);
  });

  it('stops counting as soon as the running cost passes the limit', () => {
    const stopped = documentCost(apiSchema, parse(NESTED_TREATY_ACTIONS), undefined, {}, bounds, DEFAULT_LIMITS.maxCost);
    expect(stopped).toBeGreaterThan(DEFAULT_LIMITS.maxCost);
    expect(stopped).toBeLessThan(costOf(NESTED_TREATY_ACTIONS));
  });
});

describe('hostile documents at the gateway', () => {
  let stack: Stack;
  /** Contexts built by the four services: each subgraph call the gateway makes builds one. */
  let subgraphCalls = 0;

  beforeAll(async () => {
    const counted = (def: ServiceDefinition<BaseContext>): ServiceDefinition<BaseContext> => ({
      ...def,
      createContext: (ds, identity) => {
        subgraphCalls += 1;
        return def.createContext(ds, identity);
      },
    });
    stack = await startStack({ definitions: loadServices().map(counted) });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses the five-level treaty-action nesting before any service is called', async () => {
    const before = subgraphCalls;
    const answer = await stack.query(NESTED_TREATY_ACTIONS);
    expect(answer).toEqual({
      status: 400,
      errors: [
        {
          message: expect.stringMatching(/^The operation costs at least \d+; at most 200000 is accepted$/),
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
    expect(subgraphCalls - before).toBe(0);
    // The same shape one level deep is answered, through the service.
    const shallow = await stack.query('{ instrument(code: "ICRMW") { treatyActions { action } } }');
    expect(shallow.status).toBe(200);
    expect(subgraphCalls - before).toBeGreaterThan(0);
  });

  it('refuses the depth-12 fragment bomb in milliseconds, and answers the next request', async () => {
    const before = subgraphCalls;
    const started = performance.now();
    const answer = await stack.query(fragmentBomb(12));
    const ms = performance.now() - started;
    expect(answer).toEqual({
      status: 400,
      errors: [
        {
          message: expect.stringMatching(/^The operation costs at least \d+; at most 200000 is accepted$/),
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
    // As above: a guard against a blocking walk, with a margin for a loaded machine.
    expect(ms).toBeLessThan(15_000);
    expect(subgraphCalls - before).toBe(0);
    expect(await stack.query('{ country(code: "SEN") { code } }')).toEqual({ status: 200, data: { country: { code: 'SEN' } } });
  });
});

describe('no request can exhaust a service', () => {
  it('refuses a request once it has made the service build more objects than its budget', async () => {
    const harness = await startServiceHarness(legalInstruments);
    try {
      const query = '{ instruments(first: 100) { edges { node { code treatyActions { action } } } } }';
      const context = legalInstruments.createContext(harness.ds);
      bindRequest(context, { maxObjects: 20 });
      const server = legalInstruments.buildServer(createLogger('legal-instruments', 'error'));
      await server.start();
      const response = await server.executeOperation({ query }, { contextValue: context });
      await server.stop();
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = JSON.parse(JSON.stringify(response.body.singleResult)) as {
        data: unknown;
        errors: { message: string; extensions: unknown }[];
      };
      expect({ data, errors: errors.map((e) => ({ message: e.message, extensions: e.extensions })) }).toEqual({
        data: null,
        errors: [
          {
            message: 'The request needs more than 20 objects from this service; ask for smaller pages or fewer nested lists',
            extensions: { code: 'REQUEST_BUDGET_EXCEEDED' },
          },
        ],
      });
      // The same request under the default budget is answered.
      expect((await harness.execute(query)).errors).toBeUndefined();
    } finally {
      await harness.close();
    }
  });

  it('stops resolving a request whose caller has gone away', async () => {
    const harness = await startServiceHarness(legalInstruments);
    const server = legalInstruments.buildServer(createLogger('legal-instruments', 'error'));
    await server.start();
    try {
      const context = legalInstruments.createContext(harness.ds);
      const gone = new AbortController();
      gone.abort();
      bindRequest(context, { signal: gone.signal });
      const response = await server.executeOperation(
        { query: '{ instruments(first: 5) { totalCount } }' },
        { contextValue: context },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = JSON.parse(JSON.stringify(response.body.singleResult)) as {
        data: unknown;
        errors: { message: string; extensions: unknown }[];
      };
      expect({ data, errors: errors.map((e) => ({ message: e.message, extensions: e.extensions })) }).toEqual({
        data: null,
        errors: [
          { message: 'The request was abandoned by its caller: its work was stopped', extensions: { code: 'REQUEST_ABANDONED' } },
        ],
      });
    } finally {
      await server.stop();
      await harness.close();
    }
  });

  it('refuses a list longer than the bound its schema declares', async () => {
    const schema = guardResolvers(
      buildSchema(`
        directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
        type Query { items(n: Int!): [Int!]! @listSize(assumedSize: 3) }
      `),
      listBounds(`type Query { items(n: Int!): [Int!]! @listSize(assumedSize: 3) }`),
    );
    const rootValue = { items: ({ n }: { n: number }) => Array.from({ length: n }, (_, i) => i) };
    const run = async (n: number) =>
      JSON.parse(JSON.stringify(await graphql({ schema, source: `{ items(n: ${n}) }`, rootValue, contextValue: {} })));
    expect(await run(3)).toEqual({ data: { items: [0, 1, 2] } });
    expect(await run(4)).toEqual({
      data: null,
      errors: [
        {
          message: 'Query.items has 4 items, more than the 3 its schema declares; use the paginated field instead',
          locations: [{ line: 1, column: 3 }],
          path: ['items'],
          extensions: { code: 'LIST_BOUND_EXCEEDED' },
        },
      ],
    });
  });

  it('aborts the signal of a request whose client disconnects before the answer', async () => {
    let seen: CallerSignal | undefined;
    let release: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (release = resolve));
    const apollo = new ApolloServer<BaseContext>({
      typeDefs: 'type Query { slow: Boolean }',
      resolvers: {
        Query: {
          slow: async () => {
            await waiting;
            return true;
          },
        },
      },
    });
    const { server } = createHttpFront<BaseContext>({
      apollo,
      context: async (_req, _body, signal) => {
        seen = signal;
        return {};
      },
      ready: async () => ({ ok: true, checks: {} }),
      stopGracePeriodMs: 500,
    });
    await apollo.start();
    const port = await listen(server, 0, '127.0.0.1');
    try {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json' },
      });
      req.on('error', () => undefined);
      req.end(JSON.stringify({ query: '{ slow }' }));
      while (!seen) await new Promise((r) => setTimeout(r, 10));
      expect(seen.aborted).toBe(false);
      req.destroy();
      const deadline = Date.now() + 2000;
      while (!seen.aborted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(seen.aborted).toBe(true);
    } finally {
      release();
      await apollo.stop();
    }
  });
});
