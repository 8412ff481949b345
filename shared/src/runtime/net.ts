import fs from 'node:fs';
import net from 'node:net';

/** The lowest port the system hands out for outgoing connections (Linux: ip_local_port_range). */
function ephemeralFloor(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && low > 2048) return low;
  } catch {
    // Not Linux: keep the default below.
  }
  return 32768;
}

function listenOnce(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A TCP port free on 127.0.0.1 a moment ago, for something that will listen on it later. It is
 * chosen below the range the system gives outgoing connections: a port from that range (what
 * listening on port 0 returns) can be taken in between by any process's next outgoing connection,
 * which a test that starts a server seconds later then finds in use.
 */
export async function freePort(): Promise<number> {
  const floor = Math.min(ephemeralFloor(), 65536);
  const low = Math.max(10000, floor - 12000);
  if (floor - low >= 1000) {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const port = await listenOnce(low + Math.floor(Math.random() * (floor - low)));
      if (port !== null) return port;
    }
  }
  const port = await listenOnce(0);
  if (port === null) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}

/** The same PostgreSQL URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
