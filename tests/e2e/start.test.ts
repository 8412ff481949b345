import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/config';
import { testDatabaseUrl } from '../support/serviceHarness';
import { freePort } from '../../shared/src/net';

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  it('starts four services and the gateway, answers a query, and stops everything on SIGTERM', async () => {
    const ports = await Promise.all([0, 1, 2, 3, 4].map(() => freePort()));
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: testDatabaseUrl(),
      GATEWAY_PORT: String(ports[0]),
      LEGAL_INSTRUMENTS_PORT: String(ports[1]),
      MIGRATION_DATA_PORT: String(ports[2]),
      CONSULTATIVE_PROCESSES_PORT: String(ports[3]),
      UN_PARTNERSHIPS_PORT: String(ports[4]),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'start.ts')], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!/Migration Graph is ready/.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output).toContain(`open http://127.0.0.1:${ports[0]}/graphql`);
      const res = await fetch(`http://127.0.0.1:${ports[0]}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ country(code: "SEN") { name(lang: FR) } }' }),
      });
      expect(await res.json()).toEqual({ data: { country: { name: 'Sénégal' } } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('stopped');
    const stillBound = await Promise.all(ports.map(portInUse));
    expect(stillBound).toEqual([false, false, false, false, false]);
  }, 120_000);
});
