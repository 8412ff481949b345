import http from 'node:http';
import { type Config, loadConfig } from '../shared/src/runtime/config';
import { createLogger } from '../shared/src/runtime/logger';
import { authOptionsFromConfig, createAuthenticator, gatewayServiceSecrets, localJwtSecret } from '../gateway/src/auth';
import { createRouterCoprocessorHandler } from '../gateway/src/routerCoprocessor';

/**
 * The Apollo Router coprocessor (see gateway/src/routerCoprocessor.ts) on ROUTER_COPROCESSOR_PORT
 * (4010 by default) of HOST, with the gateway's token settings and service secrets.
 */
function main(): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`[router-coprocessor] ${(e as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger('router-coprocessor', config.logLevel);
  const port = config.routerCoprocessorPort;
  let handler: http.RequestListener;
  try {
    handler = createRouterCoprocessorHandler({
      secrets: gatewayServiceSecrets(config),
      authenticate: createAuthenticator(authOptionsFromConfig(config, localJwtSecret(config))),
    });
  } catch (e) {
    log.error((e as Error).message);
    process.exit(2);
  }
  http.createServer(handler).listen(port, config.host, () => log.info(`listening on http://${config.host}:${port}`));
}

main();
