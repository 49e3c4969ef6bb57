import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { FleetSpecError, generatedFleet, parseFleetSpec } from './fleet-spec.js';

describe('parseFleetSpec', () => {
  it('reads a fleet file and fills defaults', () => {
    const spec = parseFleetSpec(
      parse(`
clusters:
  - name: eu-west-1
    region: eu-west
    zones: [eu-west-1a, eu-west-1b]
    provider: aws
    kubernetesVersion: v1.30.2
    labels: { tier: prod }
    nodePools:
      - { name: general, count: 2, cpu: "8", memory: 32Gi }
      - name: gpu
        count: 1
        cpu: 16
        memory: 64Gi
        labels: { gpu: "true" }
        taints: [{ key: gpu, value: "true", effect: NoSchedule }]
  - name: edge
`),
    );
    assert.equal(spec.clusters.length, 2);
    const [eu, edge] = spec.clusters;
    assert.deepEqual(eu?.nodePools[1], {
      name: 'gpu',
      count: 1,
      cpu: '16',
      memory: '64Gi',
      pods: 110,
      labels: { gpu: 'true' },
      taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }],
    });
    assert.equal(eu?.kubernetesVersion, 'v1.30.2');
    assert.deepEqual(edge, {
      name: 'edge',
      region: 'local',
      zones: ['local-a'],
      provider: 'sim',
      kubernetesVersion: 'v1.31.4',
      labels: {},
      nodePools: [{ name: 'default', count: 3, cpu: '4', memory: '16Gi', pods: 110, labels: {}, taints: [] }],
    });
  });

  it('reports every problem with its path and accepts nothing', () => {
    const bad = {
      clusters: [
        { name: 'Bad_Name', kubernetesVersion: '1.31', nodePools: [{ cpu: 'lots', count: -1 }] },
        { name: 'dup' },
        { name: 'dup', nodePools: [{ taints: [{ key: 'k', effect: 'Sometimes' }] }] },
      ],
    };
    assert.throws(
      () => parseFleetSpec(bad),
      (err: unknown) => {
        assert.ok(err instanceof FleetSpecError);
        assert.deepEqual(err.problems, [
          'clusters[0].name: "Bad_Name" must be a lowercase RFC 1123 label (a-z, 0-9, "-")',
          'clusters[0].kubernetesVersion: "1.31" must look like v1.31.4',
          'clusters[0].nodePools[0].count: must be a whole number >= 0',
          'clusters[0].nodePools[0].cpu: must be a positive quantity such as "4", "500m" or "16Gi"',
          'clusters[2].nodePools[0].taints[0].effect: must be NoSchedule, PreferNoSchedule or NoExecute',
          'clusters[2].name: duplicate cluster name "dup"',
        ]);
        return true;
      },
    );
    assert.throws(() => parseFleetSpec({ clusters: [] }), /clusters: must list at least one cluster/);
    assert.throws(() => parseFleetSpec('nope'), /\(root\): must be a mapping/);
  });
});

describe('examples/fleet.yaml', () => {
  it('is a valid fleet', () => {
    const spec = parseFleetSpec(
      parse(readFileSync(new URL('../../../examples/fleet.yaml', import.meta.url), 'utf8')),
    );
    assert.deepEqual(
      spec.clusters.map((c) => `${c.name}:${c.nodePools.reduce((n, p) => n + p.count, 0)}`),
      ['eu-west-1:8', 'us-east-1:8', 'edge-1:2'],
    );
  });
});

describe('generatedFleet', () => {
  it('spreads clusters over three regions with mixed sizes', () => {
    const fleet = generatedFleet(6);
    assert.deepEqual(
      fleet.clusters.map(
        (c) => `${c.name}/${c.region}/${c.provider}/${c.nodePools[0]?.count}x${c.nodePools[0]?.cpu}`,
      ),
      [
        'us-east-1/us-east/aws/3x8',
        'us-west-1/us-west/gcp/5x16',
        'eu-west-1/eu-west/azure/2x4',
        'us-east-2/us-east/aws/5x16',
        'us-west-2/us-west/gcp/2x4',
        'eu-west-2/eu-west/azure/3x8',
      ],
    );
    assert.equal(generatedFleet(2, { nodesPerCluster: 100 }).clusters[1]?.nodePools[0]?.count, 100);
  });
});
