import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BaseContext } from '@apollo/server';
import { createRemoteJWKSet, exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { loadConfig } from '../../shared/src/runtime/config';
import type { Identity } from '../../shared/src/auth/identity';
import type { ServiceDefinition } from '../../shared/src/runtime/service';
import { loadServices } from '../../services/definitions';
import { type AuthOptions, authOptionsFromConfig, createAuthenticator } from '../../gateway/src/auth';
import { startStack, type Stack } from '../support/stack';

const ISSUER = 'https://id.example.test/';
const AUDIENCE = 'migration-graph-test';
const HS_SECRET = crypto.randomBytes(32).toString('hex');
const QUERY = '{ instrument(code: "ICRMW") { shortTitle } }';
const ANSWER = { instrument: { shortTitle: 'Migrant Workers Convention' } };

let stack: Stack;
let jwksServer: http.Server;
let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
let ec: Awaited<ReturnType<typeof generateKeyPair>>;
/** Every identity a service's context was built with, in order. */
const seen: (Identity | undefined)[] = [];

function recording(def: ServiceDefinition<BaseContext>): ServiceDefinition<BaseContext> {
  return { ...def, createContext: (ds, identity) => (seen.push(identity), def.createContext(ds, identity)) };
}

const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: 'ada', roles: ['partner'], iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600, ...overrides };
}

const hs = (payload: JWTPayload, secret: string | Uint8Array = HS_SECRET) =>
  new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);
const rs = (payload: JWTPayload) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsa.privateKey);
const es = (payload: JWTPayload) => new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }).sign(ec.privateKey);

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

beforeAll(async () => {
  rsa = await generateKeyPair('RS256', { extractable: true });
  ec = await generateKeyPair('ES256', { extractable: true });
  const keys = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  jwksServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  const auth: AuthOptions = {
    hsSecret: HS_SECRET,
    jwks: createRemoteJWKSet(new URL(jwksUrl)),
    issuer: ISSUER,
    audience: AUDIENCE,
    clockSkewSeconds: 30,
  };
  stack = await startStack({ auth, definitions: loadServices().map(recording) });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

async function asking(authorization: string) {
  seen.length = 0;
  const res = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: QUERY }),
  });
  return { status: res.status, body: await res.json(), servicesReached: seen.length };
}

function refused(message: string) {
  return { status: 401, body: { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }, servicesReached: 0 };
}

describe('bearer tokens at the gateway', () => {
  it('answers a request without a token as anonymous, and the service sees no subject and no roles', async () => {
    seen.length = 0;
    const answer = await stack.query(QUERY);
    expect({ status: answer.status, data: answer.data, seen }).toEqual({
      status: 200,
      data: ANSWER,
      seen: [{ sub: null, roles: [] }],
    });
  });

  it.each([
    ['an HS256 token', () => hs(claims({ roles: ['editor:legal-instruments', 'partner'] }))],
    ['an RS256 token from the JWKS', () => rs(claims({ roles: ['editor:legal-instruments', 'partner'] }))],
    ['an ES256 token from the JWKS', () => es(claims({ roles: ['editor:legal-instruments', 'partner'] }))],
    [
      'a token that expired within the clock skew',
      () => hs(claims({ roles: ['editor:legal-instruments', 'partner'], exp: now() - 10 })),
    ],
  ])('accepts %s and forwards its subject and roles to the service', async (_name, make) => {
    const answer = await asking(`Bearer ${await make()}`);
    expect({ ...answer, seen }).toEqual({
      status: 200,
      body: { data: ANSWER },
      servicesReached: 1,
      seen: [{ sub: 'ada', roles: ['editor:legal-instruments', 'partner'] }],
    });
  });

  it('drops roles it does not know and keeps the ones it does', async () => {
    await asking(`Bearer ${await hs(claims({ roles: ['superuser', 'admin', 'editor:nowhere'] }))}`);
    expect(seen).toEqual([{ sub: 'ada', roles: ['admin'] }]);
  });

  it('refuses an expired token with 401 and runs nothing', async () => {
    expect(await asking(`Bearer ${await hs(claims({ iat: now() - 3600, exp: now() - 120 }))}`)).toEqual(
      refused('The token has expired'),
    );
  });

  it('refuses a token that is not valid yet with 401 and runs nothing', async () => {
    expect(await asking(`Bearer ${await hs(claims({ nbf: now() + 300 }))}`)).toEqual(refused('The token is not valid yet'));
  });

  it('refuses a token from another issuer or for another audience with 401 and runs nothing', async () => {
    expect(await asking(`Bearer ${await hs(claims({ iss: 'https://evil.example/' }))}`)).toEqual(
      refused("The token's iss claim is not accepted"),
    );
    expect(await asking(`Bearer ${await rs(claims({ aud: 'another-api' }))}`)).toEqual(
      refused("The token's aud claim is not accepted"),
    );
  });

  it('refuses a token without an expiry or a subject with 401', async () => {
    const { exp: _exp, ...noExp } = claims();
    const { sub: _sub, ...noSub } = claims();
    expect(await asking(`Bearer ${await hs(noExp)}`)).toEqual(refused("The token's exp claim is not accepted"));
    expect(await asking(`Bearer ${await hs(noSub)}`)).toEqual(refused("The token's sub claim is not accepted"));
  });

  it('refuses an unsigned token (alg: none), even with a signature part, with 401 and runs nothing', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims({ roles: ['admin'] }))}.`;
    expect(await asking(`Bearer ${unsigned}`)).toEqual(refused('Tokens signed with none are not accepted'));
    const withSignature = `${unsigned}${crypto.randomBytes(32).toString('base64url')}`;
    expect(await asking(`Bearer ${withSignature}`)).toEqual(refused('Tokens signed with none are not accepted'));
  });

  it('refuses a token whose payload was changed after signing (a partner made admin) with 401', async () => {
    for (const token of [await hs(claims()), await rs(claims()), await es(claims())]) {
      const [header, , signature] = token.split('.');
      const tampered = `${header}.${b64url(claims({ roles: ['admin'] }))}.${signature}`;
      expect(await asking(`Bearer ${tampered}`)).toEqual(refused('The token is not valid'));
    }
  });

  it('refuses an HS256 token signed with the public RSA key as its secret (algorithm confusion) with 401', async () => {
    const publicPem = await exportSPKI(rsa.publicKey);
    const confused = await hs(claims({ roles: ['admin'] }), new TextEncoder().encode(publicPem));
    expect(await asking(`Bearer ${confused}`)).toEqual(refused('The token is not valid'));
  });

  it('refuses an RS256 token when only the HS256 secret is configured, and an HS256 token when only the JWKS is', async () => {
    const hsOnly = createAuthenticator({ hsSecret: HS_SECRET, issuer: ISSUER, audience: AUDIENCE, clockSkewSeconds: 30 });
    await expect(hsOnly(`Bearer ${await rs(claims())}`)).rejects.toMatchObject({
      message: 'Tokens signed with RS256 are not accepted',
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
    const jwksOnly = createAuthenticator({
      jwks: async () => rsa.publicKey,
      issuer: ISSUER,
      audience: AUDIENCE,
      clockSkewSeconds: 30,
    });
    await expect(jwksOnly(`Bearer ${await hs(claims())}`)).rejects.toMatchObject({
      message: 'Tokens signed with HS256 are not accepted',
    });
  });

  it('refuses a token signed by a key that is not in the JWKS, and one with another secret, with 401', async () => {
    const stranger = await generateKeyPair('ES256');
    const foreign = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }).sign(stranger.privateKey);
    expect(await asking(`Bearer ${foreign}`)).toEqual(refused('The token is not valid'));
    expect(await asking(`Bearer ${await hs(claims(), crypto.randomBytes(32))}`)).toEqual(refused('The token is not valid'));
  });

  it('refuses a malformed Authorization header or token, and a roles claim that is not a list, with 401', async () => {
    expect(await asking('Basic YWRhOnNlY3JldA==')).toEqual(refused('The Authorization header must be "Bearer <token>"'));
    expect(await asking('Bearer not-a-jwt')).toEqual(refused('The token is not valid'));
    expect(await asking(`Bearer ${await hs(claims({ roles: 'admin' }))}`)).toEqual(
      refused("The token's roles claim must be a list of strings"),
    );
  });
});

describe('token settings', () => {
  it('requires the JWKS URL, the issuer and the audience in production, naming the variable', () => {
    const secrets = { SERVICE_SECRET_LEGAL_INSTRUMENTS: 'x'.repeat(32) };
    expect(() => authOptionsFromConfig(loadConfig({ NODE_ENV: 'production', ...secrets }))).toThrow(
      "Configuration error: JWT_JWKS_URL must be set in production (the identity provider's JWKS)",
    );
    expect(() =>
      authOptionsFromConfig(loadConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://id.example.test/jwks' })),
    ).toThrow('Configuration error: JWT_ISSUER must be set in production');
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'http://id.example.test/jwks' })).toThrow(
      'Configuration error: JWT_JWKS_URL must use https:, got "http:"',
    );
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40) })).toThrow(
      /^Configuration error: JWT_SECRET is for local HS256 tokens only/,
    );
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(
      'Configuration error: JWT_SECRET must be at least 32 characters long',
    );
  });
});
