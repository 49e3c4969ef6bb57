import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { StatusError } from '../../api/status.js';
import { eventually } from '../../base/testing/eventually.js';
import type { MemberEnv } from '../testing/member-env.js';
import { newMemberEnv } from '../testing/member-env.js';
import type { ServiceIpAllocatorOptions } from './service-ip-allocator.js';
import { ServiceIpAllocator } from './service-ip-allocator.js';
import { cloneJson } from '../../base/json-clone.js';

const SERVICES = { apiVersion: 'v1', plural: 'services', namespace: 'default' };

interface Spec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  ports?: { name?: string; port: number; nodePort?: number; protocol?: string }[];
  [k: string]: unknown;
}

function svc(name: string, spec: Spec = {}, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }], ...spec },
  };
}

function specOf(obj: KubeObject): Spec {
  return obj['spec'] as Spec;
}

async function setup(
  t: TestContext,
  options: ServiceIpAllocatorOptions = { random: () => 0 },
): Promise<{ env: MemberEnv; allocator: ServiceIpAllocator }> {
  const allocator = new ServiceIpAllocator(options);
  const env = await newMemberEnv(t, { admission: [allocator] });
  allocator.connect({ informers: env.informers, clock: env.clock, log: env.log });
  env.run(allocator);
  assert.ok(await allocator.waitForSync(env.signal));
  return { env, allocator };
}

async function refusal(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  assert.fail('expected the write to be refused');
}

/** Creating `obj` eventually succeeds (once a release has been observed). */
async function eventuallyCreated(env: MemberEnv, obj: KubeObject, stepMs = 100): Promise<KubeObject> {
  let created: KubeObject | undefined;
  await eventually(
    async () => {
      created = await env.create(SERVICES, cloneJson(obj));
      return true;
    },
    { clock: env.clock, stepMs, what: `create ${obj.metadata.name ?? ''}` },
  );
  assert.ok(created);
  return created;
}

describe('ServiceIpAllocator', () => {
  it('gives a ClusterIP service a free address and the IP family fields kube sets', async (t) => {
    const { env } = await setup(t);
    const created = await env.create(SERVICES, svc('web'));
    const spec = specOf(created);
    assert.equal(spec.clusterIP, '10.96.1.1'); // the upper band first, as kube since 1.25
    assert.deepEqual(spec.clusterIPs, ['10.96.1.1']);
    assert.deepEqual(spec.ipFamilies, ['IPv4']);
    assert.equal(spec.ipFamilyPolicy, 'SingleStack');
    assert.equal(spec['type'], 'ClusterIP');
    assert.equal(spec['internalTrafficPolicy'], 'Cluster');
    assert.equal(spec['sessionAffinity'], 'None');
  });

  it('hands out unique addresses from the range', async (t) => {
    const { env } = await setup(t, {});
    const ips = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const spec = specOf(await env.create(SERVICES, svc(`s${i}`)));
      assert.match(spec.clusterIP ?? '', /^10\.96\.\d+\.\d+$/);
      ips.add(spec.clusterIP ?? '');
    }
    assert.equal(ips.size, 40);
  });

  it('honours a requested address and refuses one taken or out of range, in kube words', async (t) => {
    const { env } = await setup(t);
    const a = await env.create(SERVICES, svc('a', { clusterIP: '10.96.0.5' }));
    assert.deepEqual(specOf(a).clusterIPs, ['10.96.0.5']);
    const taken = await refusal(env.create(SERVICES, svc('b', { clusterIP: '10.96.0.5' })));
    assert.equal(taken.code, 422);
    assert.equal(
      taken.message,
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated',
    );
    assert.equal(taken.status.details?.causes?.[0]?.field, 'spec.clusterIPs');
    const outside = await refusal(env.create(SERVICES, svc('c', { clusterIP: '10.0.0.5' })));
    assert.equal(
      outside.message,
      'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    );
    const v6 = await refusal(env.create(SERVICES, svc('d', { clusterIP: 'fd00::5' })));
    assert.equal(
      v6.message,
      'Service "d" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::5"}: IPv6 is not configured on this cluster',
    );
    const dual = await refusal(env.create(SERVICES, svc('e', { ipFamilyPolicy: 'RequireDualStack' })));
    assert.equal(
      dual.message,
      'Service "e" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    );
    // A refused create leaves nothing reserved: the address of `e` was never taken.
    assert.equal(specOf(await env.create(SERVICES, svc('f'))).clusterIP, '10.96.1.1');
  });

  it('gives headless and ExternalName services no address', async (t) => {
    const { env } = await setup(t);
    const headless = specOf(await env.create(SERVICES, svc('db', { clusterIP: 'None' })));
    assert.equal(headless.clusterIP, 'None');
    assert.deepEqual(headless.clusterIPs, ['None']);
    assert.deepEqual(headless.ipFamilies, ['IPv4']);
    assert.equal(headless.ipFamilyPolicy, 'SingleStack');
    const bare = specOf(
      await env.create(SERVICES, svc('ext-db', { clusterIP: 'None', selector: undefined })),
    );
    assert.deepEqual(bare.ipFamilies, ['IPv4', 'IPv6']); // headless without selector, as kube
    assert.equal(bare.ipFamilyPolicy, 'RequireDualStack');
    const external = specOf(
      await env.create(SERVICES, svc('mail', { type: 'ExternalName', externalName: 'mail.example.com' })),
    );
    assert.equal(external.clusterIP, undefined);
    assert.equal(external.ipFamilies, undefined);
  });

  it('keeps cluster IPs immutable while a resubmitted manifest keeps the allocated values', async (t) => {
    const { env } = await setup(t);
    const created = await env.create(SERVICES, svc('a', { type: 'NodePort' }));
    const ip = specOf(created).clusterIP;
    const nodePort = specOf(created).ports?.[0]?.nodePort;
    const moved = cloneJson(created);
    specOf(moved).clusterIP = '10.96.0.9';
    const refused = await refusal(env.client.update(SERVICES, moved));
    assert.equal(
      refused.message,
      'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.9"}: may not change once set',
    );
    const resubmitted = svc('a', { type: 'NodePort' });
    resubmitted.metadata.resourceVersion = created.metadata.resourceVersion ?? '';
    const replaced = specOf(await env.client.update(SERVICES, resubmitted));
    assert.equal(replaced.clusterIP, ip);
    assert.deepEqual(replaced.clusterIPs, [ip]);
    assert.equal(replaced.ports?.[0]?.nodePort, nodePort);
    const patched = await env.client.patch(SERVICES, 'a', {
      body: { metadata: { labels: { tier: 'web' } } },
      options: { type: 'merge' },
    });
    assert.equal(specOf(patched).clusterIP, ip);
  });

  it('gives NodePort and LoadBalancer ports node ports and checks requested ones', async (t) => {
    const { env } = await setup(t);
    const ports = [
      { name: 'http', port: 80 },
      { name: 'https', port: 443 },
    ];
    const np = specOf(await env.create(SERVICES, svc('np', { type: 'NodePort', ports })));
    const given = (np.ports ?? []).map((p) => p.nodePort ?? 0);
    assert.equal(new Set(given).size, 2);
    for (const p of given) assert.ok(p >= 30000 && p <= 32767, `node port ${p} in range`);
    const fixed = [{ name: 'http', port: 80, nodePort: 30080 }];
    await env.create(SERVICES, svc('np1', { type: 'NodePort', ports: fixed }));
    const taken = await refusal(env.create(SERVICES, svc('np2', { type: 'NodePort', ports: fixed })));
    assert.equal(
      taken.message,
      'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    const low = [{ name: 'http', port: 80, nodePort: 80 }];
    const outside = await refusal(env.create(SERVICES, svc('np3', { type: 'NodePort', ports: low })));
    assert.equal(
      outside.message,
      'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    const onClusterIP = await refusal(env.create(SERVICES, svc('cip', { ports: fixed })));
    assert.equal(
      onClusterIP.message,
      'Service "cip" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\'',
    );
    const lb = specOf(await env.create(SERVICES, svc('lb', { type: 'LoadBalancer' })));
    assert.ok((lb.ports?.[0]?.nodePort ?? 0) >= 30000);
    assert.equal(lb['allocateLoadBalancerNodePorts'], true);
    assert.equal(lb['externalTrafficPolicy'], 'Cluster');
    const local = specOf(
      await env.create(SERVICES, svc('lb-local', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' })),
    );
    assert.ok(((local['healthCheckNodePort'] as number | undefined) ?? 0) >= 30000);
  });

  it('releases addresses when a service is deleted or gives them up', async (t) => {
    const { env } = await setup(t);
    const fixed = [{ name: 'http', port: 80, nodePort: 30080 }];
    await env.create(SERVICES, svc('a', { clusterIP: '10.96.0.7', type: 'NodePort', ports: fixed }));
    await env.client.delete(SERVICES, 'a');
    await eventuallyCreated(env, svc('b', { clusterIP: '10.96.0.7', type: 'NodePort', ports: fixed }));
    // NodePort → ClusterIP drops the node ports; another Service may then take them.
    const patched = await env.client.patch(SERVICES, 'b', {
      body: { spec: { type: 'ClusterIP' } },
      options: { type: 'merge' },
    });
    assert.equal(specOf(patched).ports?.[0]?.nodePort, undefined);
    assert.equal(specOf(patched)['externalTrafficPolicy'], undefined);
    await eventuallyCreated(env, svc('c', { type: 'NodePort', ports: fixed }));
    // ClusterIP → ExternalName drops the address.
    await env.client.patch(SERVICES, 'b', {
      body: { spec: { type: 'ExternalName', externalName: 'b.example.com' } },
      options: { type: 'merge' },
    });
    await eventuallyCreated(env, svc('d', { clusterIP: '10.96.0.7' }));
  });

  it('repairs addresses reserved by writes that failed after admission', async (t) => {
    const { env } = await setup(t, { random: () => 0, repairIntervalMs: 10_000, leakGraceMs: 30_000 });
    await env.create(SERVICES, svc('live', { clusterIP: '10.96.0.20' }));
    // Metadata validation runs after admission: the address is reserved, the Service never stored.
    const bad = await refusal(
      env.create(SERVICES, svc('bad', { clusterIP: '10.96.0.21' }, { 'bad key!': 'x' })),
    );
    assert.equal(bad.code, 422);
    const leaked = await refusal(env.create(SERVICES, svc('next', { clusterIP: '10.96.0.21' })));
    assert.match(leaked.message, /provided IP is already allocated/);
    await eventuallyCreated(env, svc('next', { clusterIP: '10.96.0.21' }), 5_000);
    // The live Service kept its address through the repair passes.
    const stillTaken = await refusal(env.create(SERVICES, svc('other', { clusterIP: '10.96.0.20' })));
    assert.match(stillTaken.message, /provided IP is already allocated/);
  });

  it('checks dry runs without reserving anything', async (t) => {
    const { env } = await setup(t);
    const dry = await env.client.create(SERVICES, svc('a', { clusterIP: '10.96.0.30' }), { dryRun: true });
    assert.equal(specOf(dry).clusterIP, '10.96.0.30');
    const dynamic = await env.client.create(SERVICES, svc('b'), { dryRun: true });
    assert.equal(specOf(dynamic).clusterIP, '10.96.1.1');
    await env.create(SERVICES, svc('a', { clusterIP: '10.96.0.30' }));
    assert.equal(specOf(await env.create(SERVICES, svc('b'))).clusterIP, '10.96.1.1');
    const clash = env.client.create(SERVICES, svc('c', { clusterIP: '10.96.0.30' }), { dryRun: true });
    assert.match((await refusal(clash)).message, /provided IP is already allocated/);
  });

  it('refuses service writes until it has learned the existing services', async (t) => {
    const allocator = new ServiceIpAllocator();
    const env = await newMemberEnv(t, { admission: [allocator] });
    const err = await refusal(env.create(SERVICES, svc('early')));
    assert.equal(err.code, 500);
    assert.equal(err.message, 'Internal error occurred: failed to allocate a serviceIP: allocator not ready');
  });

  it('learns the addresses of services that exist when it starts', async (t) => {
    const { env } = await setup(t);
    await env.create(SERVICES, svc('a', { clusterIP: '10.96.0.40', type: 'NodePort' }));
    // The shared informer synced before 'a' existed: it exists for a late component once cached.
    const cache = env.informers.informer({ apiVersion: 'v1', plural: 'services' });
    await eventually(() => cache.get('default/a') !== undefined, { what: "'a' in the cache" });
    const late = new ServiceIpAllocator({ random: () => 0 });
    late.connect({ informers: env.informers, clock: env.clock, log: env.log });
    env.run(late);
    assert.ok(await late.waitForSync(env.signal));
    const attempt = svc('b', { clusterIP: '10.96.0.40' });
    attempt.metadata.uid = 'uid-b';
    const info = { group: '', kind: 'Service' } as ResourceInfo;
    assert.throws(
      () => late.admit({ operation: 'CREATE', info, object: attempt, dryRun: false }),
      /provided IP is already allocated/,
    );
  });
});
