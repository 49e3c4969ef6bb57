/** Table-driven checks of every filter and score plugin. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../api/flotilla/cluster.js';
import { TAINT_CLUSTER_UNSCHEDULABLE } from '../../api/flotilla/cluster.js';
import type { CycleContext, FilterPlugin, SchedulingUnit } from '../framework/interface.js';
import { estimateAvailableReplicas } from '../core/available-replicas.js';
import { DYNAMIC, makeCluster, makeUnit } from '../testing/fixtures.js';
import { apiEnablement } from './api-enablement/api-enablement.js';
import { balancedAllocation } from './balanced-allocation/balanced-allocation.js';
import { capacityFit } from './capacity-fit/capacity-fit.js';
import { clusterAffinity } from './cluster-affinity/cluster-affinity.js';
import { clusterLocality } from './cluster-locality/cluster-locality.js';
import { clusterReady } from './cluster-ready/cluster-ready.js';
import { namespaceFit } from './namespace-fit/namespace-fit.js';
import { spreadConstraint } from './spread-constraint/spread-constraint.js';
import { taintToleration } from './taint-toleration/taint-toleration.js';
import {
  workloadAffinity,
  workloadAffinityScore,
  workloadAntiAffinity,
} from './workload-affinity/workload-affinity.js';

function ctxOf(unit: SchedulingUnit, affinity?: CycleContext['affinity']): CycleContext {
  return {
    unit,
    ...(affinity ? { affinity } : {}),
    previousNames: new Set(unit.previous.map((t) => t.name)),
    available: (c) => estimateAvailableReplicas(c, unit.requirements),
  };
}

/** '' when the plugin passes the cluster, else its reason. */
function verdict(plugin: FilterPlugin, ctx: CycleContext, cluster: Cluster): string {
  const status = plugin.filter(ctx, cluster);
  return status.code === 'Success' ? '' : status.reason;
}

const eu = makeCluster('eu-1').region('eu').provider('aws').zones('eu-1a').labels({ env: 'prod' }).obj();
const us = makeCluster('us-1')
  .region('us')
  .provider('gcp')
  .zones('us-1a', 'us-1b')
  .labels({ env: 'dev' })
  .obj();

describe('filter plugins', () => {
  it('ClusterAffinity: names, exclude, labels and provider/region/zone fields', () => {
    const unit = makeUnit(1, {});
    const cases: [CycleContext['affinity'], Cluster, string][] = [
      [undefined, eu, ''],
      [{ clusterNames: ['eu-1'] }, eu, ''],
      [{ clusterNames: ['eu-1'] }, us, 'cluster(s) did not match the placement cluster affinity constraint'],
      [{ exclude: ['eu-1'] }, eu, 'cluster(s) did not match the placement cluster affinity constraint'],
      [{ labelSelector: { matchLabels: { env: 'prod' } } }, eu, ''],
      [
        { labelSelector: { matchLabels: { env: 'prod' } } },
        us,
        'cluster(s) did not match the placement cluster affinity constraint',
      ],
      [{ fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['eu'] }] } }, eu, ''],
      [
        { fieldSelector: { matchExpressions: [{ key: 'provider', operator: 'NotIn', values: ['aws'] }] } },
        us,
        '',
      ],
      [
        { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['us-1a'] }] } },
        us,
        'cluster(s) did not match the placement cluster affinity constraint',
      ],
      [
        {
          fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['us-1a', 'us-1b'] }] },
        },
        us,
        '',
      ],
    ];
    for (const [affinity, cluster, want] of cases)
      assert.equal(verdict(clusterAffinity, ctxOf(unit, affinity), cluster), want, JSON.stringify(affinity));
  });

  it('TaintToleration: NoSchedule and NoExecute need a toleration; clusters in use pass', () => {
    const cordoned = makeCluster('c').taint({ key: TAINT_CLUSTER_UNSCHEDULABLE, effect: 'NoSchedule' }).obj();
    const gpu = makeCluster('g').taint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }).obj();
    const soft = makeCluster('s').taint({ key: 'x', effect: 'PreferNoSchedule' }).obj();
    const tolerant = makeUnit(1, {
      clusterTolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }],
    });
    assert.equal(
      verdict(taintToleration, ctxOf(makeUnit(1, {})), gpu),
      'cluster(s) had untolerated taint {dedicated=gpu:NoSchedule}',
    );
    assert.equal(verdict(taintToleration, ctxOf(tolerant), gpu), '');
    assert.equal(verdict(taintToleration, ctxOf(makeUnit(1, {})), soft), '');
    assert.equal(
      verdict(taintToleration, ctxOf(makeUnit(1, {})), cordoned),
      'cluster(s) had untolerated taint {cluster.flotilla.io/unschedulable:NoSchedule}',
    );
    assert.equal(
      verdict(taintToleration, ctxOf(makeUnit(1, {}, { previous: [{ name: 'c', replicas: 1 }] })), cordoned),
      '',
    );
  });

  it('APIEnablement: the cluster must serve the kind', () => {
    const noApps = makeCluster('n')
      .apis({ groupVersion: 'v1', kinds: ['ConfigMap'] })
      .obj();
    const unknown = makeCluster('u').obj();
    delete unknown.status?.apiEnablements;
    assert.equal(verdict(apiEnablement, ctxOf(makeUnit(1, {})), eu), '');
    assert.equal(
      verdict(apiEnablement, ctxOf(makeUnit(1, {})), noApps),
      'cluster(s) did not have the API resource apps/v1/Deployment',
    );
    assert.equal(verdict(apiEnablement, ctxOf(makeUnit(1, {})), unknown), '');
  });

  it('NamespaceFit: allowedNamespaces limits the namespaces placed on a cluster', () => {
    const restricted = makeCluster('r').allowedNamespaces('payments').obj();
    assert.equal(
      verdict(namespaceFit, ctxOf(makeUnit(1, {})), restricted),
      'cluster(s) do not allow namespace default',
    );
    assert.equal(verdict(namespaceFit, ctxOf(makeUnit(1, {}, { namespace: 'payments' })), restricted), '');
    assert.equal(verdict(namespaceFit, ctxOf(makeUnit(1, {}, { namespace: '' })), restricted), '');
  });

  it('WorkloadAffinity: members of a group go where the group already runs', () => {
    const group = (clusters: string[]) => ({ name: 'pipeline', clusters: new Set(clusters) });
    const cases: [string[], string[], Cluster, string][] = [
      [[], [], us, ''],
      [['eu-1'], [], eu, ''],
      [['eu-1'], [], us, 'cluster(s) did not run workloads of affinity group pipeline'],
      [['eu-1'], ['us-1'], us, ''],
    ];
    for (const [peers, previous, cluster, want] of cases) {
      const unit = makeUnit(
        1,
        {},
        {
          workloadGroups: { affinity: group(peers) },
          previous: previous.map((name) => ({ name, replicas: 1 })),
        },
      );
      assert.equal(
        verdict(workloadAffinity, ctxOf(unit), cluster),
        want,
        `${peers.join()} ${previous.join()} ${cluster.metadata.name ?? ''}`,
      );
    }
    assert.equal(verdict(workloadAffinity, ctxOf(makeUnit(1, {})), us), '', 'no group');
  });

  it('WorkloadAffinity score: prefers where the group runs and the anti-group does not', () => {
    const groups = {
      affinity: { name: 'shop', clusters: new Set(['eu-1']) },
      antiAffinity: { name: 'db', clusters: new Set(['us-1']) },
    };
    const ctx = ctxOf(makeUnit(1, {}, { workloadGroups: groups }));
    assert.equal(workloadAffinityScore.score(ctx, eu), 100);
    assert.equal(workloadAffinityScore.score(ctx, us), 0);
    const none = ctxOf(makeUnit(1, {}));
    assert.equal(workloadAffinityScore.score(none, eu), workloadAffinityScore.score(none, us));
  });

  it('WorkloadAntiAffinity: members of a group never share a cluster', () => {
    const group = (clusters: string[]) => ({ name: 'replicas-of-db', clusters: new Set(clusters) });
    const cases: [string[], string[], Cluster, string][] = [
      [[], [], eu, ''],
      [['eu-1'], [], us, ''],
      [['eu-1'], [], eu, 'cluster(s) already ran a workload of anti-affinity group replicas-of-db'],
      [['eu-1'], ['eu-1'], eu, ''],
    ];
    for (const [peers, previous, cluster, want] of cases) {
      const unit = makeUnit(
        1,
        {},
        {
          workloadGroups: { antiAffinity: group(peers) },
          previous: previous.map((name) => ({ name, replicas: 1 })),
        },
      );
      assert.equal(
        verdict(workloadAntiAffinity, ctxOf(unit), cluster),
        want,
        `${peers.join()} ${previous.join()} ${cluster.metadata.name ?? ''}`,
      );
    }
  });

  it('ClusterReady: only Ready clusters take new placements', () => {
    const down = makeCluster('d').notReady('ClusterNotReachable').obj();
    assert.equal(
      verdict(clusterReady, ctxOf(makeUnit(1, {})), down),
      'cluster(s) were not ready (ClusterNotReachable)',
    );
    assert.equal(
      verdict(clusterReady, ctxOf(makeUnit(1, {}, { previous: [{ name: 'd', replicas: 1 }] })), down),
      '',
    );
    assert.equal(verdict(clusterReady, ctxOf(makeUnit(1, {})), eu), '');
  });

  it('CapacityFit: divided workloads need room for one replica on one node', () => {
    const full = makeCluster('f')
      .free({ pods: '10' }, { allocated: { pods: '10' } })
      .obj();
    const fragmented = makeCluster('x')
      .free({ cpu: '8', pods: '100' }, { continuous: { cpu: '1', pods: '50' } })
      .obj();
    const big = { requirements: { resourceRequest: { cpu: '2' } } };
    assert.equal(
      verdict(capacityFit, ctxOf(makeUnit(1, DYNAMIC)), full),
      'cluster(s) had no room for one more replica',
    );
    assert.equal(verdict(capacityFit, ctxOf(makeUnit(1, {})), full), '', 'Duplicated is not checked');
    assert.equal(
      verdict(capacityFit, ctxOf(makeUnit(1, DYNAMIC, big)), fragmented),
      'cluster(s) had no room for one more replica',
    );
    assert.equal(
      verdict(capacityFit, ctxOf(makeUnit(1, DYNAMIC, { previous: [{ name: 'f', replicas: 2 }] })), full),
      '',
    );
  });

  it('SpreadConstraint: the spread property must be set', () => {
    const bare = makeCluster('b').obj();
    const byZone = makeUnit(1, { spreadConstraints: [{ spreadByField: 'zone' }] });
    const byLabel = makeUnit(1, { spreadConstraints: [{ spreadByLabel: 'rack' }] });
    assert.equal(verdict(spreadConstraint, ctxOf(byZone), bare), 'cluster(s) did not have zone property');
    assert.equal(verdict(spreadConstraint, ctxOf(byZone), eu), '');
    assert.equal(
      verdict(spreadConstraint, ctxOf(byLabel), eu),
      'cluster(s) did not have label rack property',
    );
  });
});

describe('score plugins', () => {
  it('ClusterLocality prefers clusters that already hold the workload', () => {
    const ctx = ctxOf(makeUnit(1, {}, { previous: [{ name: 'eu-1', replicas: 1 }] }));
    assert.equal(clusterLocality.score(ctx, eu), 100);
    assert.equal(clusterLocality.score(ctx, us), 0);
  });

  it('BalancedAllocation prefers the less committed cluster', () => {
    const ctx = ctxOf(makeUnit(1, {}));
    const busy = makeCluster('busy')
      .free({ cpu: '10', memory: '10Gi', pods: '100' }, { allocated: { cpu: '8', memory: '6Gi' } })
      .obj();
    const idle = makeCluster('idle').free({ cpu: '10', memory: '10Gi', pods: '100' }).obj();
    assert.equal(balancedAllocation.score(ctx, busy), 30);
    assert.equal(balancedAllocation.score(ctx, idle), 100);
    assert.equal(balancedAllocation.score(ctx, makeCluster('empty').free({ pods: '1' }).obj()), 0);
  });
});
