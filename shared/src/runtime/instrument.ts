/**
 * Loaded first by each process's entry point, before anything loads node:http, pg or @apollo/gateway:
 * when the OTEL_* variables turn tracing on, patches node:http and pg and registers the tracer
 * provider, named after the process (`scripts/runService.ts <service>` is that service; anything else
 * is the gateway) unless OTEL_SERVICE_NAME names it.
 */
import path from 'node:path';
import { startTracing, tracingEnabled } from './tracing';

const entry = path.basename(process.argv[1] ?? '');
const processName = /^runService\.[cm]?[jt]s$/.test(entry) ? (process.argv[2] ?? 'service') : 'gateway';

if (tracingEnabled()) startTracing(processName);
