import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../meta.js';
import { workloadDependencies } from './dependencies.js';

describe('workloadDependencies', () => {
  it('finds every ConfigMap, Secret, ServiceAccount and PVC a pod template refers to', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        template: {
          spec: {
            serviceAccountName: 'web-sa',
            imagePullSecrets: [{ name: 'pull' }],
            volumes: [
              { name: 'a', configMap: { name: 'config' } },
              { name: 'b', secret: { secretName: 'tls' } },
              { name: 'c', persistentVolumeClaim: { claimName: 'data' } },
              {
                name: 'd',
                projected: { sources: [{ configMap: { name: 'extra' } }, { secret: { name: 'token' } }] },
              },
            ],
            initContainers: [{ name: 'init', envFrom: [{ configMapRef: { name: 'config' } }] }],
            containers: [
              {
                name: 'web',
                env: [
                  { name: 'A', valueFrom: { configMapKeyRef: { name: 'env-config', key: 'a' } } },
                  { name: 'B', valueFrom: { secretKeyRef: { name: 'password', key: 'b' } } },
                  { name: 'C', value: 'plain' },
                ],
                envFrom: [{ secretRef: { name: 'bulk' } }],
              },
            ],
          },
        },
      },
    } as unknown as KubeObject;
    assert.deepEqual(
      workloadDependencies(deployment).map((d) => `${d.kind}/${d.name}`),
      [
        'ConfigMap/config',
        'ConfigMap/env-config',
        'ConfigMap/extra',
        'PersistentVolumeClaim/data',
        'Secret/bulk',
        'Secret/password',
        'Secret/pull',
        'Secret/tls',
        'Secret/token',
        'ServiceAccount/web-sa',
      ],
    );
  });

  it('has none for kinds without pods and for the default service account', () => {
    assert.deepEqual(
      workloadDependencies({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
      [],
    );
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { serviceAccountName: 'default', containers: [] },
    } as unknown as KubeObject;
    assert.deepEqual(workloadDependencies(pod), []);
  });
});
