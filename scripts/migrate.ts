// Creates each service's schema, runs its pending migrations and seeds its reference data once.
// Uses DATABASE_URL, or the embedded PostgreSQL when it is not set: the one npm start runs, when it
// runs, or one started for this command and stopped after it.
import { loadConfig } from '../shared/src/runtime/config';
import { resolveDatabase } from '../shared/src/data/resolveDatabase';
import { createLogger } from '../shared/src/runtime/logger';
import { prepareDatabase } from '../shared/src/runtime/service';
import { loadServices } from '../services/definitions';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('migrate', config.logLevel);
  const db = await resolveDatabase(config, log, { shareRunning: true });
  try {
    // The services' schemas are independent: they are migrated and seeded at the same time, and
    // every one finishes (committed or rolled back) before a failure is reported.
    const prepared = await Promise.allSettled(
      loadServices().map(async (service) => {
        const started = Date.now();
        const { migrations, seeds } = await prepareDatabase(service, db.url, config.database, log);
        const seeded = seeds.filter((s) => s.applied).map((s) => `${s.name} (${s.rows} rows)`);
        log.info(
          `${service.name}: ${migrations.length} migration(s) applied; seeded ${seeded.length > 0 ? seeded.join(', ') : 'nothing (already current)'} ` +
            `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      }),
    );
    const failed = prepared.find((p) => p.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    await db.embedded?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[migrate] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
