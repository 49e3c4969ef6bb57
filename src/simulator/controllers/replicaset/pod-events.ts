/**
 * Which ReplicaSet a pod event concerns (kube's addPod / updatePod / deletePod handlers): the
 * owner named by the pod's controller reference (and its previous owner when that changed), or —
 * for an orphan — every ReplicaSet whose selector matches it and might adopt it. Creations and
 * deletions (including the start of a graceful deletion) are counted against the owner's
 * expectations; a pod turning Ready re-checks availability after minReadySeconds.
 */
import type { OwnerReference } from '../../../api/meta.js';
import { isLabelSelectorEmpty, matchesLabels } from '../../../api/labels/selector.js';
import type { Informer } from '../../../client/informer.js';
import type { ControllerExpectations } from '../workload-common/expectations.js';
import { NAMESPACE_INDEX, controllerRefOf, keyOf, selectorOf } from '../workload-common/ownership.js';
import { isPodReady, podKey } from '../workload-common/pod-state.js';
import type { Pod, ReplicaSet } from '../workload-common/types.js';
import { REPLICASET_KIND } from './manage-replicas.js';

/** What the router reads and whom it wakes. */
export interface PodEventRouterOptions {
  pods: Informer<Pod>;
  replicaSets: Informer<ReplicaSet>;
  expectations: ControllerExpectations;
  /** Queues a ReplicaSet key, after `afterMs` of clock time when given. */
  enqueue: (key: string, afterMs?: number) => void;
}

/** Registers the pod handlers on the pod informer. */
export function routePodEvents(options: PodEventRouterOptions): void {
  const router = new PodEventRouter(options);
  options.pods.addHandlers({
    onAdd: (pod) => router.added(pod),
    onUpdate: (old, cur) => router.updated(old, cur),
    onDelete: (pod) => router.deleted(pod),
  });
}

class PodEventRouter {
  readonly #o: PodEventRouterOptions;

  constructor(options: PodEventRouterOptions) {
    this.#o = options;
  }

  added(pod: Pod): void {
    if (pod.metadata.deletionTimestamp !== undefined) {
      // Seen for the first time already terminating (e.g. after a relist): a deletion, not a creation.
      this.deleted(pod);
      return;
    }
    const ref = controllerRefOf(pod);
    if (ref) {
      const rs = this.#resolve(pod.metadata.namespace ?? '', ref);
      if (!rs) return;
      this.#o.expectations.creationObserved(keyOf(rs));
      this.#o.enqueue(keyOf(rs));
      return;
    }
    for (const rs of this.#matchingReplicaSets(pod)) this.#o.enqueue(keyOf(rs));
  }

  updated(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged =
      JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp !== undefined) {
      // Graceful deletion starts here: the replacement should not wait for the kubelet.
      this.deleted(cur);
      if (labelsChanged) this.deleted(old);
      return;
    }
    const curRef = controllerRefOf(cur);
    const oldRef = controllerRefOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const previous = this.#resolve(old.metadata.namespace ?? '', oldRef);
      if (previous) this.#o.enqueue(keyOf(previous));
    }
    if (curRef) {
      const rs = this.#resolve(cur.metadata.namespace ?? '', curRef);
      if (!rs) return;
      this.#o.enqueue(keyOf(rs));
      const minReadySeconds = rs.spec.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReadySeconds > 0)
        this.#o.enqueue(keyOf(rs), (minReadySeconds + 1) * 1000);
      return;
    }
    if (labelsChanged || refChanged)
      for (const rs of this.#matchingReplicaSets(cur)) this.#o.enqueue(keyOf(rs));
  }

  deleted(pod: Pod): void {
    const ref = controllerRefOf(pod);
    if (!ref) return;
    const rs = this.#resolve(pod.metadata.namespace ?? '', ref);
    if (!rs) return;
    this.#o.expectations.deletionObserved(keyOf(rs), podKey(pod));
    this.#o.enqueue(keyOf(rs));
  }

  /** The cached ReplicaSet a controller reference names, if it is still the same object. */
  #resolve(namespace: string, ref: OwnerReference): ReplicaSet | undefined {
    if (ref.kind !== REPLICASET_KIND.kind) return undefined;
    const rs = this.#o.replicaSets.get(`${namespace}/${ref.name}`);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets whose (non-empty) selector matches an orphan pod: who might adopt it. */
  #matchingReplicaSets(pod: Pod): ReplicaSet[] {
    return this.#o.replicaSets.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '').filter((rs) => {
      const sel = selectorOf(rs);
      return !isLabelSelectorEmpty(sel) && matchesLabels(sel, pod.metadata.labels);
    });
  }
}
