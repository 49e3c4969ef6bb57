import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { affinityText, placementFields, replicaSchedulingText, tolerationText } from './placement-text.js';

describe('placement text', () => {
  it('says which clusters an affinity selects', () => {
    const cases: [Parameters<typeof affinityText>[0], string][] = [
      [undefined, 'any cluster'],
      [{}, 'any cluster'],
      [{ clusterNames: ['a', 'b'], exclude: ['c'] }, 'clusters a,b; not c'],
      [{ labelSelector: { matchLabels: { tier: 'prod' } } }, 'labels tier=prod'],
      [
        { fieldSelector: { matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['eu', 'ap'] }] } },
        'region notin (eu,ap)',
      ],
    ];
    for (const [affinity, want] of cases) assert.equal(affinityText(affinity), want);
  });

  it('says how replicas are divided', () => {
    const cases: [Parameters<typeof replicaSchedulingText>[0], string][] = [
      [undefined, 'Duplicated'],
      [{ replicaSchedulingType: 'Duplicated' }, 'Duplicated'],
      [{ replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' }, 'Divided, Aggregated'],
      [
        { replicaSchedulingType: 'Divided', weightPreference: { dynamicWeight: 'AvailableReplicas' } },
        'Divided, Weighted by available replicas',
      ],
      [{ replicaSchedulingType: 'Divided' }, 'Divided, Weighted equally'],
      [
        {
          replicaSchedulingType: 'Divided',
          replicaDivisionPreference: 'Weighted',
          weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['a'] }, weight: 2 }] },
        },
        'Divided, Weighted: clusters a=2',
      ],
    ];
    for (const [s, want] of cases) assert.equal(replicaSchedulingText(s), want);
  });

  it('prints tolerations like kubectl describe', () => {
    const cases: [Parameters<typeof tolerationText>[0], string][] = [
      [{ key: 'k', value: 'v', effect: 'NoSchedule' }, 'k=v:NoSchedule'],
      [
        { key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
        'k:NoExecute op=Exists for 30s',
      ],
      [{ operator: 'Exists' }, '<all> op=Exists'],
    ];
    for (const [t, want] of cases) assert.equal(tolerationText(t), want);
  });

  it('lists the affinities in order when there are several', () => {
    const fields = placementFields({
      clusterAffinities: [
        { affinityName: 'primary', clusterNames: ['a'] },
        { affinityName: 'backup', clusterNames: ['b'] },
      ],
      spreadConstraints: [{ spreadByField: 'region', minGroups: 2, maxGroups: 2 }],
    });
    assert.deepEqual(fields, [
      ['Cluster Affinities', ['primary: clusters a', 'backup: clusters b']],
      ['Tolerations', []],
      ['Spread', ['by region (min 2, max 2 groups)']],
      ['Replica Scheduling', 'Duplicated'],
    ]);
  });
});
