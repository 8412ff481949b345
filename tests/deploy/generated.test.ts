import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { SERVICE_REGISTRY } from '../../shared/src/runtime/registry';

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

describe('npm run generate:deploy', () => {
  it('wrote the committed Compose and Kubernetes files: each is what the registry gives (run it after changing the registry)', () => {
    const check = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generateDeploy.ts', '--check'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  }, 150_000);

  it('derives every per-service part: each registry line has its blocks in both Compose files and its own Kubernetes patch, and no folder is left of another', () => {
    for (const { name, port } of SERVICE_REGISTRY) {
      expect(read(`deploy/k8s/services/${name}/kustomization.yaml`)).toContain(`value: ${port}`);
      for (const compose of ['docker-compose.yml', 'docker-compose.production.yml'])
        expect(read(compose)).toContain(`\n  ${name}:\n`);
      expect(read('deploy/k8s/kustomization.yaml')).toContain(`- services/${name}\n`);
    }
    expect(fs.readdirSync(path.join(PROJECT_ROOT, 'deploy', 'k8s', 'services')).sort()).toEqual(
      SERVICE_REGISTRY.map((s) => s.name).sort(),
    );
  });
});
