import type { BaseContext } from '@apollo/server';
import { loadConfig, deriveServiceSecret, serviceSecretVariable } from '../../shared/src/runtime/config';
import { sqlStatements } from '../../shared/src/data/dataSource';
import type { Identity } from '../../shared/src/auth/identity';
import { createLogger } from '../../shared/src/runtime/logger';
import { type RunningService, type ServiceDefinition, startService } from '../../shared/src/runtime/service';
import {
  encodeIdentity,
  randomServiceSecrets,
  SIGNATURE_HEADERS,
  SIGNATURE_MAX_AGE_MS,
  SIGNATURE_MAX_AHEAD_MS,
  signatureHeaders,
  verifySignedRequest,
} from '../../shared/src/auth/signing';
import { loadServices } from '../../services/definitions';
import { testDatabaseUrl } from '../support/serviceHarness';

const SECRETS = randomServiceSecrets();
const EDITOR: Identity = { sub: 'ada', roles: ['editor:legal-instruments'] };
let service: RunningService;
const seen: (Identity | undefined)[] = [];

beforeAll(async () => {
  const [legal] = loadServices(['legal-instruments']);
  const recording: ServiceDefinition<BaseContext> = {
    ...legal,
    createContext: (ds, identity) => (seen.push(identity), legal.createContext(ds, identity)),
  };
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  service = await startService(recording, {
    url: testDatabaseUrl(),
    database: config.database,
    port: 0,
    host: '127.0.0.1',
    log: createLogger('signing', 'silent'),
    secret: SECRETS['legal-instruments'],
  });
}, 60_000);

afterAll(async () => {
  await service?.stop();
});

const QUERIES = {
  query: '{ instrument(code: "ICRMW") { shortTitle } }',
  entities: '{ _entities(representations: [{ __typename: "Country", code: "SEN" }]) { ... on Country { code } } }',
  service: '{ _service { sdl } }',
};

/** POSTs to the service directly, with whatever headers; counts SQL and context creations. */
async function direct(query: string, headers: (body: string) => Record<string, string>) {
  const body = JSON.stringify({ query });
  seen.length = 0;
  const before = sqlStatements.count;
  const res = await fetch(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers(body) },
    body,
  });
  return { status: res.status, body: (await res.json()) as unknown, ran: seen.length > 0, sql: sqlStatements.count - before };
}

const rejected = (status: number, code: string, message: string) => ({
  status,
  body: { errors: [{ message, extensions: { code } }] },
  ran: false,
  sql: 0,
});

describe('a service reached directly', () => {
  it.each(Object.entries(QUERIES))('refuses an unsigned %s with 401 and runs nothing', async (_name, query) => {
    expect(await direct(query, () => ({}))).toEqual(
      rejected(401, 'UNAUTHENTICATED', 'This service answers only requests signed by the gateway'),
    );
  });

  it.each(Object.entries(QUERIES))('refuses a %s signed with a wrong secret with 403 and runs nothing', async (_name, query) => {
    const wrong = randomServiceSecrets()['legal-instruments'];
    expect(await direct(query, (body) => signatureHeaders(wrong, 'legal-instruments', encodeIdentity(EDITOR), body))).toEqual(
      rejected(403, 'FORBIDDEN', 'The request signature is not valid'),
    );
  });

  it.each(Object.entries(QUERIES))("refuses a %s signed with another service's secret with 403", async (_name, query) => {
    const asOther = (body: string) => signatureHeaders(SECRETS['migration-data'], 'migration-data', encodeIdentity(EDITOR), body);
    const otherSecretOwnName = (body: string) =>
      signatureHeaders(SECRETS['migration-data'], 'legal-instruments', encodeIdentity(EDITOR), body);
    expect(await direct(query, asOther)).toEqual(rejected(403, 'FORBIDDEN', 'The request signature is not valid'));
    expect(await direct(query, otherSecretOwnName)).toEqual(rejected(403, 'FORBIDDEN', 'The request signature is not valid'));
  });

  it('refuses a captured signature replayed onto another body, with another identity, or after the window', async () => {
    const captured = signatureHeaders(
      SECRETS['legal-instruments'],
      'legal-instruments',
      encodeIdentity({ sub: null, roles: [] }),
      JSON.stringify({ query: QUERIES.query }),
    );
    expect(await direct(QUERIES.entities, () => captured)).toEqual(
      rejected(403, 'FORBIDDEN', 'The request signature is not valid'),
    );
    const promoted = { ...captured, [SIGNATURE_HEADERS.identity]: encodeIdentity({ sub: 'mallory', roles: ['admin'] }) };
    expect(await direct(QUERIES.query, () => promoted)).toEqual(rejected(403, 'FORBIDDEN', 'The request signature is not valid'));
    const stale = (body: string) =>
      signatureHeaders(
        SECRETS['legal-instruments'],
        'legal-instruments',
        encodeIdentity(EDITOR),
        body,
        Date.now() - SIGNATURE_MAX_AGE_MS - 1000,
      );
    expect(await direct(QUERIES.query, stale)).toEqual(rejected(403, 'FORBIDDEN', 'The request signature has expired'));
  });

  it.each(Object.entries(QUERIES))('answers a %s the gateway signed, with the identity it carries', async (_name, query) => {
    const answer = await direct(query, (body) =>
      signatureHeaders(SECRETS['legal-instruments'], 'legal-instruments', encodeIdentity(EDITOR), body),
    );
    expect({ status: answer.status, errors: (answer.body as { errors?: unknown }).errors, ran: answer.ran, seen }).toEqual({
      status: 200,
      errors: undefined,
      ran: true,
      seen: [EDITOR],
    });
  });

  it('checks the signature over the body bytes as sent: unusual JSON layout is accepted, one changed byte is not', async () => {
    // Spaces, a line break and an escaped character: re-serializing the parsed body would give other bytes.
    const body = '{ "query" : "{ instrument(code: \\"ICRMW\\") { shortTitle\\u0020} }",\n  "variables": {} }';
    const post = (sent: string, signed: string) =>
      fetch(service.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signatureHeaders(SECRETS['legal-instruments'], 'legal-instruments', encodeIdentity(EDITOR), signed),
        },
        body: sent,
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as unknown }));
    expect(await post(body, body)).toEqual({
      status: 200,
      body: { data: { instrument: { shortTitle: 'Migrant Workers Convention' } } },
    });
    expect(await post(body.replace('\n', ' '), body)).toEqual({
      status: 403,
      body: { errors: [{ message: 'The request signature is not valid', extensions: { code: 'FORBIDDEN' } }] },
    });
  });

  it('refuses a signed GET: the gateway only ever POSTs', async () => {
    const search = `?query=${encodeURIComponent(QUERIES.query)}`;
    const headers = signatureHeaders(SECRETS['legal-instruments'], 'legal-instruments', encodeIdentity(EDITOR), '');
    const res = await fetch(`${service.url}${search}`, { headers: { ...headers, 'apollo-require-preflight': 'true' } });
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 403,
      body: { errors: [{ message: 'This service answers only signed POST requests', extensions: { code: 'FORBIDDEN' } }] },
    });
  });
});

describe('verifySignedRequest', () => {
  const secret = SECRETS['un-partnerships'];
  const body = '{"query":"{ __typename }"}';
  const verify = (headers: Record<string, string>, now?: number) =>
    verifySignedRequest({ secret, service: 'un-partnerships', method: 'POST', headers, body, now });

  it('accepts a signature up to the window behind its clock and a few seconds ahead, and not a millisecond beyond', () => {
    const t = 1_800_000_000_000;
    const signed = signatureHeaders(secret, 'un-partnerships', encodeIdentity(EDITOR), body, t);
    expect(verify(signed, t + SIGNATURE_MAX_AGE_MS)).toEqual(EDITOR);
    expect(verify(signed, t - SIGNATURE_MAX_AHEAD_MS)).toEqual(EDITOR);
    expect(() => verify(signed, t + SIGNATURE_MAX_AGE_MS + 1)).toThrow('The request signature has expired');
    expect(() => verify(signed, t - SIGNATURE_MAX_AHEAD_MS - 1)).toThrow('The request signature has expired');
  });

  it('refuses a truncated signature and a malformed timestamp', () => {
    const signed = signatureHeaders(secret, 'un-partnerships', encodeIdentity(EDITOR), body);
    expect(() => verify({ ...signed, [SIGNATURE_HEADERS.signature]: signed[SIGNATURE_HEADERS.signature].slice(0, 20) })).toThrow(
      'The request signature is not valid',
    );
    expect(() => verify({ ...signed, [SIGNATURE_HEADERS.timestamp]: '1e12' })).toThrow('The request signature has expired');
  });

  it('keeps only known roles from a signed identity and refuses one that is not an identity', () => {
    const odd = Buffer.from(JSON.stringify({ sub: 'ada', roles: ['admin', 'root'] })).toString('base64url');
    expect(verify(signatureHeaders(secret, 'un-partnerships', odd, body))).toEqual({ sub: 'ada', roles: ['admin'] });
    const broken = Buffer.from('"admin"').toString('base64url');
    expect(() => verify(signatureHeaders(secret, 'un-partnerships', broken, body))).toThrow('The signed identity is malformed');
  });
});

describe('signing secrets in the configuration', () => {
  it('derives a distinct, stable secret per service from SERVICE_SIGNING_SECRET outside production, unless one is set', () => {
    const master = 'm'.repeat(40);
    const config = loadConfig({
      NODE_ENV: 'development',
      SERVICE_SIGNING_SECRET: master,
      SERVICE_SECRET_UN_PARTNERSHIPS: 'u'.repeat(32),
    });
    expect(config.serviceSecrets).toEqual({
      'legal-instruments': deriveServiceSecret(master, 'legal-instruments'),
      'migration-data': deriveServiceSecret(master, 'migration-data'),
      'consultative-processes': deriveServiceSecret(master, 'consultative-processes'),
      'un-partnerships': 'u'.repeat(32),
    });
    expect(new Set(Object.values(config.serviceSecrets)).size).toBe(4);
  });

  it('refuses SERVICE_SIGNING_SECRET in production and a short secret anywhere, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SERVICE_SIGNING_SECRET: 'm'.repeat(40) })).toThrow(
      /^Configuration error: SERVICE_SIGNING_SECRET is for development and test only/,
    );
    expect(() => loadConfig({ [serviceSecretVariable('migration-data')]: 'short' })).toThrow(
      'Configuration error: SERVICE_SECRET_MIGRATION_DATA must be at least 32 characters long',
    );
    expect(loadConfig({ NODE_ENV: 'production' }).serviceSecrets).toEqual({});
  });
});
