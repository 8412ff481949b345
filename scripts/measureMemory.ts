// npm run measure:memory: does the gateway's memory settle under steady load, or keep growing?
// Starts the stack on its own ports and data folder, drives the benchmark mix in six rounds
// (8 connections, 4 s per operation), and prints the gateway's RSS after each round.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { OPERATIONS } from './bench/operations';
import { pidOnPort, rssMiB } from './bench/process';
import { portVariables, PROJECT_ROOT, shiftedPorts } from '../shared/src/runtime/config';
const P = {
  ...portVariables(shiftedPorts(4600)),
  EMBEDDED_PG_PORT: '54360',
  EMBEDDED_PG_DIR: '.data/postgres-mem',
  LOG_LEVEL: 'warn',
};
const rss = () => rssMiB(pidOnPort(4600));
(async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...P },
    stdio: 'ignore',
  });
  // The gateway may be ready before the services it reaches: wait for all of them.
  for (const port of Object.values(shiftedPorts(4600))) {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  console.log('round, gateway RSS MiB after round');
  console.log(0, rss().toFixed(0));
  for (let round = 1; round <= 6; round++) {
    for (const op of OPERATIONS)
      await autocannon({
        url: 'http://127.0.0.1:4600/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: op.query, variables: op.variables }),
        connections: 8,
        duration: 4,
      });
    await new Promise((r) => setTimeout(r, 2000));
    console.log(round, rss().toFixed(0));
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
})();
