import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import '../support/apolloDevelopment';
import { ApolloClient, gql, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { CountryDossierDocument, GapAnalysisDocument, type GapAnalysisQuery } from '../../clients/generated/operations';
import { typePolicies } from '../../clients/generated/typePolicies';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { type Stack, startStack } from '../support/stack';
import { required } from '../../shared/src/runtime/required';

// The full text of Apollo Client's warnings and errors, rather than their numbers.
loadDevMessages();
loadErrorMessages();

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

/** Apollo Client adds __typename to every selection for its cache; a plain client does not. */
function withoutTypename(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTypename);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== '__typename')
      .map(([k, v]) => [k, withoutTypename(v)]),
  );
}

describe('typed clients for the named operations', () => {
  it('runs the gap analysis with Apollo Client and its generated types, as a frontend team would', async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: stack.gatewayUrl }), cache: new InMemoryCache() });
    const { data } = await client.query({
      query: GapAnalysisDocument,
      variables: { process: 'MIDWA', instrument: 'ICRMW', asOf: '2024-06-30' },
    });
    const answer: GapAnalysisQuery = required(data, 'the answer');
    // Typed access: a wrong field name here fails the type-check of this test.
    const gaps = required(answer.consultativeProcess, 'MIDWA').participants.flatMap((p) =>
      p.country && p.country.treatyStatus.party !== 'YES' ? [p.country.code] : [],
    );
    // Liberia and Sierra Leone signed only; Togo's ratification has no known date in the reference
    // data, so on 2024-06-30 it may or may not be a party (UNKNOWN), which the gap analysis keeps.
    expect(gaps).toEqual(['LBR', 'SLE', 'TGO']);
    const raw = await stack.query(fs.readFileSync(path.join(PROJECT_ROOT, 'operations', 'gap-analysis.graphql'), 'utf8'));
    expect(withoutTypename(answer)).toEqual(raw.data);
    client.stop();
  });

  it('has generated types that are up to date with the operations and the committed supergraph', () => {
    // The codegen CLI is ESM-only inside, so it runs as a process: --check fails when a file would change.
    const bin = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'graphql-codegen');
    const run = spawnSync(bin, ['--config', 'codegen.ts', '--check'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stale: /stale files/.test(run.stdout + run.stderr) }).toEqual({ status: 0, stale: false });
  });
});

/** A frontend's own small query: a country's immigrant stock (with the country's key, as every query must). */
const COUNTRY_STOCK: TypedDocumentNode<{ country: unknown }, { code: string }> = gql`
  query CountryStock($code: ID!) {
    country(code: $code) {
      code
      name
      immigrantStock(years: [1990, 2024]) {
        year
        total
      }
    }
  }
`;
const PROCESS_NAME: TypedDocumentNode<{ consultativeProcess: unknown }, { code: string }> = gql`
  query ProcessName($code: String!) {
    consultativeProcess(code: $code) {
      code
      name
    }
  }
`;

/** What Apollo Client warns about while `run` runs (its warnings go to console.warn, as format strings, in development). */
async function warningsDuring(run: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const spy = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(format(...args));
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return warnings;
}

/** The CIV stock query, then the CIV dossier, on one cache: the warnings, and what the cache still answers for the first query. */
async function stockThenDossier(cache: InMemoryCache) {
  const client = new ApolloClient({ link: new HttpLink({ uri: stack.gatewayUrl }), cache });
  let first: unknown;
  const warnings = await warningsDuring(async () => {
    first = (await client.query({ query: COUNTRY_STOCK, variables: { code: 'CIV' } })).data;
    await client.query({ query: CountryDossierDocument, variables: { code: 'CIV', asOf: '2024-06-30' } });
  });
  const cached = cache.readQuery({ query: COUNTRY_STOCK, variables: { code: 'CIV' } });
  client.stop();
  return { first, cached, warnings };
}

// Apollo Client warns once per process about a field: the cache with the generated type policies is tried first, so
// that the default cache after it still gets its warning.
describe('the Apollo Client cache with the generated type policies', () => {
  it('keeps the CIV stock answer when the CIV dossier comes after it, without a warning', async () => {
    const { first, cached, warnings } = await stockThenDossier(new InMemoryCache({ typePolicies }));
    expect(first).toEqual({
      country: {
        __typename: 'Country',
        code: 'CIV',
        name: "Côte d'Ivoire",
        immigrantStock: [
          { __typename: 'StockFigure', year: 1990, total: expect.any(Number) },
          { __typename: 'StockFigure', year: 2024, total: expect.any(Number) },
        ],
      },
    });
    expect({ cached, warnings }).toEqual({ cached: first, warnings: [] });
  });

  it('keeps MIDCAS asked by its alias DIMAC and by its code as one record', async () => {
    const cache = new InMemoryCache({ typePolicies });
    const client = new ApolloClient({ link: new HttpLink({ uri: stack.gatewayUrl }), cache });
    const byAlias = (await client.query({ query: PROCESS_NAME, variables: { code: 'DIMAC' } })).data;
    const byCode = (await client.query({ query: PROCESS_NAME, variables: { code: 'MIDCAS' } })).data;
    client.stop();
    expect(byAlias).toEqual(byCode);
    const records = Object.keys(cache.extract()).filter((id) => id.startsWith('ConsultativeProcess'));
    expect(records).toEqual(['ConsultativeProcess:{"code":"MIDCAS"}']);
  });
});

describe('a default Apollo Client cache, without the type policies', () => {
  it('warns that data may be lost and loses the CIV stock answer once the CIV dossier replaces it', async () => {
    const { first, cached, warnings } = await stockThenDossier(new InMemoryCache());
    expect(first).not.toBeNull();
    expect({
      cached,
      lossWarned: warnings.some((w) => /Cache data may be lost when replacing the country field/.test(w)),
    }).toEqual({
      cached: null,
      lossWarned: true,
    });
  });

  it('keeps MIDCAS asked by its alias DIMAC and by its code under each question, twice', async () => {
    const cache = new InMemoryCache();
    const client = new ApolloClient({ link: new HttpLink({ uri: stack.gatewayUrl }), cache });
    await client.query({ query: PROCESS_NAME, variables: { code: 'DIMAC' } });
    await client.query({ query: PROCESS_NAME, variables: { code: 'MIDCAS' } });
    client.stop();
    const root = cache.extract().ROOT_QUERY ?? {};
    expect(Object.keys(root).filter((field) => field.startsWith('consultativeProcess'))).toEqual([
      'consultativeProcess({"code":"DIMAC"})',
      'consultativeProcess({"code":"MIDCAS"})',
    ]);
  });
});
