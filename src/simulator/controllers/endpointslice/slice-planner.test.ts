import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DesiredGroup } from './slice-planner.js';
import { planSlices } from './slice-planner.js';
import { endpointKey, newSlice, portMapKey } from './slice-model.js';
import type { Endpoint, EndpointPort, EndpointSliceObject } from './slice-model.js';
import type { ServiceObject } from './service-pods.js';

const svc: ServiceObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' },
  spec: { clusterIP: '10.96.0.10', selector: { app: 'web' } },
};
const ports: EndpointPort[] = [{ name: 'http', protocol: 'TCP', port: 8080 }];

function endpoint(i: number, ready = true): Endpoint {
  return {
    addresses: [`10.244.${Math.floor(i / 250)}.${i % 250}`],
    conditions: { ready, serving: ready, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'default', name: `web-${i}`, uid: `uid-${i}` },
    nodeName: 'n1',
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

const PORT_KEY = portMapKey(ports);

function desired(ids: readonly number[]): Map<string, DesiredGroup> {
  const endpoints = new Map(ids.map((i) => [endpointKey(endpoint(i)), endpoint(i)]));
  return new Map([[PORT_KEY, { ports, endpoints }]]);
}

function slice(name: string, ids: readonly number[]): EndpointSliceObject {
  const s = newSlice(svc, { addressType: 'IPv4', ports });
  s.metadata.name = name;
  s.endpoints = ids.map((i) => endpoint(i));
  return s;
}

function plan(existing: EndpointSliceObject[], want: Map<string, DesiredGroup>) {
  return planSlices(svc, { addressType: 'IPv4', existing, desired: want, maxEndpointsPerSlice: 100 });
}

describe('planSlices', () => {
  it('packs new endpoints into slices of at most 100', () => {
    const p = plan([], desired(range(0, 230)));
    assert.deepEqual(
      p.create.map((s) => s.endpoints?.length),
      [100, 100, 30],
    );
    assert.equal(p.update.length + p.remove.length, 0);
  });

  it('changes nothing when the slices already hold the desired endpoints', () => {
    const p = plan([slice('web-a', range(0, 100)), slice('web-b', range(100, 130))], desired(range(0, 130)));
    assert.deepEqual(p, { create: [], update: [], remove: [] });
  });

  it('keeps endpoints where they are and updates only the slice that changed', () => {
    const want = desired(range(0, 130));
    const changed = endpoint(120, false);
    want.get(PORT_KEY)?.endpoints.set(endpointKey(changed), changed);
    const p = plan([slice('web-a', range(0, 100)), slice('web-b', range(100, 130))], want);
    assert.deepEqual(
      p.update.map((s) => s.metadata.name),
      ['web-b'],
    );
    assert.equal(p.update[0]?.endpoints?.[20]?.conditions.ready, false);
  });

  it('fills the unchanged slice closest to full before creating one', () => {
    const p = plan([slice('web-a', range(0, 100)), slice('web-b', range(100, 140))], desired(range(0, 190)));
    assert.equal(p.create.length, 0);
    assert.deepEqual(
      p.update.map((s) => [s.metadata.name, s.endpoints?.length]),
      [['web-b', 90]],
    );
  });

  it('deletes emptied slices, and reuses one as the placeholder when nothing is left', () => {
    const p = plan([slice('web-a', range(0, 100)), slice('web-b', range(100, 140))], desired([]));
    assert.deepEqual(
      p.update.map((s) => [s.metadata.name, s.endpoints?.length ?? 0]),
      [['web-a', 0]],
    );
    assert.deepEqual(
      p.remove.map((s) => s.metadata.name),
      ['web-b'],
    );
  });

  it('deletes slices the Service does not own', () => {
    const foreign = slice('web-old', range(0, 5));
    foreign.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'old-uid' }];
    const p = plan([foreign], desired(range(0, 5)));
    assert.deepEqual(
      p.remove.map((s) => s.metadata.name),
      ['web-old'],
    );
    assert.equal(p.create[0]?.endpoints?.length, 5);
  });
});
