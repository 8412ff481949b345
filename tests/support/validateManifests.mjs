// Validates Kubernetes objects against the Kubernetes OpenAPI schemas (the kubernetes-models package):
//   kubectl kustomize deploy/k8s | node tests/support/validateManifests.mjs
// Reads YAML documents on stdin; prints one line per object ("ok Kind/name" or "invalid Kind/name: why")
// and exits 1 when any is invalid or of a kind the package does not know. With --json, prints the
// results as one JSON array instead (for tests/deploy/k8s.test.ts, which cannot load this ES module itself).
import { parseAllDocuments } from 'yaml';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const docs = parseAllDocuments(Buffer.concat(chunks).toString('utf8'))
  .map((d) => d.toJSON())
  .filter((d) => d !== null);

const results = [];
for (const doc of docs) {
  const id = `${doc.kind}/${doc.metadata?.name}`;
  let error = null;
  try {
    // kubernetes-models/<group>/<version>/<Kind>, e.g. apps/v1/Deployment, v1/Service.
    const module = await import(`kubernetes-models/${doc.apiVersion}/${doc.kind}`);
    new module[doc.kind](doc).validate();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  results.push({ id, apiVersion: doc.apiVersion, error });
}

if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(results));
else for (const r of results) process.stdout.write(r.error ? `invalid ${r.id}: ${r.error}\n` : `ok ${r.apiVersion} ${r.id}\n`);
process.exit(results.some((r) => r.error) ? 1 : 0);
