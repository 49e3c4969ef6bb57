import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/meta.js';
import { eventually } from '../../../base/testing/eventually.js';
import { makeNode } from '../../testing/fixtures.js';
import { newMemberEnv } from '../../testing/member-env.js';
import type { MemberEnv } from '../../testing/member-env.js';
import { setPodState } from '../revisions/testing/kubelet-double.js';
import { targetNodeOf } from './daemon-pods.js';
import { DAEMONSETS, DaemonSetController, NODES } from './daemonset-controller.js';
import { daemonSetTemplateGeneration } from './template-generation-admission.js';

const NS = 'default';
const SETS = { ...DAEMONSETS, namespace: NS };
const PODS = { apiVersion: 'v1', plural: 'pods', namespace: NS };
const EVENTS = { apiVersion: 'v1', plural: 'events', namespace: NS };

interface DsOptions {
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  image?: string;
  rollingUpdate?: Record<string, unknown>;
}

function makeDs(name: string, o: DsOptions = {}): KubeObject {
  const podSpec: Record<string, unknown> = { containers: [{ name: 'agent', image: o.image ?? 'agent:1' }] };
  if (o.nodeSelector) podSpec['nodeSelector'] = o.nodeSelector;
  if (o.tolerations) podSpec['tolerations'] = o.tolerations;
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: podSpec },
  };
  if (o.rollingUpdate) spec['updateStrategy'] = { type: 'RollingUpdate', rollingUpdate: o.rollingUpdate };
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: NS }, spec };
}

async function setup(t: TestContext, nodes: KubeObject[]): Promise<MemberEnv> {
  const env = await newMemberEnv(t, { admission: [daemonSetTemplateGeneration] });
  for (const node of nodes) await env.create(NODES, node);
  env.run(new DaemonSetController({ ...env, recorder: env.recorder('daemonset-controller') }));
  return env;
}

async function podsByNode(env: MemberEnv): Promise<Map<string, KubeObject[]>> {
  const out = new Map<string, KubeObject[]>();
  for (const pod of (await env.client.list(PODS)).items) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    const node = targetNodeOf(pod) ?? '';
    out.set(node, [...(out.get(node) ?? []), pod]);
  }
  return out;
}

async function nodesWithPods(env: MemberEnv): Promise<string[]> {
  return [...(await podsByNode(env)).keys()].sort();
}

async function readyAll(env: MemberEnv): Promise<void> {
  for (const pod of (await env.client.list(PODS)).items) {
    const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
    if (phase === 'Running') continue;
    await setPodState(
      env.client,
      { namespace: NS, name: pod.metadata.name ?? '' },
      { state: { phase: 'Running', ready: true }, clock: env.clock },
    );
  }
}

async function status(env: MemberEnv, name: string): Promise<Record<string, unknown>> {
  return ((await env.client.get(SETS, name))['status'] ?? {}) as Record<string, unknown>;
}

const until = (env: MemberEnv, check: () => Promise<boolean>, what: string): Promise<void> =>
  eventually(check, { clock: env.clock, what });

describe('DaemonSetController', () => {
  it('runs one pod on each node matching the selector whose taints it tolerates', async (t) => {
    const env = await setup(t, [
      makeNode('n1').labels({ role: 'web' }).obj(),
      makeNode('n2')
        .labels({ role: 'web' })
        .taint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' })
        .obj(),
      makeNode('n3').labels({ role: 'db' }).obj(),
      makeNode('n4')
        .labels({ role: 'web' })
        .notReady()
        .taint({ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' })
        .obj(),
    ]);
    const ds = await env.create(SETS, makeDs('agent', { nodeSelector: { role: 'web' } }));
    await until(env, async () => (await nodesWithPods(env)).join() === 'n1,n4', 'pods on n1 and n4');
    await until(
      env,
      async () =>
        (await status(env, 'agent'))['desiredNumberScheduled'] === 2 &&
        (await status(env, 'agent'))['currentNumberScheduled'] === 2,
      'status counts two',
    );
    const pod = (await podsByNode(env)).get('n1')?.[0] as KubeObject;
    const spec = pod['spec'] as Record<string, unknown>;
    assert.equal(pod.metadata.generateName, 'agent-');
    assert.equal(pod.metadata.labels?.['app'], 'agent');
    assert.equal(pod.metadata.labels?.['pod-template-generation'], '1');
    assert.match(pod.metadata.labels?.['controller-revision-hash'] ?? '', /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(pod.metadata.ownerReferences?.[0]?.uid, ds.metadata.uid);
    assert.deepEqual(spec['affinity'], {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
        },
      },
    });
    assert.deepEqual(
      (spec['tolerations'] as { key: string; effect: string }[]).map((x) => `${x.key}:${x.effect}`),
      [
        'node.kubernetes.io/not-ready:NoExecute',
        'node.kubernetes.io/unreachable:NoExecute',
        'node.kubernetes.io/disk-pressure:NoSchedule',
        'node.kubernetes.io/memory-pressure:NoSchedule',
        'node.kubernetes.io/pid-pressure:NoSchedule',
        'node.kubernetes.io/unschedulable:NoSchedule',
      ],
    );
    const s = await status(env, 'agent');
    assert.equal(s['numberMisscheduled'], 0);
    assert.equal(s['numberReady'], 0);
    assert.equal(s['numberUnavailable'], 2);
    assert.equal(s['observedGeneration'], 1);
  });

  it('runs on tainted nodes the template tolerates, and follows nodes coming, changing and going', async (t) => {
    const env = await setup(t, [
      makeNode('n1').obj(),
      makeNode('n2').taint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }).obj(),
    ]);
    await env.create(
      SETS,
      makeDs('agent', {
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      }),
    );
    await until(env, async () => (await nodesWithPods(env)).join() === 'n1,n2', 'tolerated taint');
    await env.create(NODES, makeNode('n3').obj());
    await until(env, async () => (await nodesWithPods(env)).join() === 'n1,n2,n3', 'a new node gets a pod');
    await env.client.delete(NODES, 'n1');
    await until(
      env,
      async () => (await nodesWithPods(env)).join() === 'n2,n3',
      'a removed node loses its pod',
    );
    await env.client.patch(NODES, 'n3', {
      body: { spec: { taints: [{ key: 'evict', effect: 'NoExecute' }] } },
      options: { type: 'merge' },
    });
    await until(
      env,
      async () => (await nodesWithPods(env)).join() === 'n2',
      'an untolerated NoExecute taint evicts',
    );
    await until(env, async () => (await status(env, 'agent'))['desiredNumberScheduled'] === 1, 'desired 1');
  });

  it('rolls an update one node at a time, waiting for each new pod to be ready', async (t) => {
    const env = await setup(t, [makeNode('n1').obj(), makeNode('n2').obj(), makeNode('n3').obj()]);
    await env.create(SETS, makeDs('agent'));
    await until(env, async () => (await nodesWithPods(env)).length === 3, 'three pods');
    await readyAll(env);
    await until(env, async () => (await status(env, 'agent'))['numberReady'] === 3, 'three ready');
    await env.client.patch(SETS, 'agent', {
      body: { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } },
      options: { type: 'merge' },
    });
    const generations = async (): Promise<string[]> =>
      [...(await podsByNode(env)).values()]
        .flat()
        .map((p) => p.metadata.labels?.['pod-template-generation'] ?? '')
        .sort();
    await until(env, async () => (await generations()).join() === '1,1,2', 'one node replaced first');
    await env.clock.advance(5_000);
    assert.deepEqual(await generations(), ['1', '1', '2'], 'the next waits for the new pod to be ready');
    for (let round = 0; round < 3; round++) {
      await readyAll(env);
      await env.clock.advance(1_000);
    }
    await until(
      env,
      async () => {
        await readyAll(env);
        const s = await status(env, 'agent');
        return (
          s['updatedNumberScheduled'] === 3 && s['numberAvailable'] === 3 && s['observedGeneration'] === 2
        );
      },
      'all nodes updated',
    );
    assert.deepEqual(await generations(), ['2', '2', '2']);
    const revisions = (
      await env.client.list({ apiVersion: 'apps/v1', plural: 'controllerrevisions', namespace: NS })
    ).items;
    assert.deepEqual(revisions.map((r) => r['revision']).sort(), [1, 2]);
  });

  it('surges a new pod beside the old one and removes the old once the new is ready', async (t) => {
    const env = await setup(t, [makeNode('n1').obj()]);
    await env.create(SETS, makeDs('agent', { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }));
    await until(env, async () => (await nodesWithPods(env)).length === 1, 'one pod');
    await readyAll(env);
    await env.client.patch(SETS, 'agent', {
      body: { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } },
      options: { type: 'merge' },
    });
    await until(env, async () => (await podsByNode(env)).get('n1')?.length === 2, 'old and new side by side');
    await readyAll(env);
    await until(
      env,
      async () => {
        const pods = (await podsByNode(env)).get('n1') ?? [];
        return pods.length === 1 && pods[0]?.metadata.labels?.['pod-template-generation'] === '2';
      },
      'only the new pod left',
    );
  });

  it('replaces a failed daemon pod and says so', async (t) => {
    const env = await setup(t, [makeNode('n1').obj()]);
    await env.create(SETS, makeDs('agent'));
    await until(env, async () => (await nodesWithPods(env)).length === 1, 'one pod');
    const first = (await podsByNode(env)).get('n1')?.[0] as KubeObject;
    await setPodState(
      env.client,
      { namespace: NS, name: first.metadata.name ?? '' },
      { state: { phase: 'Failed' }, clock: env.clock },
    );
    await until(
      env,
      async () => {
        const pods = (await podsByNode(env)).get('n1') ?? [];
        return pods.length === 1 && pods[0]?.metadata.name !== first.metadata.name;
      },
      'a replacement pod',
    );
    await until(
      env,
      async () =>
        (await env.client.list(EVENTS)).items.some(
          (e) =>
            e['reason'] === 'FailedDaemonPod' &&
            e['message'] ===
              `Found failed daemon pod default/${first.metadata.name ?? ''} on node n1, will try to kill it`,
        ),
      'FailedDaemonPod event',
    );
    const reasons = new Set((await env.client.list(EVENTS)).items.map((e) => e['reason']));
    assert.ok(reasons.has('SuccessfulCreate') && reasons.has('SuccessfulDelete'));
  });
});
