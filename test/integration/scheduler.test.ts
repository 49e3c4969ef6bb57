/**
 * The hub's scheduler over a real in-process API server: bindings get decisions, conditions and
 * history; scale-up is steady; an unschedulable binding keeps its previous decision and retries
 * when capacity appears; Duplicated bindings follow new clusters; a lost cluster's replicas move.
 */
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding } from '../../src/api/flotilla/binding.js';
import type { Cluster } from '../../src/api/flotilla/cluster.js';
import { FLOTILLA_VALIDATORS, flotillaCrds } from '../../src/api/flotilla/crds/index.js';
import type { Placement } from '../../src/api/flotilla/policy.js';
import { compiledInResources } from '../../src/apiserver/crd.js';
import type { CrdObject } from '../../src/apiserver/crd.js';
import { noopLogger } from '../../src/base/logger.js';
import type { KubeObject } from '../../src/api/meta.js';
import { EventRecorder } from '../../src/client/event-recorder.js';
import { SharedInformers } from '../../src/client/shared-informers.js';
import { CLUSTERS, RESOURCE_BINDINGS } from '../../src/scheduler/binding-refs.js';
import { BindingScheduler } from '../../src/scheduler/binding-scheduler.js';
import { makeCluster } from '../../src/scheduler/testing/fixtures.js';
import { ApiClient } from '../../src/client/api-client.js';
import { localTransport } from '../../src/client/local-transport.js';
import type { Transport } from '../../src/client/transport.js';
import { eventually, newEnv } from './harness.js';
import type { Env } from './harness.js';

const RB = { ...RESOURCE_BINDINGS, namespace: 'default' };
const AGGREGATED: Placement = {
  replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' },
};
const DYNAMIC: Placement = {
  replicaScheduling: {
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    weightPreference: { dynamicWeight: 'AvailableReplicas' },
  },
};

/**
 * Starts a server and a scheduler. `transport` wraps what the scheduler's client sends (to make
 * one of its writes fail, say).
 */
async function start(
  t: TestContext,
  transport: (inner: Transport) => Transport = (inner) => inner,
): Promise<Env & { scheduler: BindingScheduler }> {
  const env = await newEnv(t, {
    resources: compiledInResources(flotillaCrds() as unknown as CrdObject[], FLOTILLA_VALIDATORS),
  });
  const client = new ApiClient(transport(localTransport(env.server)));
  const informers = new SharedInformers({ client, clock: env.clock, log: noopLogger });
  const recorder = new EventRecorder({
    client: env.client,
    clock: env.clock,
    log: noopLogger,
    component: 'flotilla-scheduler',
  });
  const scheduler = new BindingScheduler({
    client,
    informers,
    clock: env.clock,
    log: noopLogger,
    recorder,
  });
  void informers.start(env.signal);
  void scheduler.start(env.signal);
  return { ...env, scheduler };
}

async function addCluster(env: Env, cluster: Cluster): Promise<void> {
  const { status, ...rest } = cluster;
  const created = await env.client.create<Cluster>(CLUSTERS, rest);
  await env.client.updateStatus<Cluster>(CLUSTERS, { ...created, ...(status ? { status } : {}) });
}

async function setPods(
  env: Env,
  name: string,
  { pods, allocated = 0 }: { pods: number; allocated?: number },
): Promise<void> {
  const c = await env.client.get<Cluster>(CLUSTERS, name);
  const resourceSummary = {
    allocatable: { pods: String(pods) },
    ...(allocated ? { allocated: { pods: String(allocated) } } : {}),
  };
  await env.client.updateStatus<Cluster>(CLUSTERS, { ...c, status: { ...c.status, resourceSummary } });
}

async function eventReasons(env: Env, involved: string): Promise<string[]> {
  const list = await env.client.list<KubeObject & { reason?: string; involvedObject?: { name?: string } }>({
    apiVersion: 'v1',
    plural: 'events',
    namespace: 'default',
  });
  return list.items
    .filter((e) => e.involvedObject?.name === involved)
    .map((e) => e.reason ?? '')
    .sort();
}

function binding(name: string, replicas: number, placement: Placement): ResourceBinding {
  return {
    apiVersion: 'work.flotilla.io/v1alpha1',
    kind: 'ResourceBinding',
    metadata: { name, namespace: 'default' },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name, uid: `uid-${name}` },
      replicas,
      placement,
    },
  };
}

/**
 * Cluster `a` full with binding `low` (6 replicas, priority 0) on it; then `high` (3 replicas,
 * priority 100) arrives. Returns a getter for bindings.
 */
async function lowThenHigh(env: Env): Promise<(name: string) => Promise<ResourceBinding>> {
  await addCluster(
    env,
    makeCluster('a')
      .free({ pods: '10' }, { allocated: { pods: '10' } })
      .obj(),
  );
  const low = binding('low', 6, DYNAMIC);
  low.spec.clusters = [{ name: 'a', replicas: 6 }];
  await env.client.create(RB, low);
  const get = (name: string): Promise<ResourceBinding> => env.client.get<ResourceBinding>(RB, name);
  await eventually(async () => scheduled(await get('low')) === 'Success', {
    clock: env.clock,
    what: 'low kept its replicas',
  });
  const high = binding('high', 3, DYNAMIC);
  high.spec.schedulePriority = { priority: 100 };
  await env.client.create(RB, high);
  return get;
}

const decision = (b: ResourceBinding): string =>
  (b.spec.clusters ?? []).map((c) => `${c.name}:${c.replicas ?? '-'}`).join(' ');
const scheduled = (b: ResourceBinding): string | undefined =>
  b.status?.conditions?.find((c) => c.type === 'Scheduled')?.reason;

describe('BindingScheduler', () => {
  it('decides, scales up steadily and records conditions and history', async (t) => {
    const env = await start(t);
    await addCluster(env, makeCluster('a').free({ pods: '6' }).obj());
    await addCluster(env, makeCluster('b').free({ pods: '12' }).obj());
    await env.client.create(RB, binding('web', 6, DYNAMIC));
    const get = (): Promise<ResourceBinding> => env.client.get<ResourceBinding>(RB, 'web');
    await eventually(async () => scheduled(await get()) === 'Success', {
      clock: env.clock,
      what: 'scheduled',
    });
    let b = await get();
    assert.equal(decision(b), 'a:2 b:4');
    assert.equal(b.status?.schedulerObservedGeneration, b.metadata.generation);
    assert.deepEqual(
      b.status?.schedulingHistory?.map((h) => [h.trigger, h.reason, h.clusters.map((c) => c.replicas)]),
      [['Initial', 'Success', [2, 4]]],
    );
    await env.client.update(RB, { ...b, spec: { ...b.spec, replicas: 9 } });
    await eventually(async () => decision(await get()) !== 'a:2 b:4', {
      clock: env.clock,
      what: 'rescheduled',
    });
    b = await get();
    assert.equal(decision(b), 'a:3 b:6', 'the 3 new replicas divided by room (6 and 12) and added');
    assert.equal(b.status?.schedulingHistory?.[0]?.trigger, 'SpecChange');
    assert.equal(b.status?.schedulingHistory?.length, 2);
  });

  it('keeps the previous decision when nothing can take the replicas, and retries when room appears', async (t) => {
    const env = await start(t);
    await addCluster(env, makeCluster('a').free({ pods: '4' }).obj());
    await env.client.create(RB, binding('big', 4, DYNAMIC));
    const get = (): Promise<ResourceBinding> => env.client.get<ResourceBinding>(RB, 'big');
    await eventually(async () => scheduled(await get()) === 'Success', {
      clock: env.clock,
      what: 'scheduled',
    });
    const b = await get();
    await env.client.update(RB, { ...b, spec: { ...b.spec, replicas: 10 } });
    await eventually(async () => scheduled(await get()) === 'Unschedulable', {
      clock: env.clock,
      what: 'unschedulable',
    });
    const failed = await get();
    assert.equal(decision(failed), 'a:4', 'the running replicas stay where they are');
    assert.match(
      failed.status?.conditions?.[0]?.message ?? '',
      /Clusters available replicas 4 are not enough/,
    );
    await setPods(env, 'a', { pods: 20 });
    await eventually(async () => scheduled(await get()) === 'Success', { what: 'retried on capacity' });
    assert.equal(decision(await get()), 'a:10');
  });

  it('follows new clusters with Duplicated bindings and re-places replicas of a deleted cluster', async (t) => {
    const env = await start(t);
    await addCluster(env, makeCluster('a').free({ pods: '10' }).obj());
    await addCluster(env, makeCluster('b').free({ pods: '10' }).obj());
    await env.client.create(RB, binding('dup', 2, {}));
    await env.client.create(RB, binding('div', 4, DYNAMIC));
    const get = (name: string): Promise<ResourceBinding> => env.client.get<ResourceBinding>(RB, name);
    await eventually(
      async () => decision(await get('dup')) === 'a:2 b:2' && decision(await get('div')) === 'a:2 b:2',
      {
        clock: env.clock,
        what: 'both scheduled',
      },
    );
    await addCluster(env, makeCluster('c').free({ pods: '10' }).obj());
    await eventually(async () => decision(await get('dup')) === 'a:2 b:2 c:2', { what: 'duplicated onto c' });
    assert.equal(decision(await get('div')), 'a:2 b:2', 'divided replicas stay put');
    await env.client.delete(CLUSTERS, 'b');
    await eventually(async () => !decision(await get('div')).includes('b:'), { what: 'b replaced' });
    assert.equal(decision(await get('div')), 'a:3 c:1');
    assert.equal((await get('div')).status?.schedulingHistory?.[0]?.trigger, 'ClusterChange');
    assert.equal(decision(await get('dup')), 'a:2 c:2');
  });

  it('preempts lower-priority replicas for a higher-priority binding, never the other way round', async (t) => {
    const env = await start(t);
    const get = await lowThenHigh(env);
    await eventually(async () => scheduled(await get('high')) === 'Success', {
      clock: env.clock,
      what: 'high scheduled',
    });
    assert.equal(decision(await get('high')), 'a:3');
    const victim = await get('low');
    assert.equal(decision(victim), 'a:3', 'low gave up exactly the three replicas high needs');
    assert.equal(scheduled(victim), 'Preempted');
    assert.match(
      victim.status?.conditions?.[0]?.message ?? '',
      /Preempted by default\/high \(priority 100\)/,
    );
    assert.equal(victim.status?.schedulingHistory?.[0]?.trigger, 'Preemption');
    assert.match(
      (await get('high')).status?.conditions?.[0]?.message ?? '',
      /Preempted lower-priority default\/low/,
    );
    await eventually(async () => (await eventReasons(env, 'low')).includes('Preempted'), {
      clock: env.clock,
      what: 'Preempted event',
    });
    assert.ok((await eventReasons(env, 'high')).includes('Preempting'));
    await env.clock.advance(5 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(scheduled(await get('low')), 'Preempted', 'no retry while the fleet is unchanged');

    // The fleet changes (still full): low tries again but cannot take anything from high.
    await setPods(env, 'a', { pods: 12, allocated: 12 });
    await eventually(async () => scheduled(await get('low')) === 'Unschedulable', {
      clock: env.clock,
      what: 'low retried',
    });
    assert.equal(decision(await get('low')), 'a:3');
    assert.equal(decision(await get('high')), 'a:3');
    assert.equal(env.scheduler.stats.preempted, 1);
  });

  it('preempts once: a preemptor whose own write failed counts the capacity its victims gave up', async (t) => {
    // The first write of high's decision is refused as a conflict, as when the detector updated
    // the binding meanwhile; low's pods are still in the cluster's summary when high retries.
    let refused = 0;
    const conflictOnce = (inner: Transport): Transport => ({
      request: (req) => {
        if (req.method === 'PATCH' && req.path.endsWith('/resourcebindings/high') && refused++ === 0)
          return Promise.resolve({
            status: 409,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              reason: 'Conflict',
              code: 409,
              message:
                'the object has been modified; please apply your changes to the latest version and try again',
            }),
          });
        return inner.request(req);
      },
    });
    const env = await start(t, conflictOnce);
    const get = await lowThenHigh(env);
    await eventually(async () => scheduled(await get('high')) === 'Success', {
      clock: env.clock,
      what: 'high scheduled after its first write was refused',
    });
    assert.ok(refused >= 2, 'the first write was refused and a later one went through');
    assert.equal(decision(await get('high')), 'a:3');
    assert.equal(decision(await get('low')), 'a:3', 'low gave up three replicas, not six');
    assert.equal(env.scheduler.stats.preempted, 1);

    // low's three pods are gone, high's not there yet: the room is high's, low does not take it
    // (without the hold, low would be back to a:6 here).
    await setPods(env, 'a', { pods: 10, allocated: 7 });
    await eventually(async () => scheduled(await get('low')) === 'Unschedulable', {
      clock: env.clock,
      what: 'low retried',
    });
    assert.equal(decision(await get('low')), 'a:3');
    // high runs there (the summary counts it) and reports Healthy: nothing is held any more.
    await setPods(env, 'a', { pods: 10, allocated: 10 });
    const running = await get('high');
    await env.client.updateStatus<ResourceBinding>(RB, {
      ...running,
      status: {
        ...running.status,
        aggregatedStatus: [{ clusterName: 'a', applied: true, health: 'Healthy' }],
      },
    });
    await setPods(env, 'a', { pods: 13, allocated: 10 });
    await eventually(async () => decision(await get('low')) === 'a:6', {
      clock: env.clock,
      what: 'low scaled back up into new room',
    });
  });

  it('moves an evicted cluster’s replicas, and keeps the new decision when the eviction task ends', async (t) => {
    const env = await start(t);
    for (const name of ['a', 'b', 'c']) await addCluster(env, makeCluster(name).free({ pods: '20' }).obj());
    const even: Placement = {
      replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
    };
    await env.client.create(RB, binding('web', 6, even));
    const get = (): Promise<ResourceBinding> => env.client.get<ResourceBinding>(RB, 'web');
    await eventually(async () => decision(await get()) === 'a:2 b:2 c:2', {
      clock: env.clock,
      what: 'scheduled',
    });
    // The taint manager evicts it from c.
    const placed = await get();
    await env.client.update<ResourceBinding>(RB, {
      ...placed,
      spec: {
        ...placed.spec,
        clusters: [
          { name: 'a', replicas: 2 },
          { name: 'b', replicas: 2 },
        ],
        gracefulEvictionTasks: [
          {
            fromCluster: 'c',
            replicas: 2,
            reason: 'TaintUntolerated',
            producer: 'TaintManager',
            creationTimestamp: new Date(env.clock.now()).toISOString(),
          },
        ],
      },
    });
    await eventually(async () => decision(await get()) === 'a:3 b:3', {
      clock: env.clock,
      what: 're-placed',
    });
    assert.equal((await get()).status?.schedulingHistory?.[0]?.trigger, 'ClusterFailover');
    // The task ends: c is a candidate again, but nothing placement depends on changed.
    const moved = await get();
    const { gracefulEvictionTasks: _, ...spec } = moved.spec;
    const ended = await env.client.update<ResourceBinding>(RB, { ...moved, spec });
    await eventually(
      async () => (await get()).status?.schedulerObservedGeneration === ended.metadata.generation,
      { clock: env.clock, what: 'the new generation observed' },
    );
    const after = await get();
    assert.equal(decision(after), 'a:3 b:3');
    assert.equal(after.status?.schedulingHistory?.length, 2, 'no new decision');
  });

  it('keeps affinity groups together and anti-affinity groups apart', async (t) => {
    const env = await start(t);
    await addCluster(env, makeCluster('a').free({ pods: '10' }).obj());
    await addCluster(env, makeCluster('b').free({ pods: '20' }).obj());
    await addCluster(env, makeCluster('c').free({ pods: '10' }).obj());
    const grouped = (b: ResourceBinding, groups: object): ResourceBinding => {
      b.spec.workloadAffinityGroups = groups;
      return b;
    };
    const get = (name: string): Promise<ResourceBinding> => env.client.get<ResourceBinding>(RB, name);
    await env.client.create(RB, grouped(binding('front', 2, AGGREGATED), { affinityGroup: 'shop' }));
    await eventually(async () => decision(await get('front')) === 'b:2', {
      clock: env.clock,
      what: 'front on b',
    });
    await env.client.create(RB, grouped(binding('back', 4, DYNAMIC), { affinityGroup: 'shop' }));
    await eventually(async () => scheduled(await get('back')) === 'Success', {
      clock: env.clock,
      what: 'back',
    });
    assert.equal(
      decision(await get('back')),
      'b:4',
      'dynamic weights would spread it; the group keeps it on b',
    );

    await env.client.create(RB, grouped(binding('db-1', 1, AGGREGATED), { antiAffinityGroup: 'db' }));
    await eventually(async () => decision(await get('db-1')) === 'b:1', { clock: env.clock, what: 'db-1' });
    await env.client.create(RB, grouped(binding('db-2', 1, AGGREGATED), { antiAffinityGroup: 'db' }));
    await eventually(async () => scheduled(await get('db-2')) === 'Success', {
      clock: env.clock,
      what: 'db-2',
    });
    assert.equal(decision(await get('db-2')), 'a:1', 'not on b, where db-1 runs');
  });
});
