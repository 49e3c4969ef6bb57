import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/meta.js';
import { eventually } from '../../../base/testing/eventually.js';
import type { MemberEnv } from '../../testing/member-env.js';
import { EndpointSliceController } from './endpointslice-controller.js';
import type { Endpoint, EndpointSliceObject } from './slice-model.js';
import { PODS, SERVICES, endpointsEnv, runPod, service, setPodStatus } from './testing/endpoints-env.js';

const SLICES = { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', namespace: 'default' };

function startController(
  env: MemberEnv,
  options: { maxEndpointsPerSlice?: number } = {},
): EndpointSliceController {
  const controller = new EndpointSliceController({
    client: env.client,
    informers: env.informers,
    clock: env.clock,
    log: env.log,
    ...options,
  });
  env.run(controller);
  return controller;
}

async function slicesOf(env: MemberEnv, svc: string): Promise<EndpointSliceObject[]> {
  const list = await env.client.list<EndpointSliceObject>(SLICES, {
    labelSelector: `kubernetes.io/service-name=${svc}`,
  });
  return list.items;
}

function endpointsOf(slices: readonly EndpointSliceObject[]): Endpoint[] {
  return slices.flatMap((s) => s.endpoints ?? []);
}

/** Waits until the Service's slices satisfy `check`, answering them. */
async function slicesWhen(
  env: MemberEnv,
  svc: string,
  check: (slices: EndpointSliceObject[]) => boolean,
): Promise<EndpointSliceObject[]> {
  let last: EndpointSliceObject[] = [];
  await eventually(
    async () => {
      last = await slicesOf(env, svc);
      return check(last);
    },
    { clock: env.clock, what: `${svc}: ${check.toString()}` },
  );
  return last;
}

function names(eps: readonly Endpoint[]): string[] {
  return eps.map((e) => e.targetRef.name).sort();
}

describe('EndpointSliceController', () => {
  it('publishes ready and not-ready pods of a Service as kube writes them', async (t) => {
    const env = await endpointsEnv(t);
    startController(env);
    const svc = await env.create(SERVICES, service('web'));
    const w1 = await runPod(env, 'web-1', { app: 'web', ip: '10.244.1.5' });
    await runPod(env, 'web-2', { app: 'web', ip: '10.244.2.7', ready: false, node: 'n2' });
    await runPod(env, 'other', { app: 'other', ip: '10.244.1.9' });
    await runPod(env, 'web-pending', { app: 'web' });
    const [slice] = await slicesWhen(env, 'web', (s) => endpointsOf(s).length === 2);
    assert.ok(slice);
    assert.match(slice.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
    assert.equal(slice.metadata.generateName, 'web-');
    assert.deepEqual(slice.metadata.labels, {
      team: 'blue',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    assert.deepEqual(slice.metadata.ownerReferences, [
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: svc.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.match(
      slice.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '',
      /^2026-/,
    );
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
    const byName = new Map((slice.endpoints ?? []).map((e) => [e.targetRef.name, e]));
    assert.deepEqual(byName.get('web-1'), {
      addresses: ['10.244.1.5'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: w1.metadata.uid },
      nodeName: 'n1',
      zone: 'zone-a',
    });
    assert.deepEqual(byName.get('web-2')?.conditions, { ready: false, serving: false, terminating: false });
    assert.equal(byName.get('web-2')?.zone, 'zone-b');
  });

  it('keeps one placeholder slice without endpoints, fills it, and restores a deleted slice', async (t) => {
    const env = await endpointsEnv(t);
    startController(env);
    await env.create(SERVICES, service('empty'));
    const [placeholder] = await slicesWhen(env, 'empty', (s) => s.length === 1);
    assert.equal(placeholder?.endpoints, undefined);
    assert.equal(placeholder?.ports, undefined);
    await runPod(env, 'empty-1', { app: 'empty', ip: '10.244.1.10' });
    const [filled] = await slicesWhen(env, 'empty', (s) => endpointsOf(s).length === 1);
    assert.equal(filled?.metadata.name, placeholder?.metadata.name); // reused, as kube's finalize does
    assert.equal((await slicesOf(env, 'empty')).length, 1);
    await env.client.delete(SLICES, filled?.metadata.name ?? '');
    const [again] = await slicesWhen(env, 'empty', (s) => endpointsOf(s).length === 1);
    assert.notEqual(again?.metadata.name, filled?.metadata.name); // a deleted slice comes back
  });

  it('publishes hostnames of a headless Service and not-ready pods when asked to', async (t) => {
    const env = await endpointsEnv(t);
    startController(env);
    await env.create(SERVICES, service('db', { clusterIP: 'None', publishNotReadyAddresses: true }));
    const sts = (i: number): Record<string, unknown> => ({ hostname: `db-${i}`, subdomain: 'db' });
    await runPod(env, 'db-0', { app: 'db', ip: '10.244.1.20', spec: sts(0) });
    await runPod(env, 'db-1', { app: 'db', ip: '10.244.1.21', ready: false, spec: sts(1) });
    await runPod(env, 'db-x', { app: 'db', ip: '10.244.1.22', spec: { hostname: 'x', subdomain: 'other' } });
    const slices = await slicesWhen(env, 'db', (s) => endpointsOf(s).length === 3);
    assert.equal(slices[0]?.metadata.labels?.['service.kubernetes.io/headless'], '');
    const byName = new Map(endpointsOf(slices).map((e) => [e.targetRef.name, e]));
    assert.equal(byName.get('db-0')?.hostname, 'db-0');
    assert.equal(byName.get('db-1')?.hostname, 'db-1');
    assert.equal(byName.get('db-x')?.hostname, undefined);
    assert.deepEqual(byName.get('db-1')?.conditions, { ready: true, serving: false, terminating: false });
  });

  it('resolves named target ports per pod, one slice per set of ports', async (t) => {
    const env = await endpointsEnv(t);
    startController(env);
    await env.create(SERVICES, service('api', { ports: [{ name: 'web', port: 80, targetPort: 'web' }] }));
    const containers = (port: number): Record<string, unknown> => ({
      containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'web', containerPort: port }] }],
    });
    await runPod(env, 'api-a', { app: 'api', ip: '10.244.1.30', spec: containers(8080) });
    await runPod(env, 'api-b', { app: 'api', ip: '10.244.1.31', spec: containers(9090) });
    const slices = await slicesWhen(env, 'api', (s) => endpointsOf(s).length === 2);
    const ports = slices.map((s) => [s.ports?.[0]?.port, names(s.endpoints ?? [])]).sort();
    assert.deepEqual(ports, [
      [8080, ['api-a']],
      [9090, ['api-b']],
    ]);
  });

  it('splits more than 100 endpoints across slices', async (t) => {
    const env = await endpointsEnv(t);
    startController(env);
    await env.create(SERVICES, service('big'));
    const pods: KubeObject[] = [];
    for (let i = 0; i < 230; i++)
      pods.push(
        await runPod(env, `big-${i}`, { app: 'big', ip: `10.244.${Math.floor(i / 200)}.${i % 200}` }),
      );
    const slices = await slicesWhen(env, 'big', (s) => endpointsOf(s).length === 230);
    // How full each slice gets depends on how many pods each reconcile saw: as kube's, the planner
    // fills slices it writes anyway and packs leftovers into one they fit in, else opens a new one.
    assert.ok(slices.length >= 3);
    assert.ok(slices.every((s) => (s.endpoints?.length ?? 0) <= 100));
    assert.equal(new Set(names(endpointsOf(slices))).size, 230);
    for (const pod of pods.slice(0, 50))
      await env.client.delete(PODS, pod.metadata.name ?? '', { gracePeriodSeconds: 0 });
    const after = await slicesWhen(env, 'big', (s) => endpointsOf(s).length === 180);
    assert.ok(after.every((s) => (s.endpoints?.length ?? 0) <= 100));
    assert.equal(new Set(names(endpointsOf(after))).size, 180);
  });

  it('follows readiness, label changes and deletions of pods and Services', async (t) => {
    const env = await endpointsEnv(t);
    startController(env);
    await env.create(SERVICES, service('app'));
    const a = await runPod(env, 'app-a', { app: 'app', ip: '10.244.1.40', ready: false });
    await runPod(env, 'app-b', { app: 'app', ip: '10.244.1.41' });
    await slicesWhen(env, 'app', (s) => endpointsOf(s).length === 2);
    await setPodStatus(env, a, { ip: '10.244.1.40', ready: true });
    await slicesWhen(env, 'app', (s) => endpointsOf(s).every((e) => e.conditions.ready));
    await env.client.patch(PODS, 'app-b', {
      body: { metadata: { labels: { app: 'gone' } } },
      options: { type: 'merge' },
    });
    await slicesWhen(env, 'app', (s) => names(endpointsOf(s)).join() === 'app-a');
    await env.client.delete(PODS, 'app-a'); // graceful: terminating until the kubelet is done
    const [terminating] = await slicesWhen(
      env,
      'app',
      (s) => endpointsOf(s)[0]?.conditions.terminating === true,
    );
    assert.deepEqual(terminating?.endpoints?.[0]?.conditions, {
      ready: false,
      serving: true,
      terminating: true,
    });
    await env.client.delete(PODS, 'app-a', { gracePeriodSeconds: 0 });
    const placeholder = await slicesWhen(env, 'app', (s) => s.length === 1 && endpointsOf(s).length === 0);
    assert.equal(placeholder.length, 1);
    await env.client.delete(SERVICES, 'app');
    await slicesWhen(env, 'app', (s) => s.length === 0);
  });

  it('writes nothing when nothing that matters changed', async (t) => {
    const env = await endpointsEnv(t);
    const controller = startController(env);
    await env.create(SERVICES, service('calm'));
    await runPod(env, 'calm-1', { app: 'calm', ip: '10.244.1.50' });
    const [before] = await slicesWhen(env, 'calm', (s) => endpointsOf(s).length === 1);
    await env.client.patch(PODS, 'calm-1', {
      body: { metadata: { annotations: { note: 'irrelevant' } } },
      options: { type: 'merge' },
    });
    await controller.reconcile('default/calm', env.signal);
    await controller.reconcile('default/calm', env.signal);
    const [after] = await slicesOf(env, 'calm');
    assert.equal(after?.metadata.resourceVersion, before?.metadata.resourceVersion);
  });
});
