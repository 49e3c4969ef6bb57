/**
 * The graceful-eviction controller: decides when an evicted cluster's copy may go. While a
 * binding's graceful eviction task names a cluster, the binding controller keeps that cluster's
 * Work; removing the task lets the Work (and, through the execution controller, the member's
 * objects) go. A task is removed when the workload is fully placed elsewhere (the binding is
 * Scheduled for its current generation, on at least one cluster, with all its replicas) and
 *   - its purge mode is `Directly`, or
 *   - every cluster of the new decision reports the workload Healthy, with all the replicas the
 *     decision puts there ready, or
 *   - its grace period (the task's, else the policy's for that kind of failover, else 10 minutes)
 *     is over.
 * A task with `suppressDeletion` (purge mode `Never`) stays until someone clears it. Unlike
 * Karmada (#7455), a task whose workload could not be placed anywhere else is never removed:
 * the last copy stays, and an Event says why.
 */
import type { GracefulEvictionTask, ResourceBinding } from '../../api/flotilla/binding.js';
import { APPLICATION_FAILOVER_PRODUCER } from '../../api/flotilla/binding.js';
import { decisionReady, fullyPlaced, unschedulable } from '../../api/flotilla/placement-ready.js';
import { isConflict } from '../../api/status.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/api-client.js';
import { patchBindingSpec } from '../../client/binding-writes.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import {
  CLUSTER_RESOURCE_BINDINGS,
  RESOURCE_BINDINGS,
  bindingOfKey,
  keyOf,
} from '../../client/flotilla-resources.js';
import type { Informer } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import { Controller } from '../../runtime/controller.js';
import type { Lanes } from '../../runtime/lanes.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import { done, requeueAfter } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';

export interface GracefulEvictionOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  recorder?: EventRecorder;
  /** How long an evicted copy may stay when neither the task nor the policy says (default 10 min). */
  defaultGracePeriodMs?: number;
  /** When given, this controller waits while critical controllers have work (runtime/lanes.ts). */
  lanes?: Lanes;
}

/** What becomes of one task now. */
export type TaskVerdict =
  /** `blocked`: the scheduler could not place the workload elsewhere. */
  | { keep: true; untilMs?: number; blocked?: boolean }
  | { keep: false; why: 'Directly' | 'Healthy' | 'GracePeriodOver' };

/** The verdict on `task` of `binding` at `nowMs`. Pure. */
export function taskVerdict(
  binding: ResourceBinding,
  task: GracefulEvictionTask,
  o: { nowMs: number; defaultGracePeriodMs: number },
): TaskVerdict {
  if (task.suppressDeletion) return { keep: true };
  const policy =
    task.producer === APPLICATION_FAILOVER_PRODUCER
      ? binding.spec.failover?.application
      : binding.spec.failover?.cluster;
  const seconds = task.gracePeriodSeconds ?? policy?.gracePeriodSeconds;
  const graceMs = seconds !== undefined ? seconds * 1000 : o.defaultGracePeriodMs;
  const created = Date.parse(task.creationTimestamp ?? '');
  const untilMs = (Number.isFinite(created) ? created : o.nowMs) + graceMs;
  if (!fullyPlaced(binding)) return { keep: true, blocked: unschedulable(binding) };
  if (task.purgeMode === 'Directly') return { keep: false, why: 'Directly' };
  if (decisionReady(binding)) return { keep: false, why: 'Healthy' };
  if (o.nowMs >= untilMs) return { keep: false, why: 'GracePeriodOver' };
  return { keep: true, untilMs };
}

/** Removes graceful eviction tasks whose time has come. */
export class GracefulEvictionController implements Runnable, Reconciler {
  readonly #o: GracefulEvictionOptions;
  readonly #rb: Informer<ResourceBinding>;
  readonly #crb: Informer<ResourceBinding>;
  readonly #controller: Controller;
  /** Tasks already reported as blocked (`key|cluster|created`), so the Event is not repeated. */
  readonly #blocked = new Set<string>();

  constructor(options: GracefulEvictionOptions) {
    this.#o = options;
    this.#rb = options.informers.informer<ResourceBinding>(RESOURCE_BINDINGS);
    this.#crb = options.informers.informer<ResourceBinding>(CLUSTER_RESOURCE_BINDINGS);
    this.#controller = new Controller({
      name: 'graceful-eviction',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      sources: [
        { informer: this.#rb as unknown as Informer, keys: (b) => [keyOf('rb', b)] },
        { informer: this.#crb as unknown as Informer, keys: (b) => [keyOf('crb', b)] },
      ],
      workers: 2,
      lane: { lanes: options.lanes, priority: 'background' },
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const binding = bindingOfKey(key, this.#rb, this.#crb);
    const tasks = binding?.spec.gracefulEvictionTasks ?? [];
    if (!binding || binding.metadata.deletionTimestamp || tasks.length === 0) return done;
    const nowMs = this.#o.clock.now();
    const options = { nowMs, defaultGracePeriodMs: this.#o.defaultGracePeriodMs ?? 600_000 };
    const kept: GracefulEvictionTask[] = [];
    let nextMs: number | undefined;
    for (const task of tasks) {
      const verdict = taskVerdict(binding, task, options);
      if (verdict.keep) {
        kept.push(task);
        if (verdict.untilMs !== undefined) nextMs = Math.min(nextMs ?? verdict.untilMs, verdict.untilMs);
        const id = `${key}|${task.fromCluster}|${task.creationTimestamp ?? ''}`;
        if (verdict.blocked && !this.#blocked.has(id)) {
          this.#blocked.add(id);
          this.#o.recorder?.record(binding, {
            type: 'Warning',
            reason: 'EvictionBlocked',
            message: `Keeping the copy on ${task.fromCluster}: the workload is not placed elsewhere yet (${scheduledMessage(binding)}).`,
          });
        }
        continue;
      }
      this.#o.recorder?.record(binding, {
        type: 'Normal',
        reason: 'EvictionDone',
        message: `The copy on ${task.fromCluster} goes: ${WHY[verdict.why]}.`,
      });
    }
    if (kept.length !== tasks.length) {
      try {
        await patchBindingSpec(this.#o.client, binding, {
          spec: { gracefulEvictionTasks: kept.length > 0 ? kept : null },
          signal,
        });
      } catch (err) {
        if (isConflict(err)) return done; // the update event brings it back
        throw err;
      }
    }
    return nextMs === undefined ? done : requeueAfter(Math.max(0, nextMs - nowMs));
  }
}

const WHY: Record<'Directly' | 'Healthy' | 'GracePeriodOver', string> = {
  Directly: 'the workload is placed elsewhere (purge mode Directly)',
  Healthy: 'its replicas are Healthy elsewhere',
  GracePeriodOver: 'the grace period is over and the workload is placed elsewhere',
};

function scheduledMessage(binding: ResourceBinding): string {
  const c = binding.status?.conditions?.find((x) => x.type === 'Scheduled');
  return c ? `${c.reason ?? c.status}: ${c.message ?? ''}`.trim() : 'not scheduled yet';
}
