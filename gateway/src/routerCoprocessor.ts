import http from 'node:http';
import { GraphQLError } from 'graphql';
import { SERVICE_NAMES, type ServiceName } from '../../shared/src/runtime/config';
import type { Identity } from '../../shared/src/auth/identity';
import { encodeIdentity, SIGNATURE_HEADERS, type ServiceSecrets, signatureHeaders } from '../../shared/src/auth/signing';

/**
 * An external coprocessor for Apollo Router's `SubgraphRequest` stage, so that the Router can call
 * the services the way the Node gateway does. The Router POSTs a JSON envelope (version 1, stage,
 * control, id, headers as lists of values, body as the GraphQL request object, serviceName, uri,
 * method); the answer is the same envelope with the headers replaced: the caller's token (the
 * Router must propagate `authorization` to subgraphs) is verified here with the gateway's own
 * authenticator, dropped, and the identity it proves is signed with the called service's secret over
 * the body serialized compactly. A refused token ends the request with `control: { break: 401 }`.
 */

/** The fields of a coprocessor envelope this endpoint reads; everything else is passed back unchanged. */
export interface CoprocessorEnvelope {
  version: number;
  stage: string;
  control: unknown;
  headers?: Record<string, string[]>;
  body?: unknown;
  serviceName?: string;
  [field: string]: unknown;
}

export interface RouterCoprocessorOptions {
  secrets: ServiceSecrets;
  authenticate(authorization: string | undefined): Promise<Identity>;
}

/** The largest envelope accepted: a subgraph request's body plus the Router's context. */
const MAX_ENVELOPE_BYTES = 2 * 1024 * 1024;

const SIGNED = new Set<string>(Object.values(SIGNATURE_HEADERS));

function isServiceName(name: unknown): name is ServiceName {
  return typeof name === 'string' && (SERVICE_NAMES as readonly string[]).includes(name);
}

function breakWith(envelope: CoprocessorEnvelope, status: number, message: string, code: string): CoprocessorEnvelope {
  return { ...envelope, control: { break: status }, body: { errors: [{ message, extensions: { code } }] } };
}

/** The answer to one envelope: SubgraphRequest envelopes are signed, any other stage goes back unchanged. */
export async function answerEnvelope(
  envelope: CoprocessorEnvelope,
  opts: RouterCoprocessorOptions,
): Promise<CoprocessorEnvelope> {
  if (envelope.stage !== 'SubgraphRequest') return envelope;
  if (!isServiceName(envelope.serviceName)) {
    return breakWith(envelope, 502, 'The router called a service this graph does not know', 'DOWNSTREAM_SERVICE_ERROR');
  }
  if (typeof envelope.body !== 'object' || envelope.body === null) {
    return breakWith(envelope, 500, 'The coprocessor needs the subgraph request body (body: true)', 'INTERNAL_SERVER_ERROR');
  }
  const incoming = envelope.headers ?? {};
  const authorization = Object.entries(incoming).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  let identity: Identity;
  try {
    identity = await opts.authenticate(authorization?.length === 1 ? authorization[0] : authorization?.join(','));
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return breakWith(envelope, 401, error.message, String(error.extensions.code ?? 'UNAUTHENTICATED'));
  }
  // The caller's token goes no further, and no header that looks like a signature is passed on.
  const headers: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(incoming)) {
    const lower = name.toLowerCase();
    if (lower !== 'authorization' && !SIGNED.has(lower)) headers[name] = values;
  }
  const body = JSON.stringify(envelope.body);
  const signed = signatureHeaders(opts.secrets[envelope.serviceName], envelope.serviceName, encodeIdentity(identity), body);
  for (const [name, value] of Object.entries(signed)) headers[name] = [value];
  return { ...envelope, headers };
}

/** The coprocessor as an HTTP handler: one JSON envelope in, one out. */
export function createRouterCoprocessorHandler(opts: RouterCoprocessorOptions): http.RequestListener {
  return (req, res) => {
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method !== 'POST') return reply(405, { error: 'POST a coprocessor envelope' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ENVELOPE_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      let envelope: CoprocessorEnvelope;
      try {
        envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CoprocessorEnvelope;
      } catch {
        return reply(400, { error: 'The body is not JSON' });
      }
      if (typeof envelope !== 'object' || envelope === null || envelope.version !== 1) {
        return reply(400, { error: 'Only version 1 coprocessor envelopes are understood' });
      }
      answerEnvelope(envelope, opts).then(
        (answer) => reply(200, answer),
        () => reply(500, { error: 'The coprocessor failed' }),
      );
    });
  };
}
