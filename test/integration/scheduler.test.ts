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
import { SharedInformers } from '../../src/client/shared-informers.js';
import { BindingScheduler, CLUSTERS, RESOURCE_BINDINGS } from '../../src/scheduler/binding-scheduler.js';
import { makeCluster } from '../../src/scheduler/testing/fixtures.js';
import { eventually, newEnv } from './harness.js';
import type { Env } from './harness.js';

const RB = { ...RESOURCE_BINDINGS, namespace: 'default' };
const DYNAMIC: Placement = {
  replicaScheduling: {
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    weightPreference: { dynamicWeight: 'AvailableReplicas' },
  },
};

async function start(t: TestContext): Promise<Env & { scheduler: BindingScheduler }> {
  const env = await newEnv(t, {
    resources: compiledInResources(flotillaCrds() as unknown as CrdObject[], FLOTILLA_VALIDATORS),
  });
  const informers = new SharedInformers({ client: env.client, clock: env.clock, log: noopLogger });
  const scheduler = new BindingScheduler({
    client: env.client,
    informers,
    clock: env.clock,
    log: noopLogger,
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

async function setPods(env: Env, name: string, pods: number): Promise<void> {
  const c = await env.client.get<Cluster>(CLUSTERS, name);
  await env.client.updateStatus<Cluster>(CLUSTERS, {
    ...c,
    status: { ...c.status, resourceSummary: { allocatable: { pods: String(pods) } } },
  });
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
    await setPods(env, 'a', 20);
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
});
