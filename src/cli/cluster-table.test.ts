import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../api/flotilla/cluster.js';
import { clusterTable, cpu } from './cluster-table.js';
import { AT_NOW, makeCluster } from './testing/fixtures.js';

describe('clusterTable', () => {
  const ready = makeCluster('us-east-1');
  const cordoned = makeCluster('us-west-1', {
    region: 'us-west',
    zones: ['w1'],
    provider: 'gcp',
    taints: [
      { key: 'cluster.flotilla.io/unschedulable', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'gpu', effect: 'NoExecute' },
    ],
  });
  const fresh: Cluster = { ...makeCluster('new-1', {}), status: {} };

  it('prints the kubectl-like columns', () => {
    assert.equal(
      clusterTable([ready, fresh], { ...AT_NOW, wide: false }),
      [
        'NAME        READY     MODE   REGION    VERSION   NODES    CPU      AGE',
        'us-east-1   True      Push   us-east   v1.31.4   3/3      23/24    60m',
        'new-1       Unknown   Push   us-east   <none>    <none>   <none>   60m',
        '',
      ].join('\n'),
    );
  });

  it('adds zones, provider and taints when wide', () => {
    const lines = clusterTable([ready, cordoned], { ...AT_NOW, wide: true }).split('\n');
    assert.match(lines[0] ?? '', /AGE +ZONES +PROVIDER +TAINTS$/);
    assert.match(lines[1] ?? '', /60m +a,b +aws +<none>$/);
    assert.match(
      lines[2] ?? '',
      /60m +w1 +gcp +cluster\.flotilla\.io\/unschedulable:NoSchedule,dedicated=gpu:NoExecute$/,
    );
  });

  it('counts whole CPUs, rounding down', () => {
    const cases: [Parameters<typeof cpu>, string][] = [
      [[{ cpu: '79250m' }, { cpu: '79450m' }], '79/79'],
      [[{ cpu: '999m' }, { cpu: '2' }], '0/2'],
      [[undefined, { cpu: 4 }], '0/4'],
      [[{ cpu: '1' }, undefined], '<none>'],
    ];
    for (const [args, want] of cases) assert.equal(cpu(...args), want);
  });
});
