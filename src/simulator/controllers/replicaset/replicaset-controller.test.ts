import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../../base/testing/eventually.js';
import { forbidden } from '../../../api/status.js';
import type { AdmissionPlugin } from '../../../apiserver/admission.js';
import { ApiClient } from '../../../client/api-client.js';
import { localTransport } from '../../../client/local-transport.js';
import { SharedInformers } from '../../../client/shared-informers.js';
import { makePod } from '../../testing/fixtures.js';
import { newMemberEnv } from '../../testing/member-env.js';
import type { MemberEnv } from '../../testing/member-env.js';
import { FakeKubelet } from '../workload-common/testing/fake-kubelet.js';
import {
  WatchGate,
  activePods,
  eventsFor,
  listPods,
  makeReplicaSet,
  readyPods,
} from '../workload-common/testing/workload-env.js';
import type { ReplicaSet } from '../workload-common/types.js';
import { PODS, REPLICASETS } from '../workload-common/types.js';
import { ReplicaSetController } from './replicaset-controller.js';

const RS = { ...REPLICASETS, namespace: 'default' };
const NS_PODS = { ...PODS, namespace: 'default' };

interface Setup {
  env: MemberEnv;
  kubelet: FakeKubelet;
}

async function setup(t: TestContext, admission?: readonly AdmissionPlugin[]): Promise<Setup> {
  const env = await newMemberEnv(t, admission ? { admission } : {});
  const controller = new ReplicaSetController({
    client: env.client,
    informers: env.informers,
    clock: env.clock,
    log: env.log,
    recorder: env.recorder('replicaset-controller'),
  });
  const kubelet = new FakeKubelet({
    client: env.client,
    informers: env.informers,
    clock: env.clock,
    log: env.log,
  });
  env.run(controller);
  env.run(kubelet);
  return { env, kubelet };
}

async function getRS(env: MemberEnv, name: string): Promise<ReplicaSet> {
  return env.client.get<ReplicaSet>(RS, name);
}

async function untilStatus(
  env: MemberEnv,
  name: string,
  want: { replicas: number; ready: number; available?: number },
): Promise<ReplicaSet> {
  let rs: ReplicaSet | undefined;
  await eventually(
    async () => {
      rs = await getRS(env, name);
      const s = rs.status;
      return (
        s?.replicas === want.replicas &&
        (s.readyReplicas ?? 0) === want.ready &&
        (s.availableReplicas ?? 0) === (want.available ?? want.ready) &&
        s.observedGeneration === rs.metadata.generation
      );
    },
    { clock: env.clock, what: `${name} status ${JSON.stringify(want)}` },
  );
  assert.ok(rs);
  return rs;
}

describe('ReplicaSetController', () => {
  it('creates pods from the template, owned by the ReplicaSet, and reports status', async (t) => {
    const { env } = await setup(t);
    const rs = await env.create(RS, makeReplicaSet('web', { replicas: 3 }));
    const status = await untilStatus(env, 'web', { replicas: 3, ready: 3 });
    assert.deepEqual(status.status, {
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
    const pods = await listPods(env.client);
    assert.equal(pods.length, 3);
    for (const pod of pods) {
      assert.match(pod.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.equal(pod.metadata.generateName, 'web-');
      assert.deepEqual(pod.metadata.labels, { app: 'web' });
      assert.deepEqual(pod.metadata.ownerReferences, [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    const names = new Set(pods.map((p) => `SuccessfulCreate: Created pod: ${p.metadata.name ?? ''}`));
    await eventually(
      async () => (await eventsFor(env.client, 'web')).filter((e) => names.has(e)).length === 3,
      {
        what: 'one SuccessfulCreate event per pod',
      },
    );
  });

  it('scales up and down, deleting pods that are not ready before ready ones', async (t) => {
    const { env, kubelet } = await setup(t);
    await env.create(RS, makeReplicaSet('web', { replicas: 2 }));
    await untilStatus(env, 'web', { replicas: 2, ready: 2 });
    const running = new Set((await listPods(env.client)).map((p) => p.metadata.name));

    // New pods stay unscheduled and Pending: they are the ones a scale-down removes first.
    kubelet.holdNewPods = true;
    await env.client.patch(RS, 'web', { body: { spec: { replicas: 5 } }, options: { type: 'merge' } });
    await untilStatus(env, 'web', { replicas: 5, ready: 2 });
    await env.client.patch(RS, 'web', { body: { spec: { replicas: 3 } }, options: { type: 'merge' } });
    await untilStatus(env, 'web', { replicas: 3, ready: 2 });
    const left = await listPods(env.client);
    assert.equal(left.length, 3, 'unscheduled pods are deleted at once');
    for (const name of running)
      assert.ok(
        left.some((p) => p.metadata.name === name),
        `running pod ${name ?? ''} kept`,
      );
    kubelet.releaseNewPods();
    await untilStatus(env, 'web', { replicas: 3, ready: 3 });

    await env.client.patch(RS, 'web', { body: { spec: { replicas: 0 } }, options: { type: 'merge' } });
    await untilStatus(env, 'web', { replicas: 0, ready: 0 });
    await eventually(async () => (await listPods(env.client)).length === 0, {
      clock: env.clock,
      what: 'all pods gone',
    });
    await eventually(
      async () => {
        const events = await eventsFor(env.client, 'web');
        return (
          events.filter((e) => e.startsWith('SuccessfulCreate: Created pod: ')).length === 5 &&
          events.filter((e) => e.startsWith('SuccessfulDelete: Deleted pod: ')).length === 5
        );
      },
      { what: 'five SuccessfulCreate and five SuccessfulDelete events' },
    );
  });

  it('adopts a matching orphan and releases a pod whose labels stop matching', async (t) => {
    const { env } = await setup(t);
    const orphan = await env.create(NS_PODS, makePod('stray').labels({ app: 'web' }).obj());
    const rs = await env.create(RS, makeReplicaSet('web', { replicas: 2 }));
    await untilStatus(env, 'web', { replicas: 2, ready: 2 });
    const adopted = await env.client.get(NS_PODS, 'stray');
    assert.equal(adopted.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid);
    assert.equal(adopted.metadata.uid, orphan.metadata.uid);
    assert.equal((await listPods(env.client)).length, 2, 'the orphan counts: only one pod was created');

    await env.client.patch(NS_PODS, 'stray', {
      body: { metadata: { labels: { app: 'debug' } } },
      options: { type: 'merge' },
    });
    await eventually(
      async () => ((await env.client.get(NS_PODS, 'stray')).metadata.ownerReferences ?? []).length === 0,
      { clock: env.clock, what: 'the relabelled pod released' },
    );
    await untilStatus(env, 'web', { replicas: 2, ready: 2 });
    assert.equal((await listPods(env.client)).length, 3, 'a replacement was created for the released pod');
  });

  it('replaces a Terminating pod at once instead of waiting for it to go', async (t) => {
    const { env, kubelet } = await setup(t);
    await env.create(RS, makeReplicaSet('web', { replicas: 3 }));
    await untilStatus(env, 'web', { replicas: 3, ready: 3 });
    kubelet.holdTerminating = true;
    const victim = (await listPods(env.client))[0]?.metadata.name ?? '';
    await env.client.delete(NS_PODS, victim);
    // The status still says 3 and 3 until the controller has seen the deletion: wait for the pod.
    await eventually(async () => (await listPods(env.client)).length === 4, {
      clock: env.clock,
      what: 'a replacement created',
    });
    await untilStatus(env, 'web', { replicas: 3, ready: 3 });
    const pods = await listPods(env.client);
    assert.equal(pods.length, 4);
    assert.equal(activePods(pods).length, 3);
    assert.ok(
      pods.find((p) => p.metadata.name === victim)?.metadata.deletionTimestamp,
      'the victim is still Terminating',
    );
    kubelet.releaseTerminating();
    await eventually(async () => (await listPods(env.client)).length === 3, {
      clock: env.clock,
      what: 'victim gone',
    });
  });

  it('creates each pod once even when its pod cache lags behind its own creates', async (t) => {
    const env = await newMemberEnv(t);
    const gate = new WatchGate();
    const laggingClient = new ApiClient(gate.wrap(localTransport(env.server), 'pods'));
    const informers = new SharedInformers({ client: laggingClient, clock: env.clock, log: env.log });
    const controller = new ReplicaSetController({
      client: env.client,
      informers,
      clock: env.clock,
      log: env.log,
      recorder: env.recorder('replicaset-controller'),
    });
    env.run({ start: (signal) => informers.start(signal) });
    env.run(controller);
    await informers.waitForSync(env.signal);
    gate.held = true;
    await env.create(RS, makeReplicaSet('web', { replicas: 5 }));
    await eventually(async () => (await listPods(env.client)).length === 5, {
      clock: env.clock,
      what: 'five pods created',
    });
    // Every RS event triggers a sync; none of them may create again while the pods are unseen.
    for (let i = 0; i < 5; i++) {
      await env.client.patch(RS, 'web', {
        body: { metadata: { annotations: { poke: String(i) } } },
        options: { type: 'merge' },
      });
      await env.clock.advance(1000);
      await new Promise((r) => setImmediate(r));
    }
    await eventually(async () => (await getRS(env, 'web')).metadata.annotations?.['poke'] === '4', {
      clock: env.clock,
    });
    assert.equal((await listPods(env.client)).length, 5, 'no duplicate creates while the cache lags');
    gate.release();
    await untilStatus(env, 'web', { replicas: 5, ready: 0 });
    assert.equal((await listPods(env.client)).length, 5);
  });

  it('reports ReplicaFailure while creates are refused and clears it once they succeed', async (t) => {
    let refuse = true;
    const quota: AdmissionPlugin = {
      name: 'quota',
      handles: (info) => info.kind === 'Pod',
      admit: (a) => {
        if (refuse && a.operation === 'CREATE')
          throw forbidden(
            `pods "${a.object.metadata.name ?? ''}" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=0, limited: pods=0`,
          );
      },
    };
    const { env } = await setup(t, [quota]);
    await env.create(RS, makeReplicaSet('web', { replicas: 2 }));
    let failing: ReplicaSet | undefined;
    await eventually(
      async () => {
        failing = await getRS(env, 'web');
        return (failing.status?.conditions ?? []).length > 0;
      },
      { clock: env.clock, what: 'a ReplicaFailure condition' },
    );
    const cond = failing?.status?.conditions?.[0];
    assert.equal(cond?.type, 'ReplicaFailure');
    assert.equal(cond?.status, 'True');
    assert.equal(cond?.reason, 'FailedCreate');
    assert.match(cond?.message ?? '', /exceeded quota/);
    assert.ok(cond?.lastTransitionTime);
    await eventually(
      async () =>
        (await eventsFor(env.client, 'web')).some((e) =>
          /^FailedCreate: Error creating: .*exceeded quota/.test(e),
        ),
      {
        what: 'a FailedCreate event',
      },
    );
    refuse = false;
    const healed = await untilStatus(env, 'web', { replicas: 2, ready: 2 });
    assert.equal(healed.status?.conditions, undefined);
  });

  it('counts a ready pod as available only after minReadySeconds', async (t) => {
    const { env } = await setup(t);
    await env.create(RS, makeReplicaSet('web', { replicas: 2, minReadySeconds: 30 }));
    await untilStatus(env, 'web', { replicas: 2, ready: 2, available: 0 });
    assert.equal(readyPods(await listPods(env.client)).length, 2);
    await eventually(async () => ((await getRS(env, 'web')).status?.availableReplicas ?? 0) === 2, {
      clock: env.clock,
      stepMs: 2000,
      what: 'pods available after 30s',
    });
  });
});
