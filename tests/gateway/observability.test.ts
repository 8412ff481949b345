import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type ServiceName } from '../../shared/src/runtime/config';
import { createLogger } from '../../shared/src/runtime/logger';
import { required } from '../../shared/src/runtime/required';
import { type InProcessStack, startInProcessStack } from '../../gateway/src/inProcessStack';
import { createGatewayApp, type GatewayApp } from '../../gateway/src/app';
import { issueLocalToken } from '../../gateway/src/auth';
import { gatewayReadiness } from '../../gateway/src/readiness';
import { watchSupergraph } from '../../gateway/src/supergraph';
import { testDatabaseUrl } from '../support/serviceHarness';
import { freePort, startSlowProxy } from '../faults/faultKit';

/** The JSON lines a logger wrote, parsed. */
type Line = Record<string, unknown> & { level: string; msg: string };

function jsonLogger(name: string) {
  const lines: Line[] = [];
  const raw: string[] = [];
  const log = createLogger(name, 'info', {
    format: 'json',
    destination: {
      write: (line: string) => {
        raw.push(line);
        lines.push(JSON.parse(line) as Line);
      },
    },
  });
  return { log, lines, raw };
}

const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
const SUPERGRAPH = fs.readFileSync(config.supergraphPath, 'utf8');
// The field and its description, on one line or as a block.
const UN_AGENCIES_LINE =
  /^ {2}"""(?:[^"]|"(?!""))*"""\n {2}unAgencies: \[UnAgency!\]! @join__field\(graph: UN_PARTNERSHIPS\).*\n/m;
/** The committed supergraph without Query.unAgencies: still valid, one field short. */
const WITHOUT_UN_AGENCIES = SUPERGRAPH.replace(UN_AGENCIES_LINE, '');
if (WITHOUT_UN_AGENCIES === SUPERGRAPH) throw new Error('Query.unAgencies not found in the supergraph');

const CROSS = `query Cross { instrument(code: "ICRMW") { shortTitle } country(code: "SEN") { name immigrantStock(years: [2020]) { total } } }`;

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    requestId: res.headers.get('x-request-id'),
    body: (await res.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: Record<string, unknown> }[] },
  };
}

/** One sample's value in Prometheus's text format (0 when the series does not exist yet). */
async function sample(metricsUrl: string, series: string, headers: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(metricsUrl, { headers })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const metricsOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/metrics');

describe('logs, request ids and metrics of the whole graph', () => {
  const { log, lines, raw } = jsonLogger('graph');
  const hsSecret = crypto.randomBytes(32).toString('hex');
  const auth = { hsSecret, issuer: 'observability-test', audience: 'migration-graph', clockSkewSeconds: 30 };
  let stack: InProcessStack;
  let token: string;

  beforeAll(async () => {
    stack = await startInProcessStack(testDatabaseUrl(), config, log, [], { auth });
    token = await issueLocalToken({ secret: hsSecret, sub: 'analyst-7', roles: ['partner'], ...auth, ttlSeconds: 600 });
  });
  // un-partnerships, which a test stops, is the last service stack.stop() stops: its second stop fails alone.
  afterAll(() => stack.stop().catch(() => undefined));

  const accessLines = (requestId: string) => lines.filter((l) => l.msg === 'request' && l.requestId === requestId);

  it('writes one access line at the gateway and one in each service called, all with the id the client sent, never the token', async () => {
    const answer = await post(
      stack.gatewayUrl,
      { query: CROSS },
      { authorization: `Bearer ${token}`, 'x-request-id': 'client-req-42' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.requestId).toBe('client-req-42');
    // The access line is written once the response has gone: wait for it.
    for (let i = 0; i < 50 && !accessLines('client-req-42').some((l) => 'subgraphCalls' in l); i += 1)
      await new Promise((r) => setTimeout(r, 20));
    const [gateway, ...others] = [...accessLines('client-req-42')].sort(
      (a, b) => Number('subgraphCalls' in b) - Number('subgraphCalls' in a),
    );
    expect(gateway).toEqual({
      level: 'info',
      time: expect.any(String),
      name: 'graph',
      requestId: 'client-req-42',
      msg: 'request',
      method: 'POST',
      path: '/graphql',
      status: 200,
      operationName: 'Cross',
      operationType: 'query',
      role: 'partner',
      errorCodes: [],
      durationMs: expect.any(Number),
      subgraphCalls: expect.any(Number),
    });
    // Each service call was served under the same request id, as the same caller.
    expect(others.length).toBe(gateway.subgraphCalls);
    expect(others.length).toBeGreaterThanOrEqual(2);
    for (const line of others)
      expect(line).toMatchObject({ path: '/graphql', status: 200, role: 'partner', operationType: 'query' });
    expect(raw.join('')).not.toContain(token);
    process.stdout.write(`sample of a successful request's lines:\n${raw.filter((l) => l.includes('client-req-42')).join('')}`);
  });

  it('replaces a malformed request id with one of its own, and answers with it', async () => {
    const answer = await post(
      stack.gatewayUrl,
      { query: '{ instrument(code: "ICRMW") { shortTitle } }' },
      { 'x-request-id': 'a b'.repeat(3) },
    );
    expect(answer.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const tooLong = await post(
      stack.gatewayUrl,
      { query: '{ instrument(code: "ICRMW") { shortTitle } }' },
      { 'x-request-id': 'x'.repeat(129) },
    );
    expect(tooLong.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts requests by operation, subgraph calls by service, errors by code, and the services count theirs and their pool', async () => {
    const gatewayMetrics = metricsOf(stack.gatewayUrl);
    const legal = required(
      stack.services.find((s) => s.name === 'legal-instruments'),
      'legal-instruments',
    );
    const series = {
      cross: 'graphql_request_duration_seconds_count{operation_name="Cross",operation_type="query",status="200"}',
      calls: 'subgraph_request_duration_seconds_count{service="legal-instruments",outcome="ok"}',
      invalid: 'graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}',
      // The gateway names its call to the service after the client's operation.
      served:
        'graphql_request_duration_seconds_count{operation_name="Cross__legal_instruments__0",operation_type="query",status="200"}',
    };
    const before = {
      cross: await sample(gatewayMetrics, series.cross),
      calls: await sample(gatewayMetrics, series.calls),
      invalid: await sample(gatewayMetrics, series.invalid),
      served: await sample(metricsOf(legal.url), series.served),
    };
    expect((await post(stack.gatewayUrl, { query: CROSS })).status).toBe(200);
    expect((await post(stack.gatewayUrl, { query: '{ noSuchField }' })).status).toBe(400);
    await new Promise((r) => setTimeout(r, 50));
    expect({
      cross: await sample(gatewayMetrics, series.cross),
      calls: await sample(gatewayMetrics, series.calls),
      invalid: await sample(gatewayMetrics, series.invalid),
      served: await sample(metricsOf(legal.url), series.served),
    }).toEqual({ cross: before.cross + 1, calls: before.calls + 1, invalid: before.invalid + 1, served: before.served + 1 });
    const serviceText = await (await fetch(metricsOf(legal.url))).text();
    expect(await sample(metricsOf(legal.url), 'db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(serviceText).toMatch(/^db_pool_connections\{state="waiting"\} \d+$/m);
    // Node's own metrics, in every process.
    expect(serviceText).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(await (await fetch(gatewayMetrics)).text()).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  it('logs a failed call to a service with its cause and the request id, and counts it by service', async () => {
    const un = required(
      stack.services.find((s) => s.name === 'un-partnerships'),
      'un-partnerships',
    );
    const gatewayMetrics = metricsOf(stack.gatewayUrl);
    const failedCalls = 'subgraph_errors_total{service="un-partnerships",code="UNREACHABLE"}';
    const before = await sample(gatewayMetrics, failedCalls);
    await un.stop();
    const answer = await post(
      stack.gatewayUrl,
      { query: 'query Agencies { unAgencies { acronym } }' },
      { 'x-request-id': 'client-req-43' },
    );
    expect(answer.body.errors?.[0].extensions).toEqual({ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'un-partnerships' });
    for (let i = 0; i < 50 && accessLines('client-req-43').length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    const mine = lines.filter((l) => l.requestId === 'client-req-43');
    expect(mine.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'downstream failure'],
      ['info', 'request'],
    ]);
    expect(mine[0].error).toMatch(
      /^The un-partnerships service is unavailable \[DOWNSTREAM_SERVICE_ERROR\] <- connect ECONNREFUSED/,
    );
    expect(mine[1]).toMatchObject({
      operationName: 'Agencies',
      errorCodes: ['DOWNSTREAM_SERVICE_ERROR'],
      subgraphCalls: 1,
      role: 'anonymous',
    });
    expect(await sample(gatewayMetrics, failedCalls)).toBe(before + 1);
    process.stdout.write(`sample of a failed request's lines:\n${raw.filter((l) => l.includes('client-req-43')).join('')}`);
  });
});

describe('readiness of the gateway', () => {
  it('is ready with its supergraph while a service is down, and reports that service', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}/graphql`;
    expect(
      await gatewayReadiness({ 'legal-instruments': nowhere }, { supergraphLoaded: () => true, draining: () => false }),
    ).toEqual({
      ok: true,
      checks: { supergraph: true, accepting: true },
      services: { 'legal-instruments': false },
    });
  });

  it('is not ready without a supergraph, nor while stopping', async () => {
    const loaded = await gatewayReadiness({}, { supergraphLoaded: () => false, draining: () => false });
    const draining = await gatewayReadiness({}, { supergraphLoaded: () => true, draining: () => true });
    expect([loaded.ok, draining.ok]).toEqual([false, false]);
  });
});

describe('reloading the supergraph without a restart', () => {
  const { log, lines } = jsonLogger('gateway');
  let services: InProcessStack;
  let app: GatewayApp;
  let url: string;
  let dir: string;
  let file: string;
  let slow: Awaited<ReturnType<typeof startSlowProxy>>;
  let stopWatching: (() => void) | undefined;

  beforeAll(async () => {
    services = await startInProcessStack(testDatabaseUrl(), config, createLogger('stack', 'error'));
    const urls = Object.fromEntries(services.services.map((s) => [s.name, s.url])) as Record<ServiceName, string>;
    slow = await startSlowProxy(urls['legal-instruments'], 800);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-reload-'));
    file = path.join(dir, 'supergraph.graphql');
    fs.writeFileSync(file, WITHOUT_UN_AGENCIES);
    app = createGatewayApp({
      supergraphSdl: WITHOUT_UN_AGENCIES,
      serviceUrls: { ...urls, 'legal-instruments': slow.url },
      subgraphTimeoutMs: 5000,
      log,
      serviceSecrets: services.serviceSecrets,
      metricsToken: 'metrics-token-of-at-least-32-characters',
    });
    url = await app.start();
    stopWatching = watchSupergraph(file, app.supergraph, log, { debounceMs: 50 });
  });
  afterAll(async () => {
    stopWatching?.();
    await app?.stop();
    await slow?.stop();
    await services?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const agencies = () => post(url, { query: '{ unAgencies { acronym } }' });
  async function until(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('serves a field added to the file once the file changes', async () => {
    expect((await agencies()).body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    fs.writeFileSync(file, SUPERGRAPH);
    await until(async () => (await agencies()).status === 200, 'unAgencies answers');
    expect((await agencies()).body.data?.unAgencies).toEqual(expect.arrayContaining([{ acronym: 'UNHCR' }]));
    expect(lines.filter((l) => l.msg === 'supergraph reloaded').map((l) => l.reason)).toEqual(['file changed']);
  });

  it('refuses an invalid file with a logged error and keeps serving the supergraph it has', async () => {
    fs.writeFileSync(file, 'type Query { hello: String }\n');
    await until(async () => lines.some((l) => l.msg.startsWith('supergraph reload refused')), 'the refusal is logged');
    expect(lines.find((l) => l.msg.startsWith('supergraph reload refused'))).toMatchObject({
      level: 'error',
      reason: 'file changed',
      error: expect.stringMatching(/^the supergraph is invalid: /),
    });
    expect((await agencies()).status).toBe(200);
  });

  it('reloads on SIGHUP, and a request in flight during the swap finishes on the graph it started with', async () => {
    stopWatching?.();
    stopWatching = watchSupergraph(file, app.supergraph, log, { debounceMs: 50, watchFile: false });
    fs.writeFileSync(file, WITHOUT_UN_AGENCIES);
    await new Promise((r) => setTimeout(r, 200));
    expect((await agencies()).status).toBe(200);
    // legal-instruments answers after 800 ms: the swap happens while this request waits for it.
    const inFlight = post(url, { query: '{ instrument(code: "ICRMW") { shortTitle } }' });
    await new Promise((r) => setTimeout(r, 200));
    process.emit('SIGHUP', 'SIGHUP');
    await until(async () => (await agencies()).status === 400, 'unAgencies is gone');
    expect(lines.filter((l) => l.msg === 'supergraph reloaded').map((l) => l.reason)).toEqual(['file changed', 'SIGHUP']);
    expect((await inFlight).body).toEqual({ data: { instrument: { shortTitle: 'Migrant Workers Convention' } } });
  });

  it('serves /metrics only with the bearer token when one is configured', async () => {
    const metrics = metricsOf(url);
    expect((await fetch(metrics)).status).toBe(401);
    expect((await fetch(metrics, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect(
      await sample(
        metrics,
        'graphql_request_duration_seconds_count{operation_name="anonymous",operation_type="query",status="200"}',
        {
          authorization: 'Bearer metrics-token-of-at-least-32-characters',
        },
      ),
    ).toBeGreaterThanOrEqual(3);
  });
});
