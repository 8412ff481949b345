/**
 * The entry point of every service process: `node --import tsx scripts/runService.ts <name>`, with
 * <name> one of shared/src/runtime/registry.ts.
 */
// First: tracing patches node:http and pg before anything loads them.
import '../shared/src/runtime/instrument';
import { SERVICE_NAMES, type ServiceName } from '../shared/src/runtime/config';
import { runService } from '../shared/src/runtime/service';
import { loadServices } from '../services/definitions';

const isService = (name: string | undefined): name is ServiceName =>
  (SERVICE_NAMES as readonly (string | undefined)[]).includes(name);
const name = process.argv[2];
if (!isService(name)) {
  process.stderr.write(`usage: scripts/runService.ts <service>, with <service> one of ${SERVICE_NAMES.join(', ')}\n`);
  process.exit(2);
}
const [definition] = loadServices([name]);
runService(definition).catch((error: unknown) => {
  process.stderr.write(`[${definition.name}] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
