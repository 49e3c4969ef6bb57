import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { eventually } from '../../base/testing/eventually.js';
import { newMemberEnv } from '../testing/member-env.js';
import { KubernetesServiceBootstrap } from './kubernetes-service.js';
import { ServiceIpAllocator } from './service-ip-allocator.js';

const SERVICES = { apiVersion: 'v1', plural: 'services', namespace: 'default' };
const SLICES = { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', namespace: 'default' };
const ENDPOINTS = { apiVersion: 'v1', plural: 'endpoints', namespace: 'default' };

describe('KubernetesServiceBootstrap', () => {
  it('creates default/kubernetes with its EndpointSlice and Endpoints, and restores them', async (t) => {
    const allocator = new ServiceIpAllocator();
    const env = await newMemberEnv(t, { admission: [allocator] });
    env.run(allocator.connect({ informers: env.informers, clock: env.clock, log: env.log }));
    const bootstrap = new KubernetesServiceBootstrap({
      client: env.client,
      clock: env.clock,
      log: env.log,
      clusterIP: allocator.firstAddress,
      endpointIP: '172.18.0.2',
      intervalMs: 1_000,
    });
    env.run(bootstrap);
    let service: KubeObject | undefined;
    await eventually(
      async () => {
        service = await env.client.get(SERVICES, 'kubernetes');
        return true;
      },
      { clock: env.clock, stepMs: 500, what: 'the kubernetes service' },
    );
    assert.deepEqual(service?.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
    assert.deepEqual(service?.['spec'], {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
    await eventually(async () => (await env.client.list(SLICES)).items.length === 1, {
      clock: env.clock,
      stepMs: 500,
      what: 'the kubernetes endpointslice',
    });
    const slice = await env.client.get(SLICES, 'kubernetes');
    assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' });
    assert.equal(slice['addressType'], 'IPv4');
    assert.deepEqual(slice['endpoints'], [{ addresses: ['172.18.0.2'], conditions: { ready: true } }]);
    assert.deepEqual(slice['ports'], [{ name: 'https', port: 6443, protocol: 'TCP' }]);
    const endpoints = await env.client.get(ENDPOINTS, 'kubernetes');
    assert.deepEqual(endpoints['subsets'], [
      { addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
    ]);
    await env.client.delete(SLICES, 'kubernetes');
    await env.client.patch(ENDPOINTS, 'kubernetes', {
      body: { subsets: [{ addresses: [{ ip: '10.1.1.1' }], ports: [{ name: 'https', port: 6443 }] }] },
      options: { type: 'merge' },
    });
    await eventually(
      async () => {
        await env.client.get(SLICES, 'kubernetes');
        const ep = await env.client.get(ENDPOINTS, 'kubernetes');
        return JSON.stringify(ep['subsets']).includes('172.18.0.2');
      },
      { clock: env.clock, stepMs: 500, what: 'the restored endpoints' },
    );
  });
});
