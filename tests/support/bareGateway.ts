import fs from 'node:fs';
import http from 'node:http';
import { loadConfig, perService } from '../../shared/src/runtime/config';
import { createLogger } from '../../shared/src/runtime/logger';
import { randomServiceSecrets } from '../../shared/src/auth/signing';
import { createGatewayApp, type GatewayAppOptions } from '../../gateway/src/app';

export interface BareGateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * The gateway alone over HTTP, every service unreachable: for what the gateway answers by itself
 * (CORS, compression, introspection, `__typename`).
 */
export async function startBareGateway(options: Partial<GatewayAppOptions> = {}): Promise<BareGateway> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const app = createGatewayApp({
    supergraphSdl: fs.readFileSync(config.supergraphPath, 'utf8'),
    // Port 9 (discard): nothing listens there.
    serviceUrls: perService(() => 'http://127.0.0.1:9/graphql'),
    subgraphTimeoutMs: 1000,
    log: createLogger('gateway', 'silent'),
    serviceSecrets: randomServiceSecrets(),
    stopGracePeriodMs: 1000,
    ...options,
  });
  return { url: await app.start(), stop: () => app.stop() };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as it came over the wire: still compressed when it was. */
  body: Buffer;
}

/** One request with exactly these headers (fetch would add Accept-Encoding and decompress by itself). */
export function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
