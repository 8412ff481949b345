import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { definition } from '../../services/migration-data/src/service';
import { startServiceHarness, testDatabaseUrl } from './serviceHarness';

/** What an import test works with: migration-data's tables ready, a client on the test database and a scratch folder. */
export interface ImportFixture {
  client: Client;
  dir: string;
  /** Ends the client, stops the service and removes the folder. */
  close(): Promise<void>;
}

/** Starts migration-data (which migrates its schema), connects a client and makes a scratch folder named from `tmpPrefix`. */
export async function openImportFixture(tmpPrefix: string): Promise<ImportFixture> {
  const svc = await startServiceHarness(definition);
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  return {
    client,
    dir,
    close: async () => {
      await client.end();
      await svc.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
