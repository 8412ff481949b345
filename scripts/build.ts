// npm run build: compiles the TypeScript to JavaScript in dist/ (tsconfig.build.json), so that
// production processes run with plain node (`node dist/gateway/src/index.js`, `node
// dist/scripts/runService.js <service>`, `node dist/scripts/migrate.js`) instead of through tsx.
// Data files (schemas, seed CSVs, operations, the supergraph) stay where they are and are read from
// the project root; only the few non-TypeScript files that code loads beside itself are copied.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../shared/src/runtime/config';
import { CODE_ASSETS, DIST } from '../shared/src/deploy/layout';

function main(): void {
  fs.rmSync(DIST, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  for (const file of CODE_ASSETS) {
    fs.mkdirSync(path.dirname(path.join(DIST, file)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(DIST, file));
  }
  process.stdout.write(`compiled to ${path.relative(PROJECT_ROOT, DIST)}/\n`);
}

if (require.main === module) main();
