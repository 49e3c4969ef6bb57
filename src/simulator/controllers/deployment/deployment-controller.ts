/**
 * The Deployment controller of a simulated member cluster (kube's pkg/controller/deployment):
 * rolls Deployments out through ReplicaSets named `<deployment>-<pod-template-hash>`.
 *
 * Contract:
 * - Level-based: a sync re-reads the Deployment and its ReplicaSets from the shared informer
 *   caches, claims ReplicaSets (adopts matching orphans, releases ones that stopped matching),
 *   then does what kube's syncDeployment does, in its order: status only while deleting; the
 *   paused condition; a paused Deployment or a scaling event only resizes (proportionally
 *   mid-rollout); otherwise one step of the RollingUpdate or Recreate strategy. Status (including
 *   the conditions `kubectl rollout status` reads) is written only when it changed.
 * - Writes use optimistic concurrency; a 409 or any failure is thrown so the key is retried with
 *   backoff. Rollouts with a progress deadline are looked at again when it would pass.
 * - Lookups go through informer indexes (ReplicaSets by controller UID, orphans and Deployments by
 *   namespace, pods by ReplicaSet UID): an event costs O(1), a sync O(its ReplicaSets).
 */
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { OwnerReference } from '../../../api/meta.js';
import { isLabelSelectorEmpty, matchesLabels } from '../../../api/labels/selector.js';
import type { ApiClient } from '../../../client/api-client.js';
import { EventRecorder } from '../../../client/event-recorder.js';
import type { Informer } from '../../../client/informer.js';
import type { SharedInformers } from '../../../client/shared-informers.js';
import { Controller } from '../../../runtime/controller.js';
import { done, requeueAfter } from '../../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../../runtime/reconciler.js';
import type { Runnable } from '../../../runtime/runnable.js';
import { claimChildren } from '../workload-common/claim.js';
import {
  NAMESPACE_INDEX,
  claimCandidates,
  controllerRefOf,
  indexChildren,
  indexOwners,
  keyOf,
  selectorOf,
} from '../workload-common/ownership.js';
import type { Deployment, Pod, ReplicaSet } from '../workload-common/types.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../workload-common/types.js';
import { syncDeployment } from './sync-deployment.js';
import { DEPLOYMENT_KIND, Rollout } from './rollout.js';
import type { RolloutDeps } from './rollout.js';

/** Options of `DeploymentController`. */
export interface DeploymentControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** Records events as `deployment-controller` (one is made when absent). */
  recorder?: EventRecorder;
  /** Concurrent Deployment syncs (default 5, as kube-controller-manager). */
  workers?: number;
}

/** Rolls Deployments out. */
export class DeploymentController implements Runnable, Reconciler {
  readonly #deployments: Informer<Deployment>;
  readonly #replicaSets: Informer<ReplicaSet>;
  readonly #deps: RolloutDeps;
  readonly #controller: Controller;

  constructor(options: DeploymentControllerOptions) {
    this.#deployments = options.informers.informer<Deployment>(DEPLOYMENTS);
    this.#replicaSets = options.informers.informer<ReplicaSet>(REPLICASETS);
    const pods = options.informers.informer<Pod>(PODS);
    indexOwners(this.#deployments);
    indexChildren(this.#replicaSets);
    indexChildren(pods);
    this.#deps = {
      client: options.client,
      recorder:
        options.recorder ??
        new EventRecorder({
          client: options.client,
          clock: options.clock,
          log: options.log,
          component: 'deployment-controller',
        }),
      clock: options.clock,
      log: options.log.child({ controller: 'deployment' }),
      replicaSets: this.#replicaSets,
      pods,
    };
    const ignore = (): string[] => [];
    this.#controller = new Controller({
      name: 'deployment',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 5,
      sources: [
        { informer: this.#deployments as unknown as Informer },
        // Handlers below map these events to Deployment keys.
        { informer: this.#replicaSets as unknown as Informer, keys: ignore },
        { informer: pods, keys: ignore },
      ],
    });
    this.#replicaSets.addHandlers({
      onAdd: (rs) => this.#replicaSetChanged(undefined, rs),
      onUpdate: (old, cur) => this.#replicaSetChanged(old, cur),
      onDelete: (rs) => this.#enqueueOwner(rs.metadata.namespace ?? '', controllerRefOf(rs)),
    });
    pods.addHandlers({ onDelete: (pod) => this.#podDeleted(pod) });
  }

  /** Runs until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** One sync of the Deployment `namespace/name` (syncDeployment). */
  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const cached = this.#deployments.get(key);
    if (!cached) return done;
    const d = workingCopy(cached);
    const selector = d.spec.selector;
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
      const r = new Rollout(this.#deps, d, { rsList: [], signal });
      r.record({
        type: 'Warning',
        reason: 'SelectingAll',
        message: 'This deployment is selecting all pods. A non-empty selector is required.',
      });
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...d.status, observedGeneration: d.metadata.generation ?? 0 };
        await r.updateStatus();
      }
      return done;
    }
    const rsList = await claimChildren({
      client: this.#deps.client,
      owner: d,
      ownerKind: DEPLOYMENT_KIND,
      ownerResource: { ...DEPLOYMENTS, namespace: d.metadata.namespace ?? '' },
      childResource: { ...REPLICASETS, namespace: d.metadata.namespace ?? '' },
      selector: selectorOf(cached),
      candidates: claimCandidates(this.#replicaSets, d),
      signal,
    });
    const r = new Rollout(this.#deps, d, { rsList, signal });
    await syncDeployment(r);
    return r.requeueAfterMs !== undefined ? requeueAfter(r.requeueAfterMs) : done;
  }

  #replicaSetChanged(old: ReplicaSet | undefined, cur: ReplicaSet): void {
    const namespace = cur.metadata.namespace ?? '';
    if (cur.metadata.deletionTimestamp !== undefined && old === undefined) {
      this.#enqueueOwner(namespace, controllerRefOf(cur));
      return;
    }
    if (old && old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = controllerRefOf(cur);
    const oldRef = old ? controllerRefOf(old) : undefined;
    const refChanged = old !== undefined && JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) this.#enqueueOwner(namespace, oldRef);
    if (curRef) {
      this.#enqueueOwner(namespace, curRef);
      return;
    }
    const labelsChanged =
      old !== undefined &&
      JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    // An orphan: wake the Deployments that might adopt it.
    if (old === undefined || labelsChanged || refChanged)
      for (const d of this.#deployments.byIndex(NAMESPACE_INDEX, namespace)) {
        const sel = selectorOf(d);
        if (!isLabelSelectorEmpty(sel) && matchesLabels(sel, cur.metadata.labels))
          this.#controller.enqueue(keyOf(d));
      }
  }

  /** A Recreate rollout waits for old pods to go: their deletion may unblock it. */
  #podDeleted(pod: Pod): void {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.#replicaSets.get(`${pod.metadata.namespace ?? ''}/${ref.name}`);
    if (rs?.metadata.uid !== ref.uid) return;
    const d = this.#resolve(rs.metadata.namespace ?? '', controllerRefOf(rs));
    if (d?.spec.strategy?.type === 'Recreate') this.#controller.enqueue(keyOf(d));
  }

  #enqueueOwner(namespace: string, ref: OwnerReference | undefined): void {
    const d = this.#resolve(namespace, ref);
    if (d) this.#controller.enqueue(keyOf(d));
  }

  #resolve(namespace: string, ref: OwnerReference | undefined): Deployment | undefined {
    if (ref?.kind !== DEPLOYMENT_KIND.kind) return undefined;
    const d = this.#deployments.get(`${namespace}/${ref.name}`);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }
}

/**
 * A copy of a cached Deployment that a sync may edit: it changes only annotations and status
 * (never spec, never a condition object in place), so only those levels are copied.
 */
function workingCopy(d: Deployment): Deployment {
  const copy: Deployment = { ...d, metadata: { ...d.metadata } };
  if (d.metadata.annotations) copy.metadata.annotations = { ...d.metadata.annotations };
  if (d.status) {
    copy.status = { ...d.status };
    if (d.status.conditions) copy.status.conditions = [...d.status.conditions];
  }
  return copy;
}
