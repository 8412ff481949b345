// npm run db:reset: drops the four services' schemas so that the next start migrates and seeds
// afresh. On the embedded database it simply deletes the data folder.
import fs from 'node:fs';
import { Client } from 'pg';
import { loadConfig, SERVICE_NAMES, SERVICE_SCHEMAS } from '../shared/src/config';
import { usableDataDir } from '../shared/src/embeddedPostgres';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.database.url) {
    const { dir } = usableDataDir(config.database.embeddedDir);
    fs.rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`deleted the embedded database folder ${dir}\n`);
    return;
  }
  const client = new Client({ connectionString: config.database.url });
  await client.connect();
  try {
    for (const name of SERVICE_NAMES) {
      await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(SERVICE_SCHEMAS[name])} CASCADE`);
      process.stdout.write(`dropped schema ${SERVICE_SCHEMAS[name]} (${name})\n`);
    }
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[db:reset] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
