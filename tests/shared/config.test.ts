import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ConfigError,
  databasePasswordVariable,
  loadConfig,
  PROJECT_ROOT,
  SERVICE_NAMES,
  servicePortVariable,
  serviceSecretVariable,
  serviceUrlVariable,
} from '../../shared/src/runtime/config';
import { runScript } from '../support/childProcess';

// Settings are read once, by loadConfig: every variable it reads is documented, each is checked, and
// nothing else in the code reads the environment (a lint rule, proved here to catch each form).

const CONFIG_SOURCE = fs.readFileSync(path.join(PROJECT_ROOT, 'shared', 'src', 'runtime', 'config.ts'), 'utf8');
const README = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

/** The variables config.ts reads: by name in a read*(env, 'NAME') call or env.NAME, and the per-service ones. */
function variablesRead(): string[] {
  const named = [
    ...CONFIG_SOURCE.matchAll(/read\w+\(\s*env,\s*'([A-Z0-9_]+)'/g),
    ...CONFIG_SOURCE.matchAll(/\benv\.([A-Z0-9_]+)/g),
  ].map((m) => m[1]);
  const perService = SERVICE_NAMES.flatMap((s) => [
    servicePortVariable(s),
    serviceUrlVariable(s),
    databasePasswordVariable(s),
    serviceSecretVariable(s),
  ]);
  return [...new Set([...named, ...perService])].sort();
}

describe('configuration', () => {
  it('documents every variable config.ts reads in the README configuration table', () => {
    const section = README.slice(README.indexOf('## Configuration'), README.indexOf('## Other commands'));
    const tableRows = section.split('\n').filter((line) => line.startsWith('| `'));
    const variables = variablesRead();
    // The parse found the settings, not a few.
    expect(variables.length).toBeGreaterThan(40);
    expect(variables).toEqual(
      expect.arrayContaining(['ROUTER_COPROCESSOR_PORT', 'GATEWAY_URL', 'AUTHORIZATION', 'DATABASE_URL']),
    );
    const undocumented = variables.filter((v) => !tableRows.some((row) => row.split('|')[1].includes(`\`${v}\``)));
    expect(undocumented).toEqual([]);
  });

  it("checks the router coprocessor's port and the report command's gateway, defaulting to npm start's gateway", () => {
    expect(loadConfig({}).routerCoprocessorPort).toBe(4010);
    expect(loadConfig({ ROUTER_COPROCESSOR_PORT: '4510' }).routerCoprocessorPort).toBe(4510);
    expect(() => loadConfig({ ROUTER_COPROCESSOR_PORT: 'abc' })).toThrow(
      new ConfigError('ROUTER_COPROCESSOR_PORT', 'must be a whole number, got "abc"'),
    );
    expect(() => loadConfig({ ROUTER_COPROCESSOR_PORT: '70000' })).toThrow(
      new ConfigError('ROUTER_COPROCESSOR_PORT', 'must be between 0 and 65535, got 70000'),
    );
    expect(loadConfig({}).reportClient).toEqual({ gatewayUrl: 'http://127.0.0.1:4000/graphql', authorization: undefined });
    expect(loadConfig({ GATEWAY_PORT: '5400', AUTHORIZATION: 'Bearer abc' }).reportClient).toEqual({
      gatewayUrl: 'http://127.0.0.1:5400/graphql',
      authorization: 'Bearer abc',
    });
    expect(loadConfig({ GATEWAY_URL: 'https://graph.example.org/graphql' }).reportClient.gatewayUrl).toBe(
      'https://graph.example.org/graphql',
    );
    expect(() => loadConfig({ GATEWAY_URL: 'ftp://graph.example.org/' })).toThrow(
      new ConfigError('GATEWAY_URL', 'must use http: or https:, got "ftp:"'),
    );
  });

  it('stops the report command on a bad GATEWAY_URL with the message and exit code 2, before any request', async () => {
    const report = runScript('scripts/report.ts', ['list'], { ...process.env, GATEWAY_URL: 'not a url', LOG_LEVEL: 'error' });
    expect(await report.exited).toBe(2);
    expect(report.stderr()).toBe('[report] Configuration error: GATEWAY_URL is not a valid URL\n');
  }, 60_000);

  it('lets nothing but config.ts read the environment: the lint rule catches each form, outside tests', () => {
    const eslint = path.join(PROJECT_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const lint = (filePath: string, code: string) =>
      spawnSync(process.execPath, [eslint, '--stdin', '--stdin-filename', filePath, '--format', 'json'], {
        cwd: PROJECT_ROOT,
        input: code,
        encoding: 'utf8',
      });
    const code = [
      'const a = process.env.FOO;',
      "const b = process.env['BAR'];",
      'const { BAZ } = process.env;',
      // Passing the whole environment on is allowed: to a child process, or to loadConfig.
      'const c = { ...process.env, X: "1" };',
      'export { a, b, BAZ, c };',
      '',
    ].join('\n');
    const ruleHits = (filePath: string) => {
      const result = lint(filePath, code);
      const [file] = JSON.parse(result.stdout) as { messages: { ruleId: string | null; line: number }[] }[];
      return file.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line);
    };
    for (const where of ['scripts/x.ts', 'gateway/src/x.ts', 'services/migration-data/src/x.ts', 'shared/src/io/x.ts']) {
      expect([where, ruleHits(where)]).toEqual([where, [1, 2, 3]]);
    }
    // Tests set up the environment of what they start; config.ts is where settings are read.
    expect(ruleHits('tests/x.test.ts')).toEqual([]);
    expect(ruleHits('shared/src/runtime/config.ts')).toEqual([]);
  }, 120_000);
});
