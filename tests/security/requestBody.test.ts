import http from 'node:http';
import net from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { createHttpFront, listen } from '../../shared/src/runtime/http';

// The HTTP front shared by the gateway and the services, with a small body limit and a short read
// timeout so that the hostile clients below are answered in test time.
const LIMIT = 4096;
const READ_TIMEOUT_MS = 800;
let server: http.Server;
let port: number;
let apollo: ApolloServer<BaseContext>;

beforeAll(async () => {
  apollo = new ApolloServer<BaseContext>({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } });
  ({ server } = createHttpFront<BaseContext>({
    apollo,
    context: async () => ({}),
    ready: async () => ({ ok: true, checks: {} }),
    maxBodyBytes: LIMIT,
    readTimeoutMs: READ_TIMEOUT_MS,
    stopGracePeriodMs: 1000,
  }));
  await apollo.start();
  port = await listen(server, 0, '127.0.0.1');
});

afterAll(async () => {
  await apollo.stop();
});

interface RawAnswer {
  /** Everything the server sent before it closed the connection. */
  response: string;
  /** The socket error the client saw, if any (ECONNRESET, EPIPE...). */
  error: string | null;
  ms: number;
}

/**
 * A raw HTTP/1.1 client: sends the head, then calls `feed` until it returns false or the server
 * has answered or closed, and collects the answer.
 */
function rawRequest(head: string, feed: (socket: net.Socket) => Promise<boolean>): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let error: string | null = null;
    let closed = false;
    socket.on('data', (d: Buffer) => (response += d.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      closed = true;
      resolve({ response, error, ms: Date.now() - started });
    });
    socket.write(head, async () => {
      while (!closed && response === '' && (await feed(socket))) {
        /* keep feeding */
      }
      // Nothing more to send: wait for the server to answer and close (or the test timeout).
    });
  });
}

const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The status line and JSON body of a raw answer. */
function parsed(answer: RawAnswer): { status: string; body: unknown } {
  const [head, ...rest] = answer.response.split('\r\n\r\n');
  return {
    status: head.split('\r\n')[0],
    body: rest.length > 0 && rest.join('') !== '' ? JSON.parse(rest.join('\r\n\r\n')) : null,
  };
}

describe('request bodies at the HTTP front', () => {
  it('answers an oversized chunked body with 413 and a JSON error, not a connection reset', async () => {
    let sent = 0;
    const answer = await rawRequest(
      'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      async (socket) => {
        // Far past the limit: 64 times it, 1 KB at a time, as a client streaming a huge document would.
        if (sent > LIMIT * 64) return false;
        sent += 1024;
        const flushed = socket.write(chunk('x'.repeat(1024)));
        if (!flushed) await new Promise((r) => socket.once('drain', r));
        return true;
      },
    );
    expect(parsed(answer)).toEqual({
      status: 'HTTP/1.1 413 Payload Too Large',
      body: { errors: [{ message: `Request body is larger than ${LIMIT} bytes`, extensions: { code: 'BAD_REQUEST' } }] },
    });
  });

  it('answers an oversized body declared by Content-Length with 413 before reading it', async () => {
    const answer = await rawRequest(
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${LIMIT * 100}\r\n\r\n`,
      async () => false,
    );
    expect(parsed(answer)).toEqual({
      status: 'HTTP/1.1 413 Payload Too Large',
      body: { errors: [{ message: `Request body is larger than ${LIMIT} bytes`, extensions: { code: 'BAD_REQUEST' } }] },
    });
  });

  it('answers a body that trickles in more slowly than the read timeout with 408 and closes the connection', async () => {
    const answer = await rawRequest(
      'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
      async (socket) => {
        // One byte every 100 ms: each byte comes well within any idle timeout, the whole never.
        await sleep(100);
        socket.write('{');
        return true;
      },
    );
    expect({ ...parsed(answer), closed: true }).toEqual({
      status: 'HTTP/1.1 408 Request Timeout',
      body: {
        errors: [{ message: `Request body was not received within ${READ_TIMEOUT_MS} ms`, extensions: { code: 'BAD_REQUEST' } }],
      },
      closed: true,
    });
    expect(answer.ms).toBeLessThan(READ_TIMEOUT_MS + 1500);
  }, 10_000);

  it('closes a connection whose request head never ends, within a bounded time', async () => {
    const answer = await rawRequest('POST /graphql HTTP/1.1\r\nHost: localhost\r\n', async (socket) => {
      await sleep(100);
      socket.write('X-Slow: a\r\n');
      return true;
    });
    expect(parsed(answer).status).toBe('HTTP/1.1 408 Request Timeout');
    expect(answer.ms).toBeLessThan(READ_TIMEOUT_MS * 2 + 1500);
  }, 10_000);

  it('keeps an idle keep-alive connection open past the read timeout: the timeout is for a request in progress', async () => {
    const body = JSON.stringify({ query: '{ ok }' });
    const request = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const socket = net.connect(port, '127.0.0.1');
    const received: string[] = [];
    socket.on('data', (d: Buffer) => received.push(d.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(request);
    await sleep(READ_TIMEOUT_MS * 3);
    socket.write(request);
    await sleep(300);
    socket.end();
    await closed;
    expect(received.join('').match(/^HTTP\/1\.1 \d+ .+$/gm)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
  }, 10_000);

  it('still answers a body that arrives within the limit and the timeout', async () => {
    const body = JSON.stringify({ query: '{ ok }' });
    const answer = await rawRequest(
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`,
      async (socket) => {
        await sleep(READ_TIMEOUT_MS / 4);
        socket.write(body);
        return false;
      },
    );
    expect(parsed(answer)).toEqual({ status: 'HTTP/1.1 200 OK', body: { data: { ok: true } } });
  });
});
