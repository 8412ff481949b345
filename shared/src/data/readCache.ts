import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import type { Logger } from '../runtime/logger';

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
  private stopped = false;
  private client: Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_FIRST_MS;
  private readonly scopes = new Map<string, Map<string, unknown>>();

  constructor(
    private readonly url: string,
    private readonly schema: string,
    private readonly log: Logger,
    /** Entries kept per scope; a scope that grows past it starts again empty. */
    private readonly maxEntries = 20_000,
  ) {}

  /** Connects and listens; resolves either way (a failure is logged and retried, the cache stays off meanwhile). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
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

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: `${this.schema} change listener` });
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = null;
      this.live = false;
      this.invalidate();
      client.end().catch(() => undefined);
      if (!this.stopped) {
        this.log.warn(`read cache off: ${why}; listening again in ${this.retryMs} ms`);
        this.retry();
      }
    };
    client.on('notification', () => this.invalidate());
    client.on('error', (e) => lost(e.message));
    client.on('end', () => lost('the listening connection ended'));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(changeChannel(this.schema))}`);
    } catch (e) {
      lost(e instanceof Error ? e.message : String(e));
      return;
    }
    if (this.client !== client) return;
    this.invalidate();
    this.live = true;
    this.retryMs = RETRY_FIRST_MS;
  }

  private retry(): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
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
export async function startReadCache(ds: DataSource, url: string, schema: string, log: Logger): Promise<ReadCache> {
  const cache = new ReadCache(url, schema, log);
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
