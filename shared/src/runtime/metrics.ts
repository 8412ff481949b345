import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { RequestRecord } from './requestContext';

/** One process's Prometheus metrics, served at GET /metrics. */
export interface Metrics {
  registry: Registry;
  /** GraphQL requests (and refusals of the HTTP front) by operation, type and HTTP status: rate and latency. */
  requestDuration: Histogram<'operation_name' | 'operation_type' | 'status'>;
  /** Errors in answers, by code. */
  errors: Counter<'code'>;
  /** The gateway's calls to services, by service and outcome (ok, error). */
  subgraphDuration: Histogram<'service' | 'outcome'>;
  /** The gateway's failed calls to services, by service and error code. */
  subgraphErrors: Counter<'service' | 'code'>;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// A label value comes from the client (its operation name): past this many distinct names, the rest
// count as "other", so that a client inventing names cannot grow the registry without bound.
const MAX_OPERATION_NAMES = 200;
const MAX_LABEL_LENGTH = 100;

function boundedLabel(limit: number): (value: string | undefined) => string {
  const seen = new Set<string>();
  return (value) => {
    if (value === undefined || value === '') return 'anonymous';
    const label = value.slice(0, MAX_LABEL_LENGTH);
    if (seen.has(label)) return label;
    if (seen.size >= limit) return 'other';
    seen.add(label);
    return label;
  };
}

/**
 * A registry of its own for each gateway or service (several run in one process in tests and the
 * in-process stack), with Node's default metrics (event loop, heap, GC, handles) in each.
 */
export function createMetrics(): Metrics & { observeRequest(record: RequestRecord, status: number, seconds: number): void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL requests by operation name, operation type and HTTP status: count (rate) and duration',
    labelNames: ['operation_name', 'operation_type', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL answers, by code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const subgraphDuration = new Histogram({
    name: 'subgraph_request_duration_seconds',
    help: "The gateway's calls to services, by service and outcome (ok, error): count and duration",
    labelNames: ['service', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const subgraphErrors = new Counter({
    name: 'subgraph_errors_total',
    help: "The gateway's failed calls to services (refused, timed out, HTTP error), by service and code",
    labelNames: ['service', 'code'] as const,
    registers: [registry],
  });
  const operationLabel = boundedLabel(MAX_OPERATION_NAMES);
  return {
    registry,
    requestDuration,
    errors,
    subgraphDuration,
    subgraphErrors,
    observeRequest: (record, status, seconds) => {
      requestDuration.observe(
        {
          operation_name: operationLabel(record.operationName),
          operation_type: record.operationType ?? 'none',
          status: String(status),
        },
        seconds,
      );
      for (const code of record.errorCodes) errors.inc({ code });
    },
  };
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** A service's database pool: connections open, idle, and requests waiting for one. */
export function observeDatabasePool(metrics: Metrics, ds: DataSource): void {
  const poolOf = () => (ds.isInitialized ? ((ds.driver as unknown as { master?: PgPool }).master ?? null) : null);
  new Gauge({
    name: 'db_pool_connections',
    help: "The service's PostgreSQL pool: connections open (total), idle, and queries waiting for a connection",
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    collect() {
      const pool = poolOf();
      this.set({ state: 'total' }, pool?.totalCount ?? 0);
      this.set({ state: 'idle' }, pool?.idleCount ?? 0);
      this.set({ state: 'waiting' }, pool?.waitingCount ?? 0);
    },
  });
}
