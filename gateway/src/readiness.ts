import type { Readiness } from '../../shared/src/runtime/http';

/**
 * The gateway is ready when it holds its supergraph and every service is ready: reachable, with its
 * database answering and its migrations current. Being alive is not enough: a service whose
 * database is down answers nothing but errors. A check is false for a service that cannot be
 * reached, and names the failing checks of one that answers but is not ready.
 */
export async function gatewayReadiness(serviceUrls: Record<string, string>, timeoutMs = 2000): Promise<Readiness> {
  const checks: Record<string, boolean | string> = { supergraph: true };
  await Promise.all(
    Object.entries(serviceUrls).map(async ([name, url]) => {
      checks[name] = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(timeoutMs) }).then(
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
  return { ok: Object.values(checks).every((v) => v === true), checks };
}
