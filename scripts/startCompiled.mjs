// npm start: runs the orchestrator (scripts/start.ts) and every process it starts as compiled
// JavaScript, which starts faster and holds less memory than the TypeScript loader. The sources are
// transpiled file by file into .compiled/ (the layout of `npm run build`'s dist/), and only the files
// whose content changed since the last start: a start after an edit costs milliseconds, the first
// one a few seconds. Transpiling does not type-check (neither does the loader); `npm run typecheck` does.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, '.compiled');
const MANIFEST = path.join(OUT, 'sources.json');
/** What tsconfig.build.json compiles: these folders' TypeScript and the services' own top-level files. */
const SOURCE_DIRS = ['shared/src', 'gateway/src', 'scripts', 'services'];
/** Files that compiled code loads beside itself (the same list `npm run build` copies). */
const CODE_ASSETS = JSON.parse(fs.readFileSync(path.join(ROOT, 'shared', 'src', 'deploy', 'codeAssets.json'), 'utf8'));

function sourcesIn(dir) {
  const found = [];
  // A service's folder holds code only under src/ (the rest is its schema, seed data and docs).
  const serviceFolder = path.dirname(dir) === 'services';
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!serviceFolder || entry.name === 'src') found.push(...sourcesIn(rel));
    } else if (!serviceFolder && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      found.push(rel);
    }
  }
  return found;
}

const hash = (file) =>
  crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(ROOT, file)))
    .digest('hex');

/** Written whole or not at all, so that two starts compiling at once never leave half a file. */
function writeAtomically(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

/** The sources and their hashes now and at the last compile, and which ones changed since. */
function sourceState() {
  let previous = {};
  try {
    previous = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    // No manifest yet: everything is transpiled.
  }
  const current = Object.fromEntries(SOURCE_DIRS.flatMap(sourcesIn).map((file) => [file, hash(file)]));
  const stale = Object.keys(current).filter((file) => previous[file] !== current[file]);
  const gone = Object.keys(previous).filter((file) => !(file in current));
  const assets = CODE_ASSETS.filter((file) => {
    const target = path.join(OUT, file);
    return !fs.existsSync(target) || !fs.readFileSync(target).equals(fs.readFileSync(path.join(ROOT, file)));
  });
  return { current, stale, gone, assets, upToDate: stale.length + gone.length + assets.length === 0 };
}

/** Brings .compiled/ up to date; returns how many files were transpiled. */
function compile() {
  const { current, stale, gone, assets, upToDate } = sourceState();
  if (stale.length > 0) {
    // Loaded only when something changed: the compiler is large and the orchestrator stays small.
    const ts = createRequire(import.meta.url)('typescript');
    const { config } = ts.readConfigFile(path.join(ROOT, 'tsconfig.build.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
    // No "type" in package.json: every file is a CommonJS module, as tsc emits it under nodenext.
    const compilerOptions = { ...options, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };
    compilerOptions.sourceMap = false;
    for (const file of stale) {
      const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: file });
      writeAtomically(path.join(OUT, file.replace(/\.ts$/, '.js')), outputText);
    }
  }
  for (const file of gone) fs.rmSync(path.join(OUT, file.replace(/\.ts$/, '.js')), { force: true });
  for (const file of assets) writeAtomically(path.join(OUT, file), fs.readFileSync(path.join(ROOT, file)));
  if (!upToDate) writeAtomically(MANIFEST, JSON.stringify(current, null, 1));
  return stale.length;
}

if (process.argv[2] === '--compile-only') {
  const started = Date.now();
  const count = compile();
  if (count > 0)
    process.stdout.write(`[start] compiled ${count} changed file(s) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
} else {
  // Compiling runs in a child process that exits, so that the compiler's memory is not kept for the whole run.
  if (!sourceState().upToDate) {
    const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--compile-only'], { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  await import(pathToFileURL(path.join(OUT, 'scripts', 'start.js')).href);
}
