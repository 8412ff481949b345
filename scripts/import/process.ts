import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { required } from '../../shared/src/runtime/required';

/** What `npm run import -- ... --json` prints: the import's result and the process's peak RSS. */
export interface ImportRun {
  rows: number;
  ms: number;
  peakRssBytes: number;
  changed: boolean;
  phases?: Record<string, number>;
}

/** The import command as its own process (so its peak RSS is its own), on the database at `url`. */
export function runImport(url: string, args: string[]): Promise<ImportRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args, '--json'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`import exited with ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(required(out.trim().split('\n').pop(), 'the import summary')) as ImportRun);
    });
  });
}
