/**
 * Cluster failover over a real in-process API server with a stepped clock: the taint manager
 * evicts a binding from a cluster whose NoExecute taint it does not tolerate, waits exactly
 * `tolerationSeconds` when a toleration says so, stops evicting when most of the fleet is
 * unhealthy, and undoes an eviction when the cluster recovers before the workload found another
 * place; the graceful-eviction controller lets the old copy go only once the workload is placed
 * (and Healthy) elsewhere. Application failover counts an Unhealthy stretch from the binding's
 * `healthSince`, across restarts.
 */
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding } from '../../src/api/flotilla/binding.js';
import type { Cluster } from '../../src/api/flotilla/cluster.js';
import { FLOTILLA_VALIDATORS, flotillaCrds } from '../../src/api/flotilla/crds/index.js';
import type { Toleration } from '../../src/api/taints.js';
import { compiledInResources } from '../../src/apiserver/crd.js';
import type { CrdObject } from '../../src/apiserver/crd.js';
import { noopLogger } from '../../src/base/logger.js';
import { SharedInformers } from '../../src/client/shared-informers.js';
import { CLUSTERS, RESOURCE_BINDINGS } from '../../src/client/flotilla-resources.js';
import { ApplicationFailoverController } from '../../src/controllers/application-failover/application-failover.js';
import { GracefulEvictionController } from '../../src/controllers/graceful-eviction/graceful-eviction.js';
import { TaintManager } from '../../src/controllers/taint-manager/taint-manager.js';
import type { TaintManagerOptions } from '../../src/controllers/taint-manager/taint-manager.js';
import { makeCluster } from '../../src/scheduler/testing/fixtures.js';
import { eventually, newEnv } from './harness.js';
import type { Env } from './harness.js';

const RB = { ...RESOURCE_BINDINGS, namespace: 'default' };
const UNREACHABLE = 'cluster.flotilla.io/unreachable';

async function start(
  t: TestContext,
  limits: Pick<TaintManagerOptions, 'clusterEvictionRate' | 'clusterEvictionBurst'> = {},
): Promise<Env> {
  const env = await newEnv(t, {
    resources: compiledInResources(flotillaCrds() as unknown as CrdObject[], FLOTILLA_VALIDATORS),
  });
  const informers = new SharedInformers({ client: env.client, clock: env.clock, log: noopLogger });
  const common = { client: env.client, informers, clock: env.clock, log: noopLogger };
  void informers.start(env.signal);
  void new TaintManager({ ...common, ...limits }).start(env.signal);
  void new GracefulEvictionController(common).start(env.signal);
  return env;
}

async function addCluster(env: Env, cluster: Cluster): Promise<void> {
  const { status, ...rest } = cluster;
  const created = await env.client.create<Cluster>(CLUSTERS, rest);
  await env.client.updateStatus<Cluster>(CLUSTERS, { ...created, ...(status ? { status } : {}) });
}

function binding(clusters: string[], tolerations: Toleration[] = []): ResourceBinding {
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
      replicas: 2 * clusters.length,
      placement: {
        clusterTolerations: tolerations,
        replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
      },
      clusters: clusters.map((name) => ({ name, replicas: 2 })),
    },
  };
}

const get = (env: Env): Promise<ResourceBinding> => env.client.get<ResourceBinding>(RB, 'web-deployment');
const on = async (env: Env): Promise<string> =>
  ((await get(env)).spec.clusters ?? []).map((c) => `${c.name}:${c.replicas ?? '-'}`).join(' ');
/** Lets the controllers act on what just happened (real time; the clock does not move). */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 150));

describe('cluster failover', () => {
  it('evicts at once from a cluster whose NoExecute taint the placement does not tolerate', async (t) => {
    const env = await start(t);
    const down = new Date(env.clock.now()).toISOString();
    await addCluster(env, makeCluster('a').obj());
    await addCluster(
      env,
      makeCluster('b').notReady().taint({ key: UNREACHABLE, effect: 'NoExecute', timeAdded: down }).obj(),
    );
    await env.client.create(RB, binding(['a', 'b']));
    await eventually(async () => (await on(env)) === 'a:2', { what: 'evicted from b' });
    assert.deepEqual((await get(env)).spec.gracefulEvictionTasks, [
      {
        fromCluster: 'b',
        purgeMode: 'Gracefully',
        replicas: 2,
        reason: 'TaintUntolerated',
        message: `cluster b has the taint {${UNREACHABLE}:NoExecute} that the placement does not tolerate`,
        producer: 'TaintManager',
        creationTimestamp: down, // at once: the clock has not moved
      },
    ]);
  });

  it('waits exactly tolerationSeconds from the taint’s timeAdded', async (t) => {
    const env = await start(t);
    const down = new Date(env.clock.now()).toISOString();
    await addCluster(env, makeCluster('a').obj());
    await addCluster(
      env,
      makeCluster('b').notReady().taint({ key: UNREACHABLE, effect: 'NoExecute', timeAdded: down }).obj(),
    );
    await env.client.create(
      RB,
      binding(
        ['a', 'b'],
        [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }],
      ),
    );
    await settle();
    await env.clock.advance(29_999);
    await settle();
    assert.equal(await on(env), 'a:2 b:2', 'tolerated for 29.999 s');
    await env.clock.advance(1);
    await eventually(async () => (await on(env)) === 'a:2', { what: 'evicted at 30 s' });
  });

  it('admits failed clusters for eviction at the configured rate, each with all its workloads', async (t) => {
    const env = await start(t, { clusterEvictionRate: 0.1, clusterEvictionBurst: 1 });
    const down = new Date(env.clock.now()).toISOString();
    for (const name of ['a', 'b', 'c', 'd', 'e']) await addCluster(env, makeCluster(name).obj());
    for (const name of ['f', 'g'])
      await addCluster(
        env,
        makeCluster(name).notReady().taint({ key: UNREACHABLE, effect: 'NoExecute', timeAdded: down }).obj(),
      );
    for (const [name, clusters] of [
      ['one', ['a', 'f']],
      ['two', ['b', 'f']],
      ['three', ['c', 'g']],
    ] as const) {
      const b = binding([...clusters]);
      b.metadata.name = name;
      await env.client.create(RB, b);
    }
    const where = async (name: string): Promise<string> =>
      ((await env.client.get<ResourceBinding>(RB, name)).spec.clusters ?? []).map((c) => c.name).join(' ');
    await eventually(async () => (await where('one')) === 'a' && (await where('two')) === 'b', {
      what: 'f admitted first, with both its workloads',
    });
    await settle();
    assert.equal(await where('three'), 'c g', 'g waits for the next token');
    await env.clock.advance(9_999);
    await settle();
    assert.equal(await where('three'), 'c g');
    await env.clock.advance(1);
    await eventually(async () => (await where('three')) === 'c', { what: 'g admitted 10 s later' });
  });

  it('does not evict while most of the fleet is unhealthy', async (t) => {
    const env = await start(t);
    const down = new Date(env.clock.now()).toISOString();
    await addCluster(env, makeCluster('a').obj());
    for (const name of ['b', 'c'])
      await addCluster(
        env,
        makeCluster(name).notReady().taint({ key: UNREACHABLE, effect: 'NoExecute', timeAdded: down }).obj(),
      );
    await env.client.create(RB, binding(['a', 'b']));
    await settle();
    await env.clock.advance(60_000);
    await settle();
    assert.equal(
      await on(env),
      'a:2 b:2',
      'two of three clusters unhealthy: the hub is probably the one cut off',
    );
    // c recovers: one of three unhealthy, evictions resume.
    const c = await env.client.get<Cluster>(CLUSTERS, 'c');
    await env.client.update<Cluster>(CLUSTERS, { ...c, spec: { ...c.spec, taints: [] } });
    await env.client.updateStatus<Cluster>(CLUSTERS, {
      ...(await env.client.get<Cluster>(CLUSTERS, 'c')),
      status: { ...c.status, conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady' }] },
    });
    await eventually(async () => (await on(env)) === 'a:2', {
      clock: env.clock,
      stepMs: 5_000,
      what: 'evicted from b',
    });
  });

  it('undoes the eviction when the cluster recovers before the workload found another place', async (t) => {
    const env = await start(t);
    const down = new Date(env.clock.now()).toISOString();
    await addCluster(env, makeCluster('a').obj());
    await addCluster(env, makeCluster('b').obj());
    await addCluster(
      env,
      makeCluster('c').notReady().taint({ key: UNREACHABLE, effect: 'NoExecute', timeAdded: down }).obj(),
    );
    await env.client.create(RB, binding(['c']));
    await eventually(async () => (await on(env)) === '', { clock: env.clock, what: 'evicted from c' });
    const c = await env.client.get<Cluster>(CLUSTERS, 'c');
    await env.client.update<Cluster>(CLUSTERS, { ...c, spec: { ...c.spec, taints: [] } });
    await env.client.updateStatus<Cluster>(CLUSTERS, {
      ...(await env.client.get<Cluster>(CLUSTERS, 'c')),
      status: { ...c.status, conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady' }] },
    });
    await eventually(async () => (await on(env)) === 'c:2', { clock: env.clock, what: 'back on c' });
    assert.equal((await get(env)).spec.gracefulEvictionTasks, undefined);
  });

  it('lets the old copy go once the workload is scheduled and Healthy elsewhere, not before', async (t) => {
    const env = await start(t);
    const down = new Date(env.clock.now()).toISOString();
    await addCluster(env, makeCluster('a').obj());
    await addCluster(
      env,
      makeCluster('b').notReady().taint({ key: UNREACHABLE, effect: 'NoExecute', timeAdded: down }).obj(),
    );
    await env.client.create(RB, binding(['a', 'b']));
    await eventually(async () => (await on(env)) === 'a:2', { clock: env.clock, what: 'evicted from b' });
    // The scheduler moves b's replicas to a; a reports them Unhealthy at first.
    const evicted = await get(env);
    const moved = await env.client.update<ResourceBinding>(RB, {
      ...evicted,
      spec: { ...evicted.spec, clusters: [{ name: 'a', replicas: 4 }] },
    });
    const status = (health: 'Healthy' | 'Unhealthy'): NonNullable<ResourceBinding['status']> => ({
      conditions: [{ type: 'Scheduled', status: 'True', reason: 'Success' }],
      schedulerObservedGeneration: moved.metadata.generation ?? 0,
      aggregatedStatus: [{ clusterName: 'a', applied: true, health }],
    });
    await env.client.updateStatus<ResourceBinding>(RB, { ...moved, status: status('Unhealthy') });
    await settle();
    await env.clock.advance(60_000);
    await settle();
    assert.equal((await get(env)).spec.gracefulEvictionTasks?.length, 1, 'kept while a is Unhealthy');
    await env.client.updateStatus<ResourceBinding>(RB, { ...(await get(env)), status: status('Healthy') });
    await eventually(async () => (await get(env)).spec.gracefulEvictionTasks === undefined, {
      clock: env.clock,
      what: 'the task removed',
    });
  });
});

describe('application failover', () => {
  it('counts an Unhealthy stretch from the healthSince the binding records, so a restarted hub keeps counting', async (t) => {
    const env = await newEnv(t, {
      resources: compiledInResources(flotillaCrds() as unknown as CrdObject[], FLOTILLA_VALIDATORS),
    });
    const informers = new SharedInformers({ client: env.client, clock: env.clock, log: noopLogger });
    void informers.start(env.signal);
    // A controller that has never seen the binding: as after a restart.
    void new ApplicationFailoverController({
      client: env.client,
      informers,
      clock: env.clock,
      log: noopLogger,
    }).start(env.signal);
    const b = binding(['a', 'b']);
    b.spec.failover = { application: { decisionConditions: { tolerationSeconds: 300 } } };
    const created = await env.client.create<ResourceBinding>(RB, b);
    const since = new Date(env.clock.now() - 299_000).toISOString();
    await env.client.updateStatus<ResourceBinding>(RB, {
      ...created,
      status: {
        aggregatedStatus: [
          { clusterName: 'a', applied: true, health: 'Unhealthy', healthSince: since },
          { clusterName: 'b', applied: true, health: 'Healthy', healthSince: since },
        ],
      },
    });
    await settle();
    assert.equal(await on(env), 'a:2 b:2', 'Unhealthy for 299 s of 300');
    await env.clock.advance(1_000);
    await eventually(async () => (await on(env)) === 'b:2', { what: 'evicted from a at 300 s' });
  });
});
