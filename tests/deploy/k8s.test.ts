import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { envPrefix, SERVICE_REGISTRY } from '../../shared/src/runtime/registry';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { required } from '../../shared/src/runtime/required';

const DIR = path.join(PROJECT_ROOT, 'deploy', 'k8s');

// Parsed YAML is walked freely; the assertions below check its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any shape may come out of a YAML file
type Obj = Record<string, any>;

function load(file: string): Obj[] {
  const docs = parseAllDocuments(fs.readFileSync(path.join(DIR, file), 'utf8'));
  for (const d of docs) expect({ file, errors: d.errors.map((e) => e.message) }).toEqual({ file, errors: [] });
  return docs.map((d) => d.toJSON() as Obj).filter((d) => d !== null);
}

const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const kustomization = load('kustomization.yaml')[0];

// The manifests as `kubectl apply -k` sees them (the services are patches of one generic
// subgraph), plus the files applied on their own (the migrate Job, the example Secrets).
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const rendered = kubectl ? spawnSync('kubectl', ['kustomize', DIR], { encoding: 'utf8' }) : undefined;
const all = [
  ...(rendered ? parseAllDocuments(rendered.stdout).map((d) => ({ file: 'kustomization.yaml', doc: d.toJSON() as Obj })) : []),
  ...files
    .filter((f) => f !== 'kustomization.yaml' && !kustomization.resources.includes(f))
    .flatMap((f) => load(f).map((doc) => ({ file: f, doc }))),
];
const find = (kind: string, name: string) => all.find(({ doc }) => doc.kind === kind && doc.metadata?.name === name)?.doc;

const COMPONENTS = [
  {
    name: 'gateway',
    port: 4000,
    entry: 'gateway/src/index.ts',
    args: [] as string[],
    portVar: 'GATEWAY_PORT',
    database: false,
    env: 'GATEWAY',
  },
  ...SERVICE_REGISTRY.map(({ name, port }) => ({
    name,
    port,
    entry: 'scripts/runService.ts',
    args: [name],
    portVar: `${envPrefix(name)}_PORT`,
    database: true,
    env: envPrefix(name),
  })),
];
const SERVICES = COMPONENTS.filter((c) => c.database);

const fromSecret = (variable: string, secret: string) => ({
  name: variable,
  valueFrom: { secretKeyRef: { name: secret, key: variable } },
});
/** A service's database settings: the server, and its own role's password, from a Secret of its own. */
const serviceDatabase = (c: (typeof COMPONENTS)[number]) => [
  fromSecret('DATABASE_URL', `migration-graph-database-${c.name}`),
  fromSecret(`DATABASE_PASSWORD_${c.env}`, `migration-graph-database-${c.name}`),
];
const adminDatabaseUrl = fromSecret('DATABASE_URL', 'migration-graph-database-admin');

describe('the Kubernetes manifests', () => {
  it('apply through kustomize: every listed file exists, and every manifest file is listed or applied on its own', () => {
    expect(kustomization.resources.every((r: string) => fs.existsSync(path.join(DIR, r)))).toBe(true);
    // One folder per service of the registry, each a patch of the generic subgraph.
    expect(kustomization.resources.filter((r: string) => r.startsWith('services/'))).toEqual(
      SERVICE_REGISTRY.map(({ name }) => `services/${name}`),
    );
    // The migrate Job runs before the rollout and the Secrets are made out of band, so neither is in the list.
    expect(files.filter((f) => !kustomization.resources.includes(f)).sort()).toEqual([
      'kustomization.yaml',
      'migrate-job.yaml',
      'secrets.example.yaml',
    ]);
  });

  (kubectl ? it : it.skip).each(COMPONENTS)(
    'runs $name with replicas, both probes, resources, its secrets and a Service on port $port',
    (c) => {
      const deployment = required(find('Deployment', c.name), `the Deployment ${c.name}`);
      expect(deployment).toBeDefined();
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
      expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': c.name });
      expect(deployment.spec.template.metadata.labels).toEqual(expect.objectContaining(deployment.spec.selector.matchLabels));
      const [container] = deployment.spec.template.spec.containers;
      expect(container.command).toEqual(['node', '--import', 'tsx', c.entry, ...c.args]);
      expect(fs.existsSync(path.join(PROJECT_ROOT, c.entry))).toBe(true);
      expect(container.ports).toEqual([{ name: 'http', containerPort: c.port }]);
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(container.resources.limits.memory).toMatch(/^\d+(Mi|Gi)$/);
      expect(container.env).toEqual(
        c.database
          ? [{ name: c.portVar, value: String(c.port) }, ...serviceDatabase(c)]
          : [{ name: c.portVar, value: String(c.port) }],
      );
      expect(container.envFrom).toEqual([
        { configMapRef: { name: 'migration-graph' } },
        { secretRef: { name: 'migration-graph-signing-keys' } },
      ]);
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      const service = required(find('Service', c.name), `the Service ${c.name}`);
      expect(service.spec).toEqual({
        selector: { 'app.kubernetes.io/name': c.name },
        ports: [{ name: 'http', port: c.port, targetPort: 'http' }],
      });
    },
  );

  (kubectl ? it : it.skip)('points the gateway at each service through its Service, with the port the service listens on', () => {
    const config = required(find('ConfigMap', 'migration-graph'), 'the ConfigMap').data;
    for (const c of COMPONENTS.filter((x) => x.database)) {
      const variable = `${c.portVar.replace(/_PORT$/, '')}_URL`;
      expect({ variable, url: config[variable] }).toEqual({ variable, url: `http://${c.name}:${c.port}/graphql` });
    }
    expect(config.HOST).toBe('0.0.0.0');
    expect(config).not.toHaveProperty('DATABASE_URL');
  });

  it('migrates with a Job that runs npm run migrate before a rollout, as the administrator, with the password of each service role it creates', () => {
    const job = required(find('Job', 'migrate'), 'the migrate Job');
    expect(job.metadata.annotations).toEqual(
      expect.objectContaining({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'argocd.argoproj.io/hook': 'PreSync' }),
    );
    const [container] = job.spec.template.spec.containers;
    expect(container.command).toEqual(['npm', 'run', '--silent', 'migrate']);
    expect(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts.migrate).toBeDefined();
    expect(container.env.filter((e: Obj) => e.name.startsWith('DATABASE_'))).toEqual([
      adminDatabaseUrl,
      ...SERVICES.map((c) => fromSecret(`DATABASE_PASSWORD_${c.env}`, `migration-graph-database-${c.name}`)),
    ]);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    const images = all.flatMap(({ doc }) => (doc.spec?.template?.spec?.containers ?? []).map((x: Obj) => x.image));
    expect(new Set(images)).toEqual(new Set(['migration-graph:0.1.0']));
  });

  (kubectl ? it : it.skip)(
    "lets only the migrate Job read the administrator's database secret, each service its own database secret only, and the gateway none",
    () => {
      const workloads = all.filter(({ doc }) => ['Deployment', 'Job'].includes(doc.kind));
      const secretsRead = Object.fromEntries(
        workloads.map(({ doc }) => {
          const [container] = doc.spec.template.spec.containers;
          const named = [
            ...(container.env ?? []).map((e: Obj) => e.valueFrom?.secretKeyRef?.name),
            ...(container.envFrom ?? []).map((e: Obj) => e.secretRef?.name),
          ].filter((n): n is string => typeof n === 'string' && n.startsWith('migration-graph-database'));
          return [doc.metadata.name, [...new Set(named)].sort()];
        }),
      );
      expect(secretsRead).toEqual({
        gateway: [],
        ...Object.fromEntries(SERVICES.map((c) => [c.name, [`migration-graph-database-${c.name}`]])),
        migrate: ['migration-graph-database-admin', ...SERVICES.map((c) => `migration-graph-database-${c.name}`)].sort(),
      });
    },
  );

  it('gives each service a database URL without credentials and a password of its own in the example Secrets', () => {
    for (const c of SERVICES) {
      const secret = `migration-graph-database-${c.name}`;
      const data = required(find('Secret', secret), `the Secret ${secret}`).stringData;
      const url = new URL(data.DATABASE_URL);
      expect({ service: c.name, keys: Object.keys(data).sort(), user: url.username, password: url.password }).toEqual({
        service: c.name,
        keys: [`DATABASE_PASSWORD_${c.env}`, 'DATABASE_URL'],
        user: '',
        password: '',
      });
    }
  });

  // kubectl kustomize renders the manifests exactly as `kubectl apply -k` would.
  (kubectl ? it : it.skip)(
    'render through kubectl kustomize into the namespace, with no Secret and no database setting in a ConfigMap',
    () => {
      if (!rendered) throw new Error('kubectl kustomize did not run');
      expect({ status: rendered.status, stderr: rendered.stderr }).toEqual({ status: 0, stderr: '' });
      const docs = parseAllDocuments(rendered.stdout).map((d) => d.toJSON() as Obj);
      expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual(
        [
          'Namespace/migration-graph',
          'ConfigMap/migration-graph',
          ...COMPONENTS.flatMap((c) => [`Deployment/${c.name}`, `Service/${c.name}`, `PodDisruptionBudget/${c.name}`]),
          'HorizontalPodAutoscaler/gateway',
        ].sort(),
      );
      expect(docs.filter((d) => d.kind !== 'Namespace').every((d) => d.metadata.namespace === 'migration-graph')).toBe(true);
      const configMaps = docs.filter((d) => d.kind === 'ConfigMap').flatMap((d) => Object.keys(d.data));
      expect(configMaps.filter((k) => k.startsWith('DATABASE_'))).toEqual([]);
    },
  );

  it('keeps secret values out of everything but the example, whose values are placeholders', () => {
    const secrets = all.filter(({ doc }) => doc.kind === 'Secret');
    expect(secrets.map(({ file, doc }) => `${file}:${doc.metadata.name}`)).toEqual([
      'secrets.example.yaml:migration-graph-database-admin',
      ...SERVICES.map((c) => `secrets.example.yaml:migration-graph-database-${c.name}`),
      'secrets.example.yaml:migration-graph-signing-keys',
    ]);
    for (const { doc } of secrets)
      for (const value of Object.values(doc.stringData as Record<string, string>)) expect(value).toContain('CHANGE-ME');
  });
});
