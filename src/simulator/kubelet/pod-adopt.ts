/**
 * Picks up a pod that a previous kubelet process already started (the simulator restarted over
 * existing state): its containers keep running with the IDs, start times, restart counts and last
 * terminations the API shows, and its IP stays reserved, as a restarted kubelet finds them in
 * containerd. A pod that was not Running starts over.
 */
import type { KubeObject } from '../../api/meta.js';
import type { ContainerRun, Terminated } from './container-run.js';
import type { IpPool } from './ip-pool.js';
import type { PodRuntime } from './pod-runtime.js';

interface TerminatedLike {
  exitCode?: number;
  reason?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}

interface ContainerStatusLike {
  name?: string;
  restartCount?: number;
  ready?: boolean;
  containerID?: string;
  state?: { running?: { startedAt?: string }; terminated?: TerminatedLike };
  lastState?: { terminated?: TerminatedLike };
}

interface PodStatusLike {
  phase?: string;
  podIP?: string;
  containerStatuses?: ContainerStatusLike[];
  initContainerStatuses?: ContainerStatusLike[];
}

/** Adopts `pod`'s running containers into the fresh `rt`; false (rt untouched) when it was not running. */
export function adoptRunning(
  pod: KubeObject,
  rt: PodRuntime,
  at: { pool: IpPool; now: number; readinessDelayMs: number },
): boolean {
  const status = (pod['status'] ?? {}) as PodStatusLike;
  const statuses = status.containerStatuses ?? [];
  if (status.phase !== 'Running' || status.podIP === undefined) return false;
  const running = rt.main.map((c) => statuses.find((s) => s.name === c.name && s.state?.running));
  if (running.some((s) => s === undefined)) return false;
  if (!at.pool.reserve(status.podIP)) return false;
  rt.ip = status.podIP;
  rt.main.forEach((c, i) => restore(c, running[i] ?? {}, rt.startTime));
  for (const c of rt.init) {
    const s = (status.initContainerStatuses ?? []).find((x) => x.name === c.name);
    if (s) restore(c, s, rt.startTime);
    else if (c.kind === 'init') c.exit(rt.startTime, 0);
  }
  // Ready stays Ready; a container that was not Ready yet gets the usual delay from now.
  for (const c of [...rt.main, ...rt.init])
    if (c.state === 'running' && c.readyAt === undefined) c.readyAt = at.now + at.readinessDelayMs;
  const startedAt = Math.min(...rt.main.map((c) => c.startedAt ?? rt.startTime));
  rt.stage = 'running';
  rt.nextAt = rt.plan.runMs === undefined ? undefined : startedAt + rt.plan.runMs;
  return true;
}

function restore(c: ContainerRun, s: ContainerStatusLike, fallback: number): void {
  c.containerID = s.containerID;
  c.restartCount = s.restartCount ?? 0;
  c.last = terminated(s.lastState?.terminated, fallback);
  const done = terminated(s.state?.terminated, fallback);
  if (done) {
    c.state = 'terminated';
    c.terminated = done;
    c.startedAt = done.startedAt;
  } else {
    c.state = 'running';
    c.startedAt = time(s.state?.running?.startedAt, fallback);
    // Its readiness is what the API shows: Ready now if it was Ready, after the usual delay if not.
    c.readyAt = s.ready === true ? c.startedAt : undefined;
  }
}

function terminated(t: TerminatedLike | undefined, fallback: number): Terminated | undefined {
  if (!t) return undefined;
  return {
    exitCode: t.exitCode ?? 0,
    reason: t.reason ?? 'Completed',
    startedAt: time(t.startedAt, fallback),
    finishedAt: time(t.finishedAt, fallback),
    containerID: t.containerID ?? '',
  };
}

function time(text: string | undefined, fallback: number): number {
  const ms = Date.parse(text ?? '');
  return Number.isFinite(ms) ? ms : fallback;
}
