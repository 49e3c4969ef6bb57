import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldIssue } from '../status.js';
import type { Cluster } from './cluster.js';
import type { ClusterTaintPolicy, ClusterTaintPolicySpec } from './cluster-taint-policy.js';
import { conditionsHold, taintsUnderPolicies, validateClusterTaintPolicy } from './cluster-taint-policy.js';

const NOW = '2026-12-05T10:00:00.000Z';

function cluster(name: string, conditions: Record<string, string>, extra: Partial<Cluster> = {}): Cluster {
  return {
    apiVersion: 'cluster.flotilla.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name, labels: { env: name === 'prod' ? 'prod' : 'dev' } },
    spec: {},
    status: {
      conditions: Object.entries(conditions).map(([type, status]) => ({ type, status: status as 'True' })),
    },
    ...extra,
  };
}

function policy(name: string, spec: Partial<ClusterTaintPolicySpec>): ClusterTaintPolicy {
  return {
    apiVersion: 'policy.flotilla.io/v1alpha1',
    kind: 'ClusterTaintPolicy',
    metadata: { name },
    spec: { taints: [{ key: 'components-unhealthy', effect: 'NoSchedule' }], ...spec },
  };
}

const unhealthy = {
  conditionType: 'KubeComponentsHealthy',
  operator: 'NotIn' as const,
  statusValues: ['True'],
};
const healthy = { conditionType: 'KubeComponentsHealthy', operator: 'In' as const, statusValues: ['True'] };

describe('conditionsHold', () => {
  it('needs every condition; a condition the cluster lacks fails In and meets NotIn', () => {
    const c = cluster('a', { Ready: 'True', KubeComponentsHealthy: 'False' });
    assert.equal(conditionsHold(c, [unhealthy]), true);
    assert.equal(
      conditionsHold(c, [unhealthy, { conditionType: 'Ready', operator: 'In', statusValues: ['False'] }]),
      false,
    );
    assert.equal(conditionsHold(cluster('b', {}), [healthy]), false);
    assert.equal(conditionsHold(cluster('b', {}), [unhealthy]), true);
    assert.equal(conditionsHold(c, []), false, 'an empty list never holds');
  });
});

describe('taintsUnderPolicies', () => {
  const p = policy('components', { addOnConditions: [unhealthy], removeOnConditions: [healthy] });

  it('adds the taints with timeAdded when the add conditions hold, and removes them when the remove ones do', () => {
    const sick = cluster('a', { KubeComponentsHealthy: 'False' });
    assert.deepEqual(taintsUnderPolicies(sick, [p], NOW), [
      { key: 'components-unhealthy', effect: 'NoSchedule', timeAdded: NOW },
    ]);
    const tainted = { ...sick, spec: { taints: taintsUnderPolicies(sick, [p], NOW) } };
    assert.deepEqual(
      taintsUnderPolicies(tainted, [p], '2026-12-05T11:00:00.000Z'),
      tainted.spec.taints,
      'kept as added',
    );
    const well = { ...cluster('a', { KubeComponentsHealthy: 'True' }), spec: tainted.spec };
    assert.deepEqual(taintsUnderPolicies(well, [p], NOW), []);
  });

  it('leaves other taints alone, and only touches target clusters', () => {
    const cordoned = cluster(
      'prod',
      { KubeComponentsHealthy: 'False' },
      {
        spec: { taints: [{ key: 'cluster.flotilla.io/unschedulable', effect: 'NoSchedule' }] },
      },
    );
    const devOnly = policy('dev', {
      addOnConditions: [unhealthy],
      targetClusters: { labelSelector: { matchLabels: { env: 'dev' } } },
    });
    assert.deepEqual(taintsUnderPolicies(cordoned, [devOnly], NOW), cordoned.spec?.taints);
    assert.equal(
      taintsUnderPolicies(cluster('a', { KubeComponentsHealthy: 'False' }), [devOnly], NOW).length,
      1,
    );
  });

  it('removal wins over addition, across policies too', () => {
    const sick = cluster('a', { KubeComponentsHealthy: 'False', Ready: 'True' });
    const both = policy('both', {
      addOnConditions: [unhealthy],
      removeOnConditions: [{ conditionType: 'Ready', operator: 'In', statusValues: ['True'] }],
    });
    assert.deepEqual(taintsUnderPolicies(sick, [both], NOW), []);
    const remover = policy('remover', {
      removeOnConditions: [{ conditionType: 'Ready', operator: 'In', statusValues: ['True'] }],
    });
    assert.deepEqual(taintsUnderPolicies(sick, [p, remover], NOW), []);
  });

  it('a deleted policy adds nothing and removes nothing', () => {
    const gone = { ...p, metadata: { ...p.metadata, deletionTimestamp: NOW } };
    const tainted = cluster(
      'a',
      { KubeComponentsHealthy: 'True' },
      { spec: { taints: [{ key: 'components-unhealthy', effect: 'NoSchedule' }] } },
    );
    assert.deepEqual(taintsUnderPolicies(tainted, [gone], NOW), tainted.spec?.taints);
  });
});

describe('validateClusterTaintPolicy', () => {
  const messages = (spec: unknown): string[] =>
    validateClusterTaintPolicy({
      apiVersion: 'policy.flotilla.io/v1alpha1',
      kind: 'ClusterTaintPolicy',
      metadata: { name: 'x' },
      spec,
    }).map(formatFieldIssue);

  it('accepts a well-formed policy', () => {
    assert.deepEqual(
      messages({ addOnConditions: [unhealthy], taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] }),
      [],
    );
  });

  it('reports each problem at its field path', () => {
    assert.deepEqual(
      messages({
        addOnConditions: [{ conditionType: '', operator: 'Maybe', statusValues: [] }],
        taints: [
          { key: 'cluster.flotilla.io/not-ready', effect: 'NoExecute' },
          { key: 'bad key', effect: 'Sometimes' },
          { key: 'k', value: 'not ok!', effect: 'NoSchedule' },
          { key: 'k', effect: 'NoSchedule' },
        ],
      }).map((m) => m.split(':')[0]),
      [
        'spec.addOnConditions[0].conditionType',
        'spec.addOnConditions[0].operator',
        'spec.addOnConditions[0].statusValues',
        'spec.taints[0].key',
        'spec.taints[1].key',
        'spec.taints[1].effect',
        'spec.taints[2].value',
        'spec.taints[3]',
      ],
    );
    assert.deepEqual(messages({ taints: [] }), [
      'spec.addOnConditions: Required value: addOnConditions or removeOnConditions must have at least one condition',
      'spec.taints: Required value: at least one taint',
    ]);
  });
});
