import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339Seconds } from '../../base/clock.js';
import { eventually } from '../../base/testing/eventually.js';
import type { KubeObject } from '../../api/meta.js';
import { isNotFound } from '../../api/status.js';
import { ApiClient } from '../../client/api-client.js';
import { localTransport } from '../../client/local-transport.js';
import { requestText } from '../../client/transport.js';
import { makePod } from '../testing/fixtures.js';
import { newMemberEnv } from '../testing/member-env.js';
import type { MemberEnv } from '../testing/member-env.js';
import type { KubeletTiming, NodeSpec } from './kubelet-options.js';
import { SimKubelet } from './sim-kubelet.js';

const NODES = { apiVersion: 'v1', plural: 'nodes' };
const PODS = { apiVersion: 'v1', plural: 'pods', namespace: 'default' };
const LEASES = { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespace: 'kube-node-lease' };
const EVENTS = { apiVersion: 'v1', plural: 'events', namespace: 'default' };

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
}
interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  started: boolean;
  image: string;
  imageID: string;
  containerID?: string;
  state: Record<string, Record<string, unknown>>;
  lastState: Record<string, Record<string, unknown>>;
}
interface PodStatus {
  phase?: string;
  podIP?: string;
  podIPs?: { ip: string }[];
  hostIP?: string;
  startTime?: string;
  qosClass?: string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
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

async function startKubelet(
  t: TestContext,
  opts: {
    nodes?: number;
    timing?: Partial<KubeletTiming>;
    events?: boolean;
    workers?: number;
    /** The kubelet's own client (default: the env's). */
    client?: (env: MemberEnv) => ApiClient;
  } = {},
): Promise<{ env: MemberEnv; kubelet: SimKubelet }> {
  const env = await newMemberEnv(t);
  const nodes = Array.from({ length: opts.nodes ?? 1 }, (_, i) => nodeSpec(`node-${i + 1}`, i + 1));
  const kubelet = new SimKubelet({
    client: opts.client?.(env) ?? env.client,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    informers: env.informers,
    clock: env.clock,
    log: env.log,
    nodes,
    kubernetesVersion: 'v1.31.2',
    clusterName: 'eu-1',
    events: opts.events ?? false,
    random: () => 0.5,
    ...(opts.timing ? { timing: opts.timing } : {}),
  });
  env.run(kubelet);
  await eventually(async () => (await env.client.list(LEASES)).items.length === nodes.length, {
    clock: env.clock,
    what: 'nodes registered',
  });
  return { env, kubelet };
}

async function getPod(env: MemberEnv, name: string): Promise<KubeObject & { status?: PodStatus }> {
  return env.client.get(PODS, name);
}

async function until(
  env: MemberEnv,
  name: string,
  wait: { check: (s: PodStatus) => boolean; what: string; stepMs?: number },
): Promise<PodStatus> {
  let last: PodStatus = {};
  await eventually(
    async () => {
      last = (await getPod(env, name)).status ?? {};
      return wait.check(last);
    },
    { clock: env.clock, stepMs: wait.stepMs ?? 100, what: `${name}: ${wait.what}` },
  );
  return last;
}

/**
 * A client of env's server that holds pod status writes while `hold` is on and records the phase
 * of each one it lets through, by pod.
 */
class StatusGate {
  readonly sent: { pod: string; phase: string | undefined }[] = [];
  held = 0;
  #open: Promise<void> = Promise.resolve();
  #release: () => void = () => undefined;

  client(env: MemberEnv): ApiClient {
    const inner = localTransport(env.server);
    return new ApiClient({
      request: async (req) => {
        const pod = /\/pods\/([^/]+)\/status$/.exec(req.path)?.[1];
        if (pod !== undefined && req.method === 'PATCH') {
          this.held++;
          await this.#open;
          this.held--;
          const body = JSON.parse(requestText(req) ?? '{}') as { status?: PodStatus };
          this.sent.push({ pod, phase: body.status?.phase });
        }
        return inner.request(req);
      },
    });
  }

  hold(): void {
    this.#open = new Promise((resolve) => (this.#release = resolve));
  }

  release(): void {
    this.#release();
  }
}

function cond(s: PodStatus, type: string): Condition | undefined {
  return s.conditions?.find((c) => c.type === type);
}

async function gone(env: MemberEnv, name: string, stepMs = 100): Promise<void> {
  await eventually(
    async () => {
      try {
        await getPod(env, name);
        return false;
      } catch (err) {
        if (isNotFound(err)) return true;
        throw err;
      }
    },
    { clock: env.clock, stepMs, what: `${name} deleted` },
  );
}

describe('SimKubelet', () => {
  it('registers each node with kubelet labels, status, nodeInfo and healthy conditions', async (t) => {
    const { env, kubelet } = await startKubelet(t, { nodes: 2 });
    assert.deepEqual(kubelet.nodeNames(), ['node-1', 'node-2']);
    let node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: {} };
    await eventually(
      async () => {
        node = await env.client.get(NODES, 'node-1');
        return node['status'] !== undefined;
      },
      { clock: env.clock, what: 'node status posted' },
    );
    const labels = node.metadata.labels ?? {};
    assert.equal(labels['kubernetes.io/hostname'], 'node-1');
    assert.equal(labels['kubernetes.io/os'], 'linux');
    assert.equal(labels['kubernetes.io/arch'], 'amd64');
    assert.equal(labels['node.kubernetes.io/instance-type'], 'sim.4cpu-16gi');
    assert.equal(labels['topology.kubernetes.io/zone'], 'eu-1a');
    const spec = node['spec'] as { podCIDR: string; podCIDRs: string[] };
    assert.equal(spec.podCIDR, '10.244.1.0/24');
    assert.deepEqual(spec.podCIDRs, ['10.244.1.0/24']);
    const status = node['status'] as {
      capacity: Record<string, string>;
      allocatable: Record<string, string>;
      conditions: Condition[];
      addresses: { type: string; address: string }[];
      daemonEndpoints: { kubeletEndpoint: { Port: number } };
      nodeInfo: Record<string, string>;
    };
    assert.equal(status.capacity['cpu'], '4');
    assert.equal(status.capacity['memory'], '16777216Ki');
    assert.equal(status.capacity['pods'], '110');
    assert.equal(status.allocatable['cpu'], '3920m');
    assert.deepEqual(
      status.conditions.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ],
    );
    for (const c of status.conditions) {
      assert.ok(c.lastHeartbeatTime);
      assert.ok(c.lastTransitionTime);
    }
    assert.deepEqual(status.addresses, [
      { type: 'InternalIP', address: '172.18.0.3' },
      { type: 'Hostname', address: 'node-1' },
    ]);
    assert.equal(status.daemonEndpoints.kubeletEndpoint.Port, 10250);
    assert.equal(status.nodeInfo['kubeletVersion'], 'v1.31.2');
    assert.equal(status.nodeInfo['kubeProxyVersion'], 'v1.31.2');
    assert.equal(status.nodeInfo['containerRuntimeVersion'], 'containerd://1.7.22');
    assert.equal(status.nodeInfo['operatingSystem'], 'linux');
    assert.equal(status.nodeInfo['architecture'], 'amd64');
    assert.match(status.nodeInfo['machineID'] ?? '', /^[0-9a-f]{32}$/);
    const other = (await env.client.get(NODES, 'node-2'))['status'] as typeof status | undefined;
    assert.notEqual(other?.nodeInfo['machineID'], status.nodeInfo['machineID']);
  });

  it('keeps an existing node on restart instead of re-creating it', async (t) => {
    const env = await newMemberEnv(t);
    const existing = await env.client.create(NODES, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { keep: 'me' } },
      spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] },
    });
    const kubelet = new SimKubelet({
      client: env.client,
      informers: env.informers,
      clock: env.clock,
      log: env.log,
      nodes: [nodeSpec('node-1', 1)],
      kubernetesVersion: 'v1.31.2',
      events: false,
    });
    env.run(kubelet);
    await eventually(async () => (await env.client.list(LEASES)).items.length === 1, { clock: env.clock });
    const node = await env.client.get(NODES, 'node-1');
    assert.equal(node.metadata.uid, existing.metadata.uid);
    assert.equal(node.metadata.labels?.['keep'], 'me');
    const lease = await env.client.get(LEASES, 'node-1');
    assert.deepEqual(lease.metadata.ownerReferences, [
      { apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: existing.metadata.uid },
    ]);
  });

  it('renews each node lease every 10 s of clock time plus kubelet’s jitter (up to 4%)', async (t) => {
    const { env } = await startKubelet(t);
    const first = (await env.client.get(LEASES, 'node-1'))['spec'] as Record<string, unknown>;
    assert.equal(first['holderIdentity'], 'node-1');
    assert.equal(first['leaseDurationSeconds'], 40);
    assert.match(String(first['renewTime']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const start = Date.parse(String(first['renewTime']));
    const renewals: number[] = [];
    await eventually(
      async () => {
        const spec = (await env.client.get(LEASES, 'node-1'))['spec'] as Record<string, unknown>;
        const at = Date.parse(String(spec['renewTime']));
        if (renewals.at(-1) !== at && at !== start) renewals.push(at);
        return renewals.length >= 2;
      },
      { clock: env.clock, stepMs: 500, what: 'two renewals' },
    );
    const [a = 0, b = 0] = renewals;
    // random() is 0.5 here: each renewal is due 10.2 s after the last.
    assert.ok(a - start >= 10_200 && a - start <= 11_000, `first renewal after ${a - start} ms`);
    assert.ok(b - a >= 10_200 && b - a <= 11_000, `second renewal after ${b - a} ms`);
  });

  it('takes pods from Pending through Running to Ready with unique IPs from the node CIDR', async (t) => {
    const { env } = await startKubelet(t, { nodes: 2 });
    const names = ['web-0', 'web-1', 'web-2', 'web-3'];
    for (const [i, name] of names.entries()) {
      await env.create(
        PODS,
        makePod(name)
          .spec({ nodeName: i < 2 ? 'node-1' : 'node-2' })
          .obj(),
      );
    }
    // The server makes a new pod Pending already; wait for the kubelet's own Pending status.
    const pending = await until(env, 'web-0', {
      check: (s) => s.phase === 'Pending' && s.containerStatuses !== undefined,
      what: 'Pending, reported by the kubelet',
      stepMs: 10,
    });
    assert.equal(pending.containerStatuses?.[0]?.state['waiting']?.['reason'], 'ContainerCreating');
    assert.equal(cond(pending, 'PodReadyToStartContainers')?.status, 'False');
    assert.equal(pending.hostIP, '172.18.0.3');
    const ips = new Set<string>();
    for (const [i, name] of names.entries()) {
      const s = await until(env, name, { check: (x) => cond(x, 'Ready')?.status === 'True', what: 'Ready' });
      assert.equal(s.phase, 'Running');
      assert.deepEqual(
        s.conditions?.map((c) => [c.type, c.status]),
        [
          ['PodReadyToStartContainers', 'True'],
          ['Initialized', 'True'],
          ['Ready', 'True'],
          ['ContainersReady', 'True'],
          ['PodScheduled', 'True'],
        ],
      );
      const c = s.containerStatuses?.[0];
      assert.ok(c?.ready && c.started);
      assert.match(c.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/);
      assert.equal(c.image, 'docker.io/library/nginx:latest');
      assert.match(c.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
      assert.ok(c.state['running']?.['startedAt']);
      assert.equal(s.qosClass, 'BestEffort');
      assert.ok(s.startTime);
      const prefix = i < 2 ? '10.244.1.' : '10.244.2.';
      assert.ok(s.podIP?.startsWith(prefix), `${name} got ${s.podIP}`);
      assert.deepEqual(s.podIPs, [{ ip: s.podIP }]);
      assert.ok(!ips.has(s.podIP ?? ''), `${s.podIP} handed out twice`);
      ips.add(s.podIP ?? '');
    }
  });

  it('starts a pod when it first sees it bound, so a backlogged kubelet reports it Running at once', async (t) => {
    const gate = new StatusGate();
    const { env } = await startKubelet(t, {
      timing: { podStartMs: [1000, 1000], readinessDelayMs: 1000 },
      workers: 1,
      client: (e) => gate.client(e),
    });
    const pods = env.informers.informer({ apiVersion: 'v1', plural: 'pods' });
    gate.hold();
    await env.create(PODS, makePod('first').spec({ nodeName: 'node-1' }).obj());
    // The only worker is stuck writing the first pod's status while the second one arrives.
    await eventually(() => gate.held === 1, { what: 'first status write held' });
    await env.create(PODS, makePod('late').spec({ nodeName: 'node-1' }).obj());
    await eventually(() => pods.get('default/late') !== undefined, { what: 'late pod seen' });
    const seenAt = env.clock.now();
    await env.clock.advance(5000);
    gate.release();
    const s = await until(env, 'late', { check: (x) => cond(x, 'Ready')?.status === 'True', what: 'Ready' });
    const phases = (pod: string) => gate.sent.filter((w) => w.pod === pod).map((w) => w.phase);
    assert.equal(phases('first')[0], 'Pending', 'a pod synced when it arrives goes through Pending');
    assert.deepEqual(phases('late'), ['Running'], 'one write, Running and Ready');
    assert.equal(s.startTime, rfc3339Seconds(seenAt));
    assert.equal(s.containerStatuses?.[0]?.state['running']?.['startedAt'], rfc3339Seconds(seenAt + 1000));
    // Conditions change when the kubelet reports them, as kubelet's status manager stamps them.
    assert.equal(cond(s, 'Ready')?.lastTransitionTime, rfc3339Seconds(seenAt + 5000));
  });

  it('turns a pod with a readinessProbe Ready only after the readiness delay', async (t) => {
    const { env } = await startKubelet(t, { timing: { readinessDelayMs: 5000, podStartMs: [1000, 1000] } });
    const pod = makePod('probed').spec({ nodeName: 'node-1' }).obj();
    const containers = (pod['spec'] as { containers: Record<string, unknown>[] }).containers;
    containers[0] = { ...containers[0], readinessProbe: { httpGet: { path: '/', port: 80 } } };
    await env.create(PODS, pod);
    const running = await until(env, 'probed', { check: (s) => s.phase === 'Running', what: 'Running' });
    assert.equal(cond(running, 'Ready')?.status, 'False');
    assert.equal(cond(running, 'Ready')?.reason, 'ContainersNotReady');
    assert.equal(cond(running, 'Ready')?.message, 'containers with unready status: [app]');
    const startedAt = Date.parse(String(running.containerStatuses?.[0]?.state['running']?.['startedAt']));
    const ready = await until(env, 'probed', {
      check: (s) => cond(s, 'Ready')?.status === 'True',
      what: 'Ready',
    });
    const readyAt = Date.parse(cond(ready, 'Ready')?.lastTransitionTime ?? '');
    assert.ok(readyAt - startedAt >= 5000, `ready ${readyAt - startedAt} ms after start`);
  });

  it('restarts a crash-looping container with kubelet back-off and never makes it Ready', async (t) => {
    const { env } = await startKubelet(t, { events: true });
    const pod = makePod('crash')
      .spec({ nodeName: 'node-1' })
      .annotations({ 'sim.flotilla.io/behavior': 'crash-loop' });
    await env.create(PODS, pod.obj());
    const backoff = await until(env, 'crash', {
      check: (s) => s.containerStatuses?.[0]?.state['waiting']?.['reason'] === 'CrashLoopBackOff',
      what: 'CrashLoopBackOff',
      stepMs: 500,
    });
    const c = backoff.containerStatuses?.[0];
    assert.equal(c?.restartCount, 2);
    assert.equal(backoff.phase, 'Running');
    assert.equal(cond(backoff, 'Ready')?.status, 'False');
    assert.equal(c?.lastState['terminated']?.['exitCode'], 1);
    assert.equal(c?.lastState['terminated']?.['reason'], 'Error');
    const uid = (await getPod(env, 'crash')).metadata.uid ?? '';
    assert.equal(
      c?.state['waiting']?.['message'],
      `back-off 10s restarting failed container=app pod=crash_default(${uid})`,
    );
    // Runs 3 s, waits 10 s, runs 3 s, waits 20 s: the fourth start comes 20 s after the third exit.
    const third = await until(env, 'crash', {
      check: (s) => s.containerStatuses?.[0]?.restartCount === 3,
      what: '3 restarts',
      stepMs: 500,
    });
    const finished = Date.parse(
      String(third.containerStatuses?.[0]?.lastState['terminated']?.['finishedAt']),
    );
    const fourth = await until(env, 'crash', {
      check: (s) => s.containerStatuses?.[0]?.restartCount === 4,
      what: '4 restarts',
      stepMs: 500,
    });
    const restarted = Date.parse(
      String(fourth.containerStatuses?.[0]?.lastState['terminated']?.['startedAt']),
    );
    assert.ok(
      restarted - finished >= 20_000 && restarted - finished <= 21_000,
      `waited ${restarted - finished}`,
    );
    assert.ok(fourth.conditions?.every((x) => x.type !== 'Ready' || x.status === 'False'));
    const events = await eventsFor(env, 'crash');
    assert.ok(
      events.some(
        (e) =>
          e['reason'] === 'BackOff' &&
          e['message'] === `Back-off restarting failed container app in pod crash_default(${uid})`,
      ),
    );
  });

  it('keeps never-ready pods Running but not Ready', async (t) => {
    const { env } = await startKubelet(t);
    const pod = makePod('lazy')
      .spec({ nodeName: 'node-1' })
      .annotations({ 'sim.flotilla.io/behavior': 'never-ready' });
    await env.create(PODS, pod.obj());
    await until(env, 'lazy', { check: (s) => s.phase === 'Running', what: 'Running' });
    for (let i = 0; i < 20; i++) await env.clock.advance(1000);
    const s = (await getPod(env, 'lazy')).status ?? {};
    assert.equal(cond(s, 'Ready')?.status, 'False');
    assert.equal(s.containerStatuses?.[0]?.started, true);
    assert.equal(s.containerStatuses?.[0]?.restartCount, 0);
  });

  it('with zero start and readiness delays, writes the status of a pod once, straight to Ready', async (t) => {
    const { env } = await startKubelet(t, { timing: { podStartMs: 0, readinessDelayMs: 0 } });
    const seen: string[] = [];
    env.informers.informer({ apiVersion: 'v1', plural: 'pods' }).addHandlers({
      onUpdate: (_old, p) => {
        if (p.metadata.name === 'quick') seen.push(String((p['status'] as PodStatus | undefined)?.phase));
      },
    });
    await env.create(PODS, makePod('quick').spec({ nodeName: 'node-1' }).obj());
    await until(env, 'quick', { check: (s) => cond(s, 'Ready')?.status === 'True', what: 'Ready' });
    for (let i = 0; i < 10; i++) await env.clock.advance(1000);
    assert.deepEqual(seen, ['Running']);
  });

  it('completes run-to-completion pods after their run seconds: Succeeded, Failed, or restarted', async (t) => {
    const { env } = await startKubelet(t);
    const job = (name: string, policy: string, annotations: Record<string, string>): KubeObject =>
      makePod(name).spec({ nodeName: 'node-1', restartPolicy: policy }).annotations(annotations).obj();
    await env.create(PODS, job('ok', 'Never', { 'sim.flotilla.io/run-seconds': '8' }));
    await env.create(PODS, job('bad', 'Never', { 'sim.flotilla.io/behavior': 'fail' }));
    await env.create(PODS, job('retry', 'OnFailure', { 'sim.flotilla.io/behavior': 'fail' }));
    const ok = await until(env, 'ok', {
      check: (s) => s.phase === 'Succeeded',
      what: 'Succeeded',
      stepMs: 250,
    });
    const term = ok.containerStatuses?.[0]?.state['terminated'];
    assert.equal(term?.['exitCode'], 0);
    assert.equal(term?.['reason'], 'Completed');
    assert.equal(Date.parse(String(term?.['finishedAt'])) - Date.parse(String(term?.['startedAt'])), 8000);
    assert.deepEqual(
      ok.conditions?.map((c) => [c.type, c.status, c.reason]),
      [
        ['PodReadyToStartContainers', 'False', undefined],
        ['Initialized', 'True', 'PodCompleted'],
        ['Ready', 'False', 'PodCompleted'],
        ['ContainersReady', 'False', 'PodCompleted'],
        ['PodScheduled', 'True', undefined],
      ],
    );
    const bad = await until(env, 'bad', { check: (s) => s.phase === 'Failed', what: 'Failed', stepMs: 250 });
    assert.equal(bad.containerStatuses?.[0]?.state['terminated']?.['exitCode'], 1);
    assert.equal(cond(bad, 'Ready')?.reason, 'PodFailed');
    const retry = await until(env, 'retry', {
      check: (s) => (s.containerStatuses?.[0]?.restartCount ?? 0) >= 2,
      what: 'restarts',
      stepMs: 250,
    });
    assert.equal(retry.phase, 'Running');
  });

  it('finishes init containers before starting the app containers', async (t) => {
    const { env } = await startKubelet(t, { timing: { initContainerRunMs: 2000 } });
    const pod = makePod('init').spec({
      nodeName: 'node-1',
      initContainers: [
        { name: 'setup', image: 'busybox:1.36' },
        { name: 'migrate', image: 'busybox:1.36' },
      ],
    });
    await env.create(PODS, pod.obj());
    const initializing = await until(env, 'init', {
      check: (s) => s.initContainerStatuses?.[0]?.state['running'] !== undefined,
      what: 'first init running',
      stepMs: 50,
    });
    assert.equal(initializing.phase, 'Pending');
    assert.equal(cond(initializing, 'Initialized')?.status, 'False');
    assert.equal(
      cond(initializing, 'Initialized')?.message,
      'containers with incomplete status: [setup migrate]',
    );
    assert.equal(initializing.containerStatuses?.[0]?.state['waiting']?.['reason'], 'PodInitializing');
    const ready = await until(env, 'init', {
      check: (s) => cond(s, 'Ready')?.status === 'True',
      what: 'Ready',
    });
    const inits = ready.initContainerStatuses ?? [];
    assert.deepEqual(
      inits.map((c) => [c.name, c.state['terminated']?.['reason'], c.ready]),
      [
        ['setup', 'Completed', true],
        ['migrate', 'Completed', true],
      ],
    );
    const migrated = Date.parse(String(inits[1]?.state['terminated']?.['finishedAt']));
    const appStarted = Date.parse(String(ready.containerStatuses?.[0]?.state['running']?.['startedAt']));
    assert.ok(appStarted >= migrated);
  });

  it('stops a gracefully deleted pod, then deletes it with grace period 0', async (t) => {
    const { env } = await startKubelet(t, { events: true, timing: { terminationDelayMs: 2000 } });
    await env.create(PODS, makePod('bye').spec({ nodeName: 'node-1' }).obj());
    await until(env, 'bye', { check: (s) => cond(s, 'Ready')?.status === 'True', what: 'Ready' });
    await env.client.delete(PODS, 'bye');
    const marked = await getPod(env, 'bye');
    assert.ok(marked.metadata.deletionTimestamp, 'kept for the kubelet');
    await gone(env, 'bye');
    const events = await eventsFor(env, 'bye');
    assert.ok(events.some((e) => e['reason'] === 'Killing' && e['message'] === 'Stopping container app'));
  });

  it('a down node stops its lease and its pods; back up it is Ready and finishes deletions', async (t) => {
    const { env, kubelet } = await startKubelet(t, { nodes: 2 });
    await env.create(PODS, makePod('a').spec({ nodeName: 'node-1' }).obj());
    await until(env, 'a', { check: (s) => cond(s, 'Ready')?.status === 'True', what: 'Ready' });
    kubelet.setNodeDown('node-1', true);
    assert.equal(kubelet.isNodeDown('node-1'), true);
    const renewOf = async (node: string): Promise<string> =>
      String(((await env.client.get(LEASES, node))['spec'] as Record<string, unknown>)['renewTime']);
    const frozen = await renewOf('node-1');
    const alive = await renewOf('node-2');
    await env.create(PODS, makePod('b').spec({ nodeName: 'node-1' }).obj());
    await env.client.delete(PODS, 'a');
    for (let i = 0; i < 30; i++) await env.clock.advance(1000);
    assert.equal(await renewOf('node-1'), frozen);
    assert.notEqual(await renewOf('node-2'), alive);
    assert.deepEqual(
      (await getPod(env, 'b')).status ?? {},
      { phase: 'Pending', qosClass: 'BestEffort' },
      'a dead kubelet does not start pods',
    );
    assert.ok((await getPod(env, 'a')).metadata.deletionTimestamp, 'a dead kubelet does not delete pods');
    kubelet.setNodeDown('node-1', false);
    await gone(env, 'a');
    await until(env, 'b', { check: (s) => cond(s, 'Ready')?.status === 'True', what: 'Ready after revival' });
    assert.notEqual(await renewOf('node-1'), frozen);
  });

  it('a restarted kubelet adopts running pods without restarting them or reusing their IPs', async (t) => {
    const env = await newMemberEnv(t);
    const make = (): SimKubelet =>
      new SimKubelet({
        client: env.client,
        informers: env.informers,
        clock: env.clock,
        log: env.log,
        nodes: [nodeSpec('node-1', 1)],
        kubernetesVersion: 'v1.31.2',
        events: false,
      });
    const first = new AbortController();
    const kubelet = make();
    // The shared informers must outlive the first kubelet: start them with the test's signal first.
    env.run({ start: () => Promise.resolve() });
    const running = kubelet.start(first.signal);
    const kept = makePod('kept').spec({
      nodeName: 'node-1',
      initContainers: [{ name: 'setup', image: 'busybox:1.36' }],
    });
    await env.create(PODS, kept.obj());
    const before = await until(env, 'kept', {
      check: (s) => cond(s, 'Ready')?.status === 'True',
      what: 'Ready',
    });
    first.abort();
    await running;
    const rv = (await getPod(env, 'kept')).metadata.resourceVersion;
    env.run(make());
    await env.create(PODS, makePod('new').spec({ nodeName: 'node-1' }).obj());
    const fresh = await until(env, 'new', {
      check: (s) => cond(s, 'Ready')?.status === 'True',
      what: 'Ready',
    });
    const after = await getPod(env, 'kept');
    assert.equal(after.metadata.resourceVersion, rv, 'the adopted pod needed no status write');
    assert.deepEqual(after.status, before);
    assert.notEqual(fresh.podIP, before.podIP);
  });

  it('records kubelet events for a pod start', async (t) => {
    const { env, kubelet } = await startKubelet(t, { events: true });
    await env.create(PODS, makePod('ev').image('nginx:1.27').spec({ nodeName: 'node-1' }).obj());
    await until(env, 'ev', { check: (s) => cond(s, 'Ready')?.status === 'True', what: 'Ready' });
    await kubelet.flushEvents();
    const events = await eventsFor(env, 'ev');
    assert.deepEqual(
      events.map((e) => e['reason']),
      ['Pulling', 'Pulled', 'Created', 'Started'],
    );
    assert.equal(events[0]?.['message'], 'Pulling image "nginx:1.27"');
    assert.match(
      String(events[1]?.['message']),
      /^Successfully pulled image "nginx:1\.27" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\.$/,
    );
    assert.equal(events[2]?.['message'], 'Created container app');
    assert.equal(events[3]?.['message'], 'Started container app');
    assert.deepEqual(events[3]?.['source'], { component: 'kubelet', host: 'node-1' });
    assert.equal(
      (events[3]?.['involvedObject'] as Record<string, string>)['fieldPath'],
      'spec.containers{app}',
    );
    const nodeEvents = (await env.client.list(EVENTS)).items.filter(
      (e) => (e['involvedObject'] as Record<string, string>)['kind'] === 'Node',
    );
    assert.ok(nodeEvents.some((e) => e['reason'] === 'NodeReady'));
  });
});

async function eventsFor(env: MemberEnv, pod: string): Promise<KubeObject[]> {
  const list = await env.client.list(EVENTS);
  return list.items
    .filter((e) => (e['involvedObject'] as Record<string, string>)['name'] === pod)
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
}
