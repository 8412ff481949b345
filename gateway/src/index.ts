import fs from 'node:fs';
import path from 'node:path';
import { type Config, loadConfig, PROJECT_ROOT } from '../../shared/src/config';
import { closeServer, createHttpServer, listen } from '../../shared/src/http';
import { createLogger } from '../../shared/src/logger';
import { buildGateway } from './server';
import { gatewayReadiness } from './readiness';
import { memoryStore, redisStore, responseCachePlugins } from './responseCache';
import { createIdeRoute } from './ide';
import { authOptionsFromConfig, createAuthenticator, gatewayContext, gatewayServiceSecrets, localJwtSecret } from './auth';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`[gateway] ${(e as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger('gateway', config.logLevel);
  if (!fs.existsSync(config.supergraphPath)) {
    log.error(`no supergraph file at ${config.supergraphPath} (SUPERGRAPH_PATH): run "npm run compose"`);
    process.exit(2);
  }
  const supergraphSdl = fs.readFileSync(config.supergraphPath, 'utf8');
  let built: ReturnType<typeof buildGateway>;
  let authenticate: ReturnType<typeof createAuthenticator>;
  try {
    authenticate = createAuthenticator(authOptionsFromConfig(config, localJwtSecret(config)));
    const cacheStore =
      config.responseCacheTtlSeconds > 0 ? (config.redisUrl ? redisStore(config.redisUrl, log) : memoryStore()) : null;
    built = buildGateway({
      supergraphSdl,
      serviceUrls: config.serviceUrls,
      subgraphTimeoutMs: config.subgraphTimeoutMs,
      deduplicateSubgraphCalls: config.subgraphDeduplication,
      plugins: cacheStore ? responseCachePlugins(cacheStore, config.responseCacheTtlSeconds) : [],
      log,
      serviceSecrets: gatewayServiceSecrets(config),
      limits: config.limits,
      production: config.nodeEnv === 'production',
    });
  } catch (e) {
    log.error((e as Error).message);
    process.exit(2);
  }
  await built.apollo.start();
  const ready = () => gatewayReadiness(config.serviceUrls);
  const extraRoutes = createIdeRoute({ operationsDir: path.join(PROJECT_ROOT, 'operations') });
  const http = createHttpServer({
    apollo: built.apollo,
    context: gatewayContext(authenticate),
    ready,
    extraRoutes,
    maxBodyBytes: config.limits.maxBodyBytes,
    readTimeoutMs: config.httpReadTimeoutMs,
  });
  const port = await listen(http, config.ports.gateway, config.host);
  log.info(`listening on http://${config.host}:${port}/graphql`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    await closeServer(http);
    await built.apollo.stop();
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
