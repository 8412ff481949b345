import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../../shared/src/runtime/http';
import { Kind, parse, valueFromASTUntyped } from 'graphql';

/**
 * The in-browser IDE (GraphiQL) the gateway serves at its root and, to browsers, at /graphql. Every
 * asset comes from the installed npm packages and is served by the gateway itself: no CDN, so the
 * IDE works offline. The named operations of `operations/` open as ready-made tabs.
 */

/** One example tab: a named operation and the defaults of its variables. */
export interface IdeTab {
  /** The operation's name, by which a returning visitor's tabs are brought up to date. */
  name: string;
  query: string;
  variables?: string;
}

export interface IdeOptions {
  /** Folder of the named `.graphql` operations offered as example tabs. */
  operationsDir: string;
  /** Headers the headers editor starts with (JSON text); empty by default. */
  defaultHeaders?: string;
}

/** The URL path of each asset and the installed file it is read from. */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'react.production.min.js': { file: () => packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.production.min.js': {
    file: () => packageFile('react-dom', 'umd/react-dom.production.min.js'),
    type: 'text/javascript',
  },
  'graphiql.min.js': { file: () => packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.min.css': { file: () => packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  'plugin-explorer.umd.js': {
    file: () => packageFile('@graphiql/plugin-explorer', 'dist/index.umd.js'),
    type: 'text/javascript',
  },
  'plugin-explorer.css': { file: () => packageFile('@graphiql/plugin-explorer', 'dist/style.css'), type: 'text/css' },
  'ideTools.js': { file: () => path.join(__dirname, '..', 'ide', 'ideTools.js'), type: 'text/javascript' },
  'ide.js': { file: () => path.join(__dirname, '..', 'ide', 'ide.js'), type: 'text/javascript' },
};

/** Asset URLs are relative to the page, so the IDE also works under a path prefix. */
export const IDE_ASSET_PREFIX = '/ide/';

// Scripts only from the gateway itself; inline styles and data: fonts are GraphiQL's own.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** The named operations of a folder as tabs, ordered by file name, each with its variables' defaults. */
export function loadIdeTabs(operationsDir: string): IdeTab[] {
  const files = fs
    .readdirSync(operationsDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort();
  return files.map((file) => {
    const query = fs.readFileSync(path.join(operationsDir, file), 'utf8').trim() + '\n';
    const defaults: Record<string, unknown> = {};
    let name: string | undefined;
    for (const def of parse(query).definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      name ??= def.name?.value;
      for (const v of def.variableDefinitions ?? []) {
        if (v.defaultValue) defaults[v.variable.name.value] = valueFromASTUntyped(v.defaultValue);
      }
    }
    name ??= file.replace(/\.graphql$/, '');
    return Object.keys(defaults).length > 0 ? { name, query, variables: JSON.stringify(defaults, null, 2) } : { name, query };
  });
}

/** JSON inside a <script type="application/json"> block: nothing in it may close the block. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function renderIdePage(tabs: IdeTab[], defaultHeaders = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Migration Graph · GraphiQL</title>
<link rel="stylesheet" href="ide/graphiql.min.css">
<link rel="stylesheet" href="ide/plugin-explorer.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the IDE…</div>
<script type="application/json" id="ide-config">${scriptJson({ tabs, defaultHeaders })}</script>
<script src="ide/react.production.min.js"></script>
<script src="ide/react-dom.production.min.js"></script>
<script src="ide/graphiql.min.js"></script>
<script src="ide/plugin-explorer.umd.js"></script>
<script src="ide/ideTools.js"></script>
<script src="ide/ide.js"></script>
</body>
</html>
`;
}

/** A browser navigating to the page, not a GraphQL client sending a GET query. */
function wantsPage(req: IncomingMessage, url: URL): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (url.pathname !== '/' && url.pathname !== '/graphql') return false;
  if (url.searchParams.has('query')) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

/** A file as served: as it is, gzipped, and brotli-compressed once that is done, each with its validator. */
interface Body {
  raw: Buffer;
  gzip: Buffer;
  /** Set when the brotli form is ready; until then a client that accepts br and gzip gets gzip. */
  br?: Buffer;
  etags: Record<Encoding, string>;
}

type Encoding = 'identity' | 'gzip' | 'br';

/**
 * Brotli at its best (quality 11) takes seconds of CPU for GraphiQL's script, where gzip takes a
 * tenth of one: it runs in libuv's thread pool, off the event loop, once per file and process.
 */
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY } };

function body(raw: Buffer): Body {
  const hash = createHash('sha1').update(raw).digest('base64url');
  // A validator per encoding: the three are different bytes (RFC 9110 8.8.3), and a cache keeps them apart.
  const b: Body = { raw, gzip: zlib.gzipSync(raw), etags: { identity: `"${hash}"`, gzip: `"${hash}-gz"`, br: `"${hash}-br"` } };
  zlib.brotliCompress(
    raw,
    { ...BROTLI, params: { ...BROTLI.params, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } },
    (error, br) => {
      // Without brotli the file is still served gzipped: nothing to report to the client.
      if (!error) b.br = br;
    },
  );
  return b;
}

/** The encodings a client accepts (`Accept-Encoding`, with q-values; identity unless refused). */
function accepted(header: string | string[] | undefined): Set<Encoding> {
  const q = new Map<string, number>();
  for (const part of String(header ?? '').split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const weight = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    q.set(token, weight === undefined ? 1 : Number(weight));
  }
  const ok = (coding: string) => (q.get(coding) ?? (coding === 'identity' ? 1 : (q.get('*') ?? 0))) > 0;
  return new Set((['br', 'gzip', 'identity'] as const).filter(ok));
}

function send(req: IncomingMessage, res: ServerResponse, b: Body, headers: Record<string, string>): void {
  const validators = String(req.headers['if-none-match'] ?? '')
    .split(',')
    .map((v) => v.trim());
  const matched = Object.values(b.etags).find((etag) => validators.includes(etag));
  if (matched) {
    res.writeHead(304, { etag: matched, vary: 'accept-encoding', 'cache-control': headers['cache-control'] });
    res.end();
    return;
  }
  const accepts = accepted(req.headers['accept-encoding']);
  // The smallest form the client takes: br once made, then gzip, then the file as it is.
  const encoding: Encoding = accepts.has('br') && b.br ? 'br' : accepts.has('gzip') ? 'gzip' : 'identity';
  const payload = encoding === 'br' && b.br ? b.br : encoding === 'gzip' ? b.gzip : b.raw;
  res.writeHead(200, {
    ...headers,
    etag: b.etags[encoding],
    vary: 'accept-encoding',
    'content-length': String(payload.length),
    ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : payload);
}

/**
 * The IDE as a route for the HTTP front: answers the page and its assets, and passes every other
 * request (GraphQL clients) on. Reads the operations at once and each asset on its first request,
 * then keeps it in memory with its gzip and (once made) brotli forms.
 */
export function createIdeRoute(opts: IdeOptions): Handler {
  const page = body(Buffer.from(renderIdePage(loadIdeTabs(opts.operationsDir), opts.defaultHeaders ?? '')));
  const cache = new Map<string, Body>();
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (wantsPage(req, url)) {
      send(req, res, page, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'referrer-policy': 'no-referrer',
      });
      return;
    }
    if (!url.pathname.startsWith(IDE_ASSET_PREFIX)) {
      next();
      return;
    }
    const name = url.pathname.slice(IDE_ASSET_PREFIX.length);
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: 'not found' }));
      return;
    }
    let b = cache.get(name);
    if (!b) {
      b = body(fs.readFileSync(asset.file()));
      cache.set(name, b);
    }
    send(req, res, b, { 'content-type': `${asset.type}; charset=utf-8`, 'cache-control': 'public, max-age=3600' });
  };
}
