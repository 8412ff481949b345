import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT } from '../shared/src/runtime/config';

/**
 * The layers: shared/ imports nothing above it (services, gateway, scripts, tests), a service
 * never imports another service (each reaches the others through the graph only), and tests import
 * no script (they run a script as its command does; what scripts and tests share lives below them).
 */

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

/** The project paths a file's text imports (import, export from, require, import()), relative to the project root. */
function importsOf(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.relative(PROJECT_ROOT, path.resolve(path.dirname(file), name)));
}

/** The top folder of a project path, and for services/<name>/... the service's name. */
function placeOf(relative: string): { top: string; service?: string } {
  const [top, second] = relative.split(path.sep);
  return top === 'services' && relative.split(path.sep).length > 2 ? { top, service: second } : { top: top ?? '' };
}

const ABOVE_SHARED = new Set(['services', 'gateway', 'scripts', 'tests']);

/** Each import of a file that crosses a layer the wrong way, as "from -> to". */
function violations(file: string, text: string): string[] {
  const from = placeOf(path.relative(PROJECT_ROOT, file));
  return importsOf(file, text)
    .filter((target) => {
      const to = placeOf(target);
      if (from.top === 'shared') return ABOVE_SHARED.has(to.top);
      if (from.top === 'tests') return to.top === 'scripts';
      return from.service !== undefined && to.service !== undefined && to.service !== from.service;
    })
    .map((target) => `${path.relative(PROJECT_ROOT, file)} -> ${target}`);
}

function violationsUnder(folder: string): string[] {
  return sourceFiles(path.join(PROJECT_ROOT, folder)).flatMap((file) => violations(file, fs.readFileSync(file, 'utf8')));
}

describe('layers', () => {
  it('finds an import that crosses a layer, whatever its form', () => {
    const sharedFile = path.join(PROJECT_ROOT, 'shared', 'src', 'runtime', 'example.ts');
    const serviceFile = path.join(PROJECT_ROOT, 'services', 'migration-data', 'src', 'example.ts');
    expect(violations(sharedFile, `import { x } from '../../../services/definitions';`)).toHaveLength(1);
    expect(violations(sharedFile, `export * from '../../../gateway/src/limits';`)).toHaveLength(1);
    expect(violations(sharedFile, `const s = require('../../../scripts/start');`)).toHaveLength(1);
    expect(violations(sharedFile, `const t = import('../../../tests/support/stack');`)).toHaveLength(1);
    expect(violations(sharedFile, `import { y } from '../graphql/errors'; import pg from 'pg';`)).toEqual([]);
    expect(violations(serviceFile, `import { z } from '../../un-partnerships/src/entities';`)).toHaveLength(1);
    expect(
      violations(serviceFile, `import { z } from './entities'; import { c } from '../../../shared/src/runtime/config';`),
    ).toEqual([]);
    const testFile = path.join(PROJECT_ROOT, 'tests', 'deploy', 'example.test.ts');
    expect(violations(testFile, `import { RUNTIME_PATHS } from '../../scripts/build';`)).toHaveLength(1);
    expect(violations(testFile, `const g = require('../../scripts/generateDeploy');`)).toHaveLength(1);
    expect(
      violations(testFile, `import { DIST } from '../../shared/src/deploy/layout'; import { s } from '../support/stack';`),
    ).toEqual([]);
  });

  it('shared/ imports nothing from services/, gateway/, scripts/ or tests/', () => {
    expect(sourceFiles(path.join(PROJECT_ROOT, 'shared')).length).toBeGreaterThan(10);
    expect(violationsUnder('shared')).toEqual([]);
  });

  it('tests import nothing from scripts/', () => {
    expect(sourceFiles(path.join(PROJECT_ROOT, 'tests')).length).toBeGreaterThan(50);
    expect(violationsUnder('tests')).toEqual([]);
  });

  it('no service imports another service', () => {
    const services = fs
      .readdirSync(path.join(PROJECT_ROOT, 'services'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(services.length).toBeGreaterThanOrEqual(4);
    expect(services.flatMap((name) => violationsUnder(path.join('services', name)))).toEqual([]);
  });
});
