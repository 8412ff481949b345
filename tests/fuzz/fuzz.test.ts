import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { Client } from 'pg';
import { loadConfig, SERVICE_NAMES, SERVICE_SCHEMAS, type ServiceName } from '../../shared/src/runtime/config';
import { createLogger } from '../../shared/src/runtime/logger';
import { prepareDatabase } from '../../shared/src/runtime/service';
import { type InProcessStack, startInProcessStack } from '../../gateway/src/inProcessStack';
import { loadServices } from '../../services/definitions';
import { testDatabaseUrl } from '../support/serviceHarness';
import { ANONYMOUS } from '../../shared/src/auth/identity';
import { encodeIdentity, signatureHeaders } from '../../shared/src/auth/signing';
import * as fc from 'fast-check';
import { countryFields, type HostileRequest, hostileRequests, rootFields } from './hostileRequests';
import { required } from '../../shared/src/runtime/required';

const SEED = 20_251_105;
const REQUESTS = 2_000;
const CONCURRENCY = 8;

/** What a server-side failure leaks: stack frames, source paths, PostgreSQL or TypeORM error text. */
const LEAKS = [
  /\n\s+at .+[(:]\d+/,
  /\bat (async )?[\w.<>]+ \(/,
  /\.(ts|js|mjs):\d+/,
  /node_modules/,
  /QueryFailedError|TypeORMError|EntityNotFound/,
  /syntax error at or near|relation "[^"]*" does not exist|column "[^"]*" does not exist|violates .* constraint|invalid input syntax for/i,
  /SQLSTATE|duplicate key value/i,
  /"stacktrace"/,
];

interface Outcome {
  kind: string;
  target: string;
  status: number;
  text: string;
  ms: number;
  request: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** A request whose declared length is not its real length goes out over a raw socket. */
function sendRaw(base: string, request: HostileRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const url = new URL(base);
    const socket = net.connect(Number(url.port), url.hostname);
    let received = '';
    const head = [
      `${request.method} ${request.path} HTTP/1.1`,
      `host: ${url.host}`,
      ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.on('connect', () => socket.write(`${head.join('\r\n')}\r\n\r\n${request.body ?? ''}`));
    socket.on('data', (d: Buffer) => (received += d.toString('utf8')));
    const done = () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? -1);
      resolve({ status, text: received.slice(received.indexOf('\r\n\r\n') + 4) });
    };
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.setTimeout(5000, () => socket.destroy());
  });
}

function send(base: string, request: HostileRequest): Promise<{ status: number; text: string }> {
  if (request.headers['content-length']) return sendRaw(base, request);
  return new Promise((resolve) => {
    const url = new URL(base);
    const req = http.request(
      { host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: -1, text: '' }));
      },
    );
    // A reset connection (the server refusing a declared 1 GB body, say) is an answer, not a crash.
    req.on('error', (e: Error) => resolve({ status: -1, text: e.message }));
    req.end(request.body);
  });
}

/** Row count and a checksum of every table of the four schemas. */
async function fingerprint(url: string): Promise<Record<string, string>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
      [Object.values(SERVICE_SCHEMAS)],
    );
    const out: Record<string, string> = {};
    for (const t of tables.rows) {
      const id = `${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.name)}`;
      const r = await client.query<{ n: string; sum: string | null }>(
        `SELECT count(*) AS n, md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS sum FROM ${id} AS t`,
      );
      out[`${t.schema}.${t.name}`] = `${r.rows[0].n}:${r.rows[0].sum ?? '-'}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

// A database of its own, so that writes by other test files cannot disturb the before/after comparison.
const adminUrl = (() => {
  const u = new URL(testDatabaseUrl());
  u.pathname = '/postgres';
  return u.toString();
})();
const dbName = `mg_fuzz_${crypto.randomBytes(4).toString('hex')}`;
const dbUrl = (() => {
  const u = new URL(testDatabaseUrl());
  u.pathname = `/${dbName}`;
  return u.toString();
})();
let stack: InProcessStack;

beforeAll(async () => {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(dbName)}`);
  await admin.end();
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const log = createLogger('fuzz', 'silent');
  for (const def of loadServices()) await prepareDatabase(def, dbUrl, config.database, log);
  stack = await startInProcessStack(dbUrl, config, log);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  agent.destroy();
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(dbName)} WITH (FORCE)`);
  await admin.end();
});

describe('hostile requests', () => {
  it('never get a 5xx, an internal error, a stack trace or SQL text, never crash a process, and change no row', async () => {
    const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
    const { schema, fields } = rootFields(fs.readFileSync(config.supergraphPath, 'utf8'));
    const country = countryFields(schema);
    const graphOf = (name: ServiceName) => name.toUpperCase().replace(/-/g, '_');
    // Requests straight to a service are signed as the gateway would sign them (nine in ten: the
    // tenth tries the unsigned path), so that the hostile input reaches the service's GraphQL layer.
    let sent = 0;
    const signer =
      (name: ServiceName) =>
      (request: HostileRequest): HostileRequest =>
        (sent += 1) % 10 === 0
          ? request
          : {
              ...request,
              headers: {
                ...request.headers,
                ...signatureHeaders(stack.serviceSecrets[name], name, encodeIdentity(ANONYMOUS), request.body ?? ''),
              },
            };
    const targets: {
      name: string;
      base: string;
      fields: typeof fields;
      country: typeof country;
      sign: (r: HostileRequest) => HostileRequest;
    }[] = [
      { name: 'gateway', base: stack.gatewayUrl, fields, country, sign: (r) => r },
      ...SERVICE_NAMES.map((name) => {
        const service = required(
          stack.services.find((s) => s.name === name),
          `the service ${name}`,
        );
        return {
          name,
          base: service.url,
          fields: fields.filter((f) => f.graph === graphOf(name)),
          country: [],
          sign: signer(name),
        };
      }),
    ];
    const before = await fingerprint(dbUrl);
    const started = Date.now();
    // Half of the requests to the gateway, the other half spread over the four services; each
    // target's requests are a fixed-seed sample, so every run sends the same ones.
    const order = Array.from({ length: REQUESTS }, (_, i) =>
      i % 2 === 0 ? targets[0] : targets[1 + ((i >> 1) % SERVICE_NAMES.length)],
    );
    const samples = targets.map((t, k) =>
      fc.sample(hostileRequests(t.fields, t.country), { seed: SEED + k, numRuns: order.filter((o) => o === t).length }),
    );
    const plan = order.map((target) => ({
      target,
      request: required(samples[targets.indexOf(target)].shift(), `a request for ${target.name}`),
    }));
    const outcomes: Outcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < plan.length) {
          const { target, request } = plan[next++];
          const started = Date.now();
          const answer = await send(target.base, target.sign(request));
          outcomes.push({
            kind: request.kind,
            target: target.name,
            ...answer,
            ms: Date.now() - started,
            request: (request.body ?? request.path).slice(0, 200),
          });
        }
      }),
    );

    const byKind: Record<string, number> = {};
    const msByKind: Record<string, number> = {};
    for (const o of outcomes) {
      byKind[o.kind] = (byKind[o.kind] ?? 0) + 1;
      msByKind[o.kind] = (msByKind[o.kind] ?? 0) + o.ms;
    }
    const statuses: Record<string, number> = {};
    for (const o of outcomes) statuses[String(o.status)] = (statuses[String(o.status)] ?? 0) + 1;
    const slowest = outcomes.reduce((a, b) => (b.ms > a.ms ? b : a));
    process.stdout.write(
      `fuzz: ${outcomes.length} requests (seed ${SEED}) in ${Date.now() - started} ms; by kind ${JSON.stringify(byKind)}; ` +
        `by status ${JSON.stringify(statuses)}; ms by kind ${JSON.stringify(msByKind)}; slowest ${slowest.ms} ms (${slowest.kind} to ${slowest.target})\n`,
    );

    const failures = outcomes
      .filter(
        (o) => o.status >= 500 || o.status < 100 || /INTERNAL_SERVER_ERROR/.test(o.text) || LEAKS.some((re) => re.test(o.text)),
      )
      .map((o) => ({ kind: o.kind, target: o.target, status: o.status, request: o.request, text: o.text.slice(0, 300) }));
    expect(failures).toEqual([]);
    expect(outcomes).toHaveLength(REQUESTS);
    // Nested lists and fragment fan-out are refused by the gateway's cost or a service's object budget,
    // never left to run: each is answered within seconds, even while the rest of the fuzz runs.
    const amplified = outcomes.filter((o) => o.kind === 'amplification' || o.kind === 'fragment fan-out');
    expect(amplified.length).toBeGreaterThan(100);
    expect(
      amplified.filter((o) => o.ms > 10_000).map((o) => ({ kind: o.kind, target: o.target, ms: o.ms, request: o.request })),
    ).toEqual([]);

    // Every process still answers, and no row changed.
    for (const t of targets) {
      sent = 1;
      const alive = await send(
        t.base,
        t.sign({
          kind: 'check',
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
        }),
      );
      expect({ target: t.name, ...alive }).toEqual({ target: t.name, status: 200, text: '{"data":{"__typename":"Query"}}\n' });
    }
    expect(await fingerprint(dbUrl)).toEqual(before);
    // 20 s on a quiet machine; minutes when the machine is shared: the bound is on each request, above.
  }, 300_000);
});
