import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';

/** A node process the tests started, with what it has written so far. */
export interface Collected {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** stdout and stderr together, in the order they arrived. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Its exit code once it has exited. */
  exited: Promise<number | null>;
}

/** Runs node with `args` (no stdin), collecting its output. */
export function runNode(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Collected {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * Runs a TypeScript entry point of the project as its command does, in one node process with tsx's
 * loader (not the tsx command, which runs a child): a signal sent to it reaches the program itself.
 */
export function runScript(entry: string, args: string[], env: NodeJS.ProcessEnv): Collected {
  return runNode(['--import', 'tsx', entry, ...args], { cwd: PROJECT_ROOT, env });
}
