// npm run measure:ide: the bytes a browser downloads to open the IDE, as the gateway serves them:
// plain, gzipped, and brotli-compressed (made once per file after its first request, so the script
// asks again until it is served). Serves the IDE route alone on a free port and reads the page for
// the assets it loads. Prints figures; it is not a test.
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import { PROJECT_ROOT } from '../shared/src/runtime/config';
import { createIdeRoute } from '../gateway/src/ide';

interface Wire {
  bytes: number;
  encoding: string;
  body: Buffer;
}

function get(url: string, acceptEncoding: string): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const headers = { 'accept-encoding': acceptEncoding, accept: 'text/html' };
    http
      .get(url, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ bytes: body.length, encoding: String(res.headers['content-encoding'] ?? 'identity'), body });
        });
      })
      .on('error', reject);
  });
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const app = express().use(createIdeRoute({ operationsDir: path.join(PROJECT_ROOT, 'operations') }));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no port');
  const base = `http://127.0.0.1:${address.port}/`;
  try {
    const page = (await get(base, 'identity')).body.toString('utf8');
    const files = ['', ...[...page.matchAll(/(?:src|href)="(ide\/[^"]+)"/g)].map((m) => m[1])];
    const rows: string[][] = [];
    const total = { raw: 0, gzip: 0, br: 0 };
    for (const file of files) {
      const plain = await get(base + file, 'identity');
      const gzip = await get(base + file, 'gzip');
      let br = await get(base + file, 'gzip, deflate, br');
      for (let i = 0; i < 600 && br.encoding !== 'br'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        br = await get(base + file, 'gzip, deflate, br');
      }
      total.raw += plain.bytes;
      total.gzip += gzip.bytes;
      total.br += br.bytes;
      rows.push([
        file || '(the page)',
        kib(plain.bytes),
        `${kib(gzip.bytes)} (${gzip.encoding})`,
        `${kib(br.bytes)} (${br.encoding})`,
      ]);
    }
    rows.push(['total', kib(total.raw), kib(total.gzip), kib(total.br)]);
    process.stdout.write(
      [
        'Measured by `npm run measure:ide`: what a browser downloads, by the encodings it accepts.',
        '',
        '| asset | plain | gzip | br (`gzip, deflate, br`) |',
        '|---|---:|---:|---:|',
        ...rows.map((r) => `| ${r.join(' | ')} |`),
        '',
      ].join('\n'),
    );
  } finally {
    server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
