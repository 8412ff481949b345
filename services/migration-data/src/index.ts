import { runService } from '../../../shared/src/service';
import { definition } from './definition';

runService(definition).catch((error: unknown) => {
  process.stderr.write(`[${definition.name}] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
