import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { databasePasswordVariable, loadConfig, PROJECT_ROOT, serviceSecretVariable } from '../../shared/src/runtime/config';
import { envPrefix, SERVICE_REGISTRY } from '../../shared/src/runtime/registry';
import { authOptionsFromConfig, createAuthenticator, localJwtSecret } from '../../gateway/src/auth';

/**
 * The two Compose files, development (docker-compose.yml) and production
 * (docker-compose.production.yml), checked without a Docker engine: parsed as YAML and compared with
 * what each process needs, then resolved by the Compose binary where one is installed.
 */

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
}

const PROFILES = [
  { profile: 'development', file: 'docker-compose.yml' },
  { profile: 'production', file: 'docker-compose.production.yml' },
] as const;
const read = (file: string) =>
  parse(fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8')) as { services: Record<string, ComposeService> };

const SUBGRAPHS = SERVICE_REGISTRY.map(({ name, port }) => ({ name, port, env: envPrefix(name) }));
const APP = [...SUBGRAPHS.map((s) => s.name), 'gateway', 'migrate'];

/** Resolves ${VAR:-default} and ${VAR:?message} as Compose does; throws with the message when a required one is missing. */
function resolve(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(:-|:\?)([^}]*)\}/g, (_, name: string, op: string, rest: string) => {
    if (env[name]) return env[name];
    if (op === ':-') return rest;
    throw new Error(rest);
  });
}

const readyz = (port: number) => [
  'CMD',
  'node',
  '-e',
  `fetch('http://127.0.0.1:${port}/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))`,
];

/** Everything production requires from the environment. */
const PRODUCTION_ENV: Record<string, string> = {
  POSTGRES_PASSWORD: 'p'.repeat(32),
  ...Object.fromEntries(
    SUBGRAPHS.flatMap(({ name }) => [
      [databasePasswordVariable(name), 'd'.repeat(32)],
      [serviceSecretVariable(name), 's'.repeat(32)],
    ]),
  ),
  JWT_JWKS_URL: 'https://issuer.example/.well-known/jwks.json',
  JWT_ISSUER: 'https://issuer.example/',
  JWT_AUDIENCE: 'migration-graph',
  METRICS_TOKEN: 'm'.repeat(32),
};

describe.each(PROFILES)('the $profile Compose file ($file)', ({ profile, file }) => {
  const compose = read(file);
  const service = (name: string) => {
    const found = compose.services[name];
    if (!found) throw new Error(`${file} has no service "${name}"`);
    return found;
  };
  const env = (name: string) => service(name).environment ?? {};

  it('runs postgres, redis, the migrate job, one container per registry line and the gateway, each app container from the one image, compiled', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'redis', ...APP].sort());
    const commands = Object.fromEntries(APP.map((name) => [name, service(name).command]));
    expect(commands).toEqual({
      ...Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, ['node', 'dist/scripts/runService.js', name]])),
      gateway: ['node', 'dist/gateway/src/index.js'],
      migrate: ['node', 'dist/scripts/migrate.js'],
    });
    // Each command's source exists (npm run build compiles it to the path named).
    for (const command of Object.values(commands)) {
      const source = String(command?.[1])
        .replace(/^dist\//, '')
        .replace(/\.js$/, '.ts');
      expect({ source, exists: fs.existsSync(path.join(PROJECT_ROOT, source)) }).toEqual({ source, exists: true });
    }
    for (const name of APP) {
      expect({ name, image: service(name).image, build: service(name).build, env: env(name).NODE_ENV }).toEqual({
        name,
        image: 'migration-graph:local',
        build: '.',
        env: profile,
      });
    }
    expect(service('migrate').restart).toBe('no');
  });

  it('starts each service after a healthy PostgreSQL and a completed migrate job, and the gateway after every healthy service', () => {
    expect(service('migrate').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const { name, port } of SUBGRAPHS) {
      expect({ name, depends: service(name).depends_on, health: service(name).healthcheck?.test }).toEqual({
        name,
        depends: { postgres: { condition: 'service_healthy' }, migrate: { condition: 'service_completed_successfully' } },
        health: readyz(port),
      });
      expect(service(name).expose).toEqual([String(port)]);
      expect(env('gateway')[`${envPrefix(name)}_URL`]).toBe(`http://${name}:${port}/graphql`);
    }
    expect(service('gateway').depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      ...Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, { condition: 'service_healthy' }])),
    });
    expect(service('gateway').healthcheck?.test).toEqual(readyz(4000));
  });

  it('gives the superuser to the migrate job only, each service its own database password and signing secret only, and the gateway every signing secret and no database setting', () => {
    const held = Object.fromEntries(
      Object.entries(compose.services).map(([name, svc]) => {
        const vars = svc.environment ?? {};
        return [
          name,
          {
            superuser: Object.values(vars).some((v) => v.includes('${POSTGRES_PASSWORD')),
            secrets: Object.keys(vars)
              .filter((k) => k.startsWith('DATABASE_') || k.startsWith('SERVICE_SECRET_'))
              .sort(),
          },
        ];
      }),
    );
    expect(held).toEqual({
      postgres: { superuser: true, secrets: [] },
      redis: { superuser: false, secrets: [] },
      migrate: {
        superuser: true,
        secrets: ['DATABASE_URL', ...SUBGRAPHS.map(({ name }) => databasePasswordVariable(name))].sort(),
      },
      ...Object.fromEntries(
        SUBGRAPHS.map(({ name }) => [
          name,
          { superuser: false, secrets: ['DATABASE_URL', databasePasswordVariable(name), serviceSecretVariable(name)].sort() },
        ]),
      ),
      gateway: { superuser: false, secrets: SUBGRAPHS.map(({ name }) => serviceSecretVariable(name)).sort() },
    });
    // A service's URL names the server and database only: it logs in as its own role.
    for (const { name } of SUBGRAPHS) expect(env(name).DATABASE_URL).toBe('postgres://postgres:5432/migration_graph');
  });

  it('has the gateway and every service write JSON log lines and answer GET /metrics to METRICS_TOKEN only; the migrate job writes JSON lines too', () => {
    const observed = Object.fromEntries(
      Object.entries(compose.services).map(([name, svc]) => [
        name,
        { logFormat: svc.environment?.LOG_FORMAT, metricsToken: svc.environment?.METRICS_TOKEN !== undefined },
      ]),
    );
    expect(observed).toEqual({
      postgres: { logFormat: undefined, metricsToken: false },
      redis: { logFormat: undefined, metricsToken: false },
      migrate: { logFormat: 'json', metricsToken: false },
      gateway: { logFormat: 'json', metricsToken: true },
      ...Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, { logFormat: 'json', metricsToken: true }])),
    });
    // As the configuration reads it: a token long enough, the same for every process Prometheus scrapes.
    const environment = profile === 'production' ? PRODUCTION_ENV : {};
    const resolved = [...SUBGRAPHS.map(({ name }) => name), 'gateway'].map((name) => {
      const config = loadConfig({
        METRICS_TOKEN: resolve(env(name).METRICS_TOKEN, environment),
        LOG_FORMAT: env(name).LOG_FORMAT,
      });
      return `${config.logFormat} ${config.metricsToken}`;
    });
    const expectedToken = profile === 'production' ? PRODUCTION_ENV.METRICS_TOKEN : 'development-only-metrics-token-of-32-chars';
    expect(new Set(resolved)).toEqual(new Set([`json ${expectedToken}`]));
    if (profile === 'production') {
      expect(() => resolve(env('gateway').METRICS_TOKEN, {})).toThrow('set the bearer token Prometheus scrapes /metrics with');
    }
  });

  if (profile === 'development') {
    it('needs nothing set: every value from the environment has a development default, every secret is long enough, and the gateway listens on loopback only', () => {
      const values = Object.values(compose.services).flatMap((s) => Object.values(s.environment ?? {}));
      expect(values.filter((v) => v.includes('${') && !/^[^$]*(\$\{\w+:-[^}]+\}[^$]*)+$/.test(v))).toEqual([]);
      for (const { name } of SUBGRAPHS) {
        expect(resolve(env(name)[serviceSecretVariable(name)], {}).length).toBeGreaterThanOrEqual(32);
        expect(resolve(env(name)[databasePasswordVariable(name)], {}).length).toBeGreaterThanOrEqual(32);
      }
      expect(service('gateway').ports).toEqual(['127.0.0.1:4000:4000']);
      expect(Object.keys(env('gateway'))).not.toContain('JWT_JWKS_URL');
    });

    it('has a gateway that accepts the tokens npm run token makes with its settings, and refuses others', async () => {
      const gatewayEnv = Object.fromEntries(Object.entries(env('gateway')).map(([k, v]) => [k, resolve(v, {})]));
      const token = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'scripts/token.ts', '--role', 'partner', '--sub', 'compose'],
        {
          cwd: PROJECT_ROOT,
          env: { PATH: process.env.PATH, ...gatewayEnv },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect({ status: token.status, stderr: token.stderr }).toEqual({ status: 0, stderr: '' });
      const config = loadConfig(gatewayEnv);
      // No local secret file: the secret must come from the Compose file's own settings.
      const authenticate = createAuthenticator(authOptionsFromConfig(config, localJwtSecret(config, '/nonexistent/secret')));
      await expect(authenticate(`Bearer ${token.stdout.trim()}`)).resolves.toEqual({ sub: 'compose', roles: ['partner'] });
      const other = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/token.ts', '--role', 'partner', '--sub', 'x'], {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, ...gatewayEnv, JWT_SECRET: 'another-secret-of-at-least-32-characters' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      await expect(authenticate(`Bearer ${other.stdout.trim()}`)).rejects.toThrow();
    }, 120_000);
  } else {
    it('requires every password and secret and the identity provider from the environment, with no default and no local token secret', () => {
      const values = Object.values(compose.services).flatMap((s) => Object.values(s.environment ?? {}));
      expect(values.filter((v) => v.includes(':-'))).toEqual([]);
      expect(() => resolve(env('gateway').JWT_JWKS_URL, {})).toThrow("set the identity provider's JWKS URL");
      for (const [variable, message] of [
        ...SUBGRAPHS.map(({ name }) => [serviceSecretVariable(name), 'set one signing secret per service']),
        ...SUBGRAPHS.map(({ name }) => [databasePasswordVariable(name), 'set one database password per service']),
      ]) {
        const value = Object.values(compose.services)
          .map((s) => s.environment?.[variable])
          .find((v) => v !== undefined);
        expect(() => resolve(value ?? '', {})).toThrow(message);
      }
      expect(Object.keys(env('gateway'))).not.toContain('JWT_SECRET');
      // The gateway's settings as resolved are valid production settings.
      const gatewayEnv = Object.fromEntries(Object.entries(env('gateway')).map(([k, v]) => [k, resolve(v, PRODUCTION_ENV)]));
      expect(() => authOptionsFromConfig(loadConfig(gatewayEnv))).not.toThrow();
      expect(service('gateway').ports).toEqual(['4000:4000']);
    });
  }

  // The Compose binary resolves and validates the whole file as `docker compose up` reads it.
  const cli = ['docker compose', 'docker-compose'].find(
    (c) => spawnSync(c.split(' ')[0], [...c.split(' ').slice(1), 'version'], { encoding: 'utf8' }).status === 0,
  );
  (cli ? it : it.skip)(
    `is accepted by \`${cli ?? 'docker compose'} config\`${profile === 'production' ? ' with every required value, and refused without one' : ' with nothing set'}`,
    () => {
      const [bin, ...pre] = (cli ?? '').split(' ');
      const run = (vars: Record<string, string>) =>
        spawnSync(bin, [...pre, '-f', path.join(PROJECT_ROOT, file), 'config', '--quiet'], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: process.env.HOME, ...vars },
          timeout: 60_000,
        });
      if (profile === 'development') {
        const ok = run({});
        expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
        return;
      }
      const ok = run(PRODUCTION_ENV);
      expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
      const withoutOne = Object.fromEntries(
        Object.entries(PRODUCTION_ENV).filter(([k]) => k !== databasePasswordVariable('migration-data')),
      );
      const refused = run(withoutOne);
      expect({ refused: refused.status !== 0, says: /set one database password per service/.test(refused.stderr) }).toEqual({
        refused: true,
        says: true,
      });
    },
  );
});
