import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339Seconds } from '../../../base/clock.js';
import { eventually } from '../../../base/testing/eventually.js';
import type { KubeObject } from '../../../api/meta.js';
import { isNotFound } from '../../../api/status.js';
import { SimKubelet } from '../../kubelet/sim-kubelet.js';
import type { NodeSpec } from '../../kubelet/kubelet-options.js';
import { makePod } from '../../testing/fixtures.js';
import { newMemberEnv } from '../../testing/member-env.js';
import type { MemberEnv } from '../../testing/member-env.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import type { NodeLifecycleControllerOptions } from './node-lifecycle-controller.js';
import type { Taint } from './taints.js';

const NODES = { apiVersion: 'v1', plural: 'nodes' };
const PODS = { apiVersion: 'v1', plural: 'pods', namespace: 'default' };
const EVENTS = { apiVersion: 'v1', plural: 'events', namespace: 'default' };

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

function nodeSpec(name: string, index: number): NodeSpec {
  return {
    name,
    capacity: { cpu: '4', memory: '16Gi', pods: 110 },
    labels: { 'topology.kubernetes.io/zone': 'eu-1a', 'topology.kubernetes.io/region': 'eu-1' },
    podCIDR: `10.244.${index}.0/24`,
    internalIP: `172.18.0.${index + 2}`,
  };
}

async function startCluster(
  t: TestContext,
  nodes: number,
  options: Partial<NodeLifecycleControllerOptions> = {},
): Promise<{ env: MemberEnv; kubelet: SimKubelet }> {
  const env = await newMemberEnv(t);
  const kubelet = new SimKubelet({
    client: env.client,
    informers: env.informers,
    clock: env.clock,
    log: env.log,
    nodes: Array.from({ length: nodes }, (_, i) => nodeSpec(`node-${i + 1}`, i + 1)),
    kubernetesVersion: 'v1.31.2',
    events: false,
    random: () => 0.5,
  });
  const controller = new NodeLifecycleController({
    client: env.client,
    informers: env.informers,
    clock: env.clock,
    log: env.log,
    recorder: env.recorder('node-controller'),
    evictionRecorder: env.recorder('taint-eviction-controller'),
    ...options,
  });
  env.run(kubelet);
  env.run(controller);
  return { env, kubelet };
}

async function node(env: MemberEnv, name: string): Promise<KubeObject> {
  return env.client.get(NODES, name);
}
function conditions(n: KubeObject): Condition[] {
  return (n['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? [];
}
function taints(n: KubeObject): Taint[] {
  return (n['spec'] as { taints?: Taint[] } | undefined)?.taints ?? [];
}
function podReady(p: KubeObject): string | undefined {
  return ((p['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? []).find(
    (c) => c.type === 'Ready',
  )?.status;
}

async function waitFor(
  env: MemberEnv,
  check: () => Promise<boolean>,
  how: string | { what: string; stepMs: number },
): Promise<void> {
  const { what, stepMs } = typeof how === 'string' ? { what: how, stepMs: 1000 } : how;
  await eventually(check, { clock: env.clock, stepMs, what, timeoutMs: 20_000 });
}

async function podGone(env: MemberEnv, name: string): Promise<boolean> {
  try {
    await env.client.get(PODS, name);
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

const UNREACHABLE_300 = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

describe('NodeLifecycleController', () => {
  it('marks a silent node Unknown, taints it, evicts its pods by toleration, and heals it', async (t) => {
    const { env, kubelet } = await startCluster(t, 2);
    await env.create(
      PODS,
      makePod('tolerant').spec({ nodeName: 'node-1', tolerations: UNREACHABLE_300 }).obj(),
    );
    await env.create(PODS, makePod('plain').spec({ nodeName: 'node-1' }).obj());
    await env.create(PODS, makePod('elsewhere').spec({ nodeName: 'node-2' }).obj());
    for (const name of ['tolerant', 'plain', 'elsewhere'])
      await waitFor(env, async () => podReady(await env.client.get(PODS, name)) === 'True', {
        what: `${name} Ready`,
        stepMs: 100,
      });

    kubelet.setNodeDown('node-1', true);
    const downAt = env.clock.now();
    await waitFor(
      env,
      async () => conditions(await node(env, 'node-1')).every((c) => c.status === 'Unknown'),
      'Unknown',
    );
    const silent = await node(env, 'node-1');
    const unknownAt = env.clock.now() - downAt;
    assert.ok(unknownAt >= 40_000 && unknownAt <= 47_000, `Unknown after ${unknownAt} ms`);
    for (const c of conditions(silent)) {
      assert.equal(c.reason, 'NodeStatusUnknown');
      assert.equal(c.message, 'Kubelet stopped posting node status.');
    }
    await waitFor(env, async () => taints(await node(env, 'node-1')).length === 2, 'unreachable taints');
    const tainted = taints(await node(env, 'node-1'));
    assert.deepEqual(tainted.map((x) => [x.key, x.effect]).sort(), [
      ['node.kubernetes.io/unreachable', 'NoExecute'],
      ['node.kubernetes.io/unreachable', 'NoSchedule'],
    ]);
    assert.ok(tainted.every((x) => x.timeAdded !== undefined));
    const taintedAt = Date.parse(tainted.find((x) => x.effect === 'NoExecute')?.timeAdded ?? '');

    // Pods of the silent node are NotReady; the intolerant one is deleted at once but stays
    // Terminating, because the dead kubelet cannot confirm.
    await waitFor(env, async () => podReady(await env.client.get(PODS, 'tolerant')) === 'False', 'NotReady');
    await waitFor(
      env,
      async () => (await env.client.get(PODS, 'plain')).metadata.deletionTimestamp !== undefined,
      'plain evicted',
    );
    const plain = await env.client.get(PODS, 'plain');
    const disruption = ((plain['status'] as { conditions: Condition[] }).conditions ?? []).find(
      (c) => c.type === 'DisruptionTarget',
    );
    assert.equal(disruption?.reason, 'DeletionByTaintManager');
    assert.equal(disruption?.message, 'Taint manager: deleting due to NoExecute taint');
    assert.equal((await env.client.get(PODS, 'tolerant')).metadata.deletionTimestamp, undefined);
    assert.equal(podReady(await env.client.get(PODS, 'elsewhere')), 'True');

    await waitFor(
      env,
      async () => (await env.client.get(PODS, 'tolerant')).metadata.deletionTimestamp !== undefined,
      { what: 'tolerant evicted after 300 s', stepMs: 5000 },
    );
    const evictedAfter = env.clock.now() - taintedAt;
    assert.ok(
      evictedAfter >= 300_000 && evictedAfter <= 310_000,
      `evicted ${evictedAfter} ms after the taint`,
    );
    assert.ok(!(await podGone(env, 'tolerant')), 'still Terminating on the dead node');

    const events = (await env.client.list(EVENTS)).items;
    assert.ok(
      events.some(
        (e) =>
          e['reason'] === 'TaintManagerEviction' && e['message'] === 'Marking for deletion Pod default/plain',
      ),
    );
    assert.ok(
      events.some(
        (e) => e['reason'] === 'NodeNotReady' && e['message'] === 'Node node-1 status is now: NodeNotReady',
      ),
    );
    assert.ok(events.some((e) => e['reason'] === 'NodeNotReady' && e['message'] === 'Node is not ready'));
    assert.ok(events.some((e) => e['reason'] === 'RegisteredNode'));

    kubelet.setNodeDown('node-1', false);
    await waitFor(
      env,
      async () => {
        const n = await node(env, 'node-1');
        return taints(n).length === 0 && conditions(n).find((c) => c.type === 'Ready')?.status === 'True';
      },
      { what: 'node healed', stepMs: 200 },
    );
    await waitFor(env, async () => (await podGone(env, 'plain')) && (await podGone(env, 'tolerant')), {
      what: 'Terminating pods cleaned up',
      stepMs: 200,
    });
    assert.equal(podReady(await env.client.get(PODS, 'elsewhere')), 'True');
  });

  it('stops evicting when every node is down (master disruption)', async (t) => {
    const { env, kubelet } = await startCluster(t, 1);
    await env.create(PODS, makePod('solo').spec({ nodeName: 'node-1' }).obj());
    await waitFor(env, async () => podReady(await env.client.get(PODS, 'solo')) === 'True', {
      what: 'Ready',
      stepMs: 100,
    });
    kubelet.setNodeDown('node-1', true);
    await waitFor(env, async () => podReady(await env.client.get(PODS, 'solo')) === 'False', 'NotReady');
    for (let i = 0; i < 60; i++) await env.clock.advance(1000);
    const n = await node(env, 'node-1');
    assert.deepEqual(
      taints(n).map((x) => [x.key, x.effect]),
      [['node.kubernetes.io/unreachable', 'NoSchedule']],
    );
    assert.equal((await env.client.get(PODS, 'solo')).metadata.deletionTimestamp, undefined);
  });

  it('taints NoExecute at most 0.1 nodes per second per zone', async (t) => {
    const { env, kubelet } = await startCluster(t, 6);
    await waitFor(
      env,
      async () => (await env.client.list(NODES)).items.every((n) => conditions(n).length === 4),
      { what: 'registered', stepMs: 100 },
    );
    kubelet.setNodeDown('node-1', true);
    kubelet.setNodeDown('node-2', true);
    const noExecuteAt = async (name: string): Promise<number | undefined> => {
      const x = taints(await node(env, name)).find((y) => y.effect === 'NoExecute');
      return x?.timeAdded === undefined ? undefined : Date.parse(x.timeAdded);
    };
    await waitFor(
      env,
      async () => (await noExecuteAt('node-1')) !== undefined && (await noExecuteAt('node-2')) !== undefined,
      { what: 'both tainted', stepMs: 500 },
    );
    const [a = 0, b = 0] = [(await noExecuteAt('node-1')) ?? 0, (await noExecuteAt('node-2')) ?? 0].sort(
      (x, y) => x - y,
    );
    assert.ok(b - a >= 9000, `second taint ${b - a} ms after the first`);
  });

  it('taints a node that reports Ready=False not-ready, and an unschedulable one unschedulable', async (t) => {
    const env = await newMemberEnv(t);
    const controller = new NodeLifecycleController({
      client: env.client,
      informers: env.informers,
      clock: env.clock,
      log: env.log,
    });
    const now = rfc3339Seconds(env.clock.now());
    const make = async (name: string, ready: string, spec: Record<string, unknown> = {}): Promise<void> => {
      const created = await env.client.create(NODES, {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name },
        spec,
      });
      const status = {
        conditions: [
          {
            type: 'Ready',
            status: ready,
            lastHeartbeatTime: now,
            lastTransitionTime: now,
            reason: 'KubeletNotReady',
          },
        ],
      };
      await env.client.updateStatus(NODES, { ...created, status });
    };
    await make('sick', 'False');
    await make('fine', 'True');
    await make('cordoned', 'True', { unschedulable: true });
    env.run(controller);
    await waitFor(env, async () => taints(await node(env, 'sick')).length === 2, {
      what: 'not-ready taints',
      stepMs: 100,
    });
    assert.deepEqual(
      taints(await node(env, 'sick'))
        .map((x) => [x.key, x.effect])
        .sort(),
      [
        ['node.kubernetes.io/not-ready', 'NoExecute'],
        ['node.kubernetes.io/not-ready', 'NoSchedule'],
      ],
    );
    await waitFor(env, async () => taints(await node(env, 'cordoned')).length === 1, {
      what: 'unschedulable taint',
      stepMs: 100,
    });
    assert.deepEqual(
      taints(await node(env, 'cordoned')).map((x) => [x.key, x.effect]),
      [['node.kubernetes.io/unschedulable', 'NoSchedule']],
    );
    assert.deepEqual(taints(await node(env, 'fine')), []);
  });
});
