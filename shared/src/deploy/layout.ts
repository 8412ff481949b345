import path from 'node:path';
import { PROJECT_ROOT } from '../runtime/config';
import type { ServiceName } from '../runtime/registry';
import codeAssets from './codeAssets.json';

// What the image holds and runs, and what the manifests assume around it: read by `npm run build`,
// `npm run generate:deploy` and the deploy tests, which check the Dockerfile and manifests against it.

/** Where `npm run build` compiles to. */
export const DIST = path.join(PROJECT_ROOT, 'dist');

/**
 * What a production process needs beside its production dependencies: package.json, the compiled
 * code, and the data files it reads from the project root. The image's runtime stage copies these.
 */
export const RUNTIME_PATHS = [
  'package.json',
  'dist',
  'gateway/supergraph.graphql',
  'operations',
  'shared/schema',
  'shared/data',
  'services',
];

/** Files that compiled code loads relative to its own folder, copied to the same place under dist/ (npm start's compile copies the same). */
export const CODE_ASSETS: readonly string[] = codeAssets;

/** What each process runs in the image (compiled by `npm run build`). */
export const COMMANDS = {
  gateway: ['node', 'dist/gateway/src/index.js'],
  service: (name: ServiceName) => ['node', 'dist/scripts/runService.js', name],
  migrate: ['node', 'dist/scripts/migrate.js'],
  awaitSchema: (name: ServiceName) => ['node', 'dist/scripts/awaitSchema.js', name],
};

/** Where Prometheus runs: its namespace and its pods' name label (the kube-prometheus and Helm chart defaults). */
export const PROMETHEUS = { namespace: 'monitoring', name: 'prometheus' };

/** The OTLP/HTTP port of the trace collector (OTEL_EXPORTER_OTLP_ENDPOINT), as the exporter sends to it. */
export const OTLP_HTTP_PORT = 4318;
