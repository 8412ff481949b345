/**
 * The trace probe's first import: registers the tracer provider with an in-memory exporter before
 * anything loads node:http, pg or @apollo/gateway, as runtime/instrument does in the processes.
 */
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { startTracing } from '../../shared/src/runtime/tracing';
import { required } from '../../shared/src/runtime/required';

export const exporter = new InMemorySpanExporter();
export const tracing = required(startTracing('migration-graph', { exporter }), 'the tracing');
