import type { Readiness } from '../../shared/src/runtime/http';

/**
 * Each service's readiness, as its /readyz says: true when ready (reachable, database answering,
 * migrations current), false when it cannot be reached, and the failing checks of one that answers
 * but is not ready.
 */
export async function serviceStatus(
  serviceUrls: Record<string, string>,
  timeoutMs = 2000,
): Promise<Record<string, boolean | string>> {
  const status: Record<string, boolean | string> = {};
  await Promise.all(
    Object.entries(serviceUrls).map(async ([name, url]) => {
      status[name] = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(timeoutMs) }).then(
        async (res) => {
          if (res.ok) return true;
          const body = (await res.json().catch(() => null)) as { checks?: Record<string, unknown> } | null;
          const failing = Object.entries(body?.checks ?? {})
            .filter(([, ok]) => ok !== true)
            .map(([check]) => check);
          return failing.length > 0 ? `not ready: ${failing.join(', ')}` : 'not ready';
        },
        () => false,
      );
    }),
  );
  return status;
}

/**
 * The gateway is ready when it has a valid supergraph loaded and is not stopping. A service that is
 * down does not take it out of rotation: the gateway still answers every field the other services
 * hold (with an error for the missing ones). Each service's status is reported beside the checks.
 */
export async function gatewayReadiness(
  serviceUrls: Record<string, string>,
  state: { supergraphLoaded: () => boolean; draining: () => boolean },
  timeoutMs = 2000,
): Promise<Readiness> {
  const checks = { supergraph: state.supergraphLoaded(), accepting: !state.draining() };
  return { ok: checks.supergraph && checks.accepting, checks, services: await serviceStatus(serviceUrls, timeoutMs) };
}
