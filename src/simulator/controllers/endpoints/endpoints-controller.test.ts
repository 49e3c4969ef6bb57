import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/meta.js';
import { isNotFound } from '../../../api/status.js';
import { eventually } from '../../../base/testing/eventually.js';
import type { MemberEnv } from '../../testing/member-env.js';
import {
  PODS,
  SERVICES,
  endpointsEnv,
  runPod,
  service,
  setPodStatus,
} from '../endpointslice/testing/endpoints-env.js';
import { EndpointsController } from './endpoints-controller.js';
import type { EndpointSubset } from './subsets.js';

const ENDPOINTS = { apiVersion: 'v1', plural: 'endpoints', namespace: 'default' };

function startController(env: MemberEnv): EndpointsController {
  const controller = new EndpointsController({
    client: env.client,
    informers: env.informers,
    clock: env.clock,
    log: env.log,
  });
  env.run(controller);
  return controller;
}

async function endpointsWhen(
  env: MemberEnv,
  name: string,
  check: (ep: KubeObject | undefined) => boolean,
): Promise<KubeObject | undefined> {
  let last: KubeObject | undefined;
  await eventually(
    async () => {
      try {
        last = await env.client.get(ENDPOINTS, name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        last = undefined;
      }
      return check(last);
    },
    { clock: env.clock, what: `${name}: ${check.toString()}` },
  );
  return last;
}

function subsetsOf(ep: KubeObject | undefined): EndpointSubset[] {
  return (ep?.['subsets'] as EndpointSubset[] | undefined) ?? [];
}

function ips(ep: KubeObject | undefined, field: 'addresses' | 'notReadyAddresses'): string[] {
  return subsetsOf(ep)
    .flatMap((s) => s[field] ?? [])
    .map((a) => a.ip)
    .sort();
}

describe('EndpointsController', () => {
  it('lists ready and not-ready addresses of the selected pods per port', async (t) => {
    const env = await endpointsEnv(t);
    startController(env);
    await env.create(
      SERVICES,
      service('web', {
        ports: [
          { name: 'http', port: 80, targetPort: 8080 },
          { name: 'metrics', port: 9100 },
        ],
      }),
    );
    const w1 = await runPod(env, 'web-1', { app: 'web', ip: '10.244.1.5' });
    await runPod(env, 'web-2', { app: 'web', ip: '10.244.1.6', ready: false });
    await runPod(env, 'other', { app: 'other', ip: '10.244.1.9' });
    const ep = await endpointsWhen(env, 'web', (e) => ips(e, 'notReadyAddresses').length === 1);
    assert.deepEqual(ep?.metadata.labels, { team: 'blue' });
    assert.match(
      ep?.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '',
      /^2026-/,
    );
    assert.equal(ep?.metadata.ownerReferences, undefined);
    assert.deepEqual(subsetsOf(ep), [
      {
        addresses: [
          {
            ip: '10.244.1.5',
            nodeName: 'n1',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: w1.metadata.uid },
          },
        ],
        notReadyAddresses: [
          {
            ip: '10.244.1.6',
            nodeName: 'n1',
            targetRef: {
              kind: 'Pod',
              namespace: 'default',
              name: 'web-2',
              uid: subsetsOf(ep)[0]?.notReadyAddresses?.[0]?.targetRef.uid,
            },
          },
        ],
        ports: [
          { name: 'http', port: 8080, protocol: 'TCP' },
          { name: 'metrics', port: 9100, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('publishes hostnames of a headless Service and labels it headless', async (t) => {
    const env = await endpointsEnv(t);
    startController(env);
    await env.create(SERVICES, service('db', { clusterIP: 'None', ports: [] }));
    await runPod(env, 'db-0', { app: 'db', ip: '10.244.1.20', spec: { hostname: 'db-0', subdomain: 'db' } });
    const ep = await endpointsWhen(env, 'db', (e) => ips(e, 'addresses').length === 1);
    assert.equal(ep?.metadata.labels?.['service.kubernetes.io/headless'], '');
    assert.equal(subsetsOf(ep)[0]?.addresses?.[0]?.hostname, 'db-0');
    assert.equal(subsetsOf(ep)[0]?.ports, undefined);
  });

  it('follows pods and deletes the Endpoints with the Service', async (t) => {
    const env = await endpointsEnv(t);
    const controller = startController(env);
    await env.create(SERVICES, service('app'));
    const a = await runPod(env, 'app-a', { app: 'app', ip: '10.244.1.40', ready: false });
    await runPod(env, 'app-b', { app: 'app', ip: '10.244.1.41' });
    await endpointsWhen(env, 'app', (e) => ips(e, 'addresses').join() === '10.244.1.41');
    await setPodStatus(env, a, { ip: '10.244.1.40', ready: true });
    const both = await endpointsWhen(env, 'app', (e) => ips(e, 'addresses').length === 2);
    await controller.reconcile('default/app', env.signal);
    const same = await env.client.get(ENDPOINTS, 'app');
    assert.equal(same.metadata.resourceVersion, both?.metadata.resourceVersion); // no needless write
    await env.client.delete(PODS, 'app-a'); // terminating pods leave the Endpoints at once
    await endpointsWhen(env, 'app', (e) => ips(e, 'addresses').join() === '10.244.1.41');
    await env.client.delete(PODS, 'app-b', { gracePeriodSeconds: 0 });
    await endpointsWhen(env, 'app', (e) => e !== undefined && subsetsOf(e).length === 0);
    await env.client.delete(SERVICES, 'app');
    await endpointsWhen(env, 'app', (e) => e === undefined);
  });

  it('recreates deleted Endpoints and removes leftovers of Services that are gone', async (t) => {
    const env = await endpointsEnv(t);
    await env.create(ENDPOINTS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'orphan' } });
    startController(env);
    await env.create(SERVICES, service('keep'));
    await endpointsWhen(env, 'keep', (e) => e !== undefined);
    await endpointsWhen(env, 'orphan', (e) => e === undefined);
    await env.client.delete(ENDPOINTS, 'keep');
    await endpointsWhen(env, 'keep', (e) => e !== undefined);
  });
});
