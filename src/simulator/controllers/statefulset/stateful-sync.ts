/**
 * One pass of the StatefulSet algorithm (kube `updateStatefulSet`), given the set's pods and its
 * current and update revisions:
 *
 * 1. Pods with an ordinal in `[start, start+replicas)` are replicas; other ordinals are condemned.
 * 2. Replicas in ascending order: recreate failed/finished pods, create missing ones (with their
 *    claims). OrderedReady stops at the first pod it creates or that is not yet Running and Ready
 *    (and available); Parallel goes on.
 * 3. Condemned pods from the highest ordinal down: OrderedReady deletes one at a time and waits
 *    for it to go; Parallel deletes them all.
 * 4. RollingUpdate: from the highest ordinal down to the partition, delete the first pod not at
 *    the update revision, one at a time and only once every higher one is healthy (or, with
 *    `maxUnavailable`, as many as that budget allows); the next pass recreates it at the update
 *    revision. OnDelete leaves replacements to the user.
 *
 * Writes go through `StatefulPodOps`; the returned status counts what the pass saw and did.
 */
import { isPodTerminal, msUntilAvailable } from '../revisions/workload-pods.js';
import type { Pod, PodTemplate } from '../revisions/workload-pods.js';
import {
  desiredReplicas,
  isHealthy,
  isRunningAndAvailable,
  isRunningAndReady,
  isTerminating,
  newStatefulPod,
  ordinalOf,
  podRevision,
  startOrdinal,
} from './stateful-pods.js';
import type { StatefulSet, StatefulSetStatus } from './stateful-pods.js';

/** A revision by name and the template it restores. */
export interface StatefulRevision {
  name: string;
  template: PodTemplate;
}

/** The writes one pass may make. */
export interface StatefulPodOps {
  /** Creates the pod (claims first); false when a pod of that name exists already. */
  create(pod: Pod, ordinal: number): Promise<boolean>;
  /** Deletes the pod (gone already is fine). */
  delete(pod: Pod): Promise<void>;
  /** Brings an existing pod's identity labels and claim owners in line with the set. */
  maintain(pod: Pod, ordinal: number): Promise<void>;
  /** Records an event about the set. */
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** What one pass works from. */
export interface StatefulSyncInput {
  set: StatefulSet;
  pods: readonly Pod[];
  current: StatefulRevision;
  update: StatefulRevision;
  collisionCount: number;
  nowMs: number;
}

/** The status to record and when to look again (for minReadySeconds). */
export interface StatefulSyncOutcome {
  status: StatefulSetStatus;
  requeueAfterMs?: number;
}

interface Slot {
  pod: Pod;
  ordinal: number;
  created: boolean;
}

/** Runs one pass; throws when a write fails (the caller retries with backoff). */
export async function syncStatefulPods(
  input: StatefulSyncInput,
  ops: StatefulPodOps,
): Promise<StatefulSyncOutcome> {
  const pass = new StatefulPass(input, ops);
  await pass.run();
  return pass.outcome();
}

class StatefulPass {
  readonly #in: StatefulSyncInput;
  readonly #ops: StatefulPodOps;
  readonly #status: StatefulSetStatus;
  readonly #minReady: number;
  #requeue: number | undefined;

  constructor(input: StatefulSyncInput, ops: StatefulPodOps) {
    this.#in = input;
    this.#ops = ops;
    this.#minReady = input.set.spec.minReadySeconds ?? 0;
    this.#status = {
      observedGeneration: input.set.metadata.generation ?? 0,
      replicas: 0,
      readyReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      availableReplicas: 0,
      currentRevision: input.current.name,
      updateRevision: input.update.name,
      collisionCount: input.collisionCount,
    };
  }

  async run(): Promise<void> {
    const { set } = this.#in;
    const start = startOrdinal(set);
    const count = desiredReplicas(set);
    const slots: (Slot | undefined)[] = new Array<Slot | undefined>(count).fill(undefined);
    const condemned: Slot[] = [];
    for (const pod of this.#in.pods) {
      this.#count(pod, 1);
      const ordinal = ordinalOf(pod, set.metadata.name ?? '');
      if (ordinal >= start && ordinal < start + count)
        slots[ordinal - start] = { pod, ordinal, created: true };
      else if (ordinal >= 0) condemned.push({ pod, ordinal, created: true });
    }
    const replicas = slots.map((s, i) => s ?? this.#fresh(start + i));
    condemned.sort((a, b) => a.ordinal - b.ordinal);
    const firstUnhealthy = [...replicas, ...condemned]
      .filter((s) => !s.created || !isHealthy(s.pod))
      .sort((a, b) => a.ordinal - b.ordinal)[0];
    if (set.metadata.deletionTimestamp !== undefined) return;
    const monotonic = set.spec.podManagementPolicy !== 'Parallel';

    for (let i = 0; i < replicas.length; i++)
      if ((await this.#replica(replicas, i, monotonic)) === 'stop') return;
    for (let i = condemned.length - 1; i >= 0; i--) {
      const c = condemned[i];
      if (!c) continue;
      if (isTerminating(c.pod)) {
        if (monotonic) return;
        continue;
      }
      const available = isRunningAndAvailable(c.pod, this.#minReady, this.#in.nowMs);
      if (!available && monotonic && c !== firstUnhealthy) return;
      await this.#ops.maintain(c.pod, c.ordinal);
      await this.#ops.delete(c.pod);
      this.#countRevision(c.pod, -1);
      if (monotonic) return;
    }
    if ((set.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    await this.#rollingUpdate(replicas);
  }

  outcome(): StatefulSyncOutcome {
    const status = this.#status;
    const want = desiredReplicas(this.#in.set);
    // completeRollingUpdate: every replica updated and ready makes the update revision current.
    if (
      (this.#in.set.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' &&
      status.updatedReplicas === want &&
      status.readyReplicas === want &&
      status.replicas === want
    ) {
      status.currentReplicas = status.updatedReplicas;
      status.currentRevision = this.#in.update.name;
    }
    return this.#requeue === undefined ? { status } : { status, requeueAfterMs: this.#requeue };
  }

  async #replica(replicas: Slot[], i: number, monotonic: boolean): Promise<'stop' | 'next'> {
    let slot = replicas[i];
    if (!slot) return 'next';
    const { set } = this.#in;
    const where = `${set.metadata.namespace ?? ''}/${set.metadata.name ?? ''}`;
    if (slot.created && isPodTerminal(slot.pod)) {
      const failed = slot.pod.status?.phase === 'Failed';
      this.#ops.event(
        failed ? 'Warning' : 'Normal',
        failed ? 'RecreatingFailedPod' : 'RecreatingTerminatedPod',
        `StatefulSet ${where} is recreating ${failed ? 'failed' : 'terminated'} Pod ${slot.pod.metadata.name ?? ''}`,
      );
      if (!isTerminating(slot.pod)) await this.#ops.delete(slot.pod);
      this.#count(slot.pod, -1);
      slot = this.#fresh(slot.ordinal);
      replicas[i] = slot;
    }
    if (!slot.created) {
      if (!(await this.#ops.create(slot.pod, slot.ordinal))) return 'stop';
      slot.created = true;
      this.#status.replicas++;
      this.#countRevision(slot.pod, 1);
      return monotonic ? 'stop' : 'next';
    }
    if (isTerminating(slot.pod)) return monotonic ? 'stop' : 'next';
    if (!isRunningAndReady(slot.pod) && monotonic) return 'stop';
    if (!isRunningAndAvailable(slot.pod, this.#minReady, this.#in.nowMs) && monotonic) return 'stop';
    await this.#ops.maintain(slot.pod, slot.ordinal);
    return 'next';
  }

  async #rollingUpdate(replicas: Slot[]): Promise<void> {
    const rolling = this.#in.set.spec.updateStrategy?.rollingUpdate;
    const updateMin = rolling?.partition ?? 0;
    const update = this.#in.update.name;
    const outdated = (s: Slot): boolean => podRevision(s.pod) !== update && !isTerminating(s.pod);
    if (rolling?.maxUnavailable === undefined) {
      for (let t = replicas.length - 1; t >= updateMin; t--) {
        const s = replicas[t];
        if (!s) continue;
        if (s.created && outdated(s)) {
          await this.#ops.delete(s.pod);
          this.#countRevision(s.pod, -1);
          return;
        }
        if (!s.created || !isHealthy(s.pod)) return;
      }
      return;
    }
    const budget = Math.max(1, scaled(rolling.maxUnavailable, replicas.length, false));
    const now = this.#in.nowMs;
    const unavailable = replicas.filter(
      (s) => !s.created || isTerminating(s.pod) || !isRunningAndAvailable(s.pod, this.#minReady, now),
    ).length;
    let allowed = budget - unavailable;
    for (let t = replicas.length - 1; t >= updateMin && allowed > 0; t--) {
      const s = replicas[t];
      if (!s?.created || !outdated(s)) continue;
      await this.#ops.delete(s.pod);
      this.#countRevision(s.pod, -1);
      allowed--;
    }
  }

  /** A not-yet-created pod for `ordinal` at the revision its position calls for (newVersionedStatefulSetPod). */
  #fresh(ordinal: number): Slot {
    const { set, current, update } = this.#in;
    const rolling = set.spec.updateStrategy?.rollingUpdate;
    const type = set.spec.updateStrategy?.type ?? 'RollingUpdate';
    const start = startOrdinal(set);
    const atCurrent =
      (type === 'RollingUpdate' &&
        rolling === undefined &&
        ordinal < start + (set.status?.currentReplicas ?? 0)) ||
      (rolling !== undefined && ordinal < start + (rolling.partition ?? 0));
    const rev = atCurrent ? current : update;
    return {
      pod: newStatefulPod(set, ordinal, { template: rev.template, revisionName: rev.name }),
      ordinal,
      created: false,
    };
  }

  #count(pod: Pod, sign: 1 | -1): void {
    const s = this.#status;
    s.replicas += sign;
    if (isRunningAndReady(pod)) {
      s.readyReplicas = (s.readyReplicas ?? 0) + sign;
      const wait = msUntilAvailable(pod, this.#minReady, this.#in.nowMs) ?? 0;
      if (wait === 0) s.availableReplicas += sign;
      else if (sign > 0) this.#requeue = Math.min(this.#requeue ?? wait, wait);
    }
    if (!isTerminating(pod)) this.#countRevision(pod, sign);
  }

  #countRevision(pod: Pod, sign: 1 | -1): void {
    const rev = podRevision(pod);
    if (rev === this.#in.current.name)
      this.#status.currentReplicas = (this.#status.currentReplicas ?? 0) + sign;
    if (rev === this.#in.update.name)
      this.#status.updatedReplicas = (this.#status.updatedReplicas ?? 0) + sign;
  }
}

/** An int-or-percent of `total` (intstr.GetScaledValueFromIntOrPercent). */
export function scaled(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number(value) || 0;
  const raw = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}
