/**
 * The pod status a kubelet posts (generateAPIPodStatus + the status manager's merge): kubelet's
 * conditions in kube's order after any conditions other components own, container statuses as
 * containerd reports them, IPs, start time and QoS class. A condition whose status did not change
 * keeps its `lastTransitionTime`, so an unchanged pod computes an identical status and is not
 * written again.
 */
import { rfc3339Seconds } from '../../base/clock.js';
import type { KubeObject } from '../../api/meta.js';
import type { ContainerRun, Terminated } from './container-run.js';
import { imageInfo } from './images.js';
import type { KubeletTiming } from './kubelet-options.js';
import type { PodRuntime } from './pod-runtime.js';
import { qosClass } from '../../api/pod-qos.js';
import { cloneJson } from '../../base/json-clone.js';

/** A pod condition as the API carries it. */
export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** Condition types the kubelet owns (pkg/kubelet/types PodConditionsByKubelet). */
export const KUBELET_CONDITIONS: ReadonlySet<string> = new Set([
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
  'PodScheduled',
]);

/** Where and when the status is computed. */
export interface StatusContext {
  now: number;
  timing: KubeletTiming;
  hostIP: string;
}

/** The full status of `pod` as the kubelet running `rt` reports it at `ctx.now`. */
export function podStatus(pod: KubeObject, rt: PodRuntime, ctx: StatusContext): Record<string, unknown> {
  const current = (pod['status'] ?? {}) as { conditions?: PodCondition[] };
  const previous = current.conditions ?? [];
  const phase = rt.phase;
  const stamp = (c: Omit<PodCondition, 'lastTransitionTime'>): PodCondition => {
    const before = previous.find((p) => p.type === c.type);
    const at = before?.status === c.status ? before.lastTransitionTime : undefined;
    return { type: c.type, status: c.status, lastTransitionTime: at ?? rfc3339Seconds(ctx.now), ...rest(c) };
  };
  const containersReady = readiness(rt, ctx, phase);
  const scheduled = previous.find((c) => c.type === 'PodScheduled' && c.status === 'True');
  const conditions: PodCondition[] = [
    ...previous.filter((c) => !KUBELET_CONDITIONS.has(c.type)),
    stamp({ type: 'PodReadyToStartContainers', status: rt.sandboxReady ? 'True' : 'False' }),
    stamp(initialized(rt, phase)),
    stamp({ ...containersReady, type: 'Ready' }),
    stamp({ ...containersReady, type: 'ContainersReady' }),
    scheduled ? cloneJson(scheduled) : stamp({ type: 'PodScheduled', status: 'True' }),
  ];
  const status: Record<string, unknown> = {
    phase,
    conditions,
    hostIP: ctx.hostIP,
    hostIPs: [{ ip: ctx.hostIP }],
  };
  if (rt.ip !== undefined) {
    status['podIP'] = rt.ip;
    status['podIPs'] = [{ ip: rt.ip }];
  }
  status['startTime'] = rfc3339Seconds(rt.startTime);
  if (rt.init.length > 0) status['initContainerStatuses'] = rt.init.map((c) => containerStatus(c, rt, ctx));
  status['containerStatuses'] = rt.main.map((c) => containerStatus(c, rt, ctx));
  status['qosClass'] = qosClass(pod['spec'] ?? {});
  return status;
}

function rest(c: Omit<PodCondition, 'lastTransitionTime'>): Partial<PodCondition> {
  const out: Partial<PodCondition> = {};
  if (c.reason !== undefined) out.reason = c.reason;
  if (c.message !== undefined) out.message = c.message;
  return out;
}

/** ContainersReady (and so Ready): all app containers and sidecars ready. */
function readiness(rt: PodRuntime, ctx: StatusContext, phase: string): Omit<PodCondition, 'type'> {
  if (phase === 'Succeeded') return { status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { status: 'False', reason: 'PodFailed' };
  const unready = [...rt.init.filter((c) => c.kind === 'sidecar'), ...rt.main]
    .filter((c) => !rt.ready(c, ctx.now))
    .map((c) => c.name);
  if (unready.length === 0) return { status: 'True' };
  return {
    status: 'False',
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${unready.join(' ')}]`,
  };
}

function initialized(rt: PodRuntime, phase: string): Omit<PodCondition, 'lastTransitionTime'> {
  if (phase === 'Succeeded') return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (rt.main.some((c) => c.containerID !== undefined)) return { type: 'Initialized', status: 'True' };
  const incomplete = rt.init
    .filter((c) =>
      c.kind === 'sidecar' ? c.state !== 'running' : c.state !== 'terminated' || c.terminated?.exitCode !== 0,
    )
    .map((c) => c.name);
  if (incomplete.length === 0) return { type: 'Initialized', status: 'True' };
  return {
    type: 'Initialized',
    status: 'False',
    reason: 'ContainersNotInitialized',
    message: `containers with incomplete status: [${incomplete.join(' ')}]`,
  };
}

function containerStatus(c: ContainerRun, rt: PodRuntime, ctx: StatusContext): Record<string, unknown> {
  const started = c.containerID !== undefined;
  const info = imageInfo(c.image);
  const out: Record<string, unknown> = {
    name: c.name,
    state: stateOf(c),
    lastState: c.last ? { terminated: terminatedOf(c.last) } : {},
    ready: rt.ready(c, ctx.now),
    restartCount: c.restartCount,
    image: started ? info.ref : c.image,
    imageID: started ? info.id : '',
  };
  if (c.containerID !== undefined) out['containerID'] = c.containerID;
  out['started'] = c.state === 'running';
  return out;
}

function stateOf(c: ContainerRun): Record<string, unknown> {
  if (c.state === 'running') return { running: { startedAt: rfc3339Seconds(c.startedAt ?? 0) } };
  if (c.state === 'terminated' && c.terminated) return { terminated: terminatedOf(c.terminated) };
  const waiting: Record<string, string> = { reason: c.waitingReason };
  if (c.waitingMessage !== undefined) waiting['message'] = c.waitingMessage;
  return { waiting };
}

function terminatedOf(t: Terminated): Record<string, unknown> {
  return {
    exitCode: t.exitCode,
    reason: t.reason,
    startedAt: rfc3339Seconds(t.startedAt),
    finishedAt: rfc3339Seconds(t.finishedAt),
    containerID: t.containerID,
  };
}
