// First: tracing patches node:http and pg before anything loads them.
import '../../shared/src/runtime/instrument';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, loadConfig, PROJECT_ROOT } from '../../shared/src/runtime/config';
import { createLogger, describeError } from '../../shared/src/runtime/logger';
import { activeTracing } from '../../shared/src/runtime/tracing';
import { createGatewayApp, type GatewayApp } from './app';
import { gatewayReadiness } from './readiness';
import { watchSupergraph } from './supergraph';
import { memoryStore, redisStore } from './responseCache';
import { createIdeRoute } from './ide';
import { authOptionsFromConfig, createAuthenticator, gatewayServiceSecrets, localJwtSecret } from './auth';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`[gateway] ${(e as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger('gateway', config.logLevel, { format: config.logFormat });
  const tracing = activeTracing();
  if (!fs.existsSync(config.supergraphPath)) {
    log.error(`no supergraph file at ${config.supergraphPath} (SUPERGRAPH_PATH): run "npm run compose"`);
    process.exit(2);
  }
  const supergraphSdl = fs.readFileSync(config.supergraphPath, 'utf8');
  let app: GatewayApp;
  let stopping = false;
  try {
    const cacheStore =
      config.responseCacheTtlSeconds > 0 ? (config.redisUrl ? redisStore(config.redisUrl, log) : memoryStore()) : null;
    app = createGatewayApp({
      supergraphSdl,
      serviceUrls: config.serviceUrls,
      subgraphTimeoutMs: config.subgraphTimeoutMs,
      deduplicateSubgraphCalls: config.subgraphDeduplication,
      responseCache: cacheStore ? { store: cacheStore, ttlSeconds: config.responseCacheTtlSeconds } : undefined,
      log,
      serviceSecrets: gatewayServiceSecrets(config),
      limits: config.limits,
      production: config.nodeEnv === 'production',
      authenticate: createAuthenticator(authOptionsFromConfig(config, localJwtSecret(config))),
      ready: () =>
        gatewayReadiness(config.serviceUrls, { supergraphLoaded: () => app.supergraph.loaded(), draining: () => stopping }),
      corsOrigins: config.corsOrigins,
      routes: [createIdeRoute({ operationsDir: path.join(PROJECT_ROOT, 'operations') })],
      reportsDir: path.join(PROJECT_ROOT, 'operations'),
      readTimeoutMs: config.httpReadTimeoutMs,
      metricsToken: config.metricsToken,
    });
  } catch (e) {
    log.error((e as Error).message);
    process.exit(2);
  }
  const url = await app.start(config.ports.gateway, config.host);
  log.info(`listening on ${url}`);
  // A changed supergraph file, or SIGHUP, swaps the supergraph without a restart.
  const stopWatching = watchSupergraph(config.supergraphPath, app.supergraph, log);
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    stopWatching();
    await app.stop();
    await tracing?.shutdown().catch((e: unknown) => log.error('traces not sent', { error: describeError(e) }));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  if (process.send) process.on('disconnect', () => void stop('parent gone'));
}

main().catch((error: unknown) => {
  process.stderr.write(`[gateway] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
