import DataLoader from 'dataloader';

/**
 * A loader for one row per key. The batch function fetches all keys at once (one SQL statement);
 * results come back in key order with null for misses, as DataLoader requires.
 */
export function rowLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, V>();
    for (const row of rows) byKey.set(keyOf(row), row);
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** A loader for the list of rows that belong to each parent key (list-by-parent fields). */
export function groupLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await fetch(keys);
    const groups = new Map<K, V[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const list = groups.get(key);
      if (list) list.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/**
 * A loader whose key carries arguments as well as the parent (for example a country and a year).
 * Keys are objects; the cache key is their JSON, so equal arguments share one fetch. Keys with the
 * same arguments are batched into one statement by the caller's fetch, which receives them all.
 */
export function argsLoader<K extends object, V>(fetch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(async (keys) => fetch(keys), { cacheKeyFn: (k) => JSON.stringify(k) });
}

/** Groups keys by a property so that one statement serves every key sharing it. */
export function partition<K, P>(keys: readonly K[], by: (k: K) => P): Map<string, { value: P; keys: K[] }> {
  const out = new Map<string, { value: P; keys: K[] }>();
  for (const key of keys) {
    const value = by(key);
    const id = JSON.stringify(value);
    const entry = out.get(id);
    if (entry) entry.keys.push(key);
    else out.set(id, { value, keys: [key] });
  }
  return out;
}
