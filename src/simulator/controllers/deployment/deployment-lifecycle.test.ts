import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../../base/testing/eventually.js';
import { listPods, makeDeployment } from '../workload-common/testing/workload-env.js';
import type { Deployment } from '../workload-common/types.js';
import {
  NS_DEPLOYMENTS,
  getDeployment,
  replicaSetsOf,
  setImage,
  startDeploymentEnv,
  untilComplete,
} from './testing/deployment-env.js';

function progressing(d: Deployment): { status?: string; reason?: string; message?: string } | undefined {
  return d.status?.conditions?.find((c) => c.type === 'Progressing');
}

describe('DeploymentController lifecycle', () => {
  it('Recreate: scales old pods away and waits until they are gone before starting new ones', async (t) => {
    const { env, kubelet } = await startDeploymentEnv(t);
    await env.create(NS_DEPLOYMENTS, makeDeployment('web', { replicas: 3, strategy: { type: 'Recreate' } }));
    const d = await untilComplete(env, 'web');
    const [oldRS] = await replicaSetsOf(env, d);
    const oldHash = oldRS?.metadata.labels?.['pod-template-hash'];
    kubelet.holdTerminating = true;
    await setImage(env, 'web', 'nginx:1.26');
    await eventually(
      async () => {
        const pods = await listPods(env.client);
        return pods.length === 3 && pods.every((p) => p.metadata.deletionTimestamp !== undefined);
      },
      { clock: env.clock, what: 'every old pod Terminating' },
    );
    // However long the old pods take to go, no new pod may start beside them.
    for (let i = 0; i < 20; i++) await env.clock.advance(500);
    const pods = await listPods(env.client);
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.metadata.labels?.['pod-template-hash'] === oldHash));
    kubelet.releaseTerminating();
    let sawOverlap = false;
    await eventually(
      async () => {
        const now = await listPods(env.client);
        const hashes = new Set(now.map((p) => p.metadata.labels?.['pod-template-hash']));
        if (hashes.size > 1) sawOverlap = true;
        const cur = await getDeployment(env, 'web');
        return (
          progressing(cur)?.reason === 'NewReplicaSetAvailable' &&
          cur.status?.observedGeneration === cur.metadata.generation &&
          cur.status?.availableReplicas === 3
        );
      },
      { clock: env.clock, what: 'the recreate rollout complete' },
    );
    assert.equal(sawOverlap, false, 'old and new pods never ran side by side');
    const rss = await replicaSetsOf(env, d);
    assert.deepEqual(
      rss.map((rs) => rs.spec.replicas),
      [0, 3],
    );
  });

  it('paused: template changes wait, scaling still works, resuming rolls out', async (t) => {
    const { env } = await startDeploymentEnv(t);
    await env.create(NS_DEPLOYMENTS, makeDeployment('web', { replicas: 2 }));
    const d = await untilComplete(env, 'web');
    await env.client.patch(NS_DEPLOYMENTS, 'web', {
      body: { spec: { paused: true } },
      options: { type: 'merge' },
    });
    await eventually(
      async () => progressing(await getDeployment(env, 'web'))?.reason === 'DeploymentPaused',
      {
        clock: env.clock,
        what: 'the paused condition',
      },
    );
    const paused = progressing(await getDeployment(env, 'web'));
    assert.deepEqual(
      { ...paused },
      { ...paused, status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' },
    );
    await setImage(env, 'web', 'nginx:1.26');
    await env.client.patch(NS_DEPLOYMENTS, 'web', {
      body: { spec: { replicas: 4 } },
      options: { type: 'merge' },
    });
    await eventually(
      async () => {
        const cur = await getDeployment(env, 'web');
        return (
          cur.status?.observedGeneration === cur.metadata.generation && cur.status?.availableReplicas === 4
        );
      },
      { clock: env.clock, what: 'the paused Deployment scaled to 4' },
    );
    const rss = await replicaSetsOf(env, d);
    assert.equal(rss.length, 1, 'no rollout while paused');
    assert.equal(rss[0]?.spec.replicas, 4);
    assert.equal(
      (await getDeployment(env, 'web')).status?.updatedReplicas,
      undefined,
      'the running pods are not updated',
    );

    await env.client.patch(NS_DEPLOYMENTS, 'web', {
      body: { spec: { paused: false } },
      options: { type: 'merge' },
    });
    const done = await untilComplete(env, 'web');
    const after = await replicaSetsOf(env, done);
    assert.deepEqual(
      after.map((rs) => rs.spec.replicas),
      [0, 4],
    );
    assert.equal(done.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async (t) => {
    const { env } = await startDeploymentEnv(t);
    await env.create(NS_DEPLOYMENTS, makeDeployment('web', { replicas: 1, revisionHistoryLimit: 1 }));
    let d = await untilComplete(env, 'web');
    for (const image of ['nginx:1.26', 'nginx:1.27', 'nginx:1.28']) {
      await setImage(env, 'web', image);
      d = await untilComplete(env, 'web');
    }
    await eventually(async () => (await replicaSetsOf(env, d)).length === 2, {
      clock: env.clock,
      what: 'history pruned to one old ReplicaSet',
    });
    const rss = await replicaSetsOf(env, d);
    assert.deepEqual(
      rss.map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs.spec.replicas]),
      [
        ['3', 0],
        ['4', 1],
      ],
    );
  });

  it('reports ProgressDeadlineExceeded when a rollout makes no progress for progressDeadlineSeconds', async (t) => {
    const { env } = await startDeploymentEnv(t);
    await env.create(NS_DEPLOYMENTS, makeDeployment('web', { replicas: 4, progressDeadlineSeconds: 30 }));
    const d = await untilComplete(env, 'web');
    await setImage(env, 'web', 'flotilla/never-ready:1');
    const start = env.clock.now();
    let newName = '';
    await eventually(
      async () => {
        const rss = await replicaSetsOf(env, d);
        newName = rss[1]?.metadata.name ?? '';
        return progressing(await getDeployment(env, 'web'))?.reason === 'ReplicaSetUpdated';
      },
      { clock: env.clock, what: 'the rollout started' },
    );
    await eventually(
      async () => progressing(await getDeployment(env, 'web'))?.reason === 'ProgressDeadlineExceeded',
      {
        clock: env.clock,
        stepMs: 1000,
        what: 'ProgressDeadlineExceeded',
      },
    );
    assert.ok(env.clock.now() - start >= 30_000, 'not before the deadline');
    const stuck = await getDeployment(env, 'web');
    const cond = progressing(stuck);
    assert.equal(cond?.status, 'False');
    assert.equal(cond?.message, `ReplicaSet "${newName}" has timed out progressing.`);
    const available = stuck.status?.conditions?.find((c) => c.type === 'Available');
    assert.equal(available?.status, 'True', 'the old pods keep the Deployment available');
    assert.equal(stuck.status?.availableReplicas, 3);
  });
});
