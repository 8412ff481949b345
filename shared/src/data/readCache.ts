import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import type { Logger } from '../runtime/logger';

/** What a change listener tells the read cache of one schema. */
export interface ChangeSubscriber {
  /** A change to the schema was notified. */
  changed(): void;
  /** Listening (true), or not (false: a change could be missed meanwhile). */
  listening(on: boolean): void;
}

/**
 * One listening connection for the change channels of one schema or several (the services that
 * one process hosts, in development, share one instead of each keeping its own). A notification
 * goes to the subscribers of its channel. When the connection is lost every subscriber is told,
 * and it reconnects with backoff.
 */
export class ChangeListener {
  private client: Client | null = null;
  private live = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_FIRST_MS;
  private readonly subscribers = new Map<string, Set<ChangeSubscriber>>();
  /** Subscribing, unsubscribing and connecting run one at a time. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    /** Names its connection (`<name> change listener`) and its log lines. */
    private readonly name: string,
    private readonly log: Logger,
  ) {}

  /** Listens on a channel for a subscriber; resolves once listening, or once that failed (it is retried). */
  subscribe(channel: string, subscriber: ChangeSubscriber): Promise<void> {
    return this.serially(async () => {
      let set = this.subscribers.get(channel);
      const added = !set;
      if (!set) this.subscribers.set(channel, (set = new Set()));
      set.add(subscriber);
      const client = this.client;
      if (client && this.live) {
        if (added) {
          try {
            await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
          } catch (e) {
            this.lost(client, e instanceof Error ? e.message : String(e));
            return;
          }
        }
        subscriber.listening(true);
      } else if (!client && !this.retryTimer) {
        await this.connect();
      }
      // Otherwise a reconnection is under way: the subscriber is told when it listens.
    });
  }

  /** Stops telling a subscriber; the connection ends with the last one. */
  unsubscribe(channel: string, subscriber: ChangeSubscriber): Promise<void> {
    return this.serially(async () => {
      const set = this.subscribers.get(channel);
      if (!set?.delete(subscriber)) return;
      if (set.size > 0) return;
      this.subscribers.delete(channel);
      if (this.subscribers.size > 0) {
        await this.client?.query(`UNLISTEN ${this.client.escapeIdentifier(channel)}`).catch(() => undefined);
        return;
      }
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      const client = this.client;
      this.client = null;
      this.live = false;
      await client?.end().catch(() => undefined);
    });
  }

  private serially(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private each(tell: (subscriber: ChangeSubscriber) => void): void {
    for (const set of this.subscribers.values()) for (const subscriber of set) tell(subscriber);
  }

  private lost(client: Client, why: string): void {
    if (this.client !== client) return;
    this.client = null;
    this.live = false;
    this.each((s) => s.listening(false));
    client.end().catch(() => undefined);
    if (this.subscribers.size > 0) {
      this.log.warn(`read cache off: ${why}; listening again in ${this.retryMs} ms`);
      this.retry();
    }
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: `${this.name} change listener` });
    client.on('notification', (n) => {
      for (const subscriber of this.subscribers.get(n.channel) ?? []) subscriber.changed();
    });
    client.on('error', (e) => this.lost(client, e.message));
    client.on('end', () => this.lost(client, 'the listening connection ended'));
    this.client = client;
    try {
      await client.connect();
      for (const channel of this.subscribers.keys()) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (e) {
      this.lost(client, e instanceof Error ? e.message : String(e));
      return;
    }
    if (this.client !== client) return;
    this.live = true;
    this.retryMs = RETRY_FIRST_MS;
    this.each((s) => s.listening(true));
  }

  private retry(): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.serially(() => (this.client || this.subscribers.size === 0 ? Promise.resolve() : this.connect()));
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }
}

/**
 * What a service has read, kept across requests until its data changes. Every table of a service's
 * schema notifies the channel `changes_<schema>` when a statement changes it (a statement trigger:
 * the service's own writes, another replica's, an import, a script), and PostgreSQL delivers the
 * notification on commit to every process listening, so every replica forgets everything it read
 * of that schema. The process's own writes also clear it at once, so a client reads its write back.
 * While the listening connection is down nothing is kept or served from here (a change could be
 * missed); it reconnects with backoff and starts empty.
 */
export class ReadCache {
  /** Bumped by every change: a read that started before a change does not keep its rows. */
  private generation = 0;
  private live = false;
  private readonly listener: ChangeListener;
  private readonly subscriber: ChangeSubscriber = {
    changed: () => this.invalidate(),
    listening: (on) => {
      this.live = false;
      this.invalidate();
      this.live = on;
    },
  };
  private readonly scopes = new Map<string, Map<string, unknown>>();

  constructor(
    url: string,
    private readonly schema: string,
    log: Logger,
    /** Entries kept per scope; a scope that grows past it starts again empty. */
    private readonly maxEntries = 20_000,
    /** A listener shared with other schemas' caches; by default one of its own. */
    listener?: ChangeListener,
  ) {
    this.listener = listener ?? new ChangeListener(url, schema, log);
  }

  /** Listens for changes; resolves either way (a failure is logged and retried, the cache stays off meanwhile). */
  async start(): Promise<void> {
    await this.listener.subscribe(changeChannel(this.schema), this.subscriber);
  }

  async stop(): Promise<void> {
    this.live = false;
    this.invalidate();
    await this.listener.unsubscribe(changeChannel(this.schema), this.subscriber);
  }

  /** Forgets everything read so far (a change was notified, or this process wrote). */
  invalidate(): void {
    this.generation += 1;
    this.scopes.clear();
  }

  /** The cached values of one kind of read (one loader), by key. */
  scope<K, V>(name: string): CacheScope<K, V> {
    return {
      read: (keys) => {
        const generation = this.generation;
        const entries = this.live ? this.scopes.get(name) : undefined;
        const hits = keys.map((k) => entries?.get(cacheKey(k)) as V | undefined);
        return {
          hits,
          keep: (key, value) => {
            if (!this.live || generation !== this.generation) return;
            let map = this.scopes.get(name);
            if (!map || map.size >= this.maxEntries) this.scopes.set(name, (map = new Map()));
            map.set(cacheKey(key), value);
          },
        };
      },
    };
  }
}

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

/** One kind of read in the cache: `read` looks keys up; `keep` stores what was fetched for a missed key. */
export interface CacheScope<K, V> {
  read(keys: readonly K[]): { hits: (V | undefined)[]; keep(key: K, value: V): void };
}

const cacheKey = (key: unknown) => (typeof key === 'string' ? key : JSON.stringify(key));

/** The notification channel of a service's schema. */
export function changeChannel(schema: string): string {
  return `changes_${schema}`;
}

const caches = new WeakMap<DataSource, ReadCache>();

/** Starts the read cache of a service's data source: its loaders keep what they read until a change. */
export async function startReadCache(
  ds: DataSource,
  url: string,
  schema: string,
  log: Logger,
  listener?: ChangeListener,
): Promise<ReadCache> {
  const cache = new ReadCache(url, schema, log, undefined, listener);
  await cache.start();
  caches.set(ds, cache);
  return cache;
}

/** The read cache of a data source, or undefined when it has none (tests that read the database as it is). */
export function readCacheOf(ds: DataSource): ReadCache | undefined {
  return caches.get(ds);
}

/** Runs a write and then forgets what this process had read, whether the write committed or not. */
export async function writing<T>(ds: DataSource, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } finally {
    readCacheOf(ds)?.invalidate();
  }
}

/**
 * The DDL of change notifications for a schema: a trigger function notifying `changes_<schema>`
 * with the table's name, and a statement trigger on each of its tables (partitioned tables once,
 * not their partitions; not TypeORM's migrations table). A migration that adds a table adds its
 * trigger with `changeTriggerDdl`.
 */
export function changeNotificationsDdl(schema: string): string[] {
  return [
    `CREATE FUNCTION "${schema}"."notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN PERFORM pg_notify('${changeChannel(schema)}', TG_TABLE_NAME); RETURN NULL; END $$`,
    `DO $$ DECLARE t text; BEGIN
       FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = '${schema}' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'migrations'
       LOOP EXECUTE format('CREATE TRIGGER "notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${schema}".%I FOR EACH STATEMENT EXECUTE FUNCTION "${schema}"."notify_change"()', t);
       END LOOP; END $$`,
  ];
}

/** The trigger that makes changes to one more table of a schema clear the services' read caches. */
export function changeTriggerDdl(schema: string, table: string): string {
  return `CREATE TRIGGER "notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${schema}"."${table}" FOR EACH STATEMENT EXECUTE FUNCTION "${schema}"."notify_change"()`;
}

/** Undoes changeNotificationsDdl (the triggers go with the function). */
export function dropChangeNotificationsDdl(schema: string): string {
  return `DROP FUNCTION "${schema}"."notify_change"() CASCADE`;
}

/**
 * The migration that gives a service's schema its change notifications (one per service, the
 * same step in each): every change to one of its tables makes the service's processes forget what
 * they had read.
 */
export function changeNotificationsMigration(schema: string) {
  return class ChangeNotifications1734500000000 implements MigrationInterface {
    name = 'ChangeNotifications1734500000000';

    async up(q: QueryRunner): Promise<void> {
      for (const ddl of changeNotificationsDdl(schema)) await q.query(ddl);
    }

    async down(q: QueryRunner): Promise<void> {
      await q.query(dropChangeNotificationsDdl(schema));
    }
  };
}
