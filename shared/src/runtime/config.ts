import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { envPrefix, SERVICE_REGISTRY, type ServiceName } from './registry';

/** The domain services, in port order, as shared/src/runtime/registry.ts lists them. One name per service everywhere. */
export const SERVICE_NAMES = SERVICE_REGISTRY.map((s) => s.name) as readonly ServiceName[];
export type { ServiceName };

/** Postgres schema owned by each service. */
export const SERVICE_SCHEMAS = Object.fromEntries(SERVICE_REGISTRY.map((s) => [s.name, s.schema])) as Record<ServiceName, string>;

export const DEFAULT_PORTS = {
  gateway: 4000,
  ...Object.fromEntries(SERVICE_REGISTRY.map((s) => [s.name, s.port])),
} as Record<ServiceName | 'gateway', number>;

/** A value for each service, in registry order: a per-service map without listing the services. */
export function perService<T>(value: (name: ServiceName) => T): Record<ServiceName, T> {
  return Object.fromEntries(SERVICE_NAMES.map((name) => [name, value(name)])) as Record<ServiceName, T>;
}

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
  /** Each service's database role password (DATABASE_PASSWORD_<SERVICE>); unset ones are derived from the administrator's. */
  rolePasswords: Partial<Record<ServiceName, string>>;
  /**
   * Outside production, where role passwords are derived from when the server's URL has none
   * (trust authentication); undefined in production, where such a password must be set.
   */
  roleSecretFile: string | undefined;
  /** READ_CACHE: services keep what they read until a change is notified (on by default; off in tests, which count statements). */
  readCache: boolean;
}

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** How the gateway and the services write their logs (LOG_FORMAT): JSON lines, or pino-pretty on a terminal by default. */
  logFormat: 'json' | 'pretty' | 'text';
  /** When set (METRICS_TOKEN), GET /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  host: string;
  database: DatabaseConfig;
  ports: Record<ServiceName | 'gateway', number>;
  serviceUrls: Record<ServiceName, string>;
  /** How long the gateway waits for one subgraph call before giving up on it. */
  subgraphTimeoutMs: number;
  /** Whether concurrent identical subgraph reads share one call. */
  subgraphDeduplication: boolean;
  /** npm start: the four services in one process (less memory, a faster start) or each in its own. */
  serviceProcesses: 'one' | 'each';
  /** Seconds a whole query response stays in the gateway's response cache; 0 turns it off. */
  responseCacheTtlSeconds: number;
  /** Redis for the response cache; without it the cache lives in the gateway's memory. */
  redisUrl: string | undefined;
  supergraphPath: string;
  /** Bearer tokens at the gateway. */
  jwt: JwtConfig;
  /**
   * The secret of each service for gateway-signed requests: the gateway needs all four, a service
   * its own. Unset ones are undefined; whoever needs one stops with a message naming its variable.
   */
  serviceSecrets: Partial<Record<ServiceName, string>>;
  /** Request limits at the gateway. */
  limits: GatewayLimits;
  /** How long a client may take to send a request's head, and then its body (gateway and services). */
  httpReadTimeoutMs: number;
  /** Origins whose pages may call the gateway from a browser: exact origins, or `scheme://host:*` for any port. */
  corsOrigins: string[];
  /** The port of the Apollo Router coprocessor (`npm run router:coprocessor`). */
  routerCoprocessorPort: number;
  /** Where `npm run report` downloads from, and the Authorization header it sends (if any). */
  reportClient: { gatewayUrl: string; authorization: string | undefined };
}

export interface JwtConfig {
  /** HS256 secret for local tokens (development and test only). */
  secret: string | undefined;
  /** JWKS of the identity provider (RS256, ES256). */
  jwksUrl: string | undefined;
  issuer: string | undefined;
  audience: string | undefined;
  clockSkewSeconds: number;
  /** The longest lifetime (exp after iat, or after now) a token may claim. */
  maxLifetimeSeconds: number;
}

export interface GatewayLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  /** Most values in one list argument (a literal list or a list variable). */
  maxListLength: number;
  maxBodyBytes: number;
}

/** The request limits' defaults (GRAPHQL_MAX_*, MAX_BODY_BYTES): the one place they are written. */
export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 2000,
  maxCost: 200000,
  maxListLength: 300,
  maxBodyBytes: 256 * 1024,
};

/** Default of HTTP_READ_TIMEOUT_MS: a request of the largest allowed body arrives in well under a second. */
export const DEFAULT_READ_TIMEOUT_MS = 15_000;

/** Default of CORS_ORIGINS outside production: pages served from this machine on any port (a dev server). */
export const DEFAULT_DEVELOPMENT_CORS_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'];

/** Default of JWT_MAX_LIFETIME_S: identity providers issue access tokens for minutes to hours; a day is the most we honour. */
export const DEFAULT_JWT_MAX_LIFETIME_S = 24 * 3600;

/** The smallest secret accepted, in characters. */
export const MIN_SECRET_LENGTH = 32;

/** The variable that holds one service's signing secret: SERVICE_SECRET_LEGAL_INSTRUMENTS, ... */
export function serviceSecretVariable(service: ServiceName): string {
  return `SERVICE_SECRET_${envPrefix(service)}`;
}

/** A service's own secret derived from one development/test secret (refused in production). */
export function deriveServiceSecret(master: string, service: ServiceName): string {
  return crypto.createHmac('sha256', master).update(`migration-graph service secret: ${service}`, 'utf8').digest('hex');
}

/** The variable that holds one service's database role password: DATABASE_PASSWORD_LEGAL_INSTRUMENTS, ... */
export function databasePasswordVariable(service: ServiceName): string {
  return `DATABASE_PASSWORD_${envPrefix(service)}`;
}

/** The variable that sets a service's port: LEGAL_INSTRUMENTS_PORT, ... */
export function servicePortVariable(service: ServiceName): string {
  return `${envPrefix(service)}_PORT`;
}

/** The variable that points the gateway at a service: LEGAL_INSTRUMENTS_URL, ... */
export function serviceUrlVariable(service: ServiceName): string {
  return `${envPrefix(service)}_URL`;
}

/**
 * The gateway's and every service's ports moved together from their defaults so that the gateway
 * is on `gatewayPort`: a second stack beside the first (benchmarks, soak) without a clash.
 */
export function shiftedPorts(gatewayPort: number): Record<ServiceName | 'gateway', number> {
  const shift = gatewayPort - DEFAULT_PORTS.gateway;
  return Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([name, port]) => [name, port + shift])) as Record<
    ServiceName | 'gateway',
    number
  >;
}

/** The environment that puts the gateway and each service on these ports (GATEWAY_PORT, LEGAL_INSTRUMENTS_PORT, ...). */
export function portVariables(ports: Record<ServiceName | 'gateway', number>): Record<string, string> {
  return {
    GATEWAY_PORT: String(ports.gateway),
    ...Object.fromEntries(SERVICE_NAMES.map((name) => [servicePortVariable(name), String(ports[name])])),
  };
}

/** The environment that points a gateway at each service on these ports of `host` (LEGAL_INSTRUMENTS_URL, ...). */
export function serviceUrlVariables(ports: Record<ServiceName, number>, host = '127.0.0.1'): Record<string, string> {
  return Object.fromEntries(SERVICE_NAMES.map((name) => [serviceUrlVariable(name), `http://${host}:${ports[name]}/graphql`]));
}

/**
 * Where the running code lives: the project root when TypeScript runs through tsx, dist/ when it
 * runs compiled (`npm run build`). Code found at run time (migrations) is looked up here.
 */
export const CODE_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Project root: the folder of package.json, above CODE_ROOT (itself, or its parent for the
 * compiled dist/). Data files (schemas, seed CSVs, operations, the supergraph, .data) are read from here.
 */
export const PROJECT_ROOT = fs.existsSync(path.join(CODE_ROOT, 'package.json')) ? CODE_ROOT : path.dirname(CODE_ROOT);

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

function readSecret(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const raw = env[variable];
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < MIN_SECRET_LENGTH) throw new ConfigError(variable, `must be at least ${MIN_SECRET_LENGTH} characters long`);
  return raw;
}

function readText(env: NodeJS.ProcessEnv, variable: string, fallback: string | undefined): string | undefined {
  const raw = env[variable];
  return raw === undefined || raw === '' ? fallback : raw;
}

/** An origin as a browser sends it (scheme, host, optional port), or one with `*` for its port. */
const CORS_ORIGIN_PATTERN = /^https?:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(?:\d{1,5}|\*))?$/;

/** CORS_ORIGINS: a comma-separated list; unset, the local machine outside production and nothing in production. */
function readCorsOrigins(env: NodeJS.ProcessEnv, production: boolean): string[] {
  const raw = env.CORS_ORIGINS;
  if (raw === undefined || raw.trim() === '') return production ? [] : [...DEFAULT_DEVELOPMENT_CORS_ORIGINS];
  const origins = raw
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  const invalid = origins.find((entry) => !CORS_ORIGIN_PATTERN.test(entry));
  if (invalid !== undefined) {
    throw new ConfigError(
      'CORS_ORIGINS',
      `has "${invalid}", which is not an origin: scheme://host or scheme://host:port, where the port may be *`,
    );
  }
  return origins;
}

function readServiceSecrets(env: NodeJS.ProcessEnv, production: boolean): Partial<Record<ServiceName, string>> {
  const master = readSecret(env, 'SERVICE_SIGNING_SECRET');
  if (master && production) {
    throw new ConfigError(
      'SERVICE_SIGNING_SECRET',
      'is for development and test only: in production set one SERVICE_SECRET_<SERVICE> per service',
    );
  }
  const secrets: Partial<Record<ServiceName, string>> = {};
  for (const name of SERVICE_NAMES) {
    const own = readSecret(env, serviceSecretVariable(name));
    const value = own ?? (master ? deriveServiceSecret(master, name) : undefined);
    if (value) secrets[name] = value;
  }
  return secrets;
}

function readJwt(env: NodeJS.ProcessEnv, production: boolean): JwtConfig {
  const secret = readSecret(env, 'JWT_SECRET');
  if (secret && production) {
    throw new ConfigError(
      'JWT_SECRET',
      'is for local HS256 tokens only: in production the gateway verifies RS256/ES256 tokens with the keys at JWT_JWKS_URL',
    );
  }
  const jwksUrl = readUrl(env, 'JWT_JWKS_URL', production ? ['https:'] : ['https:', 'http:']);
  return {
    secret,
    jwksUrl,
    issuer: readText(env, 'JWT_ISSUER', production ? undefined : 'migration-graph-local'),
    audience: readText(env, 'JWT_AUDIENCE', production ? undefined : 'migration-graph'),
    clockSkewSeconds: readInt(env, 'JWT_CLOCK_SKEW_S', 30, 0, 300),
    maxLifetimeSeconds: readInt(env, 'JWT_MAX_LIFETIME_S', DEFAULT_JWT_MAX_LIFETIME_S, 60, 30 * 24 * 3600),
  };
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
    ports[name] = readInt(env, servicePortVariable(name), DEFAULT_PORTS[name], 0, 65535);
    serviceUrls[name] = readUrl(env, serviceUrlVariable(name), ['http:', 'https:']) ?? `http://127.0.0.1:${ports[name]}/graphql`;
  }
  const embeddedDirRaw = env.EMBEDDED_PG_DIR && env.EMBEDDED_PG_DIR !== '' ? env.EMBEDDED_PG_DIR : '.data/postgres';
  return {
    nodeEnv,
    logLevel: readEnum(
      env,
      'LOG_LEVEL',
      ['debug', 'info', 'warn', 'error', 'silent'] as const,
      nodeEnv === 'test' ? 'warn' : 'info',
    ),
    logFormat: readEnum(env, 'LOG_FORMAT', ['json', 'pretty', 'text'] as const, process.stdout.isTTY ? 'pretty' : 'json'),
    metricsToken: readSecret(env, 'METRICS_TOKEN'),
    host,
    database: {
      url: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
      embeddedPort: readInt(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
      embeddedDir: path.resolve(PROJECT_ROOT, embeddedDirRaw),
      poolSize: readInt(env, 'DB_POOL_SIZE', 10, 1, 200),
      statementTimeoutMs: readInt(env, 'DB_STATEMENT_TIMEOUT_MS', 10000, 100, 600000),
      connectTimeoutMs: readInt(env, 'DB_CONNECT_TIMEOUT_MS', 5000, 100, 120000),
      rolePasswords: Object.fromEntries(
        SERVICE_NAMES.map((name) => [name, readSecret(env, databasePasswordVariable(name))]).filter(
          ([, value]) => value !== undefined,
        ),
      ),
      roleSecretFile: nodeEnv === 'production' ? undefined : path.join(PROJECT_ROOT, '.data', 'database-role-secret'),
      readCache: readEnum(env, 'READ_CACHE', ['on', 'off'] as const, nodeEnv === 'test' ? 'off' : 'on') === 'on',
    },
    ports,
    serviceUrls,
    subgraphTimeoutMs: readInt(env, 'SUBGRAPH_TIMEOUT_MS', 10000, 50, 300000),
    subgraphDeduplication: readEnum(env, 'SUBGRAPH_DEDUPLICATION', ['on', 'off'] as const, 'on') === 'on',
    serviceProcesses: readEnum(env, 'SERVICE_PROCESSES', ['one', 'each'] as const, 'one'),
    responseCacheTtlSeconds: readInt(env, 'RESPONSE_CACHE_TTL_S', 0, 0, 86400),
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    supergraphPath: path.resolve(
      PROJECT_ROOT,
      env.SUPERGRAPH_PATH && env.SUPERGRAPH_PATH !== '' ? env.SUPERGRAPH_PATH : 'gateway/supergraph.graphql',
    ),
    jwt: readJwt(env, nodeEnv === 'production'),
    serviceSecrets: readServiceSecrets(env, nodeEnv === 'production'),
    limits: {
      maxDepth: readInt(env, 'GRAPHQL_MAX_DEPTH', DEFAULT_GATEWAY_LIMITS.maxDepth, 1, 100),
      maxAliases: readInt(env, 'GRAPHQL_MAX_ALIASES', DEFAULT_GATEWAY_LIMITS.maxAliases, 0, 1000),
      maxTokens: readInt(env, 'GRAPHQL_MAX_TOKENS', DEFAULT_GATEWAY_LIMITS.maxTokens, 10, 100000),
      maxCost: readInt(env, 'GRAPHQL_MAX_COST', DEFAULT_GATEWAY_LIMITS.maxCost, 10, 10000000),
      maxListLength: readInt(env, 'GRAPHQL_MAX_LIST_LENGTH', DEFAULT_GATEWAY_LIMITS.maxListLength, 1, 100000),
      maxBodyBytes: readInt(env, 'MAX_BODY_BYTES', DEFAULT_GATEWAY_LIMITS.maxBodyBytes, 1024, 16 * 1024 * 1024),
    },
    httpReadTimeoutMs: readInt(env, 'HTTP_READ_TIMEOUT_MS', DEFAULT_READ_TIMEOUT_MS, 100, 300000),
    corsOrigins: readCorsOrigins(env, nodeEnv === 'production'),
    routerCoprocessorPort: readInt(env, 'ROUTER_COPROCESSOR_PORT', 4010, 0, 65535),
    reportClient: {
      // The gateway npm start runs on this machine, wherever GATEWAY_PORT put it.
      gatewayUrl: readUrl(env, 'GATEWAY_URL', ['http:', 'https:']) ?? `http://127.0.0.1:${ports.gateway}/graphql`,
      authorization: readText(env, 'AUTHORIZATION', undefined),
    },
  };
}
