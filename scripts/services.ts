import type { BaseContext } from '@apollo/server';
import { SERVICE_NAMES, type ServiceName } from '../shared/src/config';
import type { ServiceDefinition } from '../shared/src/service';

type AnyDefinition = ServiceDefinition<BaseContext>;

// Loaded lazily, so that a process (or a test run) that needs one service loads only that one.
const LOADERS: Record<ServiceName, () => AnyDefinition> = {
  'legal-instruments': () => require('../services/legal-instruments/src/definition').definition,
  'migration-data': () => require('../services/migration-data/src/definition').definition,
  'consultative-processes': () => require('../services/consultative-processes/src/definition').definition,
  'un-partnerships': () => require('../services/un-partnerships/src/definition').definition,
};

/** The service definitions, in port order (4001 to 4004), or only the ones named. */
export function loadServices(names: readonly ServiceName[] = SERVICE_NAMES): AnyDefinition[] {
  return SERVICE_NAMES.filter((n) => names.includes(n)).map((n) => LOADERS[n]());
}
