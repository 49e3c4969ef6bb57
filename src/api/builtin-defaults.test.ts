import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from './meta.js';
import { applyBuiltinDefaults, applyListKeyDefaults, defaultPullPolicy } from './builtin-defaults.js';

function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

describe('builtin defaults', () => {
  it('defaults a Deployment like kube-apiserver', () => {
    const d = deployment();
    applyBuiltinDefaults('apps', d);
    const spec = d['spec'] as Record<string, unknown>;
    assert.equal(spec['replicas'], 1);
    assert.deepEqual(spec['strategy'], {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    assert.equal(spec['revisionHistoryLimit'], 10);
    assert.equal(spec['progressDeadlineSeconds'], 600);
    const pod = (spec['template'] as { spec: Record<string, unknown> }).spec;
    assert.equal(pod['restartPolicy'], 'Always');
    assert.equal(pod['dnsPolicy'], 'ClusterFirst');
    assert.equal(pod['terminationGracePeriodSeconds'], 30);
    const c = (pod['containers'] as Record<string, unknown>[])[0];
    assert.equal(c?.['imagePullPolicy'], 'IfNotPresent');
    assert.deepEqual(c?.['ports'], [{ containerPort: 80, protocol: 'TCP' }]);
  });

  it('never overrides what is set', () => {
    const d = deployment();
    (d['spec'] as Record<string, unknown>)['replicas'] = 0;
    (d['spec'] as Record<string, unknown>)['strategy'] = { type: 'Recreate' };
    applyBuiltinDefaults('apps', d);
    assert.equal((d['spec'] as Record<string, unknown>)['replicas'], 0);
    assert.deepEqual((d['spec'] as Record<string, unknown>)['strategy'], { type: 'Recreate' });
  });

  it('defaults Services and Secrets', () => {
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {},
      spec: { ports: [{ port: 80 }] },
    };
    applyBuiltinDefaults('', svc);
    assert.deepEqual(svc['spec'], {
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    });
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: {} };
    applyBuiltinDefaults('', secret);
    assert.equal(secret['type'], 'Opaque');
  });

  it('chooses the image pull policy from the tag', () => {
    const cases: [string, string][] = [
      ['nginx', 'Always'],
      ['nginx:latest', 'Always'],
      ['nginx:1.25', 'IfNotPresent'],
      ['registry:5000/team/app', 'Always'],
      ['registry:5000/team/app:v2', 'IfNotPresent'],
      ['nginx@sha256:abc', 'IfNotPresent'],
    ];
    for (const [image, want] of cases) assert.equal(defaultPullPolicy(image), want, image);
  });

  it('fills only list-key defaults for apply configs', () => {
    const d = deployment();
    applyListKeyDefaults('apps', d);
    const spec = d['spec'] as Record<string, unknown>;
    assert.equal(spec['replicas'], undefined);
    const c = (spec['template'] as { spec: { containers: Record<string, unknown>[] } }).spec.containers[0];
    assert.deepEqual(c?.['ports'], [{ containerPort: 80, protocol: 'TCP' }]);
  });
});
