import type http from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { createHttpFront, listen } from '../../shared/src/runtime/http';

// A POST to the GraphQL endpoint takes the front's direct path (no express); everything else is
// routed by express. Both must run the same middleware and routes and answer failures alike.
let server: http.Server;
let base: string;
let apollo: ApolloServer<BaseContext>;

beforeAll(async () => {
  apollo = new ApolloServer<BaseContext>({
    typeDefs: 'type Query { ok: Boolean }',
    resolvers: { Query: { ok: () => true } },
    csrfPrevention: true,
  });
  ({ server } = createHttpFront<BaseContext>({
    apollo,
    context: async () => ({}),
    ready: async () => ({ ok: true, checks: {} }),
    middleware: [
      (req, res, next) => {
        res.setHeader('x-seen-by', 'middleware');
        if (req.headers['x-fail'] === 'throw') throw new Error('a middleware failed: secret detail');
        next();
      },
    ],
    routes: [
      async (req, _res, next) => {
        if (req.headers['x-fail'] === 'reject') throw new Error('a route failed: secret detail');
        next();
      },
    ],
    stopGracePeriodMs: 500,
  }));
  await apollo.start();
  base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
});

afterAll(async () => {
  await apollo.stop();
});

const post = (path: string, headers: Record<string, string> = {}, body = '{"query":"{ ok }"}') =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('the HTTP front', () => {
  it('answers a POST to /graphql and / through the middleware, with the length and type of the JSON it sends', async () => {
    for (const path of ['/graphql', '/', '/graphql?x=1']) {
      const res = await post(path);
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(JSON.parse(text)).toEqual({ data: { ok: true } });
      expect(res.headers.get('x-seen-by')).toBe('middleware');
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    }
  });

  it('answers a GET query the same way', async () => {
    const res = await fetch(`${base}/graphql?query=${encodeURIComponent('{ ok }')}`, {
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { ok: true } });
    expect(res.headers.get('x-seen-by')).toBe('middleware');
  });

  it.each(['throw', 'reject'])(
    'answers 500 without the error when a middleware or route fails (%s), on POST and GET alike',
    async (fail) => {
      for (const res of [
        await post('/graphql', { 'x-fail': fail }),
        await fetch(`${base}/graphql?query=%7Bok%7D`, { headers: { 'x-fail': fail } }),
      ]) {
        expect(res.status).toBe(500);
        const text = await res.text();
        expect(text).not.toContain('secret detail');
        expect(JSON.parse(text)).toEqual({ errors: [{ message: 'Internal server error', extensions: { code: 'BAD_REQUEST' } }] });
      }
    },
  );

  it('refuses what the GraphQL endpoint refuses: other paths, other methods, a body that is not JSON, a simple request without a preflight', async () => {
    expect((await post('/graphql/')).status).toBe(404);
    expect((await post('/GraphQL')).status).toBe(404);
    const put = await fetch(`${base}/graphql`, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST, OPTIONS');
    const bad = await post('/graphql', {}, '{"query":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
    });
    const simple = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"query":"{ ok }"}',
    });
    expect(simple.status).toBe(400);
  });
});
