import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFleetSpec } from '../fleet/fleet-spec.js';
import { nodeSpecsOf } from './node-specs.js';

describe('nodeSpecsOf', () => {
  it('names, zones, labels and addresses every node of every pool', () => {
    const [cluster] = parseFleetSpec({
      clusters: [
        {
          name: 'eu-1',
          region: 'eu',
          zones: ['eu-1a', 'eu-1b'],
          nodePools: [
            { name: 'general', count: 2, cpu: '8', memory: '32Gi' },
            {
              name: 'gpu',
              count: 1,
              labels: { gpu: 'true' },
              taints: [{ key: 'gpu', effect: 'NoSchedule' }],
            },
          ],
        },
      ],
    }).clusters;
    assert.ok(cluster);
    const nodes = nodeSpecsOf(cluster);
    assert.deepEqual(
      nodes.map((n) => [n.name, n.labels['topology.kubernetes.io/zone'], n.podCIDR, n.internalIP]),
      [
        ['eu-1-general-0', 'eu-1a', '10.244.0.0/24', '10.0.0.4'],
        ['eu-1-general-1', 'eu-1b', '10.244.1.0/24', '10.0.0.5'],
        ['eu-1-gpu-0', 'eu-1a', '10.244.2.0/24', '10.0.0.6'],
      ],
    );
    assert.equal(nodes[2]?.labels['gpu'], 'true');
    assert.deepEqual(nodes[2]?.taints, [{ key: 'gpu', effect: 'NoSchedule' }]);
    assert.deepEqual(nodes[0]?.capacity, {
      cpu: '8',
      memory: '32Gi',
      pods: '110',
      'ephemeral-storage': '100Gi',
    });
  });
});
