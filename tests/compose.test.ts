import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { envPrefix, SERVICE_REGISTRY } from '../shared/src/runtime/registry';

/**
 * Checks the structure of docker-compose.yml without a Docker engine or a database:
 * the file is parsed as YAML (merge keys resolved, as Compose does) and compared with
 * what the four subgraphs and the gateway need.
 */

interface Healthcheck {
  test: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

interface DependsOnEntry {
  condition: string;
}

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, DependsOnEntry>;
  healthcheck?: Healthcheck;
  restart?: string;
}

interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const COMPOSE_PATH = path.resolve(__dirname, '..', 'docker-compose.yml');
const compose = parse(readFileSync(COMPOSE_PATH, 'utf8'), { merge: true }) as ComposeFile;

const SUBGRAPHS = SERVICE_REGISTRY.map(({ name, port }) => ({ name, port, env: envPrefix(name) }));

const APP_SERVICES = [...SUBGRAPHS.map((s) => s.name), 'gateway'] as const;
// The superuser's URL, for the migrate job only; a service's URL names no user or password.
const ADMIN_DATABASE_URL =
  'postgres://migration_graph:${POSTGRES_PASSWORD:?set the PostgreSQL superuser password}@postgres:5432/migration_graph';
const SERVICE_DATABASE_URL = 'postgres://postgres:5432/migration_graph';
const databasePassword = (env: string) => `\${DATABASE_PASSWORD_${env}:?set one database password per service}`;

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function readyzHealthcheck(port: number): string[] {
  return [
    'CMD',
    'node',
    '-e',
    `fetch('http://127.0.0.1:${port}/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))`,
  ];
}

describe('docker-compose.yml', () => {
  test('it defines exactly postgres, redis, migrate, the four subgraphs and the gateway.', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'redis', 'migrate', ...APP_SERVICES].sort());
  });

  test('postgres runs postgres:16 on a named volume with a pg_isready healthcheck.', () => {
    const postgres = service('postgres');
    expect(postgres.image).toBe('postgres:16');
    expect(postgres.environment).toEqual({
      POSTGRES_USER: 'migration_graph',
      // Required: no default superuser password.
      POSTGRES_PASSWORD: '${POSTGRES_PASSWORD:?set the PostgreSQL superuser password}',
      POSTGRES_DB: 'migration_graph',
    });
    expect(postgres.volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(Object.keys(compose.volumes ?? {})).toEqual(['pgdata']);
    expect(postgres.healthcheck?.test).toEqual(['CMD-SHELL', 'pg_isready -U migration_graph -d migration_graph']);
  });

  test('redis runs redis:7 with a redis-cli ping healthcheck.', () => {
    const redis = service('redis');
    expect(redis.image).toBe('redis:7');
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  test('the migrate job runs the migration script once, after postgres is healthy.', () => {
    const migrate = service('migrate');
    expect(migrate.command).toEqual(['node', '--import', 'tsx', 'scripts/migrate.ts']);
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(migrate.environment).toEqual({
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '0.0.0.0',
      DB_POOL_SIZE: '10',
      DB_STATEMENT_TIMEOUT_MS: '10000',
      // The superuser, to create each service's role and schema; the four passwords those roles get.
      DATABASE_URL: ADMIN_DATABASE_URL,
      ...Object.fromEntries(SUBGRAPHS.map(({ env }) => [`DATABASE_PASSWORD_${env}`, databasePassword(env)])),
    });
  });

  test.each(SUBGRAPHS)(
    'the $name service listens on $port, inside the network only, with the database wired in.',
    ({ name, port, env }) => {
      const svc = service(name);
      expect(svc.command).toEqual(['node', '--import', 'tsx', 'scripts/runService.ts', name]);
      expect(svc.environment).toEqual({
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        HOST: '0.0.0.0',
        // The server and database only: the service logs in as its own role with its own password.
        DATABASE_URL: SERVICE_DATABASE_URL,
        [`DATABASE_PASSWORD_${env}`]: databasePassword(env),
        DB_POOL_SIZE: '10',
        DB_STATEMENT_TIMEOUT_MS: '10000',
        [`${env}_PORT`]: String(port),
        REDIS_URL: 'redis://redis:6379',
        // Its own signing secret only, required from the environment.
        [`SERVICE_SECRET_${env}`]: `\${SERVICE_SECRET_${env}:?set one signing secret per service}`,
      });
      expect(svc.expose).toEqual([String(port)]);
      expect(svc.ports).toBeUndefined();
    },
  );

  test.each(SUBGRAPHS)('the $name service waits for healthy postgres and redis and a completed migrate job.', ({ name }) => {
    expect(service(name).depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
  });

  test.each(SUBGRAPHS)('the $name service is healthy only when its own /readyz answers.', ({ name, port }) => {
    expect(service(name).healthcheck).toEqual({
      test: readyzHealthcheck(port),
      interval: '10s',
      timeout: '5s',
      retries: 5,
      start_period: '30s',
    });
  });

  test('the gateway waits for all four subgraphs to be healthy, and for redis.', () => {
    expect(service('gateway').depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      ...Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, { condition: 'service_healthy' }])),
    });
  });

  test('the gateway publishes port 4000 and reaches each subgraph by its compose service name.', () => {
    const gateway = service('gateway');
    expect(gateway.command).toEqual(['node', '--import', 'tsx', 'gateway/src/index.ts']);
    expect(gateway.ports).toEqual(['4000:4000']);
    const expectedUrls = Object.fromEntries(
      SUBGRAPHS.map(({ name, port, env }) => [`${env}_URL`, `http://${name}:${port}/graphql`]),
    );
    expect(gateway.environment).toEqual({
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '0.0.0.0',
      GATEWAY_PORT: '4000',
      REDIS_URL: 'redis://redis:6379',
      ...expectedUrls,
      // All four signing secrets and the token issuer's settings, required from the environment.
      ...Object.fromEntries(
        SUBGRAPHS.map(({ env }) => [`SERVICE_SECRET_${env}`, `\${SERVICE_SECRET_${env}:?set one signing secret per service}`]),
      ),
      JWT_JWKS_URL: "${JWT_JWKS_URL:?set the token issuer's JWKS URL}",
      JWT_ISSUER: '${JWT_ISSUER:?set the token issuer}',
      JWT_AUDIENCE: '${JWT_AUDIENCE:?set the token audience}',
    });
    expect(gateway.healthcheck?.test).toEqual(readyzHealthcheck(4000));
  });

  test('only the migrate job holds the superuser password; each service holds its own database password only; the gateway holds no database setting.', () => {
    const holders = Object.fromEntries(
      Object.entries(compose.services).map(([name, svc]) => {
        const env = svc.environment ?? {};
        return [
          name,
          {
            superuser: Object.values(env).some((v) => v.includes('${POSTGRES_PASSWORD')),
            databaseSettings: Object.keys(env)
              .filter((k) => k.startsWith('DATABASE_'))
              .sort(),
          },
        ];
      }),
    );
    expect(holders).toEqual({
      postgres: { superuser: true, databaseSettings: [] },
      redis: { superuser: false, databaseSettings: [] },
      migrate: {
        superuser: true,
        databaseSettings: ['DATABASE_URL', ...SUBGRAPHS.map(({ env }) => `DATABASE_PASSWORD_${env}`)].sort(),
      },
      ...Object.fromEntries(
        SUBGRAPHS.map(({ name, env }) => [
          name,
          { superuser: false, databaseSettings: [`DATABASE_PASSWORD_${env}`, 'DATABASE_URL'] },
        ]),
      ),
      gateway: { superuser: false, databaseSettings: [] },
    });
  });

  // `docker compose config` resolves and validates the whole file as Compose itself reads it.
  const composeCli = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
  (composeCli ? test : test.skip)(
    'docker compose config accepts the file with every required value set, and refuses it without the database passwords.',
    () => {
      const required: Record<string, string> = {
        POSTGRES_PASSWORD: 'p'.repeat(32),
        ...Object.fromEntries(
          SUBGRAPHS.flatMap(({ env }) => [
            [`DATABASE_PASSWORD_${env}`, 'd'.repeat(32)],
            [`SERVICE_SECRET_${env}`, 's'.repeat(32)],
          ]),
        ),
        JWT_JWKS_URL: 'https://issuer.example/.well-known/jwks.json',
        JWT_ISSUER: 'https://issuer.example/',
        JWT_AUDIENCE: 'migration-graph',
      };
      const run = (env: Record<string, string>) =>
        spawnSync('docker', ['compose', '-f', COMPOSE_PATH, 'config', '--quiet'], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, ...env },
        });
      expect(run(required).status).toBe(0);
      const { DATABASE_PASSWORD_MIGRATION_DATA: _omitted, ...withoutOne } = required;
      const refused = run(withoutOne);
      expect({ status: refused.status, says: /set one database password per service/.test(refused.stderr) }).toEqual({
        status: 1,
        says: true,
      });
    },
  );

  test('only the gateway publishes a port to the host.', () => {
    const publishing = Object.entries(compose.services)
      .filter(([, svc]) => svc.ports !== undefined)
      .map(([name]) => name);
    expect(publishing).toEqual(['gateway']);
  });

  test('every application container binds 0.0.0.0 and runs the one project image built from the Dockerfile.', () => {
    for (const name of [...APP_SERVICES, 'migrate']) {
      const svc = service(name);
      expect({ name, host: svc.environment?.HOST, image: svc.image, build: svc.build }).toEqual({
        name,
        host: '0.0.0.0',
        image: 'migration-graph:local',
        build: '.',
      });
    }
  });

  test('no service turns on TypeORM synchronize.', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      expect({ name, mentionsSynchronize: /synchroni[sz]e/i.test(JSON.stringify(svc)) }).toEqual({
        name,
        mentionsSynchronize: false,
      });
    }
  });

  test('every image is pinned to an explicit tag other than latest.', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      const image = svc.image ?? '';
      const tag = /:([^/:]+)$/.exec(image)?.[1];
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^(?!latest$)\S+$/) });
    }
  });
});
