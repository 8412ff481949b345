// What compressing the gateway's answers costs and saves on loopback: the same requests with
// Accept-Encoding br, gzip and none, side by side in one run (alternating request by request).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { COUNTRIES_47, OPERATIONS } from './operations';
import { median, percentile } from './process';

const ENCODINGS = ['identity', 'gzip', 'br'] as const;
type Encoding = (typeof ENCODINGS)[number];

interface Sample {
  /** Bytes of the body on the wire. */
  bytes: number;
  /** From sending the request to the parsed answer, decompression included, in ms. */
  ms: number;
  ok: boolean;
  /** The decoded answer. */
  answer: Buffer;
}

function decode(encoding: string | undefined, body: Buffer): Buffer {
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  if (encoding === 'gzip') return zlib.gunzipSync(body);
  return body;
}

/** One POST, as a client that accepts `encoding` would make it, timed to the parsed JSON. */
function timedPost(url: string, agent: http.Agent, body: string, encoding: Encoding): Promise<Sample> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'accept-encoding': encoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const wire = Buffer.concat(chunks);
          const received = res.headers['content-encoding'] ?? 'identity';
          const text = decode(received, wire);
          const answer = JSON.parse(text.toString('utf8')) as { errors?: unknown };
          // A large answer must come back in the encoding asked for; a small one may stay plain.
          const encodedAsAsked = received === encoding || (received === 'identity' && wire.length < 1024);
          resolve({
            answer: text,
            bytes: wire.length,
            ms: performance.now() - started,
            ok: res.statusCode === 200 && !answer.errors && encodedAsAsked,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Case {
  name: string;
  /** The request body of request number n. */
  body(n: number): string;
}

/**
 * The benchmark's mix, and the countries overview of 27 countries (each request another 27 of the
 * 47): the large answers compression is for.
 */
function cases(): Case[] {
  const overview = fs.readFileSync(path.join(PROJECT_ROOT, 'operations', 'countries-overview.graphql'), 'utf8');
  return [
    ...OPERATIONS.map((op) => ({
      name: op.name,
      body: (n: number) => JSON.stringify({ query: op.query, variables: op.vary(n) }),
    })),
    {
      name: 'countries overview, 27 countries',
      body: (n: number) =>
        JSON.stringify({
          query: overview,
          variables: { codes: Array.from({ length: 27 }, (_, i) => COUNTRIES_47[(n + i) % 47]) },
        }),
    },
  ];
}

/** The CPU time, in ms, the gateway's compression middleware spends on one answer (median of 20), with its settings. */
function compressMs(answer: Buffer): { gzip: number; br: number } {
  const time = (compress: () => Buffer) =>
    median(
      Array.from({ length: 20 }, () => {
        const started = performance.now();
        compress();
        return performance.now() - started;
      }),
    );
  return {
    gzip: time(() => zlib.gzipSync(answer)),
    br: time(() => zlib.brotliCompressSync(answer, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })),
  };
}

/**
 * Markdown lines for the benchmark's report: per operation of the mix (varied variables, one request
 * at a time over one keep-alive connection), bytes on the wire and p50/p95 latency without
 * compression, with gzip and with brotli. The three alternate request by request, so that they
 * see the same machine.
 */
export async function compressionSection(gatewayUrl: string, requestsPerEncoding: number): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const rows: string[] = [];
  const saved: number[] = [];
  try {
    for (const op of cases()) {
      const samples: Record<Encoding, Sample[]> = { identity: [], gzip: [], br: [] };
      // One warming round, not counted.
      for (const encoding of ENCODINGS) await timedPost(gatewayUrl, agent, op.body(0), encoding);
      for (let n = 0; n < requestsPerEncoding; n++) {
        const body = op.body(n);
        // The order turns each time, so that no encoding always follows the same one.
        for (let k = 0; k < ENCODINGS.length; k++) {
          const encoding = ENCODINGS[(n + k) % ENCODINGS.length];
          samples[encoding].push(await timedPost(gatewayUrl, agent, body, encoding));
        }
      }
      const bytes = (e: Encoding) => median(samples[e].map((s) => s.bytes));
      const p50 = (e: Encoding) => median(samples[e].map((s) => s.ms));
      const p95 = (e: Encoding) =>
        percentile(
          samples[e].map((s) => s.ms),
          95,
        );
      const failed = ENCODINGS.reduce((sum, e) => sum + samples[e].filter((s) => !s.ok).length, 0);
      saved.push(bytes('br') / bytes('identity'));
      const plain = samples.identity[samples.identity.length - 1].answer;
      const cpu = plain.length >= 1024 ? compressMs(plain) : null;
      rows.push(
        `| ${op.name} | ${bytes('identity').toFixed(0)} | ${bytes('gzip').toFixed(0)} | ${bytes('br').toFixed(0)} | ` +
          `${(bytes('br') / bytes('identity')).toFixed(2)} | ${p50('identity').toFixed(2)} | ${p50('gzip').toFixed(2)} | ${p50('br').toFixed(2)} | ` +
          `${p95('identity').toFixed(2)} | ${p95('gzip').toFixed(2)} | ${p95('br').toFixed(2)} | ${(p50('br') - p50('identity')).toFixed(2)} | ` +
          `${cpu ? cpu.gzip.toFixed(2) : '—'} | ${cpu ? cpu.br.toFixed(2) : '—'} | ${failed} |`,
      );
    }
  } finally {
    agent.destroy();
  }
  const geo = Math.exp(saved.reduce((s, r) => s + Math.log(r), 0) / saved.length);
  return [
    '## Compression: bytes and latency on loopback',
    '',
    `Varied variables, one request at a time over one keep-alive connection, ${requestsPerEncoding} requests per operation and encoding; ` +
      'the client asks for no compression, gzip or brotli (Accept-Encoding) in turn, request by request, and each latency runs to the parsed answer, decompression included. ' +
      'Answers under 1 KiB are never compressed. Bytes are the median body size on the wire. ' +
      "CPU ms: compressing one answer of the operation with the gateway's settings (gzip level 6, brotli quality 4), median of 20, timed apart from the requests.",
    '',
    '| operation | bytes, none | bytes, gzip | bytes, br | br ÷ none | p50 ms, none | p50 ms, gzip | p50 ms, br | p95 ms, none | p95 ms, gzip | p95 ms, br | br − none p50 ms | gzip CPU ms | br CPU ms | failed |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Brotli answers are ${geo.toFixed(2)} of the uncompressed size (geometric mean over the mix).`,
    '',
  ];
}
