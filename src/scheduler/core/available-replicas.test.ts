import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeCluster } from '../testing/fixtures.js';
import { estimateAvailableReplicas } from './available-replicas.js';

describe('estimateAvailableReplicas', () => {
  it("follows Karmada's documented examples", () => {
    const cluster = (allocatedCpu: string, pods = '0') =>
      makeCluster('m')
        .free({ cpu: '4', pods: '110' }, { allocated: { cpu: allocatedCpu, pods } })
        .obj();
    const request = { resourceRequest: { cpu: '500m' } };
    assert.equal(estimateAvailableReplicas(cluster('950m'), request), 6);
    assert.equal(estimateAvailableReplicas(cluster('2'), request), 4);
    assert.equal(estimateAvailableReplicas(cluster('0', '110'), request), 0);
  });

  it('counts free pods without requirements and subtracts what is being allocated', () => {
    const c = makeCluster('m')
      .free({ cpu: '10', pods: '20' }, { allocated: { pods: '5' } })
      .obj();
    (c.status ??= {}).resourceSummary = { ...c.status.resourceSummary, allocating: { pods: '3', cpu: '9' } };
    assert.equal(estimateAvailableReplicas(c, undefined), 12);
    assert.equal(estimateAvailableReplicas(c, { resourceRequest: { cpu: '500m' } }), 2);
  });

  it('answers 0 for a resource the cluster lacks or a replica larger than any node', () => {
    const c = makeCluster('m')
      .free(
        { cpu: '64', memory: '256Gi', pods: '100' },
        { continuous: { cpu: '8', memory: '32Gi', pods: '50' } },
      )
      .obj();
    assert.equal(estimateAvailableReplicas(c, { resourceRequest: { 'nvidia.com/gpu': '1' } }), 0);
    assert.equal(estimateAvailableReplicas(c, { resourceRequest: { cpu: '16' } }), 0);
    assert.equal(estimateAvailableReplicas(c, { resourceRequest: { cpu: '8', memory: '1Gi' } }), 8);
  });
});
