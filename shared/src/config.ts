import path from 'node:path';

/** The four domain services, in port order. One name per service everywhere. */
export const SERVICE_NAMES = [
  'legal-instruments',
  'migration-data',
  'consultative-processes',
  'un-partnerships',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Postgres schema owned by each service. */
export const SERVICE_SCHEMAS: Record<ServiceName, string> = {
  'legal-instruments': 'legal',
  'migration-data': 'data',
  'consultative-processes': 'dialogue',
  'un-partnerships': 'partners',
};

export const DEFAULT_PORTS: Record<ServiceName | 'gateway', number> = {
  gateway: 4000,
  'legal-instruments': 4001,
  'migration-data': 4002,
  'consultative-processes': 4003,
  'un-partnerships': 4004,
};

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export interface DatabaseConfig {
  /** A postgres:// URL; undefined means "run the embedded PostgreSQL". */
  url: string | undefined;
  embeddedPort: number;
  embeddedDir: string;
  poolSize: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
}

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  host: string;
  database: DatabaseConfig;
  ports: Record<ServiceName | 'gateway', number>;
  serviceUrls: Record<ServiceName, string>;
  /** How long the gateway waits for one subgraph call before giving up on it. */
  subgraphTimeoutMs: number;
  /** Seconds a whole query response stays in the gateway's response cache; 0 turns it off. */
  responseCacheTtlSeconds: number;
  /** Redis for the response cache; without it the cache lives in the gateway's memory. */
  redisUrl: string | undefined;
  supergraphPath: string;
}

/** Project root: two levels above this file (shared/src). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

function envKey(name: ServiceName): string {
  return name.toUpperCase().replace(/-/g, '_');
}

function readInt(env: NodeJS.ProcessEnv, variable: string, fallback: number, min: number, max: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(variable, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(variable, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readEnum<T extends string>(env: NodeJS.ProcessEnv, variable: string, allowed: readonly T[], fallback: T): T {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(variable, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function readUrl(env: NodeJS.ProcessEnv, variable: string, protocols: string[]): string | undefined {
  const raw = env[variable];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(variable, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(variable, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

/**
 * Reads and validates every setting once. Nothing else in the project reads process.env:
 * a missing or malformed setting stops the process with a message naming the variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = readEnum(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const host = env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1';
  const ports = {
    gateway: readInt(env, 'GATEWAY_PORT', DEFAULT_PORTS.gateway, 0, 65535),
  } as Record<ServiceName | 'gateway', number>;
  const serviceUrls = {} as Record<ServiceName, string>;
  for (const name of SERVICE_NAMES) {
    ports[name] = readInt(env, `${envKey(name)}_PORT`, DEFAULT_PORTS[name], 0, 65535);
    serviceUrls[name] =
      readUrl(env, `${envKey(name)}_URL`, ['http:', 'https:']) ?? `http://127.0.0.1:${ports[name]}/graphql`;
  }
  const embeddedDirRaw = env.EMBEDDED_PG_DIR && env.EMBEDDED_PG_DIR !== '' ? env.EMBEDDED_PG_DIR : '.data/postgres';
  return {
    nodeEnv,
    logLevel: readEnum(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, nodeEnv === 'test' ? 'warn' : 'info'),
    host,
    database: {
      url: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
      embeddedPort: readInt(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
      embeddedDir: path.resolve(PROJECT_ROOT, embeddedDirRaw),
      poolSize: readInt(env, 'DB_POOL_SIZE', 10, 1, 200),
      statementTimeoutMs: readInt(env, 'DB_STATEMENT_TIMEOUT_MS', 10000, 100, 600000),
      connectTimeoutMs: readInt(env, 'DB_CONNECT_TIMEOUT_MS', 5000, 100, 120000),
    },
    ports,
    serviceUrls,
    subgraphTimeoutMs: readInt(env, 'SUBGRAPH_TIMEOUT_MS', 10000, 50, 300000),
    responseCacheTtlSeconds: readInt(env, 'RESPONSE_CACHE_TTL_S', 0, 0, 86400),
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    supergraphPath: path.resolve(PROJECT_ROOT, env.SUPERGRAPH_PATH && env.SUPERGRAPH_PATH !== '' ? env.SUPERGRAPH_PATH : 'gateway/supergraph.graphql'),
  };
}
