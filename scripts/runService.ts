/**
 * The entry point of every service process: `node --import tsx scripts/runService.ts <name>...`, with
 * each <name> one of shared/src/runtime/registry.ts. One name in compose and Kubernetes; npm start
 * in development hosts all four in one process (SERVICE_PROCESSES).
 */
// First: tracing patches node:http and pg before anything loads them.
import '../shared/src/runtime/instrument';
import { SERVICE_NAMES, type ServiceName } from '../shared/src/runtime/config';
import { runService } from '../shared/src/runtime/service';
import { loadServices } from '../services/definitions';
import { AWAIT_SETTINGS, type SettingsMessage } from './supervisor';

const isService = (name: string | undefined): name is ServiceName =>
  (SERVICE_NAMES as readonly (string | undefined)[]).includes(name);
const names = process.argv.slice(2);
if (names.length === 0 || !names.every(isService) || new Set(names).size !== names.length) {
  process.stderr.write(`usage: scripts/runService.ts <service>..., each <service> once, one of ${SERVICE_NAMES.join(', ')}\n`);
  process.exit(2);
}
const definitions = loadServices(names);
const run = () =>
  runService(...definitions).catch((error: unknown) => {
    process.stderr.write(`[${names.join(', ')}] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
// Decided before the configuration can be read: the settings it needs are what this process awaits.
// eslint-disable-next-line no-restricted-syntax
if (process.env[AWAIT_SETTINGS] === '1') {
  // Started by npm start while the database is being prepared: the code is loaded now, and the
  // database's settings follow once it is ready (or the process is stopped before that).
  const orphaned = () => process.exit(1);
  process.once('disconnect', orphaned);
  const settled = (message: SettingsMessage) => {
    if (message?.type !== 'settings') return;
    process.off('message', settled);
    process.off('disconnect', orphaned);
    Object.assign(process.env, message.env);
    void run();
  };
  process.on('message', settled);
} else {
  void run();
}
