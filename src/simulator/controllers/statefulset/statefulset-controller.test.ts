import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/meta.js';
import { eventually } from '../../../base/testing/eventually.js';
import { newMemberEnv } from '../../testing/member-env.js';
import type { MemberEnv } from '../../testing/member-env.js';
import { finishDeletion, getPod, setPodState } from '../revisions/testing/kubelet-double.js';
import { STATEFULSETS, StatefulSetController } from './statefulset-controller.js';

const NS = 'default';
const SETS = { ...STATEFULSETS, namespace: NS };
const PODS = { apiVersion: 'v1', plural: 'pods', namespace: NS };
const CLAIMS = { apiVersion: 'v1', plural: 'persistentvolumeclaims', namespace: NS };
const REVISIONS = { apiVersion: 'apps/v1', plural: 'controllerrevisions', namespace: NS };

interface SetOptions {
  replicas?: number;
  parallel?: boolean;
  image?: string;
  start?: number;
  claims?: boolean;
  whenScaled?: 'Retain' | 'Delete';
  historyLimit?: number;
  /** Give pods a node so deletion is graceful and waits for the kubelet double. */
  nodeName?: string;
}

function makeSet(name: string, o: SetOptions = {}): KubeObject {
  const podSpec: Record<string, unknown> = { containers: [{ name: 'app', image: o.image ?? 'nginx:1' }] };
  if (o.nodeName !== undefined) podSpec['nodeName'] = o.nodeName;
  const spec: Record<string, unknown> = {
    replicas: o.replicas ?? 3,
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: podSpec },
  };
  if (o.parallel) spec['podManagementPolicy'] = 'Parallel';
  if (o.start !== undefined) spec['ordinals'] = { start: o.start };
  if (o.historyLimit !== undefined) spec['revisionHistoryLimit'] = o.historyLimit;
  if (o.claims) {
    spec['volumeClaimTemplates'] = [
      {
        metadata: { name: 'www' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    ];
    if (o.whenScaled)
      spec['persistentVolumeClaimRetentionPolicy'] = { whenScaled: o.whenScaled, whenDeleted: 'Retain' };
  }
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: NS }, spec };
}

async function setup(t: TestContext): Promise<MemberEnv> {
  const env = await newMemberEnv(t);
  const recorder = env.recorder('statefulset-controller');
  env.run(new StatefulSetController({ ...env, recorder }));
  return env;
}

const exists = async (env: MemberEnv, name: string): Promise<boolean> =>
  (await getPod(env.client, { namespace: NS, name })) !== undefined;

async function readyPod(env: MemberEnv, name: string): Promise<void> {
  await eventually(() => exists(env, name), { clock: env.clock, what: `pod ${name} created` });
  await setPodState(
    env.client,
    { namespace: NS, name },
    { state: { phase: 'Running', ready: true }, clock: env.clock },
  );
}

async function readyInOrder(env: MemberEnv, names: string[]): Promise<void> {
  for (const name of names) await readyPod(env, name);
}

async function patchSet(env: MemberEnv, name: string, body: unknown): Promise<void> {
  await env.client.patch(SETS, name, { body, options: { type: 'merge' } });
}

async function status(env: MemberEnv, name: string): Promise<Record<string, unknown>> {
  return ((await env.client.get(SETS, name))['status'] ?? {}) as Record<string, unknown>;
}

const podRevision = async (env: MemberEnv, name: string): Promise<string | undefined> =>
  (await getPod(env.client, { namespace: NS, name }))?.metadata.labels?.['controller-revision-hash'];

describe('StatefulSetController', () => {
  it('creates pods in ordinal order, each once its predecessors are Running and Ready', async (t) => {
    const env = await setup(t);
    await env.create(SETS, makeSet('web'));
    await eventually(() => exists(env, 'web-0'), { clock: env.clock, what: 'web-0' });
    await env.clock.advance(5_000);
    assert.equal(await exists(env, 'web-1'), false, 'web-1 waits for web-0 to be ready');
    await readyInOrder(env, ['web-0', 'web-1', 'web-2']);
    await eventually(
      async () => {
        const s = await status(env, 'web');
        return s['readyReplicas'] === 3 && s['availableReplicas'] === 3 && s['currentReplicas'] === 3;
      },
      { clock: env.clock, what: 'status reports three ready replicas' },
    );
    const s = await status(env, 'web');
    assert.equal(s['replicas'], 3);
    assert.equal(s['updatedReplicas'], 3);
    assert.equal(s['observedGeneration'], 1);
    assert.equal(s['collisionCount'], 0);
    assert.match(String(s['currentRevision']), /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(s['currentRevision'], s['updateRevision']);
  });

  it('gives each pod its identity: name, labels, hostname, subdomain, owner', async (t) => {
    const env = await setup(t);
    const set = await env.create(SETS, makeSet('db', { replicas: 1 }));
    await eventually(() => exists(env, 'db-0'), { clock: env.clock, what: 'db-0' });
    const pod = (await getPod(env.client, { namespace: NS, name: 'db-0' })) as KubeObject;
    const spec = pod['spec'] as Record<string, unknown>;
    assert.equal(pod.metadata.generateName, 'db-');
    assert.equal(pod.metadata.labels?.['app'], 'db');
    assert.equal(pod.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'db-0');
    assert.equal(pod.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    const revisions = (await env.client.list(REVISIONS)).items;
    assert.equal(revisions.length, 1);
    assert.equal(pod.metadata.labels?.['controller-revision-hash'], revisions[0]?.metadata.name);
    assert.equal(revisions[0]?.['revision'], 1);
    assert.equal(spec['hostname'], 'db-0');
    assert.equal(spec['subdomain'], 'db');
    assert.deepEqual(pod.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'db',
        uid: set.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  it('honours spec.ordinals.start', async (t) => {
    const env = await setup(t);
    await env.create(SETS, makeSet('web', { replicas: 2, start: 5, parallel: true }));
    await eventually(async () => (await exists(env, 'web-5')) && (await exists(env, 'web-6')), {
      clock: env.clock,
      what: 'web-5 and web-6',
    });
    assert.equal(await exists(env, 'web-0'), false);
  });

  it('creates every pod at once under Parallel', async (t) => {
    const env = await setup(t);
    await env.create(SETS, makeSet('web', { parallel: true }));
    await eventually(async () => (await env.client.list(PODS)).items.length === 3, {
      clock: env.clock,
      what: 'three pods without waiting for readiness',
    });
  });

  it('recreates a failed pod and says so', async (t) => {
    const env = await setup(t);
    await env.create(SETS, makeSet('web', { replicas: 1 }));
    await eventually(() => exists(env, 'web-0'), { clock: env.clock, what: 'web-0' });
    const before = (await getPod(env.client, { namespace: NS, name: 'web-0' })) as KubeObject;
    await setPodState(
      env.client,
      { namespace: NS, name: 'web-0' },
      { state: { phase: 'Failed' }, clock: env.clock },
    );
    await eventually(
      async () => {
        const now = await getPod(env.client, { namespace: NS, name: 'web-0' });
        return now !== undefined && now.metadata.uid !== before.metadata.uid;
      },
      { clock: env.clock, what: 'a new web-0' },
    );
    const events = async (): Promise<string[]> =>
      (await env.client.list({ apiVersion: 'v1', plural: 'events', namespace: NS })).items.map(
        (e) => `${String(e['reason'])}: ${String(e['message'])}`,
      );
    await eventually(
      async () =>
        (await events()).includes(
          'RecreatingFailedPod: StatefulSet default/web is recreating failed Pod web-0',
        ),
      { clock: env.clock, what: 'RecreatingFailedPod event' },
    );
    assert.ok((await events()).includes('SuccessfulCreate: create Pod web-0 in StatefulSet web successful'));
  });

  it('scales down from the highest ordinal, one at a time, waiting for each to terminate', async (t) => {
    const env = await setup(t);
    await env.create(SETS, makeSet('web', { nodeName: 'node-1' }));
    await readyInOrder(env, ['web-0', 'web-1', 'web-2']);
    await patchSet(env, 'web', { spec: { replicas: 1 } });
    const terminating = async (name: string): Promise<boolean> =>
      (await getPod(env.client, { namespace: NS, name }))?.metadata.deletionTimestamp !== undefined;
    await eventually(() => terminating('web-2'), { clock: env.clock, what: 'web-2 terminating first' });
    await env.clock.advance(5_000);
    assert.equal(await terminating('web-1'), false, 'web-1 waits until web-2 is gone');
    await finishDeletion(env.client, { namespace: NS, name: 'web-2' });
    await eventually(() => terminating('web-1'), { clock: env.clock, what: 'then web-1' });
    await finishDeletion(env.client, { namespace: NS, name: 'web-1' });
    await eventually(async () => (await status(env, 'web'))['replicas'] === 1, {
      clock: env.clock,
      what: 'status.replicas 1',
    });
    assert.equal(await exists(env, 'web-0'), true);
  });

  it('rolls an update from the highest ordinal down to the partition, then finishes it', async (t) => {
    const env = await setup(t);
    await env.create(SETS, makeSet('web'));
    await readyInOrder(env, ['web-0', 'web-1', 'web-2']);
    await eventually(async () => (await status(env, 'web'))['readyReplicas'] === 3, { clock: env.clock });
    const v1 = String((await status(env, 'web'))['currentRevision']);
    await patchSet(env, 'web', {
      spec: {
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
        template: { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } },
      },
    });
    await eventually(async () => ((await podRevision(env, 'web-2')) ?? v1) !== v1, {
      clock: env.clock,
      what: 'web-2 recreated at the update revision',
    });
    const v2 = String(await podRevision(env, 'web-2'));
    await readyPod(env, 'web-2');
    await eventually(
      async () => {
        const s = await status(env, 'web');
        return s['updatedReplicas'] === 1 && s['currentReplicas'] === 2 && s['updateRevision'] === v2;
      },
      { clock: env.clock, what: 'one updated, two current' },
    );
    await env.clock.advance(5_000);
    assert.equal(await podRevision(env, 'web-1'), v1, 'below the partition stays at the current revision');
    assert.equal(await podRevision(env, 'web-0'), v1);

    await patchSet(env, 'web', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await eventually(async () => (await podRevision(env, 'web-1')) === v2, {
      clock: env.clock,
      what: 'web-1 next',
    });
    assert.equal(await podRevision(env, 'web-0'), v1, 'web-0 waits for web-1 to be ready');
    await readyPod(env, 'web-1');
    await eventually(async () => (await podRevision(env, 'web-0')) === v2, {
      clock: env.clock,
      what: 'web-0 last',
    });
    await readyPod(env, 'web-0');
    await eventually(
      async () => {
        const s = await status(env, 'web');
        return s['currentRevision'] === v2 && s['currentReplicas'] === 3 && s['updatedReplicas'] === 3;
      },
      { clock: env.clock, what: 'the update revision becomes current' },
    );
  });

  it('rolls back (as kubectl rollout undo patches) by reusing the earlier revision, renumbered', async (t) => {
    const env = await setup(t);
    await env.create(SETS, makeSet('web', { replicas: 1 }));
    await readyPod(env, 'web-0');
    await eventually(async () => (await status(env, 'web'))['readyReplicas'] === 1, { clock: env.clock });
    const v1 = String((await status(env, 'web'))['currentRevision']);
    await patchSet(env, 'web', {
      spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } },
    });
    await eventually(async () => ((await podRevision(env, 'web-0')) ?? v1) !== v1, { clock: env.clock });
    await readyPod(env, 'web-0');
    // `kubectl rollout undo` applies the old revision's data as a strategic merge patch.
    const old = await env.client.get(REVISIONS, v1);
    await env.client.patch(SETS, 'web', { body: old['data'], options: { type: 'strategic' } });
    await eventually(async () => (await status(env, 'web'))['updateRevision'] === v1, {
      clock: env.clock,
      what: 'update revision back to the first one',
    });
    const revisions = (await env.client.list(REVISIONS)).items;
    assert.equal(revisions.length, 2, 'no third revision');
    const first = revisions.find((r) => r.metadata.name === v1);
    assert.equal(first?.['revision'], 3, 'the reused revision is renumbered as the newest');
    assert.equal(first?.metadata.labels?.['app'], 'web');
    assert.ok(first?.metadata.labels?.['controller.kubernetes.io/hash']);
    await eventually(async () => (await podRevision(env, 'web-0')) === v1, {
      clock: env.clock,
      what: 'pod rolled back',
    });
  });

  it('keeps revisionHistoryLimit unused revisions', async (t) => {
    const env = await setup(t);
    await env.create(SETS, makeSet('web', { replicas: 1, historyLimit: 1, parallel: true }));
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      await patchSet(env, 'web', { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } });
      await eventually(
        async () => {
          const pod = await getPod(env.client, { namespace: NS, name: 'web-0' });
          const image0 = ((pod?.['spec'] as { containers?: { image?: string }[] } | undefined)?.containers ??
            [])[0]?.image;
          return image0 === image;
        },
        { clock: env.clock, what: `pod at ${image}` },
      );
      await readyPod(env, 'web-0');
    }
    await eventually(async () => (await env.client.list(REVISIONS)).items.length === 2, {
      clock: env.clock,
      what: 'one live and one historic revision',
    });
  });

  it('creates the claims of volumeClaimTemplates before the pod and hands them to scaled-down pods', async (t) => {
    const env = await setup(t);
    const set = await env.create(
      SETS,
      makeSet('web', { replicas: 2, claims: true, whenScaled: 'Delete', parallel: true }),
    );
    await eventually(async () => (await exists(env, 'web-0')) && (await exists(env, 'web-1')), {
      clock: env.clock,
    });
    const claim = await env.client.get(CLAIMS, 'www-web-0');
    assert.deepEqual(claim.metadata.labels, { app: 'web' });
    assert.equal(claim.metadata.ownerReferences, undefined, 'in-range claims are retained');
    assert.deepEqual((claim['spec'] as Record<string, unknown>)['accessModes'], ['ReadWriteOnce']);
    const pod = (await getPod(env.client, { namespace: NS, name: 'web-0' })) as KubeObject;
    const volumes = (pod['spec'] as { volumes?: unknown[] }).volumes;
    assert.deepEqual(volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }]);
    assert.ok(set.metadata.uid);

    await readyInOrder(env, ['web-0', 'web-1']);
    const web1 = (await getPod(env.client, { namespace: NS, name: 'web-1' })) as KubeObject;
    await patchSet(env, 'web', { spec: { replicas: 1 } });
    await eventually(
      async () => {
        const refs = (await env.client.get(CLAIMS, 'www-web-1')).metadata.ownerReferences ?? [];
        return refs.some((r) => r.kind === 'Pod' && r.uid === web1.metadata.uid);
      },
      { clock: env.clock, what: 'the scaled-down pod owns its claim' },
    );
    await eventually(async () => !(await exists(env, 'web-1')), { clock: env.clock, what: 'web-1 deleted' });
  });
});
