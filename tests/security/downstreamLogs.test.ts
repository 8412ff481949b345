import fs from 'node:fs';
import http from 'node:http';
import { GraphQLError } from 'graphql';
import { loadConfig, perService } from '../../shared/src/runtime/config';
import { listen } from '../../shared/src/runtime/http';
import { createLogger, type Logger } from '../../shared/src/runtime/logger';
import { maskError } from '../../shared/src/graphql/subgraph';
import { createGatewayApp } from '../../gateway/src/app';
import { freePort, SECRETS } from '../faults/faultKit';

/** A logger that keeps its lines, as the process would print them (level, message, fields). */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  };
  return { lines, debug: keep('DEBUG'), info: keep('INFO'), warn: keep('WARN'), error: keep('ERROR') };
}

describe('what the gateway logs when a service fails', () => {
  const log = recordingLogger();
  let failing: http.Server;
  let stopGateway: () => Promise<void>;
  let gatewayUrl: string;
  let deadPort: number;

  beforeAll(async () => {
    // A service that answers its field with a masked internal error, as ours do when a resolver throws.
    failing = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            data: { instrument: null },
            errors: [{ message: 'Internal server error', path: ['instrument'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
          }),
        );
      });
    });
    const failingPort = await listen(failing, 0, '127.0.0.1');
    deadPort = await freePort();
    const nowhere = `http://127.0.0.1:${deadPort}/graphql`;
    const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
    const app = createGatewayApp({
      supergraphSdl: fs.readFileSync(config.supergraphPath, 'utf8'),
      serviceUrls: { ...perService(() => nowhere), 'legal-instruments': `http://127.0.0.1:${failingPort}/graphql` },
      subgraphTimeoutMs: 2000,
      log,
      serviceSecrets: SECRETS,
      stopGracePeriodMs: 1000,
    });
    gatewayUrl = await app.start();
    stopGateway = () => app.stop();
  });

  afterAll(async () => {
    await stopGateway();
    await new Promise((resolve) => failing.close(resolve));
  });

  let requestId: string | null = null;
  const query = async (q: string) => {
    log.lines.length = 0;
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: q }),
    });
    requestId = res.headers.get('x-request-id');
    const body: unknown = await res.json();
    // The access line is written once the response is sent; these tests look at the lines before it.
    for (let i = 0; i < 50 && !log.lines.some((l) => l.startsWith('INFO request ')); i += 1)
      await new Promise((r) => setTimeout(r, 10));
    log.lines.splice(0, log.lines.length, ...log.lines.filter((l) => !l.startsWith('INFO request ')));
    return body;
  };

  it('logs a service error with its message, service and path, not [object Object]; the client gets the request id to quote', async () => {
    const answer = await query('{ instrument(code: "ICRMW") { shortTitle } }');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer).toEqual({
      data: { instrument: null },
      errors: [
        { message: 'Internal server error', path: ['instrument'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } },
      ],
    });
    expect(log.lines).toEqual([
      'ERROR resolver failed {"service":"legal-instruments","path":["instrument"],"error":"Internal server error [INTERNAL_SERVER_ERROR]"}',
    ]);
  });

  it('logs a refused call to a service with the chain of causes, which the client never sees', async () => {
    expect(await query('{ unAgencies { acronym } }')).toEqual({
      data: null,
      errors: [
        {
          message: 'The un-partnerships service is unavailable',
          extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'un-partnerships' },
        },
      ],
    });
    expect(log.lines).toEqual([
      `WARN downstream failure {"service":"un-partnerships","error":"The un-partnerships service is unavailable [DOWNSTREAM_SERVICE_ERROR] <- connect ECONNREFUSED 127.0.0.1:${deadPort} (ECONNREFUSED)"}`,
    ]);
  });
});

describe('what a service logs and answers when its database cannot be reached', () => {
  it('answers SERVICE_UNAVAILABLE and logs the connection failure behind it', () => {
    const log = recordingLogger();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const error = new GraphQLError(refused.message, { path: ['instrument'], originalError: refused });
    expect(maskError(log)({ message: error.message, path: ['instrument'] }, error)).toEqual({
      message: "The service's database is unavailable: retry in 5 seconds",
      path: ['instrument'],
      locations: undefined,
      extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, retryAfterSeconds: 5 },
    });
    expect(log.lines).toEqual([
      'WARN database unavailable {"path":["instrument"],"error":"connect ECONNREFUSED 127.0.0.1:5432 (ECONNREFUSED)"}',
    ]);
  });
});

describe('the process logger', () => {
  it('writes an error field as its message and causes instead of {}', () => {
    const written: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const inner = Object.assign(new Error('password authentication failed for user "legal"'), { code: '28P01' });
      createLogger('gateway', 'info').error('start failed', {
        error: new Error('could not open the database', { cause: inner }),
      });
    } finally {
      write.mockRestore();
    }
    expect(written).toEqual([
      '[gateway] ERROR start failed {"error":"could not open the database <- password authentication failed for user \\"legal\\" (28P01)"}\n',
    ]);
  });
});
