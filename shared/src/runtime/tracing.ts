import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

/**
 * Tracing is off unless the standard variables ask for it: an OTLP endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or an exporter
 * (OTEL_TRACES_EXPORTER=otlp or console); OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none
 * turn it off.
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_TRACES_EXPORTER);
}

// Probes and scrapes are not worth a trace each.
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

let instrumented = false;

/**
 * Patches node:http (server spans that continue an incoming traceparent) and pg (a span per query).
 * It must run before pg is first required: entry points load runtime/instrument first.
 * The spans go to whichever provider startTracing registers later.
 */
export function instrument(): void {
  if (instrumented) return;
  instrumented = true;
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has(new URL(req.url ?? '/', 'http://localhost').pathname),
        // Only calls made while serving a request: not the readiness probes or the supervisor's polling.
        requireParentforOutgoingSpans: true,
      }),
      // Only queries run for a request: not the pool's own checks or the start-up migrations.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
}

export interface Tracing {
  provider: TracerProvider;
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

function exporterFromEnv(env: NodeJS.ProcessEnv): SpanExporter {
  // OTLPTraceExporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS and _TIMEOUT itself.
  return env.OTEL_TRACES_EXPORTER === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter();
}

let active: Tracing | null = null;

/** The tracing started in this process, if any. */
export function activeTracing(): Tracing | null {
  return active;
}

/**
 * Registers the process's tracer provider (named by OTEL_SERVICE_NAME, else `serviceName`), the W3C
 * trace context propagator and the async context manager. It must run before @apollo/gateway is
 * loaded: the gateway takes its tracer when its module loads, from its own copy of the OpenTelemetry
 * API, which only sees a provider registered by then (entry points load runtime/instrument first).
 * Returns null when tracing is off (see tracingEnabled) and no exporter is given; a given exporter (a
 * test's, in memory) gets each span as it ends. Once started, later calls return the same tracing.
 */
export function startTracing(
  serviceName: string,
  options: { exporter?: SpanExporter; env?: NodeJS.ProcessEnv } = {},
): Tracing | null {
  if (active) return active;
  const env = options.env ?? process.env;
  if (!options.exporter && !tracingEnabled(env)) return null;
  instrument();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [
      options.exporter
        ? new SimpleSpanProcessor({ exporter: options.exporter })
        : new BatchSpanProcessor({ exporter: exporterFromEnv(env) }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  active = { provider, shutdown: () => provider.shutdown() };
  return active;
}
