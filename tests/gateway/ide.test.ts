import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { createHttpFront, listen } from '../../shared/src/runtime/http';
import { createIdeRoute, loadIdeTabs, renderIdePage } from '../../gateway/src/ide';
import { required } from '../../shared/src/runtime/required';

const OPERATIONS = path.join(PROJECT_ROOT, 'operations');

let apollo: ApolloServer<BaseContext>;
let server: http.Server;
let base: string;

beforeAll(async () => {
  apollo = new ApolloServer<BaseContext>({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  ({ server } = createHttpFront<BaseContext>({
    apollo,
    context: async () => ({}),
    ready: async () => ({ ok: true, checks: {} }),
    routes: [createIdeRoute({ operationsDir: OPERATIONS })],
    stopGracePeriodMs: 1000,
  }));
  await apollo.start();
  base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
});
afterAll(async () => {
  await apollo.stop();
});

interface Wire {
  status: number;
  encoding?: string;
  vary?: string;
  cache?: string;
  length?: string;
  etag?: string;
  body: Buffer;
}

/** A GET as it goes over the wire: fetch would decompress by itself. */
function wire(url: string, headers: Record<string, string>): Promise<Wire> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res: http.IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            encoding: res.headers['content-encoding'],
            vary: res.headers.vary,
            cache: res.headers['cache-control'],
            length: res.headers['content-length'],
            etag: res.headers.etag,
            body: Buffer.concat(chunks),
          }),
        );
      })
      .on('error', reject);
  });
}

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('the IDE route of the gateway', () => {
  it('serves the IDE page to a browser at the root and at /graphql, with a policy that allows only its own scripts', async () => {
    for (const p of ['/', '/graphql']) {
      const res = await fetch(base + p, { headers: html });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const page = await res.text();
      const scripts = [...page.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
      expect(scripts).toEqual([
        'ide/react.production.min.js',
        'ide/react-dom.production.min.js',
        'ide/graphiql.min.js',
        'ide/plugin-explorer.umd.js',
        'ide/ideTools.js',
        'ide/ide.js',
      ]);
      expect([...page.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1])).toEqual([
        'ide/graphiql.min.css',
        'ide/plugin-explorer.css',
      ]);
      expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    }
  });

  it('leaves GraphQL requests to the GraphQL endpoint, including a browser GET that carries a query', async () => {
    const get = await fetch(`${base}/graphql?query=${encodeURIComponent('{ hello }')}`, {
      headers: { ...html, 'apollo-require-preflight': 'true' },
    });
    expect(await get.json()).toEqual({ data: { hello: 'world' } });
    const post = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    expect(await post.json()).toEqual({ data: { hello: 'world' } });
    expect((await fetch(`${base}/healthz`, { headers: html })).status).toBe(200);
  });

  it('serves each asset from the installed packages, gzipped on request, with a validator', async () => {
    const installed = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'graphiql', 'graphiql.min.js'));
    const plain = await fetch(`${base}/ide/graphiql.min.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(Buffer.from(await plain.arrayBuffer()).equals(installed)).toBe(true);

    const raw = await new Promise<{ status: number; encoding?: string; body: Buffer; etag?: string }>((resolve, reject) => {
      // fetch decompresses by itself; node:http shows what went over the wire.
      http
        .get(`${base}/ide/graphiql.min.css`, { headers: { 'accept-encoding': 'gzip' } }, (res: http.IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              encoding: res.headers['content-encoding'],
              body: Buffer.concat(chunks),
              etag: res.headers.etag,
            }),
          );
        })
        .on('error', reject);
    });
    expect(raw.status).toBe(200);
    expect(raw.encoding).toBe('gzip');
    expect(
      zlib.gunzipSync(raw.body).equals(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'graphiql', 'graphiql.min.css'))),
    ).toBe(true);
    expect(
      (await fetch(`${base}/ide/graphiql.min.css`, { headers: { 'if-none-match': required(raw.etag, 'the ETag') } })).status,
    ).toBe(304);
  });

  it('serves each asset brotli-compressed to a client that accepts br once that is made, gzip or as it is to the others, each with its own validator', async () => {
    const installed = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'graphiql', 'graphiql.min.js'));
    const url = `${base}/ide/graphiql.min.js`;
    // Brotli is made off the event loop after the first request: until then a br client gets gzip. Wait for it, a bounded number of times.
    let br = await wire(url, { 'accept-encoding': 'gzip, deflate, br' });
    for (let i = 0; i < 1200 && br.encoding !== 'br'; i++) {
      expect(br.encoding).toBe('gzip');
      await new Promise((resolve) => setTimeout(resolve, 100));
      br = await wire(url, { 'accept-encoding': 'gzip, deflate, br' });
    }
    const gzip = await wire(url, { 'accept-encoding': 'gzip' });
    const plain = await wire(url, { 'accept-encoding': 'identity' });
    const refused = await wire(url, { 'accept-encoding': 'br;q=0, gzip' });
    const none = await wire(url, {});
    const decoded = {
      br: zlib.brotliDecompressSync(br.body).equals(installed),
      gzip: zlib.gunzipSync(gzip.body).equals(installed),
      plain: plain.body.equals(installed),
    };
    const summary = (r: Wire) => ({ status: r.status, encoding: r.encoding, vary: r.vary, cache: r.cache, length: r.length });
    expect({
      br: summary(br),
      gzip: summary(gzip),
      plain: summary(plain),
      refused: refused.encoding,
      none: none.encoding,
      decoded,
      smaller: br.body.length < gzip.body.length,
    }).toEqual({
      br: { status: 200, encoding: 'br', vary: 'accept-encoding', cache: 'public, max-age=3600', length: String(br.body.length) },
      gzip: {
        status: 200,
        encoding: 'gzip',
        vary: 'accept-encoding',
        cache: 'public, max-age=3600',
        length: String(gzip.body.length),
      },
      plain: {
        status: 200,
        encoding: undefined,
        vary: 'accept-encoding',
        cache: 'public, max-age=3600',
        length: String(installed.length),
      },
      refused: 'gzip',
      none: undefined,
      decoded: { br: true, gzip: true, plain: true },
      smaller: true,
    });
    const etags = [br.etag, gzip.etag, plain.etag];
    expect(new Set(etags).size).toBe(3);
    for (const [i, etag] of etags.entries()) {
      const again = await wire(url, {
        'accept-encoding': ['gzip, deflate, br', 'gzip', 'identity'][i],
        'if-none-match': required(etag, 'an ETag'),
      });
      expect({ status: again.status, etag: again.etag, length: again.body.length }).toEqual({ status: 304, etag, length: 0 });
    }
  }, 180_000);

  it('serves the explorer plugin and the scripts of the IDE itself beside GraphiQL', async () => {
    const served = async (name: string) => Buffer.from(await (await fetch(`${base}/ide/${name}`)).arrayBuffer());
    const explorer = path.join(PROJECT_ROOT, 'node_modules', '@graphiql', 'plugin-explorer', 'dist');
    expect((await served('plugin-explorer.umd.js')).equals(fs.readFileSync(path.join(explorer, 'index.umd.js')))).toBe(true);
    expect((await served('plugin-explorer.css')).equals(fs.readFileSync(path.join(explorer, 'style.css')))).toBe(true);
    for (const own of ['ide.js', 'ideTools.js']) {
      expect((await served(own)).equals(fs.readFileSync(path.join(PROJECT_ROOT, 'gateway', 'ide', own)))).toBe(true);
    }
  });

  it('answers 404 for an asset it does not know, and never serves a file outside its list', async () => {
    for (const p of ['/ide/nope.js', '/ide/../package.json', '/ide/%2e%2e%2fpackage.json', '/ide/']) {
      const res = await fetch(base + p);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
    }
  });

  it('offers every named operation as a tab, in file order, with the defaults of its variables', () => {
    const tabs = loadIdeTabs(OPERATIONS);
    const files = fs
      .readdirSync(OPERATIONS)
      .filter((f) => f.endsWith('.graphql'))
      .sort();
    expect(tabs.map((t) => t.query)).toEqual(files.map((f) => fs.readFileSync(path.join(OPERATIONS, f), 'utf8').trim() + '\n'));
    expect(tabs.map((t) => t.name)).toEqual(
      files.map((f) => required(/query (\w+)/.exec(fs.readFileSync(path.join(OPERATIONS, f), 'utf8')), `a query in ${f}`)[1]),
    );
    const gap = tabs[files.indexOf('gap-analysis.graphql')];
    expect(JSON.parse(required(gap.variables, 'the variables of gap-analysis'))).toEqual({
      process: 'MIDWA',
      instrument: 'ICRMW',
      asOf: '2024-06-30',
    });
  });

  it('keeps an operation that contains </script> from closing the configuration block', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ide-ops-'));
    fs.writeFileSync(path.join(dir, 'a.graphql'), '# </script><script>alert(1)</script>\nquery A { hello }\n');
    const page = renderIdePage(loadIdeTabs(dir));
    expect(page.match(/<\/script>/g)).toHaveLength(7);
    const config = page.slice(page.indexOf('id="ide-config">') + 'id="ide-config">'.length, page.indexOf('</script>'));
    expect(JSON.parse(config)).toEqual({
      tabs: [{ name: 'A', query: '# </script><script>alert(1)</script>\nquery A { hello }\n' }],
      defaultHeaders: '',
    });
    fs.rmSync(dir, { recursive: true });
  });
});
