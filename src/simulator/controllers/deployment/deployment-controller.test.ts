import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../../base/testing/eventually.js';
import {
  activePods,
  eventsFor,
  listPods,
  makeDeployment,
  readyPods,
} from '../workload-common/testing/workload-env.js';
import type { ReplicaSet } from '../workload-common/types.js';
import { specReplicas } from '../workload-common/types.js';
import {
  NS_DEPLOYMENTS,
  getDeployment,
  replicaSetsOf,
  revision,
  setImage,
  startDeploymentEnv,
  untilComplete,
} from './testing/deployment-env.js';
import { cloneJson } from '../../../base/json-clone.js';

const HASH = /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/;

describe('DeploymentController', () => {
  it('creates <name>-<hash> and reports NewReplicaSetAvailable with kube status and events', async (t) => {
    const { env } = await startDeploymentEnv(t);
    const created = await env.create(NS_DEPLOYMENTS, makeDeployment('web', { replicas: 3 }));
    const d = await untilComplete(env, 'web');
    const [rs, ...more] = await replicaSetsOf(env, d);
    assert.ok(rs);
    assert.equal(more.length, 0);
    const hash = rs.metadata.labels?.['pod-template-hash'] ?? '';
    assert.match(hash, HASH);
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.deepEqual(rs.spec.template.metadata?.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: created.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '4');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    for (const pod of await listPods(env.client))
      assert.equal(pod.metadata.labels?.['pod-template-hash'], hash);

    const { conditions, ...counts } = d.status ?? {};
    assert.deepEqual(counts, {
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    assert.deepEqual(
      conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
        [
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `ReplicaSet "web-${hash}" has successfully progressed.`,
        ],
      ],
    );
    for (const c of conditions ?? [])
      assert.ok(c.lastUpdateTime !== undefined && c.lastTransitionTime !== undefined);
    await eventually(
      async () =>
        (await eventsFor(env.client, 'web')).includes(
          `ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`,
        ),
      {
        what: 'the ScalingReplicaSet event',
      },
    );
  });

  it('scales the only ReplicaSet when the Deployment is scaled', async (t) => {
    const { env } = await startDeploymentEnv(t);
    await env.create(NS_DEPLOYMENTS, makeDeployment('web', { replicas: 2 }));
    const d = await untilComplete(env, 'web');
    await env.client.patch(NS_DEPLOYMENTS, 'web', {
      body: { spec: { replicas: 5 } },
      options: { type: 'merge' },
    });
    await untilComplete(env, 'web');
    const [rs] = await replicaSetsOf(env, d);
    assert.equal(rs?.spec.replicas, 5);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '5');
    assert.equal(readyPods(await listPods(env.client)).length, 5);
    await eventually(
      async () =>
        (await eventsFor(env.client, 'web')).includes(
          `ScalingReplicaSet: Scaled up replica set ${rs.metadata.name ?? ''} to 5 from 2`,
        ),
      {
        what: 'the scale-up event',
      },
    );
  });

  it('rolls out a new image within maxSurge and maxUnavailable at every step', async (t) => {
    const { env } = await startDeploymentEnv(t, { readyAfterMs: 2000 });
    await env.create(
      NS_DEPLOYMENTS,
      makeDeployment('web', {
        replicas: 4,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
      }),
    );
    const d1 = await untilComplete(env, 'web');
    await setImage(env, 'web', 'nginx:1.26');
    let steps = 0;
    let d = d1;
    await eventually(
      async () => {
        const pods = await listPods(env.client);
        const rss = await replicaSetsOf(env, d1);
        steps++;
        assert.ok(
          activePods(pods).length <= 5,
          `at most replicas + maxSurge pods: ${activePods(pods).length}`,
        );
        assert.ok(
          readyPods(pods).length >= 3,
          `at least replicas - maxUnavailable ready: ${readyPods(pods).length}`,
        );
        assert.ok(rss.reduce((n, rs) => n + specReplicas(rs), 0) <= 5, 'ReplicaSet sizes within the surge');
        d = await getDeployment(env, 'web');
        const s = d.status ?? {};
        return (
          (s.observedGeneration ?? 0) === d.metadata.generation &&
          s.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable' &&
          s.updatedReplicas === 4 &&
          s.replicas === 4
        );
      },
      { clock: env.clock, stepMs: 250, what: 'the rolling update' },
    );
    assert.ok(steps > 10, `the rollout took several observed steps: ${steps}`);
    const [old, current] = await replicaSetsOf(env, d);
    assert.equal(old?.spec.replicas, 0);
    assert.equal(revision(old), 1);
    assert.equal(current?.spec.replicas, 4);
    assert.equal(revision(current), 2);
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    const events = await eventsFor(env.client, 'web');
    assert.ok(
      events.includes(`ScalingReplicaSet: Scaled up replica set ${current.metadata.name ?? ''} from 0 to 1`),
      events.join('\n'),
    );
    assert.ok(
      events.includes(`ScalingReplicaSet: Scaled down replica set ${old.metadata.name ?? ''} to 0 from 1`),
      events.join('\n'),
    );
  });

  it('rolls back by template: the old ReplicaSet becomes new with the next revision', async (t) => {
    const { env } = await startDeploymentEnv(t);
    await env.create(NS_DEPLOYMENTS, makeDeployment('web', { replicas: 2 }));
    await untilComplete(env, 'web');
    await setImage(env, 'web', 'nginx:1.26');
    const d2 = await untilComplete(env, 'web');
    const [first] = await replicaSetsOf(env, d2);
    assert.ok(first);
    // What `kubectl rollout undo` sends: the old ReplicaSet's template without the hash label.
    const template = cloneJson(first.spec.template);
    delete template.metadata?.labels?.['pod-template-hash'];
    await env.client.patch(NS_DEPLOYMENTS, 'web', {
      body: { spec: { template } },
      options: { type: 'merge' },
    });
    const d3 = await untilComplete(env, 'web');
    const rss = await replicaSetsOf(env, d3);
    assert.equal(rss.length, 2, 'no new ReplicaSet was created');
    const back = rss.find((rs) => rs.metadata.uid === first.metadata.uid);
    assert.equal(back?.spec.replicas, 2);
    assert.equal(back?.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(back?.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(d3.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(rss.find((rs) => rs.metadata.uid !== first.metadata.uid)?.spec.replicas, 0);
  });

  it('spreads a scale event over the ReplicaSets of a stuck rollout in proportion', async (t) => {
    const { env } = await startDeploymentEnv(t);
    await env.create(
      NS_DEPLOYMENTS,
      makeDeployment('web', {
        replicas: 10,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } },
      }),
    );
    const d = await untilComplete(env, 'web');
    await setImage(env, 'web', 'flotilla/never-ready:1');
    let rss: ReplicaSet[] = [];
    await eventually(
      async () => {
        rss = await replicaSetsOf(env, d);
        return rss.length === 2 && rss[0]?.spec.replicas === 8 && rss[1]?.spec.replicas === 5;
      },
      { clock: env.clock, what: 'the rollout stuck at 8 old + 5 new' },
    );
    await env.client.patch(NS_DEPLOYMENTS, 'web', {
      body: { spec: { replicas: 20 } },
      options: { type: 'merge' },
    });
    await eventually(
      async () => {
        rss = await replicaSetsOf(env, d);
        return rss[0]?.spec.replicas === 14 && rss[1]?.spec.replicas === 9;
      },
      { clock: env.clock, what: 'old 8→14 and new 5→9 (23 = 20 + maxSurge)' },
    );
    const [old, cur] = rss;
    const events = await eventsFor(env.client, 'web');
    assert.ok(
      events.includes(`ScalingReplicaSet: Scaled up replica set ${old?.metadata.name ?? ''} to 14 from 8`),
      events.join('\n'),
    );
    assert.ok(
      events.includes(`ScalingReplicaSet: Scaled up replica set ${cur?.metadata.name ?? ''} to 9 from 5`),
      events.join('\n'),
    );
  });
});
