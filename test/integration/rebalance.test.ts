/**
 * Rebalancing over a real in-process API server with a stepped clock: a workload moved off a
 * failed cluster (`failover.rebalanceOnRecovery`) goes back once that cluster has been healthy for
 * the recovery delay, new copies before old: the old decision's copies stay until every cluster
 * of the new one reports its replicas ready, and a rebalance whose new placement is not ready in
 * time is rolled back. A failed cluster still down when the workload rebalanced stays awaited.
 */
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { AggregatedStatusItem, ResourceBinding, TargetCluster } from '../../src/api/flotilla/binding.js';
import type { Cluster } from '../../src/api/flotilla/cluster.js';
import { FLOTILLA_VALIDATORS, flotillaCrds } from '../../src/api/flotilla/crds/index.js';
import { awaitingRecovery, keptTargets } from '../../src/api/flotilla/rebalance.js';
import type { KubeObject } from '../../src/api/meta.js';
import { compiledInResources } from '../../src/apiserver/crd.js';
import type { CrdObject } from '../../src/apiserver/crd.js';
import { noopLogger } from '../../src/base/logger.js';
import { EventRecorder } from '../../src/client/event-recorder.js';
import { CLUSTERS, RESOURCE_BINDINGS } from '../../src/client/flotilla-resources.js';
import { SharedInformers } from '../../src/client/shared-informers.js';
import { Rebalancer } from '../../src/controllers/rebalancer/rebalancer.js';
import { BindingScheduler } from '../../src/scheduler/binding-scheduler.js';
import { makeCluster } from '../../src/scheduler/testing/fixtures.js';
import { eventually, newEnv } from './harness.js';
import type { Env } from './harness.js';

const RB = { ...RESOURCE_BINDINGS, namespace: 'default' };
const EVENTS = { apiVersion: 'v1', plural: 'events', namespace: 'default' };
const UNREACHABLE = 'cluster.flotilla.io/unreachable';
const RECOVERY_DELAY_MS = 30_000;
const TIMEOUT_MS = 120_000;

async function start(t: TestContext): Promise<Env> {
  const env = await newEnv(t, {
    resources: compiledInResources(flotillaCrds() as unknown as CrdObject[], FLOTILLA_VALIDATORS),
  });
  const informers = new SharedInformers({ client: env.client, clock: env.clock, log: noopLogger });
  const recorder = (component: string): EventRecorder =>
    new EventRecorder({ client: env.client, clock: env.clock, log: noopLogger, component });
  const common = { client: env.client, informers, clock: env.clock, log: noopLogger };
  void informers.start(env.signal);
  void new BindingScheduler({ ...common, recorder: recorder('flotilla-scheduler') }).start(env.signal);
  void new Rebalancer({
    ...common,
    recorder: recorder('flotilla-rebalancer'),
    recoveryDelayMs: RECOVERY_DELAY_MS,
    timeoutMs: TIMEOUT_MS,
  }).start(env.signal);
  return env;
}

const iso = (env: Env): string => new Date(env.clock.now()).toISOString();

async function putCluster(env: Env, cluster: Cluster): Promise<void> {
  const name = cluster.metadata.name ?? '';
  const { status, ...rest } = cluster;
  let current: Cluster;
  try {
    current = await env.client.get<Cluster>(CLUSTERS, name);
    current = await env.client.update<Cluster>(CLUSTERS, { ...current, spec: rest.spec ?? {} });
  } catch {
    current = await env.client.create<Cluster>(CLUSTERS, rest);
  }
  await env.client.updateStatus<Cluster>(CLUSTERS, { ...current, ...(status ? { status } : {}) });
}

/** A cluster that is down: Ready Unknown and the unreachable NoSchedule taint. */
function down(name: string): Cluster {
  return makeCluster(name)
    .notReady('ClusterNotReachable')
    .taint({ key: UNREACHABLE, effect: 'NoSchedule' })
    .obj();
}

/** A cluster Ready since `since`. */
function upSince(name: string, since: string): Cluster {
  const c = makeCluster(name).obj();
  (c.status?.conditions ?? [])[0] = {
    type: 'Ready',
    status: 'True',
    reason: 'ClusterReady',
    lastTransitionTime: since,
  };
  return c;
}

/** 6 replicas divided equally over the clusters that can take them; rebalanced on recovery. */
function binding(clusters: TargetCluster[]): ResourceBinding {
  return {
    apiVersion: 'work.flotilla.io/v1alpha1',
    kind: 'ResourceBinding',
    metadata: { name: 'web-deployment', namespace: 'default' },
    spec: {
      resource: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'default',
        name: 'web',
        uid: 'uid-web',
      },
      replicas: 6,
      placement: {
        replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
      },
      failover: { rebalanceOnRecovery: true },
      clusters,
    },
  };
}

const get = (env: Env): Promise<ResourceBinding> => env.client.get<ResourceBinding>(RB, 'web-deployment');
const placement = (targets: readonly TargetCluster[]): string =>
  targets.map((c) => `${c.name}:${c.replicas ?? '-'}`).join(' ');
const on = async (env: Env): Promise<string> => placement((await get(env)).spec.clusters ?? []);
/** Lets the controllers act on what just happened (real time; the clock does not move). */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 150));

/** Reports the workload's copies as the binding controller would: `ready` replicas per cluster. */
async function report(env: Env, ready: Record<string, number>): Promise<void> {
  const aggregatedStatus: AggregatedStatusItem[] = Object.entries(ready).map(([clusterName, n]) => ({
    clusterName,
    applied: true,
    health: 'Healthy',
    status: { replicas: n, readyReplicas: n },
  }));
  await env.client.patch(RB, 'web-deployment', {
    body: { status: { aggregatedStatus } },
    options: { type: 'merge', subresource: 'status' },
  });
}

async function reasons(env: Env): Promise<string[]> {
  const list = await env.client.list<KubeObject & { reason?: string }>(EVENTS);
  return list.items.map((e) => e.reason ?? '');
}

/**
 * Places the workload on a, b and c, then lets c fail: the taint manager's eviction (a task from
 * c) makes the scheduler move c's replicas to a and b, and the task ends once they are there.
 */
async function failOver(env: Env, failed: readonly string[]): Promise<void> {
  await env.client.create(RB, binding(['a', 'b', ...failed].map((name) => ({ name, replicas: 2 }))));
  await eventually(async () => (await get(env)).status?.schedulerObservedGeneration !== undefined, {
    what: 'first decision',
  });
  for (const name of failed) await putCluster(env, down(name));
  const evicted = await get(env);
  await env.client.patch(RB, 'web-deployment', {
    body: {
      spec: {
        clusters: (evicted.spec.clusters ?? []).filter((t) => !failed.includes(t.name)),
        gracefulEvictionTasks: failed.map((name) => ({
          fromCluster: name,
          purgeMode: 'Gracefully',
          replicas: 2,
          reason: 'TaintUntolerated',
          producer: 'TaintManager',
          creationTimestamp: iso(env),
        })),
      },
    },
    options: { type: 'merge' },
  });
  await eventually(
    async () => (await get(env)).status?.schedulingHistory?.[0]?.trigger === 'ClusterFailover',
    {
      what: 'failed over',
    },
  );
  await env.client.patch(RB, 'web-deployment', {
    body: { spec: { gracefulEvictionTasks: null } },
    options: { type: 'merge' },
  });
  await eventually(
    async () => {
      const b = await get(env);
      return b.status?.schedulerObservedGeneration === b.metadata.generation;
    },
    { what: 'the end of the eviction seen by the scheduler' },
  );
}

describe('rebalancing on recovery', () => {
  it('moves back once the failed cluster has been healthy for the delay, and ends when the new copies are ready', async (t) => {
    const env = await start(t);
    for (const name of ['a', 'b', 'c']) await putCluster(env, makeCluster(name).obj());
    await failOver(env, ['c']);
    assert.equal(await on(env), 'a:3 b:3');
    assert.deepEqual(awaitingRecovery(await get(env)), ['c']);

    await putCluster(env, upSince('c', iso(env)));
    await settle();
    await env.clock.advance(RECOVERY_DELAY_MS - 1);
    await settle();
    assert.equal((await get(env)).spec.rescheduleTriggeredAt, undefined, 'not before the delay');
    await env.clock.advance(1);
    await eventually(async () => (await on(env)) === 'a:2 b:2 c:2', { what: 'rebalanced' });
    const rebalancing = await get(env);
    assert.equal(rebalancing.status?.schedulingHistory?.[0]?.trigger, 'Rebalance');
    assert.equal(rebalancing.status?.schedulingHistory?.[0]?.awaitingRecovery, undefined);
    assert.deepEqual(rebalancing.spec.rebalance?.previousClusters, [
      { name: 'a', replicas: 3 },
      { name: 'b', replicas: 3 },
    ]);
    assert.equal(placement(keptTargets(rebalancing)), 'a:3 b:3 c:2', 'new copies before old');

    await report(env, { a: 3, b: 3, c: 1 });
    await settle();
    assert.ok((await get(env)).spec.rebalance, 'kept while c has 1 of its 2 replicas ready');
    await report(env, { a: 3, b: 3, c: 2 });
    await eventually(async () => (await get(env)).spec.rebalance === undefined, { what: 'rebalance done' });
    await settle();
    const after = await get(env);
    assert.equal(placement(after.spec.clusters ?? []), 'a:2 b:2 c:2', 'the decision stays');
    assert.deepEqual(awaitingRecovery(after), []);
    await eventually(async () => (await reasons(env)).includes('RebalanceDone'), { what: 'an Event' });
    assert.ok((await reasons(env)).includes('Rebalancing'));
  });

  it('rolls back a rebalance whose new placement is not ready within the timeout, and does not try again', async (t) => {
    const env = await start(t);
    for (const name of ['a', 'b', 'c']) await putCluster(env, makeCluster(name).obj());
    await failOver(env, ['c']);
    await putCluster(env, upSince('c', iso(env)));
    await env.clock.advance(RECOVERY_DELAY_MS);
    await eventually(async () => (await on(env)) === 'a:2 b:2 c:2', { what: 'rebalanced' });
    await report(env, { a: 3, b: 3 });
    await env.clock.advance(TIMEOUT_MS - 1);
    await settle();
    assert.ok((await get(env)).spec.rebalance, 'kept until the timeout');
    await env.clock.advance(1);
    await eventually(async () => (await on(env)) === 'a:3 b:3', { what: 'rolled back' });
    assert.equal((await get(env)).spec.rebalance, undefined);
    await eventually(async () => (await reasons(env)).includes('RebalanceAborted'), { what: 'a Warning' });
    await env.clock.advance(RECOVERY_DELAY_MS);
    await settle();
    assert.equal(await on(env), 'a:3 b:3', 'no second attempt');
  });

  it('keeps awaiting a failed cluster that was still down when the workload rebalanced', async (t) => {
    const env = await start(t);
    for (const name of ['a', 'b', 'c', 'd']) await putCluster(env, makeCluster(name).obj());
    await failOver(env, ['c', 'd']);
    assert.equal(await on(env), 'a:3 b:3');
    assert.deepEqual(awaitingRecovery(await get(env)), ['c', 'd']);

    await putCluster(env, upSince('c', iso(env)));
    await env.clock.advance(RECOVERY_DELAY_MS);
    await eventually(async () => (await on(env)) === 'a:2 b:2 c:2', { what: 'rebalanced onto c' });
    const first = await get(env);
    assert.deepEqual(first.status?.schedulingHistory?.[0]?.awaitingRecovery, ['d']);
    await report(env, { a: 2, b: 2, c: 2 });
    await eventually(async () => (await get(env)).spec.rebalance === undefined, { what: 'first done' });

    await putCluster(env, upSince('d', iso(env)));
    await env.clock.advance(RECOVERY_DELAY_MS);
    await eventually(async () => (await on(env)).includes('d:'), { what: 'rebalanced onto d' });
    assert.deepEqual(awaitingRecovery(await get(env)), []);
  });
});
