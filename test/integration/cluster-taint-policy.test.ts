/**
 * ClusterTaintPolicy over a real in-process API server: a malformed policy is refused with 422 and
 * field paths; a policy taints the clusters whose conditions match (any condition type) and
 * untaints them when its remove conditions hold; a NoExecute taint it adds evicts the workloads
 * that do not tolerate it, through the taint manager, like the hub's own health taints.
 */
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding } from '../../src/api/flotilla/binding.js';
import type { Cluster } from '../../src/api/flotilla/cluster.js';
import type { ClusterTaintPolicy } from '../../src/api/flotilla/cluster-taint-policy.js';
import { FLOTILLA_VALIDATORS, flotillaCrds } from '../../src/api/flotilla/crds/index.js';
import { StatusError } from '../../src/api/status.js';
import { compiledInResources } from '../../src/apiserver/crd.js';
import type { CrdObject } from '../../src/apiserver/crd.js';
import { noopLogger } from '../../src/base/logger.js';
import { CLUSTERS, CLUSTER_TAINT_POLICIES, RESOURCE_BINDINGS } from '../../src/client/flotilla-resources.js';
import { SharedInformers } from '../../src/client/shared-informers.js';
import { ClusterTaintPolicyController } from '../../src/controllers/cluster-taint-policy/cluster-taint-policy-controller.js';
import { TaintManager } from '../../src/controllers/taint-manager/taint-manager.js';
import { makeCluster } from '../../src/scheduler/testing/fixtures.js';
import { eventually, newEnv } from './harness.js';
import type { Env } from './harness.js';

const RB = { ...RESOURCE_BINDINGS, namespace: 'default' };

async function start(t: TestContext): Promise<Env> {
  const env = await newEnv(t, {
    resources: compiledInResources(flotillaCrds() as unknown as CrdObject[], FLOTILLA_VALIDATORS),
  });
  const informers = new SharedInformers({ client: env.client, clock: env.clock, log: noopLogger });
  const common = { client: env.client, informers, clock: env.clock, log: noopLogger };
  void informers.start(env.signal);
  void new ClusterTaintPolicyController(common).start(env.signal);
  void new TaintManager(common).start(env.signal);
  return env;
}

async function addCluster(env: Env, name: string, components: string): Promise<void> {
  const { status, ...rest } = makeCluster(name).obj();
  const created = await env.client.create<Cluster>(CLUSTERS, rest);
  await setComponents(env, { ...created, status: status ?? {} }, components);
}

async function setComponents(env: Env, cluster: Cluster, status: string): Promise<void> {
  const current = await env.client.get<Cluster>(CLUSTERS, cluster.metadata.name ?? '');
  const conditions = [
    ...(cluster.status?.conditions ?? current.status?.conditions ?? []).filter(
      (c) => c.type !== 'KubeComponentsHealthy',
    ),
    { type: 'KubeComponentsHealthy', status: status as 'True', reason: 'Probed' },
  ];
  await env.client.updateStatus<Cluster>(CLUSTERS, {
    ...current,
    status: { ...(cluster.status ?? current.status), conditions },
  });
}

const taints = async (env: Env, name: string): Promise<string> =>
  ((await env.client.get<Cluster>(CLUSTERS, name)).spec?.taints ?? [])
    .map((t) => `${t.key}:${t.effect}`)
    .join(' ');

function policy(effect: string): ClusterTaintPolicy {
  return {
    apiVersion: 'policy.flotilla.io/v1alpha1',
    kind: 'ClusterTaintPolicy',
    metadata: { name: 'components' },
    spec: {
      addOnConditions: [
        { conditionType: 'KubeComponentsHealthy', operator: 'NotIn', statusValues: ['True'] },
      ],
      removeOnConditions: [
        { conditionType: 'KubeComponentsHealthy', operator: 'In', statusValues: ['True'] },
      ],
      taints: [{ key: 'components-unhealthy', effect }],
    },
  };
}

describe('ClusterTaintPolicy', () => {
  it('refuses a malformed policy with 422 and field paths, and stores nothing', async (t) => {
    const env = await start(t);
    const bad = policy('Sometimes');
    bad.spec.addOnConditions = [{ conditionType: 'Ready', operator: 'In', statusValues: [] }];
    await assert.rejects(env.client.create(CLUSTER_TAINT_POLICIES, bad), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.status.code, 422);
      const fields = (err.status.details?.causes ?? []).map((c) => c.field);
      assert.ok(fields.includes('spec.taints[0].effect'), fields.join());
      assert.ok(fields.includes('spec.addOnConditions[0].statusValues'), fields.join());
      return true;
    });
    assert.equal((await env.client.list(CLUSTER_TAINT_POLICIES)).items.length, 0);
  });

  it('taints the clusters whose conditions match, and untaints them when the remove conditions hold', async (t) => {
    const env = await start(t);
    await addCluster(env, 'a', 'False');
    await addCluster(env, 'b', 'True');
    await env.client.create(CLUSTER_TAINT_POLICIES, policy('NoSchedule'));
    await eventually(async () => (await taints(env, 'a')) === 'components-unhealthy:NoSchedule', {
      what: 'a tainted',
    });
    assert.equal(await taints(env, 'b'), '');
    await setComponents(env, await env.client.get<Cluster>(CLUSTERS, 'a'), 'True');
    await eventually(async () => (await taints(env, 'a')) === '', { what: 'a untainted' });
  });

  it('a NoExecute taint it adds evicts the workloads that do not tolerate it', async (t) => {
    const env = await start(t);
    await addCluster(env, 'a', 'True');
    await addCluster(env, 'b', 'True');
    await env.client.create(CLUSTER_TAINT_POLICIES, policy('NoExecute'));
    const binding: ResourceBinding = {
      apiVersion: 'work.flotilla.io/v1alpha1',
      kind: 'ResourceBinding',
      metadata: { name: 'web-deployment', namespace: 'default' },
      spec: {
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web', uid: 'u' },
        replicas: 4,
        placement: { replicaScheduling: { replicaSchedulingType: 'Divided' } },
        clusters: [
          { name: 'a', replicas: 2 },
          { name: 'b', replicas: 2 },
        ],
      },
    };
    await env.client.create(RB, binding);
    await setComponents(env, await env.client.get<Cluster>(CLUSTERS, 'a'), 'False');
    await eventually(
      async () => {
        const rb = await env.client.get<ResourceBinding>(RB, 'web-deployment');
        return rb.spec.gracefulEvictionTasks?.[0]?.fromCluster === 'a';
      },
      { what: 'evicted from a' },
    );
    const added = (await env.client.get<Cluster>(CLUSTERS, 'a')).spec?.taints?.[0];
    assert.equal(added?.timeAdded, new Date(env.clock.now()).toISOString());
  });
});
