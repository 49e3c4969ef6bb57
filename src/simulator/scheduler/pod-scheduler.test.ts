import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../base/testing/eventually.js';
import type { KubeObject } from '../../api/meta.js';
import { makeNode, makePod } from '../testing/fixtures.js';
import { newMemberEnv } from '../testing/member-env.js';
import type { MemberEnv } from '../testing/member-env.js';
import type { PodCondition } from './pod-condition.js';
import { PodScheduler } from './pod-scheduler.js';

const PODS = { apiVersion: 'v1', plural: 'pods', namespace: 'default' };
const NODES = { apiVersion: 'v1', plural: 'nodes' };
const EVENTS = { apiVersion: 'v1', plural: 'events', namespace: 'default' };
const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-7d9', uid: 'rs-uid' } };

interface Event extends KubeObject {
  reason: string;
  message: string;
  type: string;
  count: number;
  source: { component: string };
  involvedObject: { name: string };
}

/** A member env with a running scheduler (deterministic tie-breaks). */
async function setup(t: TestContext): Promise<MemberEnv & { scheduler: PodScheduler }> {
  const env = await newMemberEnv(t);
  let seed = 7;
  const scheduler = new PodScheduler({
    client: env.client,
    informers: env.informers,
    clock: env.clock,
    log: env.log,
    recorder: env.recorder('default-scheduler'),
    random: () => ((seed = (seed * 48271) % 2147483647) - 1) / 2147483646,
  });
  env.run(scheduler);
  return { ...env, scheduler };
}

/** Registers a node as a kubelet does: the object, then its status (create drops the status). */
async function addNode(env: MemberEnv, node: KubeObject): Promise<KubeObject> {
  const created = await env.create(NODES, node);
  return env.client.updateStatus(NODES, { ...created, status: node['status'] });
}

async function nodeOf(env: MemberEnv, name: string): Promise<string | undefined> {
  const pod = await env.client.get(PODS, name);
  return (pod['spec'] as { nodeName?: string }).nodeName;
}

async function scheduledCondition(env: MemberEnv, name: string): Promise<PodCondition | undefined> {
  const pod = await env.client.get(PODS, name);
  const conditions = (pod['status'] as { conditions?: PodCondition[] } | undefined)?.conditions ?? [];
  return conditions.find((c) => c.type === 'PodScheduled');
}

async function eventsOf(env: MemberEnv, name: string, reason: string): Promise<Event[]> {
  const list = await env.client.list<Event>(EVENTS);
  return list.items.filter((e) => e.involvedObject.name === name && e.reason === reason);
}

async function untilBound(env: MemberEnv, names: string[]): Promise<Map<string, string>> {
  const placed = new Map<string, string>();
  await eventually(
    async () => {
      for (const name of names) {
        const node = await nodeOf(env, name);
        if (node) placed.set(name, node);
      }
      return placed.size === names.length;
    },
    { clock: env.clock, what: `pods ${names.join(', ')} bound` },
  );
  return placed;
}

async function untilUnschedulable(env: MemberEnv, name: string): Promise<PodCondition> {
  let found: PodCondition | undefined;
  await eventually(
    async () => {
      found = await scheduledCondition(env, name);
      return found?.status === 'False';
    },
    { clock: env.clock, what: `${name} marked unschedulable` },
  );
  assert.ok(found);
  return found;
}

const bound = (name: string, node: string, cpu: string): KubeObject =>
  makePod(name).requests({ cpu }).spec({ nodeName: node }).obj();

describe('PodScheduler', () => {
  it('binds a pod to a node that fits and records Scheduled', async (t) => {
    const env = await setup(t);
    await addNode(env, makeNode('small').cpu('1').obj());
    await addNode(env, makeNode('large').cpu('8').obj());
    await env.create(PODS, makePod('web-1').requests({ cpu: '2', memory: '1Gi' }).obj());
    const placed = await untilBound(env, ['web-1']);
    assert.equal(placed.get('web-1'), 'large');
    const condition = await scheduledCondition(env, 'web-1');
    assert.equal(condition?.status, 'True');
    await eventually(async () => (await eventsOf(env, 'web-1', 'Scheduled')).length === 1, { what: 'event' });
    const [event] = await eventsOf(env, 'web-1', 'Scheduled');
    assert.equal(event?.type, 'Normal');
    assert.equal(event?.message, 'Successfully assigned default/web-1 to large');
    assert.equal(event?.source.component, 'default-scheduler');
  });

  it('spreads the 3 replicas of a ReplicaSet over 3 nodes', async (t) => {
    const env = await setup(t);
    for (const n of ['n1', 'n2', 'n3']) await addNode(env, makeNode(n).obj());
    const names = ['web-a', 'web-b', 'web-c'];
    await Promise.all(
      names.map((n) => env.create(PODS, makePod(n).ownedBy(RS).requests({ cpu: '100m' }).obj())),
    );
    const placed = await untilBound(env, names);
    assert.deepEqual([...new Set(placed.values())].sort(), ['n1', 'n2', 'n3']);
  });

  it('explains an unschedulable pod as kube does, then places it on a new node', async (t) => {
    const env = await setup(t);
    const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const };
    await addNode(env, makeNode('n1').cpu('1').taint(unreachable).obj());
    await addNode(env, makeNode('n2').cpu('1').obj());
    await addNode(env, makeNode('n3').cpu('1').obj());
    await env.create(PODS, bound('busy-2', 'n2', '800m'));
    await env.create(PODS, bound('busy-3', 'n3', '800m'));
    await env.create(PODS, makePod('web-xyz').requests({ cpu: '500m' }).obj());

    const message =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, ' +
      '2 No preemption victims found for incoming pod.';
    const condition = await untilUnschedulable(env, 'web-xyz');
    // The scheduler sends `lastProbeTime: null`; this API server drops nulls, as kube's clients read it.
    const { lastProbeTime, lastTransitionTime, ...rest } = condition;
    assert.equal(lastProbeTime ?? null, null);
    assert.match(lastTransitionTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(rest, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message });
    await eventually(async () => (await eventsOf(env, 'web-xyz', 'FailedScheduling')).length > 0, {
      what: 'event',
    });
    const [event] = await eventsOf(env, 'web-xyz', 'FailedScheduling');
    assert.equal(event?.type, 'Warning');
    assert.equal(event?.message, message);
    assert.equal(event?.source.component, 'default-scheduler');

    await addNode(env, makeNode('n4').cpu('2').obj());
    const placed = await untilBound(env, ['web-xyz']);
    assert.equal(placed.get('web-xyz'), 'n4');
    assert.equal((await scheduledCondition(env, 'web-xyz'))?.status, 'True');
  });

  it('places a waiting pod once a deleted pod frees room', async (t) => {
    const env = await setup(t);
    await addNode(env, makeNode('n1').cpu('1').obj());
    await env.create(PODS, bound('old', 'n1', '700m'));
    await env.create(PODS, makePod('new').requests({ cpu: '500m' }).obj());
    await untilUnschedulable(env, 'new');
    await env.client.delete(PODS, 'old', { gracePeriodSeconds: 0 });
    const placed = await untilBound(env, ['new']);
    assert.equal(placed.get('new'), 'n1');
  });

  it('retries when a cordoned node is uncordoned', async (t) => {
    const env = await setup(t);
    const node = await addNode(env, makeNode('n1').unschedulable().obj());
    await env.create(PODS, makePod('p').obj());
    const condition = await untilUnschedulable(env, 'p');
    assert.match(condition.message ?? '', /^0\/1 nodes are available: 1 node\(s\) were unschedulable\. /);
    await env.client.update(NODES, { ...node, spec: {} });
    await untilBound(env, ['p']);
  });

  it('does not rewrite an unchanged condition on retries', async (t) => {
    const env = await setup(t);
    await addNode(env, makeNode('n1').cpu('1').obj());
    await env.create(PODS, makePod('huge').requests({ cpu: '4' }).obj());
    await untilUnschedulable(env, 'huge');
    const before = await env.client.get(PODS, 'huge');
    // Retries: the flush every 30 s moves it after 60 s unschedulable; a node heartbeat must not.
    const nodeObj = await env.client.get(NODES, 'n1');
    await env.client.update(NODES, {
      ...nodeObj,
      metadata: { ...nodeObj.metadata, annotations: { beat: '1' } },
    });
    await eventually(async () => ((await eventsOf(env, 'huge', 'FailedScheduling'))[0]?.count ?? 0) >= 2, {
      clock: env.clock,
      stepMs: 5000,
      what: 'a second attempt',
    });
    const after = await env.client.get(PODS, 'huge');
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it('never overcommits a node when many pods arrive at once', async (t) => {
    const env = await setup(t);
    await addNode(env, makeNode('n1').cpu('1').obj());
    await addNode(env, makeNode('n2').cpu('1').obj());
    const names = Array.from({ length: 7 }, (_, i) => `burst-${i}`);
    await Promise.all(names.map((n) => env.create(PODS, makePod(n).requests({ cpu: '400m' }).obj())));
    await eventually(
      async () => {
        const pods = (await env.client.list(PODS)).items;
        const placed = pods.filter((p) => (p['spec'] as { nodeName?: string }).nodeName);
        const waiting = pods.filter((p) =>
          ((p['status'] as { conditions?: PodCondition[] } | undefined)?.conditions ?? []).some(
            (c) => c.type === 'PodScheduled' && c.status === 'False',
          ),
        );
        return placed.length === 4 && waiting.length === 3;
      },
      { clock: env.clock, what: '4 pods bound and 3 unschedulable' },
    );
    const perNode = new Map<string, number>();
    for (const name of names) {
      const node = await nodeOf(env, name);
      if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(perNode), { n1: 2, n2: 2 });
    for (const name of names) {
      if ((await nodeOf(env, name)) === undefined)
        assert.equal(
          (await scheduledCondition(env, name))?.message,
          '0/2 nodes are available: 2 Insufficient cpu. ' +
            'preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
        );
    }
  });

  it('pins pods by matchFields and nodeSelector, and tolerates what they tolerate', async (t) => {
    const env = await setup(t);
    await addNode(env, makeNode('n1').obj());
    await addNode(env, makeNode('n2').labels({ disk: 'ssd' }).obj());
    await addNode(env, makeNode('n3').taint({ key: 'gpu', effect: 'NoSchedule' }).obj());
    const pinnedTo = (node: string): Record<string, unknown> => ({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
          },
        },
      },
      tolerations: [{ operator: 'Exists' }],
    });
    await env.create(PODS, makePod('ds-n1').spec(pinnedTo('n1')).obj());
    await env.create(PODS, makePod('ds-n3').spec(pinnedTo('n3')).obj());
    await env.create(
      PODS,
      makePod('ssd')
        .spec({ nodeSelector: { disk: 'ssd' } })
        .obj(),
    );
    const placed = await untilBound(env, ['ds-n1', 'ds-n3', 'ssd']);
    assert.deepEqual(Object.fromEntries(placed), { 'ds-n1': 'n1', 'ds-n3': 'n3', ssd: 'n2' });
  });

  it('leaves alone pods for other schedulers and gated pods', async (t) => {
    const env = await setup(t);
    await addNode(env, makeNode('n1').obj());
    await env.create(PODS, makePod('theirs').spec({ schedulerName: 'other-scheduler' }).obj());
    await env.create(
      PODS,
      makePod('gated')
        .spec({ schedulingGates: [{ name: 'wait' }] })
        .obj(),
    );
    await env.create(PODS, makePod('mine').obj());
    await untilBound(env, ['mine']);
    await env.clock.advance(5000);
    assert.equal(await nodeOf(env, 'theirs'), undefined);
    assert.equal(await nodeOf(env, 'gated'), undefined);
    assert.equal((await eventsOf(env, 'theirs', 'FailedScheduling')).length, 0);
    assert.deepEqual(env.scheduler.queueCounts(), { active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  });
});
