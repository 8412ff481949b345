import fs from 'node:fs';
import path from 'node:path';
import type { MigrationClass } from './dataSource';

/**
 * The migration classes of a folder, oldest first: files are named by their timestamp, so a new
 * migration is one new file and is listed nowhere else.
 */
export function migrationsIn(dir: string): MigrationClass[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  return files.flatMap((file) => {
    // A synchronous load: a service's definition is built at import time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the line above
    const exported = require(path.join(dir, file)) as Record<string, unknown>;
    return Object.values(exported).filter((value): value is MigrationClass => typeof value === 'function');
  });
}
