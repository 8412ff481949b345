import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { Kind, parse } from 'graphql';
import { SignJWT } from 'jose';
import { createGatewayApp } from '../../gateway/src/app';
import { type AuthOptions, createAuthenticator, issueLocalToken } from '../../gateway/src/auth';
import { hiveGatewayRuntimeConfig } from '../../gateway/src/hiveGateway';
import { postGraphQL } from '../../gateway/src/inProcessStack';
import { HOSTILE_DOCUMENTS } from '../../operations/hostile';
import type { Role } from '../../shared/src/auth/identity';
import {
  loadConfig,
  PROJECT_ROOT,
  SERVICE_NAMES,
  type ServiceName,
  serviceSecretVariable,
  serviceUrlVariable,
} from '../../shared/src/runtime/config';
import { createLogger } from '../../shared/src/runtime/logger';
import { listen } from '../../shared/src/runtime/http';
import { freePort } from '../../shared/src/runtime/net';
import { type Collected, runScript } from '../support/childProcess';
import { startStack, type Stack } from '../support/stack';

/**
 * Hive Gateway, started as `npm run gateway:hive` starts it (the CLI with the committed
 * configuration), and the Apollo gateway in front of the same four services: every named operation
 * and every security case goes through both, and the answers are compared. Data must be equal, errors
 * equal by code and path, and HTTP statuses equal. Error messages are compared too, except where the
 * two legitimately word them differently: graphql-js's own messages about a document pass through
 * both unchanged, but a service's or the gateway's own wording is the same by construction.
 */

const HS_SECRET = crypto.randomBytes(32).toString('hex');
const AUTH: AuthOptions = {
  hsSecret: HS_SECRET,
  issuer: 'https://id.example.test/',
  audience: 'migration-graph-test',
  clockSkewSeconds: 30,
};

let stack: Stack;
let hive: Collected;
let hiveUrl: string;

async function waitUntilServing(url: string, process: Collected, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) throw new Error(`Hive Gateway exited:\n${process.output()}`);
    const ok = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    }).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Hive Gateway did not answer within ${timeoutMs} ms:\n${process.output()}`);
}

beforeAll(async () => {
  stack = await startStack({ auth: AUTH });
  const port = await freePort();
  const serviceUrl = (name: string) => stack.services.find((s) => s.name === name)?.url ?? '';
  hive = runScript(path.join(PROJECT_ROOT, 'scripts', 'hiveGateway.ts'), [], {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    GATEWAY_PORT: String(port),
    // A platform's own PORT variable (the CLI reads it too) does not move the gateway off GATEWAY_PORT.
    PORT: String(await freePort()),
    LOG_LEVEL: 'error',
    JWT_SECRET: HS_SECRET,
    JWT_ISSUER: AUTH.issuer,
    JWT_AUDIENCE: AUTH.audience,
    JWT_CLOCK_SKEW_S: String(AUTH.clockSkewSeconds),
    ...Object.fromEntries(SERVICE_NAMES.map((name) => [serviceSecretVariable(name), stack.serviceSecrets[name]])),
    ...Object.fromEntries(SERVICE_NAMES.map((name) => [serviceUrlVariable(name), serviceUrl(name)])),
  });
  hiveUrl = `http://127.0.0.1:${port}/graphql`;
  await waitUntilServing(hiveUrl, hive, 60_000);
}, 120_000);

afterAll(async () => {
  if (hive && hive.child.exitCode === null) {
    hive.child.kill('SIGTERM');
    const killed = setTimeout(() => hive.child.kill('SIGKILL'), 10_000);
    await hive.exited;
    clearTimeout(killed);
  }
  await stack?.stop();
});

type Answer = Awaited<ReturnType<typeof postGraphQL>>;

/** What is compared of an answer: its status, its data and each error's code, path and message. */
function comparable(answer: Answer) {
  return {
    status: answer.status,
    data: answer.data,
    errors: answer.errors?.map((e) => ({ code: e.extensions?.code, path: e.path, message: e.message })),
  };
}

/** What Apollo Client and other current clients accept (GraphQL over HTTP). */
const ACCEPT = 'application/graphql-response+json, application/json;q=0.9';

async function both(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const sent = { accept: ACCEPT, ...headers };
  const [apollo, hiveAnswer] = await Promise.all([
    postGraphQL(stack.gatewayUrl, query, variables, sent),
    postGraphQL(hiveUrl, query, variables, sent),
  ]);
  return { apollo: comparable(apollo), hive: comparable(hiveAnswer) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const token = (roles: Role[], overrides: { secret?: string; audience?: string; ttlSeconds?: number } = {}) =>
  issueLocalToken({
    secret: overrides.secret ?? HS_SECRET,
    sub: 'ada',
    roles,
    issuer: AUTH.issuer,
    audience: overrides.audience ?? AUTH.audience,
    ttlSeconds: overrides.ttlSeconds ?? 600,
  });

const OPERATIONS_DIR = path.join(PROJECT_ROOT, 'operations');
const NAMED_OPERATIONS = fs
  .readdirSync(OPERATIONS_DIR)
  .filter((file) => file.endsWith('.graphql'))
  .sort()
  .map((file) => ({ file, query: fs.readFileSync(path.join(OPERATIONS_DIR, file), 'utf8') }));

describe('Hive Gateway with the committed configuration, beside the Apollo gateway', () => {
  it('finds the named operations to compare, each file one named operation', () => {
    const names = NAMED_OPERATIONS.map(({ query }) =>
      parse(query).definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? d.name?.value : d.kind)),
    );
    expect(names).toEqual(NAMED_OPERATIONS.map(() => [expect.stringMatching(/^[A-Z][A-Za-z]+$/)]));
    expect(NAMED_OPERATIONS.map((o) => o.file)).toEqual(
      expect.arrayContaining(['agency-view.graphql', 'country-dossier.graphql', 'regional-ratification-matrix.graphql']),
    );
  });

  it.each(NAMED_OPERATIONS)('answers $file (its default variables) as the Apollo gateway does', async ({ query }) => {
    const { apollo, hive: answer } = await both(query);
    expect(apollo.status).toBe(200);
    expect(apollo.data).not.toBeUndefined();
    expect(answer).toEqual(apollo);
  });
});

const ONE_INSTRUMENT = '{ instrument(code: "ICRMW") { shortTitle } }';
const HISTORY = '{ trainings(filter: { country: "BEN" }) { edges { node { id history { edges { node { actor action } } } } } } }';
const deep = (levels: number) =>
  `{ instrument(code: "ICRMW") { ${'treatyActions { instrument { '.repeat(levels)}code${' } }'.repeat(levels)} } }`;

/** A token signed by hand: for claims issueLocalToken never makes. */
const signed = (claims: Record<string, unknown>, header: { alg: string } = { alg: 'HS256' }) =>
  new SignJWT(claims).setProtectedHeader(header).sign(new TextEncoder().encode(HS_SECRET));
const now = () => Math.floor(Date.now() / 1000);
const base = () => ({ sub: 'ada', roles: ['partner'], iss: AUTH.issuer, aud: AUTH.audience, iat: now() });
const unsigned = () =>
  `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(
    JSON.stringify({ ...base(), exp: now() + 600 }),
  ).toString('base64url')}.`;

/** Each security case: a document, its variables and the request headers (tokens are made when the case runs). */
const SECURITY_CASES: {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  headers?: () => Promise<Record<string, string>>;
  /** The one part of the errors in which the two gateways legitimately differ for this case. */
  differs?: 'message' | 'path';
}[] = [
  ...HOSTILE_DOCUMENTS.map(({ name, query }) => ({ name: `hostile document: ${name}`, query })),
  { name: 'no token: anonymous', query: ONE_INSTRUMENT },
  { name: "a partner's valid token", query: ONE_INSTRUMENT, headers: async () => bearer(await token(['partner'])) },
  {
    name: 'an expired token',
    query: ONE_INSTRUMENT,
    headers: async () => bearer(await signed({ ...base(), iat: now() - 7200, exp: now() - 3600 })),
  },
  {
    name: 'a token forged with another secret',
    query: ONE_INSTRUMENT,
    headers: async () => bearer(await token(['admin'], { secret: crypto.randomBytes(32).toString('hex') })),
  },
  {
    name: 'a token for another audience',
    query: ONE_INSTRUMENT,
    headers: async () => bearer(await token(['partner'], { audience: 'another-api' })),
  },
  { name: 'an unsigned token (alg none)', query: ONE_INSTRUMENT, headers: async () => bearer(unsigned()) },
  {
    name: 'a token living longer than allowed',
    query: ONE_INSTRUMENT,
    headers: async () => bearer(await token(['partner'], { ttlSeconds: 3 * 24 * 3600 })),
  },
  {
    name: 'a token issued in the future',
    query: ONE_INSTRUMENT,
    headers: async () => bearer(await signed({ ...base(), iat: now() + 3600, exp: now() + 4000 })),
  },
  {
    name: 'a token without a subject',
    query: ONE_INSTRUMENT,
    headers: async () => bearer(await signed({ ...base(), sub: undefined, exp: now() + 600 })),
  },
  {
    name: 'an Authorization header that is not a bearer token',
    query: ONE_INSTRUMENT,
    headers: async () => ({ authorization: 'Basic YWRhOnNlY3JldA==' }),
  },
  { name: 'a bad token with a document that does not parse', query: '{ instrument(', headers: async () => bearer('not.a.token') },
  { name: 'admin-only history, anonymous', query: HISTORY },
  { name: 'admin-only history, as a partner', query: HISTORY, headers: async () => bearer(await token(['partner'])) },
  { name: 'admin-only history, as an admin', query: HISTORY, headers: async () => bearer(await token(['admin'])) },
  {
    name: 'a mutation by an anonymous caller',
    query: 'mutation ($input: UpdateTrainingInput!) { updateTraining(input: $input) { training { id version } } }',
    variables: { input: { id: 'IML-CEDEAO-BEN', version: 1, activity: 'Not written' } },
  },
  {
    name: 'a mutation by a partner',
    query: 'mutation ($input: UpdateTrainingInput!) { updateTraining(input: $input) { training { id version } } }',
    variables: { input: { id: 'IML-CEDEAO-BEN', version: 1, activity: 'Not written' } },
    headers: async () => bearer(await token(['partner'])),
  },
  { name: 'depth at the limit (12)', query: deep(5) },
  { name: 'depth over the limit (14)', query: deep(6) },
  { name: 'aliases over the limit (31)', query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }` },
  { name: 'tokens over the limit (2000)', query: `{ ${Array(2000).fill('__typename').join(' ')} }` },
  {
    name: 'a literal list over the cap (301 years)',
    query: `{ country(code: "SEN") { immigrantStock(years: [${Array(301).fill(2020).join(',')}]) { year } } }`,
  },
  {
    name: 'a list variable over the cap (301 codes)',
    query: 'query ($codes: [ID!]) { countries(filter: { codes: $codes }, first: 10) { totalCount } }',
    variables: { codes: Array(301).fill('SEN') },
  },
  { name: 'a page over the cap (first: 301)', query: '{ instruments(first: 301) { totalCount } }' },
  {
    name: 'a cost over the limit',
    query: `{ countries(first: 300) { edges { node { ${'treatyStatuses { instrument { code shortTitle } status since } '.repeat(1)} immigrantStock { year total } topOrigins(year: 2020, limit: 100) { origin { code name } total } } } } }`,
  },
  { name: 'more than 50 directives', query: `{ __typename ${Array(51).fill('@include(if: true)').join(' ')} }` },
  { name: 'a document that does not parse', query: '{ instrument(code: "ICRMW") { shortTitle }' },
  { name: 'an unknown field', query: '{ instrument(code: "ICRMW") { shortTitel } }' },
  {
    name: 'a variable of the wrong type',
    query: 'query ($code: String!) { instrument(code: $code) { code } }',
    variables: { code: 42 },
  },
  { name: 'a missing required variable', query: 'query ($code: String!) { instrument(code: $code) { code } }' },
  {
    name: 'an invalid Date literal (refused by the service)',
    query: '{ country(code: "SEN") { treatyStatuses(asOf: "2024-02-30") { status } } }',
    // The service refuses its whole request (HTTP 400): Hive puts its error at the field that called
    // the service, Apollo Gateway reports it without a path.
    differs: 'path',
  },
  { name: 'an unknown record', query: '{ instrument(code: "NO-SUCH-THING") { code } }' },
  {
    name: 'two operations without an operation name',
    query: 'query A { __typename } query B { __typename }',
    // Same code and status; the Apollo gateway's wording is the project's, Hive's is GraphQL Yoga's.
    differs: 'message',
  },
];

describe('the security cases through both gateways', () => {
  it.each(SECURITY_CASES.filter((c) => !c.differs))(
    'answers $name as the Apollo gateway does',
    async ({ query, variables, headers }) => {
      const { apollo, hive: answer } = await both(query, variables, headers ? await headers() : {});
      expect(answer).toEqual(apollo);
    },
  );

  it.each(SECURITY_CASES.filter((c) => c.differs))(
    "answers $name as the Apollo gateway does except for the errors' $differs",
    async ({ query, variables, headers, differs }) => {
      const { apollo, hive: answer } = await both(query, variables, headers ? await headers() : {});
      const without = (a: typeof apollo) => ({ ...a, errors: a.errors?.map((e) => ({ ...e, [differs ?? '']: undefined })) });
      expect(without(answer)).toEqual(without(apollo));
      // The difference is real: were it gone, this case would move to the equal ones.
      expect(answer).not.toEqual(apollo);
    },
  );

  it('answers a client that accepts only application/json with 200 for a document that fails validation, where Apollo answers 400, with the same errors', async () => {
    // GraphQL over HTTP: a request error goes with 200 under application/json (Hive, through GraphQL
    // Yoga) and with 4xx under application/graphql-response+json, which current clients accept.
    const query = '{ instrument(code: "ICRMW") { shortTitel } }';
    const headers = { accept: 'application/json' };
    const [apollo, answer] = await Promise.all([
      postGraphQL(stack.gatewayUrl, query, undefined, headers),
      postGraphQL(hiveUrl, query, undefined, headers),
    ]);
    expect({ apollo: apollo.status, hive: answer.status }).toEqual({ apollo: 400, hive: 200 });
    expect(comparable(answer).errors).toEqual(comparable(apollo).errors);
  });
});

describe('both gateways in production (introspection for partners and above, no field suggestions)', () => {
  // Both assembled in this process over the same services, as their processes assemble them: the
  // Apollo gateway by createGatewayApp, Hive Gateway by its runtime with the committed configuration.
  let apolloUrl: string;
  let hiveProductionUrl: string;
  let stopBoth: () => Promise<void>;

  beforeAll(async () => {
    const serviceUrls = Object.fromEntries(stack.services.map((s) => [s.name, s.url])) as Record<ServiceName, string>;
    const config = loadConfig({ NODE_ENV: 'test' });
    const apollo = createGatewayApp({
      supergraphSdl: fs.readFileSync(config.supergraphPath, 'utf8'),
      serviceUrls,
      subgraphTimeoutMs: config.subgraphTimeoutMs,
      log: createLogger('gateway', 'silent'),
      serviceSecrets: stack.serviceSecrets,
      limits: config.limits,
      production: true,
      authenticate: createAuthenticator(AUTH),
      stopGracePeriodMs: 1000,
    });
    apolloUrl = await apollo.start();
    const runtime = createGatewayRuntime(
      hiveGatewayRuntimeConfig({
        supergraphPath: config.supergraphPath,
        serviceUrls,
        serviceSecrets: stack.serviceSecrets,
        auth: AUTH,
        limits: config.limits,
        production: true,
        subgraphTimeoutMs: config.subgraphTimeoutMs,
        host: '127.0.0.1',
        port: 0,
        logLevel: 'silent',
      }),
    );
    const server = http.createServer(runtime);
    const port = await listen(server, 0, '127.0.0.1');
    hiveProductionUrl = `http://127.0.0.1:${port}/graphql`;
    stopBoth = async () => {
      // The clients' keep-alive sockets would hold close() open.
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.dispose();
      await apollo.stop();
    };
  });

  afterAll(async () => {
    await stopBoth?.();
  });

  const production = async (query: string, headers: Record<string, string> = {}) => {
    const sent = { accept: ACCEPT, ...headers };
    const [apollo, answer] = await Promise.all([
      postGraphQL(apolloUrl, query, undefined, sent),
      postGraphQL(hiveProductionUrl, query, undefined, sent),
    ]);
    return { apollo: comparable(apollo), hive: comparable(answer) };
  };
  const introspection = '{ __schema { queryType { name } } }';

  it('refuses introspection to an anonymous caller and to one without a role, with the same error', async () => {
    for (const headers of [{}, bearer(await token([]))]) {
      const { apollo, hive: answer } = await production(introspection, headers);
      expect(answer).toEqual(apollo);
      expect(answer.errors?.map((e) => e.code)).toEqual(['FORBIDDEN']);
    }
  });

  it('answers introspection for a partner, as the Apollo gateway does', async () => {
    const { apollo, hive: answer } = await production(introspection, bearer(await token(['partner'])));
    expect(answer).toEqual(apollo);
    expect(answer.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('gives no field suggestion, as the Apollo gateway does', async () => {
    const { apollo, hive: answer } = await production('{ country(code: "SEN") { nam } }');
    expect(answer).toEqual(apollo);
    expect(answer.errors?.map((e) => e.message)).toEqual(['Cannot query field "nam" on type "Country".']);
  });
});
