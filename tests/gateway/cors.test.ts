import type http from 'node:http';
import path from 'node:path';
import { ConfigError, DEFAULT_DEVELOPMENT_CORS_ORIGINS, loadConfig, PROJECT_ROOT } from '../../shared/src/runtime/config';
import { type BareGateway, rawRequest, startBareGateway } from '../support/bareGateway';

/** The Access-Control-* headers of an answer, and whether it varies by Origin (as a cache must know). */
function corsHeaders(headers: http.IncomingHttpHeaders): Record<string, unknown> {
  const cors = Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')));
  return /\bOrigin\b/.test(headers.vary ?? '') ? { ...cors, varyOrigin: true } : cors;
}

/** What a browser sends before a cross-origin POST of JSON with a token. */
function preflight(url: string, origin: string) {
  return rawRequest(url, 'OPTIONS', {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type,authorization',
  });
}

/** What a page may read of an answer: its request id, and of a report download its file name, tables and what may be missing. */
const EXPOSED = 'x-request-id,content-disposition,x-report-tables,x-report-incomplete';

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET,POST',
  'access-control-allow-headers': 'content-type,authorization,apollo-require-preflight,x-request-id',
  'access-control-expose-headers': EXPOSED,
  'access-control-max-age': '600',
  varyOrigin: true,
};

describe('CORS at the gateway', () => {
  let gateway: BareGateway;
  beforeAll(async () => {
    gateway = await startBareGateway({ corsOrigins: ['http://localhost:*', 'https://portal.example.org'] });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it.each(['http://localhost:5173', 'http://localhost:8080', 'https://portal.example.org'])(
    'answers a preflight from %s, an allowed origin, with 204 and the Access-Control headers',
    async (origin) => {
      const res = await preflight(gateway.url, origin);
      expect({ status: res.status, headers: corsHeaders(res.headers), body: res.body.toString() }).toEqual({
        status: 204,
        headers: { 'access-control-allow-origin': origin, ...PREFLIGHT_HEADERS },
        body: '',
      });
    },
  );

  it.each([
    'http://localhost.evil.example:5173',
    'https://localhost:5173',
    'http://127.0.0.1:5173',
    'https://portal.example.org:8443',
    'https://portal.example.org.evil.example',
    'http://portal.example.org',
    'null',
  ])('gives a preflight from %s, an origin not listed, no Access-Control header', async (origin) => {
    const res = await preflight(gateway.url, origin);
    expect(corsHeaders(res.headers)).toEqual({});
  });

  it('lets a page on an allowed origin read the answer and its request id header', async () => {
    const res = await rawRequest(
      gateway.url,
      'POST',
      { origin: 'http://localhost:5173', 'content-type': 'application/json' },
      JSON.stringify({ query: '{ __typename }' }),
    );
    expect({ status: res.status, headers: corsHeaders(res.headers), body: JSON.parse(res.body.toString()) as unknown }).toEqual({
      status: 200,
      headers: {
        'access-control-allow-origin': 'http://localhost:5173',
        'access-control-expose-headers': EXPOSED,
        varyOrigin: true,
      },
      body: { data: { __typename: 'Query' } },
    });
  });

  it("lets a page on an allowed origin list the reports and read a download's file name, tables and incompleteness headers", async () => {
    const withReports = await startBareGateway({
      corsOrigins: ['http://localhost:*'],
      reportsDir: path.join(PROJECT_ROOT, 'operations'),
    });
    try {
      const res = await rawRequest(new URL('/reports', withReports.url).toString(), 'GET', { origin: 'http://localhost:5173' });
      expect({ status: res.status, headers: corsHeaders(res.headers) }).toEqual({
        status: 200,
        headers: {
          'access-control-allow-origin': 'http://localhost:5173',
          'access-control-expose-headers': EXPOSED,
          varyOrigin: true,
        },
      });
      expect((JSON.parse(res.body.toString()) as { reports: unknown[] }).reports.length).toBeGreaterThan(5);
    } finally {
      await withReports.stop();
    }
  });

  it("keeps Apollo's CSRF prevention: a request a browser would send without a preflight runs nothing", async () => {
    const plainPost = await rawRequest(
      gateway.url,
      'POST',
      { origin: 'http://localhost:5173', 'content-type': 'text/plain' },
      '{}',
    );
    const plainGet = await rawRequest(`${gateway.url}?query=${encodeURIComponent('{ __typename }')}`, 'GET', {
      origin: 'http://localhost:5173',
    });
    for (const res of [plainPost, plainGet]) {
      expect(res.status).toBe(400);
      expect(res.body.toString()).toContain('Cross-Site Request Forgery');
    }
  });
});

describe('CORS_ORIGINS', () => {
  it('allows pages on the local machine on any port by default outside production, and no origin in production', async () => {
    expect(loadConfig({ NODE_ENV: 'development' }).corsOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
    expect(loadConfig({ NODE_ENV: 'test' }).corsOrigins).toEqual(DEFAULT_DEVELOPMENT_CORS_ORIGINS);
    const production = loadConfig({ NODE_ENV: 'production' }).corsOrigins;
    expect(production).toEqual([]);
    const development = await startBareGateway({ corsOrigins: loadConfig({ NODE_ENV: 'development' }).corsOrigins });
    const productionGateway = await startBareGateway({ corsOrigins: production });
    try {
      const fromDevServer = await preflight(development.url, 'http://127.0.0.1:5173');
      expect(corsHeaders(fromDevServer.headers)['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
      for (const origin of ['http://localhost:5173', 'http://127.0.0.1:5173']) {
        const res = await preflight(productionGateway.url, origin);
        expect({ origin, headers: corsHeaders(res.headers) }).toEqual({ origin, headers: {} });
      }
    } finally {
      await development.stop();
      await productionGateway.stop();
    }
  });

  it('takes a comma-separated list of origins, with * for any port, in production too', () => {
    expect(
      loadConfig({ NODE_ENV: 'production', CORS_ORIGINS: ' https://Portal.example.org , http://localhost:*,' }).corsOrigins,
    ).toEqual(['https://portal.example.org', 'http://localhost:*']);
  });

  it.each(['*', 'https://portal.example.org/', 'portal.example.org', 'ftp://portal.example.org', 'https://*.example.org'])(
    'stops the process on %s, which is not an origin, naming the variable',
    (entry) => {
      expect(() => loadConfig({ CORS_ORIGINS: `http://localhost:*,${entry}` })).toThrow(ConfigError);
      expect(() => loadConfig({ CORS_ORIGINS: entry })).toThrow(`CORS_ORIGINS has "${entry}", which is not an origin`);
    },
  );
});
