import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../shared/src/runtime/config';

/**
 * One convention for file names: TypeScript modules are camelCase. Two kinds keep the form their
 * content dictates: an entity file is named after the class it declares, and a migration after its
 * timestamp and class, as TypeORM orders them. Folders keep their names (a service's folder is its name).
 */

const SKIPPED_FOLDERS = new Set(['node_modules', '.data', '.git', 'dist', 'coverage', 'generated']);

function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : typeScriptFiles(full);
    return /\.m?ts$/.test(entry.name) ? [full] : [];
  });
}

const CAMEL_CASE = /^[a-z][a-zA-Z0-9]*$/;
const PASCAL_CASE = /^[A-Z][a-zA-Z0-9]*$/;
const MIGRATION = /^\d{13}-[A-Z][a-zA-Z0-9]*$/;

/** Whether a project path follows the convention. */
function wellNamed(relative: string): boolean {
  const parts = relative.split(/[\\/]/);
  const folder = parts.at(-2);
  const stem = (parts.at(-1) ?? '').replace(/(\.test)?(\.d)?\.m?ts$/, '');
  if (folder === 'migrations') return MIGRATION.test(stem);
  if (folder === 'entities') return CAMEL_CASE.test(stem) || PASCAL_CASE.test(stem);
  return CAMEL_CASE.test(stem);
}

describe('file names', () => {
  it('tells a camelCase module from a kebab-case one, and knows entities and migrations', () => {
    expect(
      [
        'scripts/benchData.ts',
        'scripts/bench-data.ts',
        'tests/services/migration-data/migrationData.test.ts',
        'tests/services/migration-data/migration-data.test.ts',
        'shared/src/runtime/Config.ts',
        'services/legal-instruments/src/entities/LegalInstrument.ts',
        'services/legal-instruments/src/entities/queries.ts',
        'services/legal-instruments/src/migrations/1732900000000-Initial.ts',
        'services/legal-instruments/src/migrations/initial.ts',
      ].map((file) => [file, wellNamed(file)]),
    ).toEqual([
      ['scripts/benchData.ts', true],
      ['scripts/bench-data.ts', false],
      ['tests/services/migration-data/migrationData.test.ts', true],
      ['tests/services/migration-data/migration-data.test.ts', false],
      ['shared/src/runtime/Config.ts', false],
      ['services/legal-instruments/src/entities/LegalInstrument.ts', true],
      ['services/legal-instruments/src/entities/queries.ts', true],
      ['services/legal-instruments/src/migrations/1732900000000-Initial.ts', true],
      ['services/legal-instruments/src/migrations/initial.ts', false],
    ]);
  });

  it('names every TypeScript module of the project in camelCase', () => {
    const files = typeScriptFiles(PROJECT_ROOT).map((file) => path.relative(PROJECT_ROOT, file));
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((file) => !wellNamed(file))).toEqual([]);
  });
});
