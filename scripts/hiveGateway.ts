// npm run gateway:hive: the Hive Gateway CLI (`hive-gateway supergraph`) with the project's committed
// configuration, gateway/src/hiveGatewayConfig.ts. The CLI runs in this process so that the
// configuration, which loads the project's TypeScript modules, is imported through tsx (the CLI's own
// TypeScript loader reads every module as an ES module); compiled, it loads the compiled file.
// Further arguments go to the CLI (`npm run gateway:hive -- --fork 2`).
import path from 'node:path';
import { run } from '@graphql-hive/gateway';
import { CODE_ROOT } from '../shared/src/runtime/config';

const configFile = path.join(CODE_ROOT, 'gateway', 'src', `hiveGatewayConfig${path.extname(__filename)}`);
process.argv.splice(2, 0, 'supergraph', '--config-path', configFile);
run({}).catch((error: unknown) => {
  process.stderr.write(`[hive-gateway] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
