import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodObject, ServiceObject } from '../endpointslice/service-pods.js';
import { MAX_ENDPOINTS, buildSubsets, truncateSubsets } from './subsets.js';

const svc: ServiceObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    clusterIP: '10.96.0.10',
    selector: { app: 'web' },
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'admin', port: 9000 },
    ],
  },
};

function pod(i: number, opts: { ready?: boolean; httpPort?: number } = {}): PodObject {
  const ports = opts.httpPort === undefined ? [] : [{ name: 'http', containerPort: opts.httpPort }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${i}`, namespace: 'default', uid: `uid-${i}` },
    spec: { nodeName: 'n1', containers: [{ ports }] },
    status: {
      phase: 'Running',
      podIP: `10.244.${Math.floor(i / 250)}.${i % 250}`,
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  };
}

describe('buildSubsets', () => {
  it('groups addresses serving the same ports, ready and not ready apart, sorted', () => {
    const subsets = buildSubsets(svc, [
      pod(2, { httpPort: 8080 }),
      pod(1, { httpPort: 8080, ready: false }),
      pod(3),
    ]);
    assert.deepEqual(
      subsets.map((s) => ({
        ready: (s.addresses ?? []).map((a) => a.ip),
        notReady: (s.notReadyAddresses ?? []).map((a) => a.ip),
        ports: (s.ports ?? []).map((p) => `${p.name ?? ''}:${p.port}`),
      })),
      [
        { ready: ['10.244.0.2', '10.244.0.3'], notReady: ['10.244.0.1'], ports: ['admin:9000'] },
        { ready: ['10.244.0.2'], notReady: ['10.244.0.1'], ports: ['http:8080'] },
      ],
    );
  });
});

describe('truncateSubsets', () => {
  it('keeps at most 1000 addresses, ready ones first', () => {
    const pods = Array.from({ length: 1100 }, (_, i) => pod(i, { httpPort: 8080, ready: i < 900 }));
    const subsets = buildSubsets(svc, pods);
    assert.ok(truncateSubsets(subsets));
    const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
    const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
    assert.equal(ready, 900);
    assert.equal(ready + notReady, MAX_ENDPOINTS);
    assert.equal(truncateSubsets(buildSubsets(svc, pods.slice(0, 10))), false);
  });
});
