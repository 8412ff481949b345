import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  databasePasswordVariable,
  PROJECT_ROOT,
  serviceSecretVariable,
  servicePortVariable,
  serviceUrlVariable,
} from '../../shared/src/runtime/config';
import { SERVICE_REGISTRY } from '../../shared/src/runtime/registry';
import { COMMANDS, OTLP_HTTP_PORT, PROMETHEUS } from '../../shared/src/deploy/layout';

const DIR = path.join(PROJECT_ROOT, 'deploy', 'k8s');
const VALIDATOR = path.join(PROJECT_ROOT, 'tests', 'support', 'validateManifests.mjs');
const IMAGE = 'registry.example.org/migration-graph:0.1.0';

// Parsed YAML is walked freely; the assertions below check its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const parseDocs = (text: string): Obj[] => {
  const docs = parseAllDocuments(text);
  for (const d of docs) expect(d.errors.map((e) => e.message)).toEqual([]);
  return docs.map((d) => d.toJSON() as Obj).filter((d) => d !== null);
};
const load = (file: string) => parseDocs(fs.readFileSync(path.join(DIR, file), 'utf8'));

// The manifests as `kubectl apply -k` sees them; the example Secrets are applied (in their real form) on their own.
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const rendered = kubectl ? spawnSync('kubectl', ['kustomize', DIR], { encoding: 'utf8' }) : undefined;
const objects = rendered ? parseDocs(rendered.stdout) : [];
const secrets = load('secrets.example.yaml');
const find = (kind: string, name: string): Obj => {
  const found = objects.find((d) => d.kind === kind && d.metadata?.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in the rendered manifests`);
  return found;
};
/** kubectl kustomize's result; only called by the tests that run where kubectl exists. */
const output = () => {
  if (!rendered) throw new Error('kubectl kustomize did not run');
  return rendered;
};
const onRendered = kubectl ? it : it.skip;

const SERVICES = SERVICE_REGISTRY.map(({ name, port }) => ({ name, port }));
const workloads = () => objects.filter((d) => d.kind === 'Deployment' || d.kind === 'Job');
const podSpec = (w: Obj): Obj => w.spec.template.spec;
const containersOf = (w: Obj): Obj[] => [...(podSpec(w).initContainers ?? []), ...podSpec(w).containers];
const labelsOf = (w: Obj): Record<string, string> => w.spec.template.metadata.labels;
const matches = (selector: Obj | undefined, labels: Record<string, string>) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  (selector?.matchExpressions ?? []).every((e: Obj) => {
    if (e.operator !== 'In') throw new Error(`the test reads selectors with In only, not ${e.operator}`);
    return (e.values as string[]).includes(labels[e.key]);
  });

/** Every Secret a workload reads, from any of its containers. */
function secretsReadBy(w: Obj): string[] {
  const names = containersOf(w).flatMap((c) => [
    ...(c.env ?? []).map((e: Obj) => e.valueFrom?.secretKeyRef?.name),
    ...(c.envFrom ?? []).map((e: Obj) => e.secretRef?.name),
  ]);
  return [...new Set(names.filter((n): n is string => typeof n === 'string'))].sort();
}

describe('the Kubernetes manifests (deploy/k8s)', () => {
  onRendered(
    'render with kubectl kustomize into the namespace: the migrate Job, every workload of the registry, and the network policies',
    () => {
      expect({ status: output().status, stderr: output().stderr }).toEqual({ status: 0, stderr: '' });
      const components = ['gateway', ...SERVICES.map((s) => s.name)];
      expect(objects.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual(
        [
          'Namespace/migration-graph',
          'ConfigMap/migration-graph',
          'Job/migrate',
          ...components.flatMap((c) => [`Deployment/${c}`, `Service/${c}`, `PodDisruptionBudget/${c}`]),
          'HorizontalPodAutoscaler/gateway',
          ...['default-deny', 'allow-dns', 'gateway', 'services', 'migrate', 'allow-prometheus', 'allow-otlp-export'].map(
            (n) => `NetworkPolicy/${n}`,
          ),
        ].sort(),
      );
      expect(objects.filter((d) => d.kind !== 'Namespace').every((d) => d.metadata.namespace === 'migration-graph')).toBe(true);
    },
  );

  onRendered(
    'are valid Kubernetes objects by the Kubernetes OpenAPI schemas (kubernetes-models), the example Secrets too',
    () => {
      const validate = (text: string) => {
        const run = spawnSync(process.execPath, [VALIDATOR, '--json'], { input: text, encoding: 'utf8', cwd: PROJECT_ROOT });
        return JSON.parse(run.stdout) as { id: string; error: string | null }[];
      };
      const results = [
        ...validate(output().stdout),
        ...validate(fs.readFileSync(path.join(DIR, 'secrets.example.yaml'), 'utf8')),
      ];
      expect(results.length).toBe(objects.length + secrets.length);
      expect(results.filter((r) => r.error !== null)).toEqual([]);
      // Checks the check: a malformed object is refused.
      expect(validate('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: two}\n')[0].error).toMatch(
        /replicas must be integer/,
      );
    },
  );

  onRendered('run every container under the restricted Pod Security Standard', () => {
    for (const w of workloads()) {
      const pod = podSpec(w);
      expect({ workload: w.metadata.name, pod: pod.securityContext }).toEqual({
        workload: w.metadata.name,
        pod: expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }),
      });
      expect(pod.hostNetwork ?? pod.hostPID ?? pod.hostIPC ?? false).toBe(false);
      // Only volume types the restricted profile allows.
      for (const v of pod.volumes ?? []) expect(Object.keys(v).filter((k) => k !== 'name')).toEqual(['emptyDir']);
      for (const c of containersOf(w)) {
        expect({ container: `${w.metadata.name}/${c.name}`, security: c.securityContext }).toEqual({
          container: `${w.metadata.name}/${c.name}`,
          security: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        });
        expect(c.ports?.some((p: Obj) => p.hostPort !== undefined) ?? false).toBe(false);
      }
    }
  });

  onRendered(
    'state no replicas where an autoscaler manages the Deployment, and at least two elsewhere; spread every Deployment across nodes',
    () => {
      const autoscaled = objects.filter((d) => d.kind === 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name);
      expect(autoscaled).toEqual(['gateway']);
      for (const d of objects.filter((o) => o.kind === 'Deployment')) {
        const name = d.metadata.name;
        if (autoscaled.includes(name)) expect({ name, replicas: d.spec.replicas }).toEqual({ name, replicas: undefined });
        else expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
        expect({ name, spread: podSpec(d).topologySpreadConstraints }).toEqual({
          name,
          spread: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: d.spec.selector.matchLabels },
            },
          ],
        });
        expect(d.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
      }
    },
  );

  onRendered('run the compiled processes, each service on its port, waiting for its schema, with probes and a Service', () => {
    const gateway = find('Deployment', 'gateway');
    expect(podSpec(gateway).containers[0].command).toEqual(COMMANDS.gateway);
    for (const { name, port } of SERVICES) {
      const d = find('Deployment', name);
      const [container] = podSpec(d).containers;
      expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
      expect(container.command).toEqual(COMMANDS.service(name));
      expect(podSpec(d).initContainers.map((c: Obj) => c.command)).toEqual([COMMANDS.awaitSchema(name)]);
      expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
      expect(container.env[0]).toEqual({ name: servicePortVariable(name), value: String(port) });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.resources.limits.memory).toMatch(/^\d+(Mi|Gi)$/);
      expect(find('Service', name).spec).toEqual({
        selector: { 'app.kubernetes.io/name': name },
        ports: [{ name: 'http', port, targetPort: 'http' }],
      });
      expect(find('ConfigMap', 'migration-graph').data[serviceUrlVariable(name)]).toBe(`http://${name}:${port}/graphql`);
    }
    for (const file of ['scripts/runService.ts', 'scripts/awaitSchema.ts', 'scripts/migrate.ts', 'gateway/src/index.ts'])
      expect(fs.existsSync(path.join(PROJECT_ROOT, file))).toBe(true);
    expect(Object.keys(find('ConfigMap', 'migration-graph').data).filter((k) => /DATABASE|SECRET|JWT/.test(k))).toEqual([]);
  });

  onRendered(
    'take every image from the registry the kustomization names, so that `kustomize edit set image` moves them all, the migrate Job too',
    () => {
      const images = workloads().flatMap((w) => containersOf(w).map((c) => c.image));
      expect(new Set(images)).toEqual(new Set([IMAGE]));
      expect(images.length).toBe(workloads().reduce((n, w) => n + containersOf(w).length, 0));
      expect(load('kustomization.yaml')[0].images).toEqual([
        { name: 'migration-graph', newName: 'registry.example.org/migration-graph', newTag: '0.1.0' },
      ]);
      const job = find('Job', 'migrate');
      expect(podSpec(job).containers[0].command).toEqual(COMMANDS.migrate);
      expect(podSpec(job).restartPolicy).toBe('Never');
    },
  );

  onRendered(
    'give each workload only its own Secrets: the gateway the identity provider and every signing key, a service its own database role and signing key, the migrate Job the administrator and every role password',
    () => {
      expect(Object.fromEntries(workloads().map((w) => [w.metadata.name, secretsReadBy(w)]))).toEqual({
        gateway: [
          'migration-graph-identity-provider',
          'migration-graph-metrics',
          ...SERVICES.map(({ name }) => `migration-graph-signing-${name}`),
        ].sort(),
        ...Object.fromEntries(
          SERVICES.map(({ name }) => [
            name,
            [`migration-graph-database-${name}`, `migration-graph-signing-${name}`, 'migration-graph-metrics'].sort(),
          ]),
        ),
        migrate: ['migration-graph-database-admin', ...SERVICES.map(({ name }) => `migration-graph-database-${name}`)].sort(),
      });
      // Each service's variables, by name, from those Secrets.
      for (const { name } of SERVICES) {
        const env = podSpec(find('Deployment', name)).containers[0].env.map((e: Obj) => e.name);
        expect(env.sort()).toEqual(
          [
            'DATABASE_URL',
            databasePasswordVariable(name),
            serviceSecretVariable(name),
            servicePortVariable(name),
            'METRICS_TOKEN',
          ].sort(),
        );
      }
    },
  );

  onRendered(
    'let only the gateway reach the services, only the services and the migrate Job reach PostgreSQL, and every pod resolve names',
    () => {
      const policies = objects.filter((d) => d.kind === 'NetworkPolicy');
      const selecting = (w: Obj, type: 'Ingress' | 'Egress') =>
        policies.filter((p) => p.spec.policyTypes.includes(type) && matches(p.spec.podSelector, labelsOf(w)));
      // Default deny: every pod is selected for both directions by some policy.
      for (const w of workloads()) {
        expect({
          w: w.metadata.name,
          ingress: selecting(w, 'Ingress').length > 0,
          egress: selecting(w, 'Egress').length > 0,
        }).toEqual({
          w: w.metadata.name,
          ingress: true,
          egress: true,
        });
      }
      const peersOf = (rules: Obj[] | undefined, key: 'from' | 'to') =>
        (rules ?? []).flatMap((r) => (r[key] === undefined ? ['anyone'] : r[key].map((peer: Obj) => peer)));
      /** The workloads whose pods a policy's ingress lets in. */
      const allowedIn = (w: Obj) => {
        const peers = selecting(w, 'Ingress').flatMap((p) => peersOf(p.spec.ingress, 'from'));
        if (peers.includes('anyone')) return ['anyone'];
        return workloads()
          .filter((src) =>
            peers.some((peer: Obj) => !peer.namespaceSelector && !peer.ipBlock && matches(peer.podSelector, labelsOf(src))),
          )
          .map((src) => src.metadata.name)
          .sort();
      };
      const egressPorts = (w: Obj) =>
        selecting(w, 'Egress').flatMap((p) => (p.spec.egress ?? []).flatMap((r: Obj) => (r.ports ?? []).map((x: Obj) => x.port)));
      const ingress = Object.fromEntries(
        objects.filter((d) => d.kind === 'Deployment').map((d) => [d.metadata.name, allowedIn(d)]),
      );
      expect(ingress).toEqual({ gateway: ['anyone'], ...Object.fromEntries(SERVICES.map(({ name }) => [name, ['gateway']])) });
      const reachPostgres = workloads()
        .filter((w) => egressPorts(w).includes(5432))
        .map((w) => w.metadata.name)
        .sort();
      expect(reachPostgres).toEqual(['migrate', ...SERVICES.map(({ name }) => name)].sort());
      for (const w of workloads())
        expect({ w: w.metadata.name, dns: egressPorts(w).includes(53) }).toEqual({ w: w.metadata.name, dns: true });
      // The gateway fetches the identity provider's keys over https; the gateway and the services send
      // traces to the OTLP/HTTP collector; nothing else leaves but for PostgreSQL and DNS.
      const ports = (w: Obj) => [...new Set(egressPorts(w).filter((p) => typeof p === 'number'))].sort((x, y) => x - y);
      expect(Object.fromEntries(workloads().map((w) => [w.metadata.name, ports(w)]))).toEqual({
        gateway: [53, 443, OTLP_HTTP_PORT, 6379],
        migrate: [53, 5432],
        ...Object.fromEntries(SERVICES.map(({ name }) => [name, [53, OTLP_HTTP_PORT, 5432]])),
      });
      // The gateway reaches the services on their port (named, so every service's own).
      const gatewayEgress = selecting(find('Deployment', 'gateway'), 'Egress').flatMap((p) => p.spec.egress ?? []);
      expect(gatewayEgress).toEqual(
        expect.arrayContaining([
          {
            to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'subgraph' } } }],
            ports: [{ protocol: 'TCP', port: 'http' }],
          },
        ]),
      );
      for (const { name } of SERVICES) expect(labelsOf(find('Deployment', name))['app.kubernetes.io/component']).toBe('subgraph');
    },
  );

  onRendered(
    'let Prometheus, and no other pod outside the namespace, scrape /metrics on the port of the gateway and of every service; the migrate Job serves none',
    () => {
      const policies = objects.filter((d) => d.kind === 'NetworkPolicy');
      /** The ingress rules from outside the namespace that let pods of this workload be reached. */
      const fromOutside = (w: Obj) =>
        policies
          .filter((p) => p.spec.policyTypes.includes('Ingress') && matches(p.spec.podSelector, labelsOf(w)))
          .flatMap((p) => p.spec.ingress ?? [])
          .flatMap((r: Obj) =>
            (r.from ?? []).filter((peer: Obj) => peer.namespaceSelector).map((peer: Obj) => ({ peer, ports: r.ports })),
          );
      const prometheus = {
        peer: {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': PROMETHEUS.namespace } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': PROMETHEUS.name } },
        },
        ports: [{ protocol: 'TCP', port: 'http' }],
      };
      expect(Object.fromEntries(workloads().map((w) => [w.metadata.name, fromOutside(w)]))).toEqual({
        gateway: [prometheus],
        migrate: [],
        ...Object.fromEntries(SERVICES.map(({ name }) => [name, [prometheus]])),
      });
      // /metrics is served on that port, guarded by the token every scraped pod reads.
      for (const w of workloads().filter((x) => x.kind === 'Deployment')) {
        expect(podSpec(w).containers[0].ports.map((p: Obj) => p.name)).toEqual(['http']);
        const token = podSpec(w).containers[0].env.find((e: Obj) => e.name === 'METRICS_TOKEN');
        expect(token).toEqual({
          name: 'METRICS_TOKEN',
          valueFrom: { secretKeyRef: { name: 'migration-graph-metrics', key: 'METRICS_TOKEN' } },
        });
      }
    },
  );

  onRendered('write JSON log lines in every process (LOG_FORMAT in the shared ConfigMap)', () => {
    expect(find('ConfigMap', 'migration-graph').data.LOG_FORMAT).toBe('json');
    for (const w of workloads())
      for (const c of containersOf(w))
        expect({ c: `${w.metadata.name}/${c.name}`, from: c.envFrom }).toEqual({
          c: `${w.metadata.name}/${c.name}`,
          from: expect.arrayContaining([{ configMapRef: { name: 'migration-graph' } }]),
        });
  });

  it('keep secret values out of everything but the example, whose values are placeholders, one database and one signing Secret per service', () => {
    expect(objects.filter((d) => d.kind === 'Secret')).toEqual([]);
    expect(secrets.map((s) => s.metadata.name)).toEqual([
      'migration-graph-database-admin',
      'migration-graph-identity-provider',
      'migration-graph-metrics',
      ...SERVICES.flatMap(({ name }) => [`migration-graph-database-${name}`, `migration-graph-signing-${name}`]),
    ]);
    for (const s of secrets)
      for (const value of Object.values(s.stringData as Record<string, string>)) expect(value).toContain('CHANGE-ME');
    for (const { name } of SERVICES) {
      const secret = secrets.find((s) => s.metadata.name === `migration-graph-database-${name}`);
      const url = new URL(secret?.stringData.DATABASE_URL);
      expect({ user: url.username, password: url.password }).toEqual({ user: '', password: '' });
    }
  });
});
