import DataLoader from 'dataloader';
import type { CacheScope } from '../data/readCache';

/**
 * A batch function that first looks its keys up in the service's read cache (when given one) and
 * fetches only the missed keys, keeping what it fetched. Values from the cache are shared between
 * requests: resolvers never change what a loader returns.
 */
export function throughCache<K, V>(
  batch: (keys: readonly K[]) => Promise<V[]>,
  cache: CacheScope<K, V> | undefined,
): (keys: readonly K[]) => Promise<V[]> {
  if (!cache) return batch;
  return async (keys) => {
    const { hits, keep } = cache.read(keys);
    const missed = keys.filter((_, n) => hits[n] === undefined);
    if (missed.length === 0) return hits as V[];
    const fetched = await batch(missed);
    missed.forEach((key, n) => keep(key, fetched[n]));
    let next = 0;
    return hits.map((hit) => (hit === undefined ? fetched[next++] : hit));
  };
}

/**
 * A loader for one row per key. The batch function fetches all keys at once (one SQL statement);
 * results come back in key order with null for misses, as DataLoader requires.
 */
export function rowLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
  cache?: CacheScope<K, V | null>,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(
    throughCache(async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map<K, V>();
      for (const row of rows) byKey.set(keyOf(row), row);
      return keys.map((k) => byKey.get(k) ?? null);
    }, cache),
  );
}

/** A loader for the list of rows that belong to each parent key (list-by-parent fields). */
export function groupLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
  cache?: CacheScope<K, V[]>,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(
    throughCache(async (keys) => {
      const rows = await fetch(keys);
      const groups = new Map<K, V[]>();
      for (const row of rows) {
        const key = keyOf(row);
        const list = groups.get(key);
        if (list) list.push(row);
        else groups.set(key, [row]);
      }
      return keys.map((k) => groups.get(k) ?? []);
    }, cache),
  );
}

/**
 * A loader whose key carries arguments as well as the parent (for example a country and a year).
 * Keys are objects; the cache key is their JSON, so equal arguments share one fetch. Keys with the
 * same arguments are batched into one statement by the caller's fetch, which receives them all.
 */
export function argsLoader<K extends object, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  cache?: CacheScope<K, V>,
): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(throughCache(fetch, cache), { cacheKeyFn: (k) => JSON.stringify(k) });
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

/** One parent's list cut to its start: the parent, what else filters the list, and how many items. */
export interface CappedKey<P, A> {
  parent: P;
  args: A;
  first: number;
}

/**
 * A loader for the start of each parent's list (a nested list sized by `first`), cut by the
 * database rather than by the resolver: the keys that share their arguments and size go to one
 * statement, which reads at most `first` rows of each parent (see data/firstPerParent).
 */
export function cappedGroupLoader<P extends string | number, A, V>(
  fetch: (parents: P[], args: A, first: number) => Promise<V[]>,
  parentOf: (row: V) => P,
  cache?: CacheScope<CappedKey<P, A>, V[]>,
): DataLoader<CappedKey<P, A>, V[], string> {
  return argsLoader<CappedKey<P, A>, V[]>(async (keys) => {
    const lists = new Map<string, V[]>();
    const idOf = (parent: P, args: unknown, first: number) => JSON.stringify([parent, args, first]);
    await Promise.all(
      [...partition(keys, (k) => ({ args: k.args, first: k.first })).values()].map(async ({ value, keys: group }) => {
        const rows = await fetch(
          group.map((k) => k.parent),
          value.args,
          value.first,
        );
        for (const row of rows) {
          const id = idOf(parentOf(row), value.args, value.first);
          const list = lists.get(id);
          if (list) list.push(row);
          else lists.set(id, [row]);
        }
      }),
    );
    return keys.map((k) => lists.get(idOf(k.parent, k.args, k.first)) ?? []);
  }, cache);
}
