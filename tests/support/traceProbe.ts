/**
 * Run by tests/gateway/tracing.test.ts in a process of its own (`node --import tsx`), as the gateway
 * and service processes run: the tracing is set up first (traceProbeSetup), the whole graph starts in this
 * process with its spans collected in memory, one query is sent with `x-request-id`, and the spans are
 * printed as one JSON line. Argument: the database URL.
 */
import { exporter, tracing } from './traceProbeSetup';
import { loadConfig } from '../../shared/src/runtime/config';
import { createLogger } from '../../shared/src/runtime/logger';
import { startInProcessStack } from '../../gateway/src/inProcessStack';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const stack = await startInProcessStack(process.argv[2], config, createLogger('probe', 'error'));
  try {
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: process.argv[3] }),
    });
    const answer = (await res.json()) as unknown;
    await tracing.provider.forceFlush();
    const ports = Object.fromEntries([
      [new URL(stack.gatewayUrl).port, 'gateway'],
      ...stack.services.map((s) => [String(s.port), s.name]),
    ]) as Record<string, string>;
    const spans = exporter.getFinishedSpans().map((span) => {
      const port = span.attributes['server.port'] ?? span.attributes['net.host.port'] ?? span.attributes['url.port'];
      return {
        name: span.name,
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        parentSpanId: span.parentSpanContext?.spanId ?? null,
        kind: span.kind,
        // A server span says which process it is in by the port it listens on.
        process: span.kind === 1 && port !== undefined ? (ports[String(port)] ?? null) : null,
        durationMs: span.duration[0] * 1000 + span.duration[1] / 1e6,
        statement:
          typeof span.attributes['db.query.text'] === 'string'
            ? span.attributes['db.query.text']
            : (span.attributes['db.statement'] ?? null),
      };
    });
    process.stdout.write(`${JSON.stringify({ answer, spans })}\n`);
  } finally {
    await stack.stop();
    await tracing.shutdown();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
