import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import path from 'node:path';
import { perService, portVariables, SERVICE_NAMES } from '../../shared/src/runtime/config';
import { freePort } from '../../shared/src/runtime/net';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { runNode } from './childProcess';

export interface NpmStart {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Free ports it was given: the gateway's, then the four services' in registry order. */
  ports: number[];
  /** Everything it has written to stdout and stderr so far. */
  output(): string;
  /** Its exit code once it has exited. */
  exited: Promise<number | null>;
}

/** Free ports for a whole stack: the gateway's, then each service's in registry order, and the variables that set them. */
export async function freeStackPorts(): Promise<{ ports: number[]; env: Record<string, string> }> {
  const ports = await Promise.all(['gateway', ...SERVICE_NAMES].map(() => freePort()));
  return { ports, env: portVariables({ gateway: ports[0], ...perService((name) => ports[1 + SERVICE_NAMES.indexOf(name)]) }) };
}

/**
 * `npm start` in development on the given database, with ports of its own, once it says it is
 * ready; when it is not ready within `readyWithinMs` (or exits first) it is stopped and this throws.
 * It runs what the start script of package.json runs (compiled JavaScript), in one node process.
 */
export async function startNpmStart(databaseUrl: string, readyWithinMs: number): Promise<NpmStart> {
  const { ports, env } = await freeStackPorts();
  const { child, output, exited } = runNode([path.join('scripts', 'startCompiled.mjs')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', DATABASE_URL: databaseUrl, ...env },
  });
  try {
    const deadline = Date.now() + readyWithinMs;
    while (!/Migration Graph is ready/.test(output())) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not start:\n${output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return { child, ports, output, exited };
}
