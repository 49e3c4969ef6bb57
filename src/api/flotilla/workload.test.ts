import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../meta.js';
import { workloadShape } from './workload.js';

const podTemplate = {
  spec: {
    containers: [
      { name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
      { name: 'b', resources: { limits: { cpu: '1' } } },
    ],
    nodeSelector: { disk: 'ssd' },
    priorityClassName: 'high',
  },
};
const obj = (apiVersion: string, kind: string, fields: { spec?: unknown; status?: unknown }): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'x' },
  ...fields,
});

describe('workloadShape', () => {
  it('reads replicas and per-replica requirements of the workload kinds', () => {
    assert.deepEqual(
      workloadShape(obj('apps/v1', 'Deployment', { spec: { replicas: 3, template: podTemplate } })),
      {
        replicas: 3,
        requirements: {
          resourceRequest: { cpu: '1250m', memory: '64Mi' },
          nodeClaim: { nodeSelector: { disk: 'ssd' } },
          priorityClassName: 'high',
        },
      },
    );
    assert.equal(
      workloadShape(obj('apps/v1', 'StatefulSet', { spec: { template: podTemplate } })).replicas,
      1,
    );
    assert.equal(
      workloadShape(
        obj('batch/v1', 'Job', {
          spec: { parallelism: 4, completions: 10, template: podTemplate },
          status: { succeeded: 8 },
        }),
      ).replicas,
      2,
    );
    assert.equal(workloadShape(obj('batch/v1', 'Job', { spec: { template: podTemplate } })).replicas, 1);
    assert.equal(workloadShape(obj('v1', 'Pod', { spec: podTemplate.spec })).replicas, 1);
    assert.deepEqual(workloadShape(obj('v1', 'ConfigMap', {})), { replicas: 0 });
  });
});
