// npm run gateway:hive: the Hive Gateway CLI (`hive-gateway supergraph`) with the project's committed
// configuration, gateway/src/hiveGatewayConfig.ts. The CLI runs in this process so that the
// configuration, which loads the project's TypeScript modules, is imported through tsx (the CLI's own
// TypeScript loader reads every module as an ES module); compiled, it loads the compiled file.
// Further arguments go to the CLI (`npm run gateway:hive -- --fork 2`).
import path from 'node:path';
import { run } from '@graphql-hive/gateway';
import { CODE_ROOT, ConfigError, loadConfig } from '../shared/src/runtime/config';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`[hive-gateway] ${error.message}\n`);
  process.exit(2);
}
const configFile = path.join(CODE_ROOT, 'gateway', 'src', `hiveGatewayConfig${path.extname(__filename)}`);
// The CLI prefers PORT and HOST from the environment to the configuration file's port and host, and
// its arguments to the environment: given as arguments, GATEWAY_PORT and HOST decide, as for the
// Apollo gateway. Arguments after `--` come later and still win.
const listen = ['--port', String(config.ports.gateway), '--host', config.host];
process.argv.splice(2, 0, 'supergraph', '--config-path', configFile, ...listen);
run({}).catch((error: unknown) => {
  process.stderr.write(`[hive-gateway] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
