import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../meta.js';
import { bindingFor, bindingName } from './binding-for.js';
import type { PolicyObject } from './policy-match.js';
import type { PropagationSpec } from './policy.js';

const template: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'cart', namespace: 'shop', uid: 'u-1', labels: { 'app.kubernetes.io/part-of': 'store' } },
  spec: {
    replicas: 3,
    template: { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] } },
  },
};
const policy = (spec: Partial<PropagationSpec>): PolicyObject => ({
  apiVersion: 'policy.flotilla.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name: 'p', namespace: 'shop' },
  spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }], ...spec },
});

describe('bindingFor', () => {
  it('names the binding after the template and carries replicas, requirements and the previous decision', () => {
    const b = bindingFor(template, policy({}), { previous: [{ name: 'm1', replicas: 3 }] });
    assert.equal(bindingName(template), 'cart-deployment');
    assert.equal(b.metadata.name, 'cart-deployment');
    assert.equal(b.metadata.namespace, 'shop');
    assert.equal(b.spec.replicas, 3);
    assert.deepEqual(b.spec.replicaRequirements?.resourceRequest, { cpu: '1000m' });
    assert.deepEqual(b.spec.clusters, [{ name: 'm1', replicas: 3 }]);
    assert.equal(b.spec.schedulePriority, undefined);
  });

  it('takes the priority from the policy, by value or PriorityClass', () => {
    assert.deepEqual(
      bindingFor(template, policy({ schedulePriority: { priority: 7 } })).spec.schedulePriority,
      {
        priority: 7,
      },
    );
    const byClass = policy({
      schedulePriority: {
        priorityClassSource: 'KubePriorityClass',
        priorityClassName: 'high',
        preemptionPolicy: 'Never',
      },
    });
    assert.deepEqual(
      bindingFor(template, byClass, { priorityClasses: new Map([['high', 1000]]) }).spec.schedulePriority,
      {
        priority: 1000,
        preemptionPolicy: 'Never',
      },
    );
    assert.deepEqual(bindingFor(template, byClass).spec.schedulePriority, { preemptionPolicy: 'Never' });
  });

  it('puts the template in the workload groups its labels name', () => {
    const grouped = policy({
      placement: {
        workloadAffinity: {
          affinity: { groupByLabelKey: 'app.kubernetes.io/part-of' },
          antiAffinity: { groupByLabelKey: 'missing' },
        },
      },
    });
    assert.deepEqual(bindingFor(template, grouped).spec.workloadAffinityGroups, { affinityGroup: 'store' });
    assert.equal(bindingFor(template, policy({})).spec.workloadAffinityGroups, undefined);
  });
});
