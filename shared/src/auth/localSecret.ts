import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A random secret kept (0600) in a local file, made on first use; for development secrets in the
 * git-ignored .data folder. Concurrent processes agree on one: the first to create the file wins.
 */
export function localSecret(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = crypto.randomBytes(32).toString('hex');
    try {
      fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      // Another process wrote it first: use theirs.
      return fs.readFileSync(file, 'utf8').trim();
    }
  }
}
