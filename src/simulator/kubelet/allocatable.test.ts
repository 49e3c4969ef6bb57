import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatCpu, nodeAllocatable, nodeCapacity, reservedMemory, reservedMilliCpu } from './allocatable.js';
import type { NodeSpec } from './kubelet-options.js';

const spec = (cpu: string, memory: string): NodeSpec => ({
  name: 'n',
  capacity: { cpu, memory, pods: 110 },
  podCIDR: '10.0.0.0/24',
  internalIP: '10.1.0.1',
});

describe('node capacity and allocatable', () => {
  it('reports capacity in kubelet units', () => {
    assert.deepEqual(nodeCapacity(spec('4', '16Gi')), {
      cpu: '4',
      'ephemeral-storage': '104857600Ki',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: '16777216Ki',
      pods: '110',
    });
  });

  it('reserves CPU and memory in GKE tiers plus the eviction threshold', () => {
    for (const [milli, reserved] of [
      [1000, 60],
      [2000, 70],
      [4000, 80],
      [8000, 90],
    ] as const)
      assert.equal(reservedMilliCpu(milli), reserved, `${milli}m`);
    assert.equal(reservedMemory(16 * 2 ** 30), Math.floor(2.6 * 2 ** 30));
    const a = nodeAllocatable(spec('4', '16Gi'));
    assert.equal(a['cpu'], '3920m');
    assert.equal(
      a['memory'],
      `${Math.floor((16 * 2 ** 30 - Math.floor(2.6 * 2 ** 30) - 100 * 2 ** 20) / 1024)}Ki`,
    );
    assert.equal(a['ephemeral-storage'], String(Math.floor(100 * 2 ** 30 * 0.9)));
    assert.equal(a['pods'], '110');
  });

  it('uses the allocatable the caller gives', () => {
    const a = nodeAllocatable({ ...spec('2', '8Gi'), allocatable: { cpu: '1900m' } });
    assert.equal(a['cpu'], '1900m');
    assert.equal(a['memory'], '8388608Ki');
    assert.equal(formatCpu(500), '500m');
  });
});
