/**
 * The DaemonSet controller of a simulated member cluster (kube `pkg/controller/daemon`): one pod
 * per node that fits, created with node affinity to that node for the scheduler to bind;
 * RollingUpdate (maxUnavailable, maxSurge) or OnDelete through ControllerRevisions; the status
 * `kubectl rollout status daemonset` reads.
 *
 * Level-based with expectations: pod creations and deletions are recorded per DaemonSet and the
 * pod informer reports them observed; until then a pass only refreshes status. Node changes that
 * matter (labels, taints, unschedulable, add, delete) requeue every DaemonSet.
 */
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { jsonEqual } from '../../../api/json-equal.js';
import type { JsonValue, KubeObject } from '../../../api/meta.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventInfo, EventRecorder } from '../../../client/event-recorder.js';
import type { Informer } from '../../../client/informer.js';
import { objectKey } from '../../../client/informer.js';
import type { ResourceRef } from '../../../client/resource-path.js';
import type { SharedInformers } from '../../../client/shared-informers.js';
import { Controller } from '../../../runtime/controller.js';
import { done, requeueAfter } from '../../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../../runtime/reconciler.js';
import type { Runnable } from '../../../runtime/runnable.js';
import { ControllerHistory } from '../revisions/controller-history.js';
import { Expectations } from '../revisions/expectations.js';
import { OwnWrites } from '../revisions/own-writes.js';
import { PODS, controllerUidIndex, ownerKey } from '../revisions/workload-pods.js';
import type { Pod } from '../revisions/workload-pods.js';
import { cleanupHistory, constructHistory } from './daemon-history.js';
import { daemonStatus, planManage, planRollingUpdate, viewOf } from './daemon-plan.js';
import type { DaemonView } from './daemon-plan.js';
import { DAEMONSET_KIND, REVISION_LABEL, templateGeneration } from './daemon-pods.js';
import type { DaemonSet, DaemonSetStatus } from './daemon-pods.js';
import { DaemonPodWriter } from './daemon-pod-writer.js';
import type { Node } from './node-fit.js';
import { cloneJson } from '../../../base/json-clone.js';

/** apps/v1 DaemonSets of every namespace. */
export const DAEMONSETS: ResourceRef = { apiVersion: 'apps/v1', plural: 'daemonsets' };
/** v1 Nodes. */
export const NODES: ResourceRef = { apiVersion: 'v1', plural: 'nodes' };

const POD_INDEX = 'daemonset-controller/controller-uid';
const FAILED_BACKOFF_MS = { base: 1_000, max: 15 * 60_000 };

/** Options of `DaemonSetController`. */
export interface DaemonSetControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** Events about DaemonSets (component `daemonset-controller`); none when absent. */
  recorder?: EventRecorder;
  /** Concurrent DaemonSets (default 2, as kube-controller-manager). */
  workers?: number;
}

/** Reconciles DaemonSets into one pod per fitting node. */
export class DaemonSetController implements Runnable, Reconciler {
  readonly #o: DaemonSetControllerOptions;
  readonly #sets: Informer<DaemonSet>;
  readonly #nodes: Informer<Node>;
  readonly #pods: Informer<Pod>;
  readonly #history: ControllerHistory;
  readonly #expectations: Expectations;
  readonly #writer: DaemonPodWriter;
  readonly #failedBackoff = new Map<string, { delayMs: number; at: number }>();
  readonly #writes = new OwnWrites();
  readonly #controller: Controller;

  constructor(options: DaemonSetControllerOptions) {
    this.#o = options;
    this.#sets = options.informers.informer<DaemonSet>(DAEMONSETS);
    this.#nodes = options.informers.informer<Node>(NODES);
    this.#pods = options.informers.informer<Pod>(PODS);
    this.#pods.addIndex(POD_INDEX, controllerUidIndex(DAEMONSET_KIND.kind));
    this.#history = new ControllerHistory({ client: options.client, informers: options.informers });
    this.#expectations = new Expectations({ clock: options.clock });
    this.#writer = new DaemonPodWriter({
      client: options.client,
      expectations: this.#expectations,
      ...(options.recorder ? { recorder: options.recorder } : {}),
    });
    this.#observePods();
    const owner = (obj: KubeObject): string[] => {
      const key = ownerKey(obj, DAEMONSET_KIND.kind);
      return key === undefined ? [] : [key];
    };
    this.#controller = new Controller({
      name: 'daemonset',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 2,
      sources: [
        { informer: this.#sets as unknown as Informer },
        { informer: this.#pods, keys: owner },
        { informer: this.#history.informer as unknown as Informer, keys: owner },
        { informer: this.#nodes, keys: () => [] },
      ],
    });
    this.#nodes.addHandlers({
      onAdd: () => this.#enqueueAll(),
      onUpdate: (before, after) => {
        if (nodeChanged(before, after)) this.#enqueueAll();
      },
      onDelete: () => this.#enqueueAll(),
    });
  }

  /** Runs until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** One pass over the DaemonSet `namespace/name`. */
  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const cached = this.#sets.get(key);
    if (!cached) {
      this.#expectations.forget(key);
      this.#writes.forget(key);
      return done;
    }
    // Our last status write is on its way to the cache; its event brings the key back.
    if (this.#writes.stale(key, cached)) return done;
    const ds: DaemonSet = { ...cached, ...DAEMONSET_KIND };
    if (ds.metadata.deletionTimestamp !== undefined) return done;
    const selector = ds.spec.selector ?? {};
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
      this.#o.recorder?.record(ds, {
        type: 'Warning',
        reason: 'SelectingAll',
        message: 'This daemon set is selecting all pods. A non-empty selector is required.',
      });
      return done;
    }
    const history = await constructHistory(ds, { history: this.#history, signal });
    const snapshot = (): DaemonView =>
      viewOf({
        ds,
        nodes: this.#nodes.list(),
        pods: this.#pods.byIndex(POD_INDEX, ds.metadata.uid ?? ''),
        hash: history.current.metadata.labels?.[REVISION_LABEL] ?? '',
        generation: templateGeneration(ds),
        nowMs: this.#o.clock.now(),
      });
    const view = snapshot();
    if (!this.#expectations.satisfied(key)) {
      await this.#writeStatus(ds, { key, status: daemonStatus(view), observed: false, history }, signal);
      return done;
    }
    let retryIn = await this.#manage(ds, view, { key, signal });
    // Nothing was written when expectations still hold, so the view is still current.
    const rollingUpdate = (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    if (rollingUpdate && this.#expectations.satisfied(key)) {
      const rolling = planRollingUpdate(view);
      await this.#writer.sync(ds, {
        key,
        createOn: rolling.createOn,
        remove: rolling.delete,
        hash: view.hash,
        signal,
      });
    }
    const after = snapshot();
    await cleanupHistory(ds, { history: this.#history, old: history.old, pods: after.pods, signal });
    const status = daemonStatus(after);
    await this.#writeStatus(ds, { key, status, observed: true, history }, signal);
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady !== status.numberAvailable)
      retryIn = Math.min(retryIn ?? minReady * 1000, minReady * 1000);
    return retryIn === undefined ? done : requeueAfter(retryIn);
  }

  /** The manage step; answers when to look again for pods held back by the failed-pod backoff. */
  async #manage(
    ds: DaemonSet,
    view: DaemonView,
    at: { key: string; signal: AbortSignal },
  ): Promise<number | undefined> {
    const plan = planManage(view);
    const remove = [...plan.delete];
    let retryIn: number | undefined;
    const now = this.#o.clock.now();
    for (const { pod, node } of plan.failed) {
      const backoffKey = `${ds.metadata.uid ?? ''}/${node}`;
      const entry = this.#failedBackoff.get(backoffKey);
      if (entry && now - entry.at < entry.delayMs) {
        retryIn = Math.min(retryIn ?? entry.delayMs, entry.delayMs);
        continue;
      }
      const delayMs = entry ? Math.min(entry.delayMs * 2, FAILED_BACKOFF_MS.max) : FAILED_BACKOFF_MS.base;
      this.#failedBackoff.set(backoffKey, { delayMs, at: now });
      this.#event(ds, {
        type: 'Warning',
        reason: 'FailedDaemonPod',
        message: `Found failed daemon pod ${podRef(pod)} on node ${node}, will try to kill it`,
      });
      remove.push(pod);
    }
    for (const { pod, node } of plan.succeeded) {
      this.#event(ds, {
        type: 'Normal',
        reason: 'SucceededDaemonPod',
        message: `Found succeeded daemon pod ${podRef(pod)} on node ${node}, will try to delete it`,
      });
      remove.push(pod);
    }
    // A pod whose node is gone never runs again; pod GC would force-delete a bound one.
    await this.#writer.sync(ds, {
      key: at.key,
      createOn: plan.createOn,
      remove,
      orphaned: plan.orphaned,
      hash: view.hash,
      signal: at.signal,
    });
    return retryIn;
  }

  async #writeStatus(
    ds: DaemonSet,
    at: {
      key: string;
      status: DaemonSetStatus;
      observed: boolean;
      history: { collisionCount: number | undefined };
    },
    signal: AbortSignal,
  ): Promise<void> {
    const before = ds.status;
    const generation = ds.metadata.generation ?? 0;
    const wanted: DaemonSetStatus = { ...at.status };
    const observedGeneration = at.observed ? generation : before?.observedGeneration;
    if (observedGeneration !== undefined && observedGeneration !== 0)
      wanted.observedGeneration = observedGeneration;
    if (at.history.collisionCount !== undefined) wanted.collisionCount = at.history.collisionCount;
    for (const k of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const)
      if (!wanted[k]) delete wanted[k];
    const next = cloneJson(ds);
    next.status = { ...(before?.conditions ? { conditions: before.conditions } : {}), ...wanted };
    if (before && jsonEqual(before as unknown as JsonValue, next.status as unknown as JsonValue)) return;
    this.#writes.record(at.key, await this.#o.client.updateStatus(DAEMONSETS, next, { signal }));
  }

  #observePods(): void {
    const key = (pod: Pod): string | undefined => ownerKey(pod, DAEMONSET_KIND.kind);
    this.#pods.addHandlers({
      onAdd: (pod) => {
        const k = key(pod);
        if (k !== undefined) this.#expectations.creationObserved(k);
      },
      onUpdate: (before, after) => {
        const k = key(after);
        if (
          k !== undefined &&
          before.metadata.deletionTimestamp === undefined &&
          after.metadata.deletionTimestamp !== undefined
        )
          this.#expectations.deletionObserved(k);
      },
      onDelete: (pod) => {
        const k = key(pod);
        if (k !== undefined && pod.metadata.deletionTimestamp === undefined)
          this.#expectations.deletionObserved(k);
      },
    });
  }

  #enqueueAll(): void {
    for (const ds of this.#sets.list()) this.#controller.enqueue(objectKey(ds));
  }

  #event(ds: DaemonSet, event: EventInfo): void {
    this.#o.recorder?.record(ds, event);
  }
}

/** A node change that can change where daemon pods belong (kube shouldIgnoreNodeUpdate, inverted). */
function nodeChanged(before: Node, after: Node): boolean {
  return (
    !jsonEqual(before.metadata.labels ?? {}, after.metadata.labels ?? {}) ||
    !jsonEqual(
      (before.spec?.taints ?? []) as unknown as JsonValue,
      (after.spec?.taints ?? []) as unknown as JsonValue,
    ) ||
    (before.spec?.unschedulable ?? false) !== (after.spec?.unschedulable ?? false)
  );
}

function podRef(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
