import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/meta.js';
import { isNotFound } from '../../../api/status.js';
import { eventually } from '../../../base/testing/eventually.js';
import type { MemberEnv } from '../../testing/member-env.js';
import { SERVICES, endpointsEnv, service } from '../endpointslice/testing/endpoints-env.js';
import { LOAD_BALANCER_CLEANUP_FINALIZER, ServiceLoadBalancerController } from './service-lb-controller.js';

const EVENTS = { apiVersion: 'v1', plural: 'events', namespace: 'default' };

function startController(env: MemberEnv): ServiceLoadBalancerController {
  const controller = new ServiceLoadBalancerController({
    client: env.client,
    informers: env.informers,
    clock: env.clock,
    log: env.log,
    recorder: env.recorder('service-controller'),
    publicCidr: '198.51.100.0/24',
  });
  env.run(controller);
  return controller;
}

function ingress(svc: KubeObject | undefined): unknown {
  return (svc?.['status'] as { loadBalancer?: { ingress?: unknown } } | undefined)?.loadBalancer?.ingress;
}

async function serviceWhen(
  env: MemberEnv,
  name: string,
  check: (svc: KubeObject | undefined) => boolean,
): Promise<KubeObject | undefined> {
  let last: KubeObject | undefined;
  await eventually(
    async () => {
      try {
        last = await env.client.get(SERVICES, name);
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

const hasAddress = (ip: string) => (svc: KubeObject | undefined) =>
  JSON.stringify(ingress(svc)) === JSON.stringify([{ ip, ipMode: 'VIP' }]);

describe('ServiceLoadBalancerController', () => {
  it('gives LoadBalancer Services addresses from the public range, with kube events', async (t) => {
    const env = await endpointsEnv(t);
    startController(env);
    await env.create(SERVICES, service('a', { type: 'LoadBalancer' }));
    const a = await serviceWhen(env, 'a', hasAddress('198.51.100.1'));
    assert.deepEqual(a?.metadata.finalizers, [LOAD_BALANCER_CLEANUP_FINALIZER]);
    await env.create(SERVICES, service('b', { type: 'LoadBalancer' }));
    await serviceWhen(env, 'b', hasAddress('198.51.100.2'));
    await env.create(SERVICES, service('c', { type: 'LoadBalancer', loadBalancerIP: '198.51.100.50' }));
    await serviceWhen(env, 'c', hasAddress('198.51.100.50'));
    await env.create(SERVICES, service('plain'));
    await env.create(
      SERVICES,
      service('other', { type: 'LoadBalancer', loadBalancerClass: 'example.com/lb' }),
    );
    await env.create(SERVICES, service('d', { type: 'LoadBalancer' }));
    await serviceWhen(env, 'd', hasAddress('198.51.100.3'));
    for (const name of ['plain', 'other']) {
      const svc = await env.client.get(SERVICES, name);
      assert.equal(ingress(svc), undefined);
      assert.equal(svc.metadata.finalizers, undefined);
    }
    await eventually(
      async () => {
        const reasons = (await env.client.list(EVENTS)).items
          .filter((e) => (e['involvedObject'] as { name: string }).name === 'a')
          .map((e) => `${String(e['reason'])}: ${String(e['message'])}`);
        return (
          reasons.includes('EnsuringLoadBalancer: Ensuring load balancer') &&
          reasons.includes('EnsuredLoadBalancer: Ensured load balancer')
        );
      },
      { clock: env.clock, what: 'events' },
    );
  });

  it('gives the address back when a Service changes type or is deleted', async (t) => {
    const env = await endpointsEnv(t);
    startController(env);
    await env.create(SERVICES, service('a', { type: 'LoadBalancer' }));
    await serviceWhen(env, 'a', hasAddress('198.51.100.1'));
    await env.create(SERVICES, service('b', { type: 'LoadBalancer' }));
    await serviceWhen(env, 'b', hasAddress('198.51.100.2'));
    await env.client.patch(SERVICES, 'a', {
      body: { spec: { type: 'ClusterIP' } },
      options: { type: 'merge' },
    });
    const a = await serviceWhen(
      env,
      'a',
      (s) => ingress(s) === undefined && s?.metadata.finalizers === undefined,
    );
    assert.deepEqual(a?.['status'], { loadBalancer: {} });
    assert.equal(a?.metadata.finalizers, undefined);
    await env.client.delete(SERVICES, 'b');
    await serviceWhen(env, 'b', (s) => s === undefined);
    await env.create(SERVICES, service('c', { type: 'LoadBalancer' }));
    await serviceWhen(env, 'c', hasAddress('198.51.100.1'));
    await env.create(SERVICES, service('d', { type: 'LoadBalancer' }));
    await serviceWhen(env, 'd', hasAddress('198.51.100.2'));
  });

  it('learns the addresses Services already show when it starts', async (t) => {
    const env = await endpointsEnv(t);
    const created = await env.create(SERVICES, service('old', { type: 'LoadBalancer' }));
    await env.client.updateStatus(SERVICES, {
      ...created,
      status: { loadBalancer: { ingress: [{ ip: '198.51.100.1', ipMode: 'VIP' }] } },
    });
    startController(env);
    await env.create(SERVICES, service('new', { type: 'LoadBalancer' }));
    await serviceWhen(env, 'new', hasAddress('198.51.100.2'));
    await serviceWhen(env, 'old', hasAddress('198.51.100.1'));
  });
});
