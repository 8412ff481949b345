import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { startNpmStart } from '../support/npmStart';
import { testDatabaseUrl } from '../support/serviceHarness';

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
  it('is the compiled launcher that these tests start', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
    expect(pkg.scripts.start).toBe(`node ${path.join('scripts', 'startCompiled.mjs')}`);
  });

  it('starts four services and the gateway, answers a query, and stops everything on SIGTERM', async () => {
    const { child, ports, output, exited } = await startNpmStart(testDatabaseUrl(), 90_000);
    try {
      expect(output()).toContain(`open http://127.0.0.1:${ports[0]}/graphql`);
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
    expect(output()).toContain('stopped');
    const stillBound = await Promise.all(ports.map(portInUse));
    expect(stillBound).toEqual([false, false, false, false, false]);
  }, 150_000);
});
