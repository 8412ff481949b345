import fs from 'node:fs';

/** The process listening on 127.0.0.1:port, read from Linux's /proc: the test finds it as an operator would. */
export function listenerPid(port: string | number): number {
  const hexPort = Number(port).toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set(
    fs
      .readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1] === `0100007F:${hexPort}` && f[3] === '0A')
      .map((f) => `socket:[${f[9]}]`),
  );
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours
    }
    for (const fd of fds) {
      try {
        if (inodes.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))) return Number(pid);
      } catch {
        // closed in between
      }
    }
  }
  throw new Error(`nothing listens on port ${port}`);
}

/** The command line of a process, its arguments in order (Linux's /proc). */
export function commandLine(pid: number): string[] {
  return fs
    .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    .split('\0')
    .filter((a) => a !== '');
}
