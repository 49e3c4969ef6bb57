import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldIssue } from '../status.js';
import { isQualifiedName } from '../validation/names.js';
import type { Placement, PropagationSpec } from './policy.js';
import { validatePropagationSpec } from './policy-validation.js';

const spec = (placement: Placement): PropagationSpec => ({
  resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }],
  placement,
});
const problems = (s: PropagationSpec): string[] => validatePropagationSpec(s).map(formatFieldIssue);

describe('validatePropagationSpec', () => {
  it('accepts a sound policy', () => {
    assert.deepEqual(
      problems(
        spec({
          clusterAffinity: {
            fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['eu'] }] },
          },
          spreadConstraints: [{ spreadByField: 'region', minGroups: 1, maxGroups: 2 }],
          replicaScheduling: {
            replicaSchedulingType: 'Divided',
            weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['a'] }, weight: 2 }] },
          },
        }),
      ),
      [],
    );
  });

  it('checks workload affinity label keys', () => {
    assert.deepEqual(
      problems(spec({ workloadAffinity: { affinity: { groupByLabelKey: 'app.kubernetes.io/part-of' } } })),
      [],
    );
    assert.deepEqual(
      problems(
        spec({
          workloadAffinity: { affinity: { groupByLabelKey: '' }, antiAffinity: { groupByLabelKey: 'a b' } },
        }),
      ),
      [
        'spec.placement.workloadAffinity.affinity.groupByLabelKey: Required value',
        `spec.placement.workloadAffinity.antiAffinity.groupByLabelKey: Invalid value: "a b": ${isQualifiedName('a b')[0] ?? ''}`,
      ],
    );
  });

  it('checks the schedule priority', () => {
    const withPriority = (schedulePriority: PropagationSpec['schedulePriority']): PropagationSpec => ({
      ...spec({}),
      ...(schedulePriority ? { schedulePriority } : {}),
    });
    assert.deepEqual(problems(withPriority({ priority: 10, preemptionPolicy: 'Never' })), []);
    assert.deepEqual(
      problems(withPriority({ priorityClassSource: 'KubePriorityClass', priorityClassName: 'high' })),
      [],
    );
    assert.deepEqual(
      problems(
        withPriority({
          priorityClassSource: 'Other' as 'KubePriorityClass',
          priority: 1,
          preemptionPolicy: 'Sometimes' as 'Never',
        }),
      ),
      [
        'spec.schedulePriority.priorityClassSource: Unsupported value: "Other": supported values: "KubePriorityClass"',
        'spec.schedulePriority.priorityClassName: Required value',
        'spec.schedulePriority.preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
      ],
    );
    assert.deepEqual(problems(withPriority({ priorityClassName: 'high', priority: 1 })), [
      'spec.schedulePriority.priority: Forbidden: priority and priorityClassName cannot be set together',
    ]);
  });

  it('reports each problem at its field path', () => {
    assert.deepEqual(problems({ resourceSelectors: [] }), [
      'spec.resourceSelectors: Required value: at least one selector is required',
    ]);
    assert.deepEqual(
      problems(
        spec({
          clusterAffinity: {},
          clusterAffinities: [{ affinityName: '' }],
          spreadConstraints: [{ spreadByField: 'cluster', spreadByLabel: 'x', minGroups: 3, maxGroups: 2 }],
          replicaScheduling: {
            weightPreference: {
              dynamicWeight: 'AvailableReplicas',
              staticWeightList: [{ targetCluster: {}, weight: 0 }],
            },
          },
        }),
      ),
      [
        'spec.placement.clusterAffinities: Forbidden: clusterAffinity and clusterAffinities cannot be set together',
        'spec.placement.clusterAffinities[0].affinityName: Required value',
        'spec.placement.spreadConstraints[0].spreadByLabel: Forbidden: spreadByLabel should not co-exist with spreadByField',
        'spec.placement.spreadConstraints[0].maxGroups: Invalid value: 2: maxGroups lower than minGroups is not allowed',
        'spec.placement.replicaScheduling.weightPreference: Forbidden: staticWeightList and dynamicWeight are mutually exclusive',
        'spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight: Invalid value: 0: must be greater than or equal to 1',
      ],
    );
    assert.deepEqual(
      problems(
        spec({
          clusterAffinity: { fieldSelector: { matchExpressions: [{ key: 'rack', operator: 'Exists' }] } },
        }),
      ),
      [
        'spec.placement.clusterAffinity.fieldSelector.matchExpressions[0].key: Unsupported value: "rack": supported values: "provider", "region", "zone"',
        'spec.placement.clusterAffinity.fieldSelector.matchExpressions[0].operator: Unsupported value: "Exists": supported values: "In", "NotIn"',
      ],
    );
  });
});
