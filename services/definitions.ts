import type { BaseContext } from '@apollo/server';
import { SERVICE_NAMES, type ServiceName } from '../shared/src/runtime/config';
import type { DeclaredService, ServiceDefinition } from '../shared/src/runtime/service';

/** Every services/<name>/src/service.ts exports what defineService made of its declaration. */
type AnyDefinition = ServiceDefinition<BaseContext> & Pick<DeclaredService<unknown>, 'schemaFile' | 'migrations' | 'resolvers'>;

/**
 * The service definitions, in port order (as shared/src/runtime/registry.ts lists them), or only the ones
 * named. Each is loaded on demand from services/<name>/src/service.ts, so a process (or a test run)
 * that needs one service loads only that one, and a new service needs no line here.
 */
export function loadServices(names: readonly ServiceName[] = SERVICE_NAMES): AnyDefinition[] {
  return SERVICE_NAMES.filter((n) => names.includes(n)).map(
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load of only the services named
    (n) => require(`./${n}/src/service`).definition,
  );
}
