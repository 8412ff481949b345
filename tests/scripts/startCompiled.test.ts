import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { runNode } from '../support/childProcess';

// npm start's launcher, run on a small project of its own (its copy, the project's compiler
// settings and dependencies, a few sources), so that editing a source here touches nothing else.
let root: string;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

async function compile(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = runNode([path.join('scripts', 'startCompiled.mjs'), '--compile-only'], { cwd: root, env: process.env });
  const code = await run.exited;
  return { code, stdout: run.stdout().replace(/ in \d+\.\d s/, ' in N s'), stderr: run.stderr() };
}

/** The compiled tree: every file under .compiled/ but the manifest. */
function compiled(): string[] {
  const out = path.join(root, '.compiled');
  return (fs.readdirSync(out, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(out, f)).isFile() && f !== 'sources.json')
    .sort();
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-start-compiled-'));
  for (const file of [
    'package.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'scripts/startCompiled.mjs',
    'shared/src/deploy/codeAssets.json',
  ]) {
    write(file, fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8'));
  }
  for (const asset of JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'shared', 'src', 'deploy', 'codeAssets.json'), 'utf8'),
  ) as string[]) {
    write(asset, `// ${asset}\n`);
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  write('shared/src/runtime/answer.ts', 'export const answer: number = 42;\n');
  write(
    'gateway/src/index.ts',
    "import { answer } from '../../shared/src/runtime/answer';\nexport const doubled = answer * 2;\n",
  );
  write('services/definitions.ts', 'export type Name = string;\nexport const names: Name[] = [];\n');
  write('services/one/src/service.ts', 'export class One {\n  constructor(readonly id: number) {}\n}\n');
  // Not code: a service's seed folder and its other files are not compiled.
  write('services/one/seed/loader.ts', 'export {};\n');
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the npm start launcher', () => {
  it('transpiles every source to CommonJS beside the files compiled code loads, and nothing else', async () => {
    expect(await compile()).toEqual({ code: 0, stdout: '[start] compiled 4 changed file(s) in N s\n', stderr: '' });
    expect(compiled()).toEqual(
      [
        'gateway/ide/ide.js',
        'gateway/ide/ideTools.js',
        'gateway/src/index.js',
        'services/definitions.js',
        'services/one/src/service.js',
        'shared/src/runtime/answer.js',
      ].sort(),
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled module, loaded as node loads it
    expect({ ...require(path.join(root, '.compiled', 'gateway', 'src', 'index.js')) }).toEqual({ doubled: 84 });
  });

  it('transpiles nothing when nothing changed', async () => {
    expect(await compile()).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('transpiles only the file whose content changed, and removes what a deleted source compiled to', async () => {
    write('shared/src/runtime/answer.ts', 'export const answer: number = 21;\n');
    fs.rmSync(path.join(root, 'services', 'definitions.ts'));
    expect(await compile()).toEqual({ code: 0, stdout: '[start] compiled 1 changed file(s) in N s\n', stderr: '' });
    expect(compiled()).not.toContain('services/definitions.js');
    expect(fs.readFileSync(path.join(root, '.compiled', 'shared', 'src', 'runtime', 'answer.js'), 'utf8')).toContain(
      'exports.answer = 21;',
    );
  });
});
