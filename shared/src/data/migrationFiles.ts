import fs from 'node:fs';
import path from 'node:path';

/**
 * The migration classes of a folder, oldest first: files are named by their timestamp, so a new
 * migration is one new file and is listed nowhere else.
 */
export function migrationsIn(dir: string): Function[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  return files.flatMap((file) => {
    // A synchronous load: a service's definition is built at import time.
    const exported = require(path.join(dir, file)) as Record<string, unknown>;
    return Object.values(exported).filter((value): value is Function => typeof value === 'function');
  });
}
