import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeCluster } from './describe-cluster.js';
import { AT_NOW, makeCluster } from './testing/fixtures.js';

describe('describeCluster', () => {
  it('shows the spec, conditions, nodes, resources and APIs', () => {
    const cluster = makeCluster('us-west-1', {
      apiEndpoint: 'https://10.0.0.1:6443',
      secretRef: { namespace: 'flotilla-system', name: 'us-west-1' },
      taints: [{ key: 'cluster.flotilla.io/unschedulable', effect: 'NoSchedule' }],
    });
    cluster.status = {
      ...cluster.status,
      apiEnablements: [
        {
          groupVersion: 'v1',
          resources: [
            { name: 'pods', kind: 'Pod' },
            { name: 'services', kind: 'Service' },
          ],
        },
        { groupVersion: 'apps/v1', resources: [{ name: 'deployments', kind: 'Deployment' }] },
      ],
    };
    const text = describeCluster(cluster, [], AT_NOW);
    for (const line of [
      /^Name: +us-west-1$/m,
      /^Mode: +Push$/m,
      /^Endpoint: +https:\/\/10\.0\.0\.1:6443$/m,
      /^Credentials: +Secret flotilla-system\/us-west-1$/m,
      /^Region: +us-east$/m,
      /^Zones: +a, b$/m,
      /^Provider: +aws$/m,
      /^Taints: +cluster\.flotilla\.io\/unschedulable:NoSchedule$/m,
      /^Nodes: +3 ready of 3$/m,
      /^API Enablements: +2 group version\(s\), 3 resource\(s\)$/m,
      /^ {2}Ready +True +ClusterReady +50m +ok$/m,
      /^ {2}cpu +24 +500m +0 +23500m +0$/m,
      /^Events: {2}<none>$/m,
    ])
      assert.match(text, line);
  });

  it('describes a cluster not probed yet', () => {
    const text = describeCluster({ ...makeCluster('new-1'), status: {} }, [], AT_NOW);
    for (const none of [
      /^Nodes: +<none>$/m,
      /^Conditions: {2}<none>$/m,
      /^Resources: {2}<none>$/m,
      /^Kubernetes Version: +<none>$/m,
    ])
      assert.match(text, none);
  });
});
