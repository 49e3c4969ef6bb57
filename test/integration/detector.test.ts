/**
 * The detector over a real in-process API server: a policy claims the templates it selects, each
 * gets one binding (replicas, requirements, placement, priority) owned by the template and kept up
 * to date; a claim stands until a better policy preempts it; a template no policy selects loses
 * its labels but keeps its binding.
 */
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding } from '../../src/api/flotilla/binding.js';
import { FLOTILLA_VALIDATORS, flotillaCrds } from '../../src/api/flotilla/crds/index.js';
import type { PolicyObject } from '../../src/api/flotilla/policy-match.js';
import type { PropagationSpec } from '../../src/api/flotilla/policy.js';
import type { KubeObject } from '../../src/api/meta.js';
import { compiledInResources } from '../../src/apiserver/crd.js';
import type { CrdObject } from '../../src/apiserver/crd.js';
import { noopLogger } from '../../src/base/logger.js';
import { PROPAGATION_POLICIES, RESOURCE_BINDINGS } from '../../src/client/flotilla-resources.js';
import { SharedInformers } from '../../src/client/shared-informers.js';
import { Detector } from '../../src/controllers/detector/detector.js';
import { eventually, newEnv } from './harness.js';
import type { Env } from './harness.js';

const DEPLOYMENTS = { apiVersion: 'apps/v1', plural: 'deployments', namespace: 'default' };
const PP = { ...PROPAGATION_POLICIES, namespace: 'default' };
const RB = { ...RESOURCE_BINDINGS, namespace: 'default' };

async function start(t: TestContext): Promise<Env> {
  const env = await newEnv(t, {
    resources: compiledInResources(flotillaCrds() as unknown as CrdObject[], FLOTILLA_VALIDATORS),
  });
  const informers = new SharedInformers({ client: env.client, clock: env.clock, log: noopLogger });
  void informers.start(env.signal);
  void new Detector({ client: env.client, informers, clock: env.clock, log: noopLogger }).start(env.signal);
  return env;
}

const deployment = (name: string, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '250m' } } }] },
    },
  },
});

const policy = (name: string, spec: Partial<PropagationSpec>): PolicyObject => ({
  apiVersion: 'policy.flotilla.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name, namespace: 'default' },
  spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }], ...spec },
});

describe('Detector', () => {
  it('claims templates, keeps their bindings, and lets only a preempting policy take over', async (t) => {
    const env = await start(t);
    const rb = (): Promise<ResourceBinding> => env.client.get<ResourceBinding>(RB, 'web-deployment');
    const labels = async (): Promise<Record<string, string>> =>
      (await env.client.get(DEPLOYMENTS, 'web')).metadata.labels ?? {};
    await env.client.create(
      PP,
      policy('all', {
        placement: { clusterAffinity: { clusterNames: ['a'] } },
        schedulePriority: { priority: 7 },
      }),
    );
    const web = await env.client.create(DEPLOYMENTS, deployment('web', 3));
    await eventually(async () => (await rb().catch(() => undefined)) !== undefined, {
      clock: env.clock,
      what: 'binding',
    });
    const first = await rb();
    assert.equal(first.spec.replicas, 3);
    assert.deepEqual(first.spec.replicaRequirements?.resourceRequest, { cpu: '250m' });
    assert.deepEqual(first.spec.placement, { clusterAffinity: { clusterNames: ['a'] } });
    assert.deepEqual(first.spec.schedulePriority, { priority: 7 });
    assert.deepEqual(first.spec.resource, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'default',
      name: 'web',
      uid: web.metadata.uid,
    });
    assert.deepEqual(
      first.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid]),
      [['Deployment', 'web', web.metadata.uid]],
    );
    assert.equal(first.metadata.labels?.['propagationpolicy.flotilla.io/name'], 'all');
    await eventually(async () => (await labels())['propagationpolicy.flotilla.io/name'] === 'all', {
      clock: env.clock,
      what: 'template labelled',
    });

    // The template scales: the binding follows. The scheduler's decision is kept.
    const b = await rb();
    await env.client.update(RB, { ...b, spec: { ...b.spec, clusters: [{ name: 'a', replicas: 3 }] } });
    const current = await env.client.get<KubeObject & { spec: object }>(DEPLOYMENTS, 'web');
    await env.client.update(DEPLOYMENTS, { ...current, spec: { ...current.spec, replicas: 5 } });
    await eventually(async () => (await rb()).spec.replicas === 5, { clock: env.clock, what: 'replicas 5' });
    assert.deepEqual((await rb()).spec.clusters, [{ name: 'a', replicas: 3 }]);

    // A more specific policy without preemption does not take the template; with it, it does.
    await env.client.create(
      PP,
      policy('web-only', {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
        priority: 10,
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await labels())['propagationpolicy.flotilla.io/name'], 'all');
    const wo = await env.client.get<PolicyObject>(PP, 'web-only');
    await env.client.update(PP, {
      ...wo,
      spec: { ...wo.spec, preemption: 'Always', placement: { clusterAffinity: { clusterNames: ['b'] } } },
    });
    await eventually(async () => (await labels())['propagationpolicy.flotilla.io/name'] === 'web-only', {
      clock: env.clock,
      what: 'preempted claim',
    });
    await eventually(async () => (await rb()).spec.placement?.clusterAffinity?.clusterNames?.[0] === 'b', {
      clock: env.clock,
      what: 'new placement',
    });
    assert.equal((await rb()).spec.schedulePriority, undefined, 'the new policy sets no priority');

    // No policy left: the template is released, its binding stays.
    await env.client.delete(PP, 'web-only');
    await env.client.delete(PP, 'all');
    await eventually(async () => !(await labels())['propagationpolicy.flotilla.io/name'], {
      clock: env.clock,
      what: 'labels removed',
    });
    assert.equal((await rb()).spec.replicas, 5);
  });

  it('takes a binding priority from the PriorityClass its policy names, and follows it', async (t) => {
    const env = await start(t);
    const pcs = { apiVersion: 'scheduling.k8s.io/v1', plural: 'priorityclasses' };
    await env.client.create(pcs, {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'critical' },
      value: 1000,
    });
    await env.client.create(
      PP,
      policy('prio', {
        schedulePriority: { priorityClassSource: 'KubePriorityClass', priorityClassName: 'critical' },
      }),
    );
    await env.client.create(DEPLOYMENTS, deployment('web', 1));
    const priority = async (): Promise<number | undefined> =>
      (await env.client.get<ResourceBinding>(RB, 'web-deployment').catch(() => undefined))?.spec
        .schedulePriority?.priority;
    await eventually(async () => (await priority()) === 1000, { clock: env.clock, what: 'priority 1000' });
    const pc = await env.client.get(pcs, 'critical');
    await env.client.update(pcs, { ...pc, value: 2000 });
    await eventually(async () => (await priority()) === 2000, { clock: env.clock, what: 'priority 2000' });
  });

  it('writes dependency bindings, naming the workload, before the workload binding itself', async (t) => {
    const env = await start(t);
    const added: string[] = [];
    const events = await env.client.watch(RB, { signal: env.signal });
    void (async () => {
      for await (const e of events) if (e.type === 'ADDED') added.push(e.object.metadata.name ?? '');
    })();
    const cms = { apiVersion: 'v1', plural: 'configmaps', namespace: 'default' };
    await env.client.create(cms, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
    });
    await env.client.create(PP, policy('with-deps', { propagateDeps: true }));
    const web = deployment('web', 2);
    const spec = web.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
    spec.template.spec.containers[0] = {
      ...spec.template.spec.containers[0],
      envFrom: [{ configMapRef: { name: 'settings' } }, { secretRef: { name: 'absent' } }],
    };
    await env.client.create(DEPLOYMENTS, web);
    await eventually(() => added.length === 2, { clock: env.clock, what: 'two bindings' });
    assert.deepEqual(added, ['settings-configmap', 'web-deployment']);
    const dep = await env.client.get<ResourceBinding>(RB, 'settings-configmap');
    assert.deepEqual(
      dep.spec.requiredBy?.map((r) => r.name),
      ['web-deployment'],
    );
    assert.equal(dep.spec.placement, undefined);
  });

  it('ignores templates in reserved namespaces', async (t) => {
    const env = await start(t);
    await env.client.create(
      { apiVersion: 'v1', plural: 'namespaces' },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flotilla-system' } },
    );
    await env.client.create(
      { ...PROPAGATION_POLICIES, namespace: 'flotilla-system' },
      { ...policy('sys', {}), metadata: { name: 'sys', namespace: 'flotilla-system' } },
    );
    await env.client.create(PP, policy('all', {}));
    await env.client.create(
      { ...DEPLOYMENTS, namespace: 'flotilla-system' },
      { ...deployment('hidden', 1), metadata: { name: 'hidden', namespace: 'flotilla-system' } },
    );
    await env.client.create(DEPLOYMENTS, deployment('shown', 1));
    await eventually(
      async () => (await env.client.get(RB, 'shown-deployment').catch(() => undefined)) !== undefined,
      {
        clock: env.clock,
        what: 'shown bound',
      },
    );
    const hidden = await env.client.list({ ...RESOURCE_BINDINGS, namespace: 'flotilla-system' });
    assert.equal(hidden.items.length, 0);
  });
});
