import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { type AuthOptions, createAuthenticator, issueLocalToken } from '../../gateway/src/auth';
import { type CoprocessorEnvelope, createRouterCoprocessorHandler } from '../../gateway/src/routerCoprocessor';
import { SIGNATURE_HEADERS } from '../../shared/src/auth/signing';
import { startStack, type Stack } from '../support/stack';

/**
 * The Apollo Router coprocessor at the protocol level: envelopes shaped as the Router's coprocessor
 * reference documents them for the SubgraphRequest stage are POSTed to the endpoint, and the headers
 * it answers with are sent, with the body serialized compactly, to a real service. The Router itself
 * is not run here.
 */

const HS_SECRET = crypto.randomBytes(32).toString('hex');
const AUTH: AuthOptions = {
  hsSecret: HS_SECRET,
  issuer: 'https://id.example.test/',
  audience: 'migration-graph-test',
  clockSkewSeconds: 30,
};
const QUERY = '{ instrument(code: "ICRMW") { shortTitle } }';
const ANSWER = { instrument: { shortTitle: 'Migrant Workers Convention' } };

let stack: Stack;
let coprocessor: http.Server;
let coprocessorUrl: string;

beforeAll(async () => {
  stack = await startStack({ auth: AUTH });
  coprocessor = http.createServer(
    createRouterCoprocessorHandler({ secrets: stack.serviceSecrets, authenticate: createAuthenticator(AUTH) }),
  );
  await new Promise<void>((resolve) => coprocessor.listen(0, '127.0.0.1', resolve));
  coprocessorUrl = `http://127.0.0.1:${(coprocessor.address() as AddressInfo).port}/`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => coprocessor?.close(resolve));
  await stack?.stop();
});

function serviceUrl(name: string): string {
  const service = stack.services.find((s) => s.name === name);
  if (!service) throw new Error(`no ${name} service in the stack`);
  return service.url;
}

/** A SubgraphRequest envelope as the Router sends it, with headers, body and service name enabled. */
function envelope(serviceName: string, body: unknown, headers: Record<string, string[]> = {}): CoprocessorEnvelope {
  return {
    version: 1,
    stage: 'SubgraphRequest',
    control: 'continue',
    id: crypto.randomBytes(16).toString('hex'),
    subgraphRequestId: crypto.randomBytes(16).toString('hex'),
    headers: { 'content-type': ['application/json'], ...headers },
    body,
    context: { entries: { 'apollo::supergraph::operation_kind': 'query' } },
    serviceName,
    uri: serviceUrl(serviceName),
    method: 'POST',
  };
}

async function coprocess(payload: unknown): Promise<{ status: number; answer: CoprocessorEnvelope }> {
  const res = await fetch(coprocessorUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: res.status, answer: (await res.json()) as CoprocessorEnvelope };
}

/** Sends a request to a service the way the Router would after the coprocessor: its headers, the body as JSON. */
async function callService(name: string, headers: Record<string, string[]>, body: unknown) {
  const flat = Object.fromEntries(Object.entries(headers).map(([header, values]) => [header, values.join(', ')]));
  const res = await fetch(serviceUrl(name), { method: 'POST', headers: flat, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

const token = () =>
  issueLocalToken({
    secret: HS_SECRET,
    sub: 'ada',
    roles: ['partner'],
    issuer: AUTH.issuer,
    audience: AUTH.audience,
    ttlSeconds: 600,
  });

describe('the Apollo Router coprocessor (SubgraphRequest stage)', () => {
  it('signs an anonymous subgraph request so that the service answers it', async () => {
    const body = { query: QUERY, variables: {} };
    const { status, answer } = await coprocess(envelope('legal-instruments', body));
    expect(status).toBe(200);
    expect(answer.control).toBe('continue');
    expect(Object.keys(answer.headers ?? {})).toEqual(expect.arrayContaining(Object.values(SIGNATURE_HEADERS)));
    expect(await callService('legal-instruments', answer.headers ?? {}, answer.body)).toEqual({
      status: 200,
      body: { data: ANSWER },
    });
  });

  it("carries a verified caller's identity, and drops the token", async () => {
    const { answer } = await coprocess(
      envelope('legal-instruments', { query: QUERY }, { authorization: [`Bearer ${await token()}`] }),
    );
    expect(answer.control).toBe('continue');
    expect(answer.headers).not.toHaveProperty('authorization');
    const identity = JSON.parse(
      Buffer.from(answer.headers?.[SIGNATURE_HEADERS.identity]?.[0] ?? '', 'base64url').toString('utf8'),
    );
    expect(identity).toEqual({ sub: 'ada', roles: ['partner'] });
    expect((await callService('legal-instruments', answer.headers ?? {}, answer.body)).body).toEqual({ data: ANSWER });
  });

  it('signs the exact body: the same headers on another body, or for another service, are refused', async () => {
    const { answer } = await coprocess(envelope('legal-instruments', { query: QUERY }));
    const otherBody = await callService('legal-instruments', answer.headers ?? {}, { query: '{ instruments { code } }' });
    expect(otherBody.status).toBe(403);
    expect(otherBody.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherService = await callService('migration-data', answer.headers ?? {}, answer.body);
    expect(otherService.status).toBe(403);
  });

  it('without the coprocessor a service refuses the same request', async () => {
    const unsigned = await callService('legal-instruments', { 'content-type': ['application/json'] }, { query: QUERY });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('ends the request with 401 on an expired or forged token, and signs nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ roles: ['partner'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ada')
      .setIssuer(AUTH.issuer)
      .setAudience(AUTH.audience)
      .setIssuedAt(now - 3600)
      .setExpirationTime(now - 600)
      .sign(new TextEncoder().encode(HS_SECRET));
    for (const [bearer, message] of [
      [expired, 'The token has expired'],
      [`${(await token()).slice(0, -4)}AAAA`, 'The token is not valid'],
    ]) {
      const { status, answer } = await coprocess(
        envelope('legal-instruments', { query: QUERY }, { authorization: [`Bearer ${bearer}`] }),
      );
      expect(status).toBe(200);
      expect(answer.control).toEqual({ break: 401 });
      expect(answer.body).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
      expect(answer.headers).not.toHaveProperty(SIGNATURE_HEADERS.signature);
    }
  });

  it('refuses an unknown service, passes other stages back unchanged, and understands only version 1', async () => {
    const stranger = await coprocess({ ...envelope('legal-instruments', { query: QUERY }), serviceName: 'billing' });
    expect(stranger.answer.control).toEqual({ break: 502 });
    const routerRequest = { version: 1, stage: 'RouterRequest', control: 'continue', id: 'x', headers: { a: ['b'] } };
    expect((await coprocess(routerRequest)).answer).toEqual(routerRequest);
    expect((await coprocess({ ...routerRequest, version: 2 })).status).toBe(400);
  });
});
