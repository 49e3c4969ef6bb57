/**
 * The pod scheduler of a simulated cluster: kube-scheduler's default profile, simplified where no
 * user can tell. It places pods with an empty `spec.nodeName` addressed to `default-scheduler`
 * (or to no scheduler) by `POST pods/<name>/binding`, and explains the ones it cannot place with
 * kube's PodScheduled=False condition and FailedScheduling events.
 *
 * Invariants:
 * - One attempt at a time (kube's scheduling cycle); bindings run in the background, at most
 *   `parallelBinds` at once. A pod being bound is *assumed* in the cache, so the next attempts
 *   count its requests before the informer shows it bound: no node is overcommitted by a burst.
 * - Node totals follow informer events incrementally; an attempt never walks the cluster's pods.
 * - Unschedulable pods are retried when a node is added or changes (not on heartbeats), when an
 *   assigned pod goes away (for pods short of resources), after their backoff if something changed
 *   mid-attempt, and every `unschedulableTimeoutMs` regardless.
 * - The condition is written only when it differs from what the pod shows; no preemption: kube's
 *   dry-run verdict appears in the message, but no pod is ever evicted.
 */
import type { Clock } from '../../base/clock.js';
import { errorMessage } from '../../base/errors.js';
import type { Logger } from '../../base/logger.js';
import { yieldTurn } from '../../base/turns.js';
import type { KubeObject } from '../../api/meta.js';
import { isNotFound } from '../../api/status.js';
import type { ApiClient } from '../../client/api-client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { objectKey } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { Runnable } from '../../runtime/runnable.js';
import { UnschedulableConditions } from './pod-condition.js';
import {
  DEFAULT_SCHEDULER_NAME,
  isAssigned,
  isTerminal,
  schedulingPod,
  wantsScheduling,
} from './pod-info.js';
import { schedulePod } from './schedule-pod.js';
import { SchedulerCache } from './scheduler-cache.js';
import type { QueuedPod } from './scheduling-queue.js';
import { SchedulingQueue } from './scheduling-queue.js';

/** Options of `PodScheduler`. */
export interface PodSchedulerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** Records Scheduled / FailedScheduling (default: one for component `default-scheduler`). */
  recorder?: EventRecorder;
  /** The pods' `spec.schedulerName` this scheduler answers to (default `default-scheduler`). */
  schedulerName?: string;
  /** Uniform in [0, 1), for tie-breaks between equally good nodes (default `Math.random`). */
  random?: () => number;
  /** kube's percentageOfNodesToScore (default 0: kube's adaptive share, all nodes below 100). */
  percentageOfNodesToScore?: number;
  /** Bindings in flight at once (default 16). */
  parallelBinds?: number;
  /** Backoff of a pod after a failed attempt: 1 s doubling to 10 s by default. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Unschedulable pods are retried after waiting this long (default 60 s)… */
  unschedulableTimeoutMs?: number;
  /** …checked this often (default 30 s). */
  flushIntervalMs?: number;
}

const PODS = { apiVersion: 'v1', plural: 'pods' } as const;
const NODES = { apiVersion: 'v1', plural: 'nodes' } as const;
/** Attempts between yields to the event loop, so informers and bindings progress during a burst. */
const ATTEMPTS_PER_TURN = 32;
/** kube truncates event messages to the API's note length limit. */
const MAX_EVENT_MESSAGE = 1024;

/** Schedules the pods of one simulated cluster. */
export class PodScheduler implements Runnable {
  readonly #o: PodSchedulerOptions;
  readonly #log: Logger;
  readonly #name: string;
  readonly #recorder: EventRecorder;
  readonly #random: () => number;
  readonly #pods: Informer;
  readonly #nodes: Informer;
  readonly #cache = new SchedulerCache();
  readonly #queue: SchedulingQueue;
  readonly #cursor = { next: 0 };
  readonly #conditions: UnschedulableConditions;
  readonly #background = new Set<Promise<void>>();
  #signal: AbortSignal | undefined;

  constructor(options: PodSchedulerOptions) {
    this.#o = options;
    this.#log = options.log.child({ component: 'scheduler' });
    this.#name = options.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.#recorder =
      options.recorder ??
      new EventRecorder({
        client: options.client,
        clock: options.clock,
        log: options.log,
        component: DEFAULT_SCHEDULER_NAME,
      });
    this.#conditions = new UnschedulableConditions({
      client: options.client,
      clock: options.clock,
      log: this.#log,
    });
    this.#random = options.random ?? Math.random;
    this.#queue = new SchedulingQueue({
      clock: options.clock,
      ...(options.backoff?.initialMs !== undefined ? { initialBackoffMs: options.backoff.initialMs } : {}),
      ...(options.backoff?.maxMs !== undefined ? { maxBackoffMs: options.backoff.maxMs } : {}),
      ...(options.unschedulableTimeoutMs !== undefined
        ? { unschedulableTimeoutMs: options.unschedulableTimeoutMs }
        : {}),
    });
    this.#pods = options.informers.informer(PODS);
    this.#nodes = options.informers.informer(NODES);
    this.#nodes.addHandlers({
      onAdd: (node) => this.#onNode(node),
      onUpdate: (_old, node) => this.#onNode(node),
      onDelete: (node) => this.#cache.removeNode(node.metadata.name ?? ''),
    });
    this.#pods.addHandlers({
      onAdd: (pod) => this.#onPod(undefined, pod),
      onUpdate: (old, pod) => this.#onPod(old, pod),
      onDelete: (pod) => this.#onPodDeleted(pod),
    });
  }

  /** Pods per queue place (for tests and metrics). */
  queueCounts(): ReturnType<SchedulingQueue['counts']> {
    return this.#queue.counts();
  }

  /** Schedules until `signal` aborts; resolves once bindings and status writes in flight have settled. */
  async start(signal: AbortSignal): Promise<void> {
    this.#signal = signal;
    const informers = [this.#pods.start(signal), this.#nodes.start(signal)];
    if ((await this.#pods.waitForSync(signal)) && (await this.#nodes.waitForSync(signal))) {
      this.#log.info({ scheduler: this.#name }, 'scheduler started');
      await Promise.all([
        this.#scheduleLoop(signal),
        this.#every(1000, signal, () => this.#queue.flushBackoff()),
        this.#every(this.#o.flushIntervalMs ?? 30_000, signal, () => this.#queue.flushUnschedulable()),
      ]);
    }
    await Promise.all([...informers, ...this.#background]);
  }

  async #scheduleLoop(signal: AbortSignal): Promise<void> {
    const parallel = Math.max(1, this.#o.parallelBinds ?? 16);
    let attempts = 0;
    for (;;) {
      while (this.#background.size >= parallel && !signal.aborted) await Promise.race(this.#background);
      const item = await this.#queue.pop(signal);
      if (!item) return;
      try {
        this.#scheduleOne(item);
      } catch (err) {
        // A bug must cost one attempt, not the scheduler: log it and retry the pod later.
        this.#log.error({ pod: item.key, err: errorMessage(err) }, 'scheduling attempt failed');
        this.#cache.forget(item.key);
        this.#queue.backoff(item);
      }
      if (++attempts % ATTEMPTS_PER_TURN === 0) await yieldTurn();
    }
  }

  #scheduleOne(item: QueuedPod): void {
    const current = this.#pods.get(item.key);
    if (!current || !wantsScheduling(current, this.#name) || this.#cache.isAssumed(item.key)) {
      this.#queue.delete(item.key);
      return;
    }
    const pod = schedulingPod(current);
    const outcome = schedulePod(pod, this.#cache, {
      random: this.#random,
      percentageOfNodesToScore: this.#o.percentageOfNodesToScore ?? 0,
      cursor: this.#cursor,
    });
    if (outcome.kind === 'unfit') {
      this.#log.debug({ pod: item.key, reason: outcome.message }, 'pod is unschedulable');
      this.#recordFailure(current, outcome.message);
      this.#track(this.#conditions.write(current, outcome.message));
      this.#queue.unschedulable(item, outcome.plugins);
      return;
    }
    this.#cache.assume(pod, outcome.node);
    this.#track(this.#bind(item, current, outcome.node));
  }

  async #bind(item: QueuedPod, pod: KubeObject, node: string): Promise<void> {
    const namespace = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace },
      target: { apiVersion: 'v1', kind: 'Node', name: node },
    };
    try {
      const options = this.#signal ? { signal: this.#signal } : {};
      await this.#o.client.post(
        { ...PODS, namespace },
        { name, subresource: 'binding', body: binding },
        options,
      );
    } catch (err) {
      this.#cache.forget(item.key);
      if (this.#signal?.aborted) return;
      this.#queue.moveAll('AssignedPodDelete'); // the room it held is free again
      if (isNotFound(err)) {
        this.#queue.delete(item.key);
        return;
      }
      this.#log.warn({ pod: item.key, node, err: errorMessage(err) }, 'binding failed');
      this.#recordFailure(pod, `running Bind plugin "DefaultBinder": ${errorMessage(err)}`);
      this.#queue.backoff(item);
      return;
    }
    this.#recorder.record(pod, {
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${namespace}/${name} to ${node}`,
    });
    this.#queue.done(item);
  }

  #recordFailure(pod: KubeObject, message: string): void {
    const text =
      message.length <= MAX_EVENT_MESSAGE ? message : `${message.slice(0, MAX_EVENT_MESSAGE - 4)} ...`;
    this.#recorder.record(pod, { type: 'Warning', reason: 'FailedScheduling', message: text });
  }

  #onNode(node: KubeObject): void {
    const change = this.#cache.setNode(node);
    if (change === 'added') this.#queue.moveAll('NodeAdd');
    else if (change === 'updated') this.#queue.moveAll('NodeUpdate');
  }

  #onPod(old: KubeObject | undefined, pod: KubeObject): void {
    const key = objectKey(pod);
    if (isAssigned(pod)) {
      this.#queue.delete(key);
      this.#conditions.forget(key);
      if (!isTerminal(pod)) this.#cache.setAssignedPod(pod);
      else if (this.#cache.removePod(key)) this.#queue.moveAll('AssignedPodDelete');
      return;
    }
    if (this.#cache.isAssumed(key)) return; // being bound: the informer has not caught up yet
    if (wantsScheduling(pod, this.#name))
      this.#queue.upsert(key, pod, old !== undefined && specChanged(old, pod));
    else this.#queue.delete(key);
  }

  #onPodDeleted(pod: KubeObject): void {
    const key = objectKey(pod);
    this.#queue.delete(key);
    this.#conditions.forget(key);
    if (this.#cache.removePod(key)) this.#queue.moveAll('AssignedPodDelete');
  }

  #track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => {
      this.#log.error({ err: errorMessage(err) }, 'scheduler background work failed');
    });
    this.#background.add(tracked);
    void tracked.finally(() => this.#background.delete(tracked));
  }

  async #every(ms: number, signal: AbortSignal, fn: () => void): Promise<void> {
    while (!signal.aborted) {
      // A signal per sleep: a clock may leave its abort listener behind after the sleep ends.
      const tick = new AbortController();
      const stop = (): void => tick.abort();
      signal.addEventListener('abort', stop, { once: true });
      try {
        await this.#o.clock.sleep(ms, tick.signal);
      } catch {
        return;
      } finally {
        signal.removeEventListener('abort', stop);
      }
      fn();
    }
  }
}

/** True when a pod update may change where it fits (kube ignores status and bookkeeping fields). */
function specChanged(old: KubeObject, pod: KubeObject): boolean {
  return (
    JSON.stringify([old['spec'], old.metadata.labels, old.metadata.annotations]) !==
    JSON.stringify([pod['spec'], pod.metadata.labels, pod.metadata.annotations])
  );
}
