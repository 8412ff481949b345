import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from '../../shared/src/config';

const DIR = path.join(PROJECT_ROOT, 'deploy', 'k8s');

// Parsed YAML is walked freely; the assertions below check its shape.
type Obj = Record<string, any>;

function load(file: string): Obj[] {
  const docs = parseAllDocuments(fs.readFileSync(path.join(DIR, file), 'utf8'));
  for (const d of docs) expect({ file, errors: d.errors.map((e) => e.message) }).toEqual({ file, errors: [] });
  return docs.map((d) => d.toJSON() as Obj).filter((d) => d !== null);
}

const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
const all = files.flatMap((f) => load(f).map((doc) => ({ file: f, doc })));
const find = (kind: string, name: string) => all.find(({ doc }) => doc.kind === kind && doc.metadata?.name === name)?.doc;

const COMPONENTS = [
  { name: 'gateway', port: 4000, entry: 'gateway/src/index.ts', portVar: 'GATEWAY_PORT', database: false },
  { name: 'legal-instruments', port: 4001, entry: 'services/legal-instruments/src/index.ts', portVar: 'LEGAL_INSTRUMENTS_PORT', database: true },
  { name: 'migration-data', port: 4002, entry: 'services/migration-data/src/index.ts', portVar: 'MIGRATION_DATA_PORT', database: true },
  { name: 'consultative-processes', port: 4003, entry: 'services/consultative-processes/src/index.ts', portVar: 'CONSULTATIVE_PROCESSES_PORT', database: true },
  { name: 'un-partnerships', port: 4004, entry: 'services/un-partnerships/src/index.ts', portVar: 'UN_PARTNERSHIPS_PORT', database: true },
];

const databaseUrl = { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'migration-graph-database', key: 'DATABASE_URL' } } };

describe('the Kubernetes manifests', () => {
  it('apply through kustomize: every listed file exists, and every manifest file is listed or applied on its own', () => {
    const kustomization = load('kustomization.yaml')[0];
    expect(kustomization.resources.every((r: string) => files.includes(r))).toBe(true);
    // The migrate Job runs before the rollout and the Secrets are made out of band, so neither is in the list.
    expect(files.filter((f) => !kustomization.resources.includes(f)).sort()).toEqual(['kustomization.yaml', 'migrate-job.yaml', 'secrets.example.yaml']);
  });

  it.each(COMPONENTS)('runs $name with replicas, both probes, resources, its secrets and a Service on port $port', (c) => {
    const deployment = find('Deployment', c.name)!;
    expect(deployment).toBeDefined();
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': c.name });
    expect(deployment.spec.template.metadata.labels).toEqual(expect.objectContaining(deployment.spec.selector.matchLabels));
    const [container] = deployment.spec.template.spec.containers;
    expect(container.command).toEqual(['node', '--import', 'tsx', c.entry]);
    expect(fs.existsSync(path.join(PROJECT_ROOT, c.entry))).toBe(true);
    expect(container.ports).toEqual([{ name: 'http', containerPort: c.port }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(container.resources.limits.memory).toMatch(/^\d+(Mi|Gi)$/);
    expect(container.env).toEqual(c.database ? [{ name: c.portVar, value: String(c.port) }, databaseUrl] : [{ name: c.portVar, value: String(c.port) }]);
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'migration-graph' } }, { secretRef: { name: 'migration-graph-signing-keys' } }]);
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    const service = find('Service', c.name)!;
    expect(service.spec).toEqual({ selector: { 'app.kubernetes.io/name': c.name }, ports: [{ name: 'http', port: c.port, targetPort: 'http' }] });
  });

  it('points the gateway at each service through its Service, with the port the service listens on', () => {
    const config = find('ConfigMap', 'migration-graph')!.data;
    for (const c of COMPONENTS.filter((x) => x.database)) {
      const variable = `${c.portVar.replace(/_PORT$/, '')}_URL`;
      expect({ variable, url: config[variable] }).toEqual({ variable, url: `http://${c.name}:${c.port}/graphql` });
    }
    expect(config.HOST).toBe('0.0.0.0');
    expect(config).not.toHaveProperty('DATABASE_URL');
  });

  it('migrates with a Job that runs npm run migrate before a rollout, with the database secret', () => {
    const job = find('Job', 'migrate')!;
    expect(job.metadata.annotations).toEqual(
      expect.objectContaining({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'argocd.argoproj.io/hook': 'PreSync' }),
    );
    const [container] = job.spec.template.spec.containers;
    expect(container.command).toEqual(['npm', 'run', '--silent', 'migrate']);
    expect(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts.migrate).toBeDefined();
    expect(container.env).toContainEqual(databaseUrl);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    const images = all.flatMap(({ doc }) => (doc.spec?.template?.spec?.containers ?? []).map((x: Obj) => x.image));
    expect(new Set(images)).toEqual(new Set(['migration-graph:0.1.0']));
  });

  it('keeps secret values out of everything but the example, whose values are placeholders', () => {
    const secrets = all.filter(({ doc }) => doc.kind === 'Secret');
    expect(secrets.map(({ file, doc }) => `${file}:${doc.metadata.name}`)).toEqual([
      'secrets.example.yaml:migration-graph-database',
      'secrets.example.yaml:migration-graph-signing-keys',
    ]);
    for (const { doc } of secrets) for (const value of Object.values(doc.stringData as Record<string, string>)) expect(value).toContain('CHANGE-ME');
  });
});
