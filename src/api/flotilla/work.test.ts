import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneJson } from '../../base/json-clone.js';
import type { KubeObject } from '../meta.js';
import type { ResourceBinding } from './binding.js';
import { BINDING_ANNOTATION, MANAGED_LABEL, WORK_ANNOTATION, memberManifest, workName } from './work.js';

const binding = {
  apiVersion: 'work.flotilla.io/v1alpha1',
  kind: 'ResourceBinding',
  metadata: { name: 'web-deployment', namespace: 'shop' },
  spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' } },
} as unknown as ResourceBinding;

function template(kind: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: kind === 'Job' ? 'batch/v1' : kind === 'Pod' ? 'v1' : 'apps/v1',
    kind,
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'u-1',
      resourceVersion: '42',
      generation: 3,
      creationTimestamp: '2026-12-07T00:00:00Z',
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'o-1' }],
      finalizers: ['x/y'],
      labels: { app: 'web', 'propagationpolicy.flotilla.io/name': 'p' },
      annotations: { note: 'kept', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    },
    spec,
    status: { replicas: 9 },
  } as unknown as KubeObject;
}

describe('memberManifest', () => {
  it('drops server fields and status, marks the object as Flotilla’s and sets the cluster’s share', () => {
    const t = template('Deployment', { replicas: 6, template: { spec: { containers: [{ name: 'c' }] } } });
    const m = memberManifest(t, binding, { cluster: 'eu', replicas: 2 });
    assert.deepEqual(m, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'shop',
        labels: { app: 'web', [MANAGED_LABEL]: 'true' },
        annotations: {
          note: 'kept',
          [BINDING_ANNOTATION]: 'shop/web-deployment',
          [WORK_ANNOTATION]: `flotilla-es-eu/${workName(binding)}`,
        },
      },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'c' }] } } },
    });
  });

  it('sets a Job’s parallelism, leaves a Pod without replicas alone, and keeps the template’s replicas without a share', () => {
    const job = memberManifest(template('Job', { completions: 4 }), binding, { cluster: 'eu', replicas: 2 });
    assert.deepEqual((job as { spec?: unknown }).spec, { completions: 4, parallelism: 2 });
    const pod = memberManifest(template('Pod', { containers: [] }), binding, { cluster: 'eu', replicas: 2 });
    assert.deepEqual((pod as { spec?: unknown }).spec, { containers: [] });
    const whole = memberManifest(template('Deployment', { replicas: 6 }), binding, { cluster: 'eu' });
    assert.deepEqual((whole as { spec?: unknown }).spec, { replicas: 6 });
  });

  it('leaves the template as it was (it is an informer’s cached object)', () => {
    for (const kind of ['Deployment', 'Job', 'Pod']) {
      const t = template(kind, { replicas: 6, parallelism: 1 });
      const before = cloneJson(t);
      memberManifest(t, binding, { cluster: 'eu', replicas: 2 });
      assert.deepEqual(t, before, kind);
    }
  });
});
