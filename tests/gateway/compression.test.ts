import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { COMPRESSION_THRESHOLD_BYTES } from '../../gateway/src/app';
import { createIdeRoute } from '../../gateway/src/ide';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { type BareGateway, rawRequest, type RawResponse, startBareGateway } from '../support/bareGateway';

// The gateway answers introspection by itself: a large answer (every type with its description)
// and a small one, without any service.
const LARGE = '{ __schema { types { name description fields { name description } } } }';
const SMALL = '{ __typename }';

let gateway: BareGateway;
beforeAll(async () => {
  gateway = await startBareGateway({ routes: [createIdeRoute({ operationsDir: path.join(PROJECT_ROOT, 'operations') })] });
});
afterAll(async () => {
  await gateway?.stop();
});

function post(query: string, acceptEncoding?: string): Promise<RawResponse> {
  return rawRequest(
    gateway.url,
    'POST',
    { 'content-type': 'application/json', ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) },
    JSON.stringify({ query }),
  );
}

function decoded(res: RawResponse): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(res.body);
  if (encoding === 'gzip') return zlib.gunzipSync(res.body);
  return res.body;
}

describe('compression of GraphQL answers at the gateway', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
  ])(
    'compresses a large answer for a client that accepts "%s" with %s, which decodes to the same JSON',
    async (accept, expected) => {
      const plain = await post(LARGE, 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.length).toBeGreaterThan(30 * 1024);
      const res = await post(LARGE, accept);
      expect({ status: res.status, encoding: res.headers['content-encoding'], vary: res.headers.vary }).toEqual({
        status: 200,
        encoding: expected,
        vary: 'Accept-Encoding',
      });
      expect(res.body.length).toBeLessThan(plain.body.length / 4);
      expect(JSON.parse(decoded(res).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
      expect(
        (JSON.parse(plain.body.toString('utf8')) as { data: { __schema: { types: unknown[] } } }).data.__schema.types.length,
      ).toBeGreaterThan(50);
    },
  );

  it('leaves a large answer uncompressed for a client that does not ask for compression', async () => {
    const res = await post(LARGE);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.length).toBeGreaterThan(30 * 1024);
    expect(JSON.parse(res.body.toString('utf8'))).toHaveProperty('data.__schema.types');
  });

  it('leaves an answer under the threshold uncompressed, even for a client that accepts compression', async () => {
    const res = await post(SMALL, 'gzip, deflate, br');
    expect(res.body.length).toBeLessThan(COMPRESSION_THRESHOLD_BYTES);
    expect({ encoding: res.headers['content-encoding'], body: JSON.parse(res.body.toString('utf8')) as unknown }).toEqual({
      encoding: undefined,
      body: { data: { __typename: 'Query' } },
    });
  });

  it("serves the IDE's assets as the route stores them (brotli once made, gzip until then), never compressed twice", async () => {
    const res = await rawRequest(new URL('/ide/graphiql.min.css', gateway.url).toString(), 'GET', {
      'accept-encoding': 'gzip, deflate, br',
    });
    const installed = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'graphiql', 'graphiql.min.css'));
    expect({ status: res.status, encoding: ['br', 'gzip'].includes(String(res.headers['content-encoding'])) }).toEqual({
      status: 200,
      encoding: true,
    });
    expect(decoded(res).equals(installed)).toBe(true);
  });
});
