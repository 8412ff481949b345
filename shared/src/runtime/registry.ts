/**
 * Every domain service, one line each, in port order: config, scripts, compose, Kubernetes and
 * tests derive from this list. A service's code lives in services/<name>/src/service.ts.
 * Data only, no imports: it lives in shared/ so that shared code reads it without depending on
 * anything above it (services load their own code by name, see services/definitions.ts).
 */
export const SERVICE_REGISTRY = [
  { name: 'legal-instruments', port: 4001, schema: 'legal' },
  { name: 'migration-data', port: 4002, schema: 'data' },
  { name: 'consultative-processes', port: 4003, schema: 'dialogue' },
  { name: 'un-partnerships', port: 4004, schema: 'partners' },
] as const;

export type RegisteredService = (typeof SERVICE_REGISTRY)[number];
export type ServiceName = RegisteredService['name'];

/** A service's registry line, by name: its Postgres schema and default port. */
export function registered<N extends ServiceName>(name: N): Extract<RegisteredService, { name: N }> {
  const found = SERVICE_REGISTRY.find((s): s is Extract<RegisteredService, { name: N }> => s.name === name);
  if (!found) throw new Error(`no service named ${name} in shared/src/runtime/registry.ts`);
  return found;
}

/** The environment prefix of a service's variables: LEGAL_INSTRUMENTS_PORT, SERVICE_SECRET_LEGAL_INSTRUMENTS, ... */
export function envPrefix(name: ServiceName): string {
  return name.toUpperCase().replace(/-/g, '_');
}
