/**
 * The hub's scheduler: watches ResourceBindings, ClusterResourceBindings and Clusters, and
 * decides where each binding's replicas go with the engine of core/schedule.ts (the one
 * `flotilla explain` runs). Bindings wait in a priority queue (higher `schedulePriority` first,
 * then oldest); an unschedulable one is parked with backoff and retried early when a cluster
 * changes in a way that could let it fit.
 *
 * Level-based: a binding is (re)scheduled when its spec changed since the last decision
 * (`status.schedulerObservedGeneration`), a reschedule was requested (`rescheduleTriggeredAt`),
 * its last attempt failed, its decision names a cluster that is gone, or it is Duplicated or not a
 * workload (those follow the set of clusters). An unschedulable binding keeps its previous
 * decision: replicas are never taken away because nothing else can host them — except by
 * preemption: a divided binding that does not fit takes replicas from strictly lower-priority
 * bindings (core/preempt.ts plans it, preemption.ts words it); a preempted binding waits for the
 * fleet to change before it tries again. A requested reschedule is a `Rebalance`: a fresh decision
 * that, when it takes replicas off clusters, records the old one in `spec.rebalance` so the old
 * copies stay until the new ones are ready (rebalance-decision.ts). Workload groups
 * (workload-groups.ts) are indexed from the informers. Decisions are made one at a time; their
 * writes overlap.
 */
import type { ResourceBinding, TargetCluster } from '../api/flotilla/binding.js';
import type { Cluster } from '../api/flotilla/cluster.js';
import { jsonEqual } from '../api/json-equal.js';
import type { JsonValue } from '../api/meta.js';
import { errorMessage } from '../base/errors.js';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { ApiClient } from '../client/api-client.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { Informer } from '../client/informer.js';
import type { SharedInformers } from '../client/shared-informers.js';
import type { Lanes } from '../runtime/lanes.js';
import type { Runnable } from '../runtime/runnable.js';
import { dependencyResult, sameTargets, scheduledStatus } from './binding-status.js';
import type { ScheduleTrigger } from './binding-status.js';
import { planPreemption } from './core/preempt.js';
import type { Preemption, PreemptionCandidate, PreemptionPlan } from './core/preempt.js';
import { Reservations } from './reservations.js';
import { schedule } from './core/schedule.js';
import type { ScheduleResult } from './core/schedule.js';
import { preemptedMessage, preemptionCandidate, preemptionSummary, shrunkDecision } from './preemption.js';
import { divisionStrategy } from './division/strategy.js';
import type { PluginSet } from './framework/registry.js';
import { unitFromBinding } from './framework/unit.js';
import { WorkloadGroups } from './workload-groups.js';
import { rebalanceFields } from './rebalance-decision.js';
import type { RebalanceFields } from './rebalance-decision.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import {
  CLUSTERS,
  CLUSTER_RESOURCE_BINDINGS,
  RESOURCE_BINDINGS,
  bindingOfKey,
  keyOf,
  refOf,
} from './binding-refs.js';
import { capacity, decisionComplete, placementInputs, placementRelevant, triggerOf } from './triggers.js';

export interface BindingSchedulerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  recorder?: EventRecorder;
  plugins?: PluginSet;
  /** Backoff of unschedulable bindings (default 1 s doubling to 60 s). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Bindings whose decisions are being written at once (default 16). */
  concurrency?: number;
  /** When given, bindings waiting to be scheduled go before background work (runtime/lanes.ts). */
  lanes?: Lanes;
}

const DEFAULT_CONCURRENCY = 16;

/** A decision to write: the outcome, the clusters now in `spec.clusters`, and why. */
interface Decision extends RebalanceFields {
  result: ScheduleResult;
  clusters: TargetCluster[];
  trigger: ScheduleTrigger;
  signal: AbortSignal;
}

/** Schedules bindings until stopped. */
export class BindingScheduler implements Runnable {
  readonly #o: BindingSchedulerOptions;
  readonly #log: Logger;
  readonly #bindings: Informer<ResourceBinding>;
  readonly #clusterBindings: Informer<ResourceBinding>;
  readonly #clusters: Informer<Cluster>;
  #queue: SchedulingQueue | undefined;
  /** The generation each binding's last decision was written for (until the cache catches up). */
  readonly #written = new Map<string, number>();
  /** Bindings whose decision is being written (a preemptor writes its victims'). */
  readonly #writing = new Set<string>();
  /** Scheduling attempts and their outcome, for metrics and benchmarks. */
  readonly stats = { attempts: 0, scheduled: 0, unschedulable: 0, errors: 0, preempted: 0 };
  /** Counts changes of the fleet's capacity or membership. */
  #capacityEpoch = 0;
  /** Preempted bindings and the capacity epoch they were preempted in. */
  readonly #preempted = new Map<string, number>();
  /** What placement depended on when each binding was last scheduled (`placementInputs`). */
  readonly #decided = new Map<string, string>();
  /** Capacity preemptions freed, held for their preemptors until the summaries catch up. */
  readonly #reservations = new Reservations();
  /** Where each workload group runs. */
  readonly #groups = new WorkloadGroups();

  constructor(options: BindingSchedulerOptions) {
    this.#o = options;
    this.#log = options.log.child({ component: 'scheduler' });
    this.#bindings = options.informers.informer<ResourceBinding>(RESOURCE_BINDINGS);
    this.#clusterBindings = options.informers.informer<ResourceBinding>(CLUSTER_RESOURCE_BINDINGS);
    this.#clusters = options.informers.informer<Cluster>(CLUSTERS);
    for (const [informer, prefix] of [
      [this.#bindings, 'rb'],
      [this.#clusterBindings, 'crb'],
    ] as const) {
      // Status-only updates (ours included) change nothing the decision depends on.
      informer.addHandlers({
        onAdd: (b) => {
          this.#groupsChanged(this.#groups.set(keyOf(prefix, b), b));
          this.#enqueue(prefix, b);
        },
        onUpdate: (before, after) => {
          this.#groupsChanged(this.#groups.set(keyOf(prefix, after), after));
          // A preemptor's replicas report Healthy: the capacity held for them is counted now.
          if (this.#reservations.settle(keyOf(prefix, after), after)) this.#clustersChanged(false);
          if (
            before.metadata.generation !== after.metadata.generation ||
            before.spec.rescheduleTriggeredAt !== after.spec.rescheduleTriggeredAt
          )
            this.#enqueue(prefix, after);
        },
        onDelete: (b) => {
          this.#groupsChanged(this.#groups.delete(keyOf(prefix, b)));
          if (this.#reservations.settle(keyOf(prefix, b), undefined)) this.#clustersChanged(false);
        },
      });
    }
    this.#clusters.addHandlers({
      onAdd: () => this.#clustersChanged(true),
      onDelete: () => this.#clustersChanged(true),
      onUpdate: (before, after) => {
        const placement = placementRelevant(before) !== placementRelevant(after);
        if (placement || !jsonEqual(capacity(before), capacity(after))) this.#clustersChanged(placement);
      },
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    const queue = new SchedulingQueue({
      clock: this.#o.clock,
      signal,
      ...(this.#o.backoff?.initialMs !== undefined ? { initialBackoffMs: this.#o.backoff.initialMs } : {}),
      ...(this.#o.backoff?.maxMs !== undefined ? { maxBackoffMs: this.#o.backoff.maxMs } : {}),
    });
    this.#queue = queue;
    const unregister = this.#o.lanes?.addCritical(() => queue.activeCount);
    try {
      await this.#run(queue, signal);
    } finally {
      unregister?.();
    }
  }

  async #run(queue: SchedulingQueue, signal: AbortSignal): Promise<void> {
    for (const informer of [this.#clusters, this.#bindings, this.#clusterBindings])
      if (!(await informer.waitForSync(signal))) return;
    for (const b of this.#bindings.list()) this.#enqueue('rb', b);
    for (const b of this.#clusterBindings.list()) this.#enqueue('crb', b);
    this.#log.info({}, 'scheduler started');
    // Decisions are made one at a time, in queue order (the synchronous part of #scheduleOne);
    // their writes overlap, up to `concurrency` bindings in flight (never the same one twice).
    const running = new Set<Promise<void>>();
    const limit = Math.max(1, this.#o.concurrency ?? DEFAULT_CONCURRENCY);
    for (;;) {
      const key = await queue.pop();
      if (key === undefined) break;
      const task: Promise<void> = this.#scheduleOne(key, queue, signal)
        .catch((err: unknown) => {
          if (signal.aborted) return;
          this.stats.errors++;
          this.#log.warn({ binding: key, err: errorMessage(err) }, 'scheduling failed; retrying');
          queue.unschedulable(key);
        })
        .finally(() => {
          running.delete(task);
          queue.done(key);
        });
      running.add(task);
      if (running.size >= limit) await Promise.race(running);
    }
    await Promise.allSettled(running);
    this.#log.info({}, 'scheduler stopped');
  }

  #enqueue(prefix: 'rb' | 'crb', b: ResourceBinding): void {
    this.#queue?.add(keyOf(prefix, b), b.spec.schedulePriority?.priority ?? 0);
  }

  /** A workload group moved: bindings waiting on their group's placement may fit now. */
  #groupsChanged(changed: boolean): void {
    if (changed) this.#queue?.moveParkedToActive();
  }

  /** Capacity or membership changed: parked bindings retry; with membership, all are reconsidered. */
  #clustersChanged(membership: boolean): void {
    this.#capacityEpoch++;
    this.#queue?.moveParkedToActive();
    if (!membership) return;
    for (const b of this.#bindings.list()) this.#enqueue('rb', b);
    for (const b of this.#clusterBindings.list()) this.#enqueue('crb', b);
  }

  async #scheduleOne(key: string, queue: SchedulingQueue, signal: AbortSignal): Promise<void> {
    const binding = this.#bindingOf(key);
    if (!binding || binding.metadata.deletionTimestamp) {
      this.#written.delete(key);
      this.#decided.delete(key);
      this.#preempted.delete(key);
      if (this.#reservations.settle(key, undefined)) this.#clustersChanged(false);
      return;
    }
    // A preemptor is rewriting this victim's decision; it parks the victim when done.
    if (this.#writing.has(key)) return;
    const generation = binding.metadata.generation ?? 0;
    // A dependency's binding goes where the workloads that need it go (the detector sets it);
    // the scheduler only records that in its status.
    if (!binding.spec.placement && binding.spec.requiredBy?.length) {
      if (binding.status?.schedulerObservedGeneration !== generation) {
        const result = dependencyResult(binding);
        const trigger = binding.status?.schedulerObservedGeneration === undefined ? 'Initial' : 'SpecChange';
        await this.#writeDecision(key, binding, { result, clusters: result.clusters, trigger, signal });
      }
      return;
    }
    // Our own spec write bumped the generation; its status write may not be in the cache yet.
    if (this.#written.get(key) === generation && binding.status?.schedulerObservedGeneration !== generation)
      return;
    // The same array until a cluster changes: the engine's order of it by name is computed once.
    const clusters = this.#clusters.list();
    const trigger = triggerOf(binding, clusters);
    if (trigger === undefined) return;
    // A spec change that touches nothing placement depends on (an eviction task ending, say)
    // leaves a complete decision alone, as Karmada's scheduler does: only the generation is noted.
    if (
      trigger === 'SpecChange' &&
      this.#decided.get(key) === placementInputs(binding) &&
      decisionComplete(binding, clusters)
    ) {
      await this.#observe(key, binding, signal);
      return;
    }
    const priority = binding.spec.schedulePriority?.priority ?? 0;
    // A preempted binding waits for the fleet's capacity to change before it tries again.
    if (trigger === 'Retry' && this.#preempted.get(key) === this.#capacityEpoch) {
      queue.unschedulable(key, priority);
      return;
    }
    this.#preempted.delete(key);
    this.stats.attempts++;
    const { unit, fresh } = unitFromBinding(binding);
    const workloadGroups = this.#groups.of(key, binding);
    if (workloadGroups) unit.workloadGroups = workloadGroups;
    const held = this.#reservations.overlayFor(key, this.#o.clock.now());
    const input = {
      unit,
      clusters,
      fresh,
      report: false, // only `flotilla explain` reads each cluster's fate
      ...(held ? { freed: held } : {}),
      ...(this.#o.plugins ? { plugins: this.#o.plugins } : {}),
    };
    let result = schedule(input);
    let plan: PreemptionPlan | undefined;
    if (!result.scheduled && binding.spec.schedulePriority?.preemptionPolicy !== 'Never') {
      plan = planPreemption(input, priority, this.#preemptionCandidates(key, priority));
      if (plan) {
        await this.#preemptVictims(binding, plan.preemptions, signal);
        this.#reservations.hold(key, plan.freed, this.#o.clock.now());
        result = { ...plan.result, message: `${plan.result.message} ${preemptionSummary(plan.preemptions)}` };
      }
    }
    const previous = binding.spec.clusters ?? [];
    const next = result.scheduled ? result.clusters : previous;
    if (trigger === 'ClusterChange' && result.scheduled && sameTargets(previous, next)) return;
    const now = new Date(this.#o.clock.now()).toISOString();
    const rebalance = rebalanceFields(binding, { trigger, next, clusters, now });
    const decision = { result, clusters: next, trigger, signal, ...rebalance };
    const current = await this.#writeDecision(key, binding, decision);
    if (result.scheduled) {
      this.#decided.set(key, placementInputs(current));
      this.#reservations.placed(key);
      this.stats.scheduled++;
      queue.forget(key);
      if (plan)
        this.#o.recorder?.record(current, {
          type: 'Normal',
          reason: 'Preempting',
          message: preemptionSummary(plan.preemptions),
        });
      if (!sameTargets(previous, next))
        this.#o.recorder?.record(current, {
          type: 'Normal',
          reason: 'ScheduleBindingSucceed',
          message: result.message,
        });
    } else {
      this.stats.unschedulable++;
      queue.unschedulable(key, priority);
      this.#o.recorder?.record(current, {
        type: 'Warning',
        reason: 'ScheduleBindingFailed',
        message: result.message,
      });
    }
  }

  /**
   * Writes a decision: `spec.clusters` when it changed, then the status, as merge patches that
   * carry only what the scheduler owns, guarded by the resourceVersion it read.
   */
  async #writeDecision(key: string, binding: ResourceBinding, decision: Decision): Promise<ResourceBinding> {
    const { signal, rebalance, ...outcome } = decision;
    const ref = refOf(key);
    const name = binding.metadata.name ?? '';
    this.#writing.add(key);
    try {
      let current = binding;
      const rebalanceChanged =
        rebalance !== undefined && (rebalance !== null || binding.spec.rebalance !== undefined);
      if (!sameTargets(binding.spec.clusters ?? [], decision.clusters) || rebalanceChanged)
        current = await this.#o.client.patch<ResourceBinding>(ref, name, {
          body: {
            metadata: { resourceVersion: binding.metadata.resourceVersion },
            spec: { clusters: decision.clusters, ...(rebalanceChanged ? { rebalance } : {}) },
          },
          options: { type: 'merge', signal },
        });
      const status = scheduledStatus(current.status, {
        ...outcome,
        now: new Date(this.#o.clock.now()).toISOString(),
        generation: current.metadata.generation ?? 0,
      });
      if (!jsonEqual(status as unknown as JsonValue, (current.status ?? null) as unknown as JsonValue))
        await this.#o.client.patch<ResourceBinding>(ref, name, {
          body: { metadata: { resourceVersion: current.metadata.resourceVersion }, status },
          options: { type: 'merge', subresource: 'status', signal },
        });
      this.#written.set(key, current.metadata.generation ?? 0);
      // Peers scheduled next must see this decision before the cache does.
      this.#groupsChanged(
        this.#groups.set(key, { ...current, spec: { ...current.spec, clusters: decision.clusters } }),
      );
      return current;
    } finally {
      this.#writing.delete(key);
    }
  }

  /** Records that the decision stands for the binding's current generation. */
  async #observe(key: string, binding: ResourceBinding, signal: AbortSignal): Promise<void> {
    const generation = binding.metadata.generation ?? 0;
    await this.#o.client.patch(refOf(key), binding.metadata.name ?? '', {
      body: {
        metadata: { resourceVersion: binding.metadata.resourceVersion },
        status: { schedulerObservedGeneration: generation },
      },
      options: { type: 'merge', subresource: 'status', signal },
    });
    this.#written.set(key, generation);
  }

  /** The cached binding `key` names (`rb/namespace/name` or `crb//name`). */
  #bindingOf(key: string): ResourceBinding | undefined {
    return bindingOfKey(key, this.#bindings, this.#clusterBindings);
  }

  /** Every other binding of lower priority that holds replicas, as a possible victim. */
  #preemptionCandidates(self: string, below: number): PreemptionCandidate[] {
    const candidates: PreemptionCandidate[] = [];
    for (const [prefix, informer] of [
      ['rb', this.#bindings],
      ['crb', this.#clusterBindings],
    ] as const)
      for (const b of informer.list()) {
        const key = keyOf(prefix, b);
        if (
          key !== self &&
          !b.metadata.deletionTimestamp &&
          (b.spec.replicas ?? 0) > 0 &&
          (b.spec.schedulePriority?.priority ?? 0) < below
        )
          candidates.push(preemptionCandidate(key, b));
      }
    return candidates;
  }

  /** Takes the planned replicas away from each victim, marks it Preempted and tells its owner. */
  async #preemptVictims(
    preemptor: ResourceBinding,
    preemptions: readonly Preemption[],
    signal: AbortSignal,
  ): Promise<void> {
    const byVictim = new Map<string, Preemption[]>();
    for (const p of preemptions) byVictim.set(p.key, [...(byVictim.get(p.key) ?? []), p]);
    for (const [key, taken] of byVictim) {
      const victim = this.#bindingOf(key);
      if (!victim) continue;
      const message = preemptedMessage(preemptor, taken);
      const result: ScheduleResult = {
        scheduled: false,
        reason: 'Preempted',
        message,
        clusters: [],
        candidates: [],
        strategy: divisionStrategy(victim.spec.placement?.replicaScheduling),
      };
      const clusters = shrunkDecision(victim.spec.clusters ?? [], taken);
      const decision = { result, clusters, trigger: 'Preemption' as const, signal };
      const current = await this.#writeDecision(key, victim, decision);
      this.#preempted.set(key, this.#capacityEpoch);
      this.#queue?.unschedulable(key, victim.spec.schedulePriority?.priority ?? 0);
      this.stats.preempted++;
      this.#o.recorder?.record(current, { type: 'Warning', reason: 'Preempted', message });
    }
  }
}
