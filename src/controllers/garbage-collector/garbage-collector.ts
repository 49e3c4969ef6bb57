/**
 * The garbage collector (kube-controller-manager's, kube-api.md §13.3), reconciling by object UID:
 *
 * - A dependent none of whose owners exists any more (by UID; a miss in the graph is confirmed
 *   with a live GET) is deleted in the background. Dangling references next to a live owner are
 *   removed instead.
 * - An owner being deleted with `foregroundDeletion`: its dependents are deleted (in the
 *   foreground, so it recurses); once no dependent with `blockOwnerDeletion: true` remains, the
 *   finalizer is removed.
 * - An owner being deleted with `orphan`: its reference is removed from every dependent, then the
 *   finalizer.
 *
 * Workers start only after every monitor has listed, so an owner is never finalized against a
 * partial view of its dependents.
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { KubeObject, OwnerReference } from '../../api/meta.js';
import { isConflict, isNotFound } from '../../api/status.js';
import type { ApiClient } from '../../client/api-client.js';
import { resourceForKind } from '../../client/discovery.js';
import type { ApiResource } from '../../client/discovery.js';
import type { ResourceRef } from '../../client/resource-path.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import { Controller } from '../../runtime/controller.js';
import { done } from '../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';
import { deletingWith, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, OwnerGraph } from './graph.js';
import type { GraphNode } from './graph.js';
import { ResourceMonitors } from './monitors.js';
import { editObject, withoutFinalizer, withoutOwners } from './object-edits.js';

/** Options of `GarbageCollector`. */
export interface GarbageCollectorOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  /** Concurrent reconciles (default 4). */
  workers?: number;
  /** Re-discovery period in ms (default 30 s). */
  resyncMs?: number;
  /** Resources never collected, as `plural` or `plural.group` (default: events). */
  ignoredResources?: readonly string[];
  /** The process's shared informers, read instead of a watch of its own where one exists. */
  informers?: SharedInformers;
}

type OwnerState = 'absent' | 'solid' | 'waiting';

const ABSENT_CACHE_LIMIT = 10_000;

/** Deletes objects whose owners are gone and runs the orphan/foreground finalizers. */
export class GarbageCollector implements Runnable, Reconciler {
  readonly #client: ApiClient;
  readonly #log: Logger;
  readonly #graph = new OwnerGraph();
  readonly #monitors: ResourceMonitors;
  readonly #controller: Controller;
  /** Owner UIDs confirmed absent by a live read; UIDs are never reused, so this never goes stale. */
  readonly #absent = new Set<string>();

  constructor(options: GarbageCollectorOptions) {
    this.#client = options.client;
    this.#log = options.log.child({ controller: 'garbage-collector' });
    this.#monitors = new ResourceMonitors({
      client: options.client,
      clock: options.clock,
      log: this.#log,
      resyncMs: options.resyncMs ?? 30_000,
      ignored: new Set(options.ignoredResources ?? ['events', 'events.events.k8s.io']),
      ...(options.informers ? { shared: options.informers } : {}),
      handlers: {
        onUpsert: (resource, obj) => this.#onUpsert(resource, obj),
        onDelete: (_resource, obj) => this.#onDelete(obj),
      },
    });
    this.#controller = new Controller({
      name: 'garbage-collector',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 4,
    });
  }

  /** Watches every collectable resource and collects until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const monitors = this.#monitors.start(signal);
    if (await this.#monitors.waitForSync(signal)) {
      this.#log.info({ objects: this.#graph.size }, 'garbage collector synced');
      await this.#controller.start(signal);
    }
    await monitors;
  }

  /** Reconciles the object with UID `uid`, as owner and as dependent. */
  async reconcile(uid: string, signal: AbortSignal): Promise<Result> {
    const node = this.#graph.node(uid);
    if (!node) return done;
    const obj = node.object;
    if (deletingWith(obj, ORPHAN_FINALIZER)) {
      await this.#orphanDependents(node, signal);
      return done;
    }
    if (deletingWith(obj, FOREGROUND_FINALIZER)) await this.#deleteDependents(node, signal);
    const refs = obj.metadata.ownerReferences ?? [];
    // Cheap exit before any live read: every owner is in the graph and not being deleted.
    if (refs.some((r) => this.#ownerStateFromGraph(r.uid) !== 'solid'))
      await this.#collectIfOrphaned(node, signal);
    return done;
  }

  #onUpsert(resource: ApiResource, obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (uid === undefined) return;
    const before = this.#graph.node(uid)?.object;
    this.#graph.upsert(resource, obj);
    if (deletingWith(obj, ORPHAN_FINALIZER) || deletingWith(obj, FOREGROUND_FINALIZER))
      this.#controller.enqueue(uid);
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.some((r) => this.#ownerStateFromGraph(r.uid) !== 'solid')) this.#controller.enqueue(uid);
    // A dependent that changed may unblock an owner waiting for its dependents.
    for (const r of [...(before?.metadata.ownerReferences ?? []), ...refs]) this.#enqueueIfWaiting(r.uid);
  }

  #onDelete(obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (uid === undefined) return;
    this.#graph.remove(uid);
    for (const d of this.#graph.dependents(uid)) this.#controller.enqueue(d.uid);
    for (const r of obj.metadata.ownerReferences ?? []) this.#enqueueIfWaiting(r.uid);
  }

  #enqueueIfWaiting(uid: string): void {
    if (this.#ownerStateFromGraph(uid) === 'waiting') this.#controller.enqueue(uid);
  }

  #ownerStateFromGraph(uid: string): OwnerState {
    const owner = this.#graph.node(uid);
    if (!owner) return 'absent';
    return deletingWith(owner.object, FOREGROUND_FINALIZER) ? 'waiting' : 'solid';
  }

  async #orphanDependents(owner: GraphNode, signal: AbortSignal): Promise<void> {
    const uids = new Set([owner.uid]);
    for (const d of this.#graph.dependents(owner.uid)) {
      await editObject(this.#client, { target: targetOf(d), edit: withoutOwners(uids), signal });
    }
    await editObject(this.#client, {
      target: targetOf(owner),
      edit: withoutFinalizer(ORPHAN_FINALIZER),
      signal,
    });
    this.#log.info({ owner: describe(owner) }, 'orphaned dependents');
  }

  async #deleteDependents(owner: GraphNode, signal: AbortSignal): Promise<void> {
    const dependents = this.#graph.dependents(owner.uid);
    for (const d of dependents)
      if (d.object.metadata.deletionTimestamp === undefined) this.#controller.enqueue(d.uid);
    const blocking = dependents.filter((d) =>
      (d.object.metadata.ownerReferences ?? []).some(
        (r) => r.uid === owner.uid && r.blockOwnerDeletion === true,
      ),
    );
    if (blocking.length > 0) return;
    await editObject(this.#client, {
      target: targetOf(owner),
      edit: withoutFinalizer(FOREGROUND_FINALIZER),
      signal,
    });
    this.#log.info({ owner: describe(owner) }, 'foreground deletion finished');
  }

  /** The dependent side (kube `attemptToDeleteItem`), decided on the live object. */
  async #collectIfOrphaned(node: GraphNode, signal: AbortSignal): Promise<void> {
    const target = targetOf(node);
    let live: KubeObject;
    try {
      live = await this.#client.get(target.ref, target.name, { signal });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (live.metadata.uid !== node.uid) return;
    if (live.metadata.deletionTimestamp !== undefined && !deletingWith(live, FOREGROUND_FINALIZER)) return;
    const refs = live.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const states = await Promise.all(
      refs.map((r) => this.#ownerState(r, { namespace: live.metadata.namespace, signal })),
    );
    const solid = states.filter((s) => s === 'solid').length;
    if (solid > 0) {
      const stale = new Set(refs.filter((_r, i) => states[i] !== 'solid').map((r) => r.uid));
      if (stale.size > 0) await editObject(this.#client, { target, edit: withoutOwners(stale), signal });
      return;
    }
    const policy = states.includes('waiting') ? 'Foreground' : 'Background';
    try {
      await this.#client.delete(target.ref, target.name, {
        propagationPolicy: policy,
        preconditions: { uid: node.uid },
        signal,
      });
      this.#log.info({ object: describe(node), policy }, 'deleting object whose owners are gone');
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  async #ownerState(
    ref: OwnerReference,
    at: { namespace: string | undefined; signal: AbortSignal },
  ): Promise<OwnerState> {
    const cached = this.#ownerStateFromGraph(ref.uid);
    if (cached !== 'absent' || this.#absent.has(ref.uid)) return cached;
    const resource = resourceForKind(this.#monitors.resources, ref.apiVersion, ref.kind);
    if (!resource) throw new Error(`cannot resolve owner kind ${ref.kind} in ${ref.apiVersion}`);
    if (resource.namespaced && at.namespace === undefined) return this.#markAbsent(ref.uid);
    const ownerRef: ResourceRef = {
      apiVersion: resource.apiVersion,
      plural: resource.plural,
      ...(resource.namespaced && at.namespace !== undefined ? { namespace: at.namespace } : {}),
    };
    try {
      const owner = await this.#client.get(ownerRef, ref.name, { signal: at.signal });
      if (owner.metadata.uid !== ref.uid) return this.#markAbsent(ref.uid);
      return deletingWith(owner, FOREGROUND_FINALIZER) ? 'waiting' : 'solid';
    } catch (err) {
      if (isNotFound(err)) return this.#markAbsent(ref.uid);
      throw err;
    }
  }

  #markAbsent(uid: string): OwnerState {
    if (this.#absent.size >= ABSENT_CACHE_LIMIT) this.#absent.clear();
    this.#absent.add(uid);
    return 'absent';
  }
}

function targetOf(node: GraphNode): { ref: ResourceRef; name: string; uid: string } {
  const { namespace, name } = node.object.metadata;
  return {
    ref: {
      apiVersion: node.resource.apiVersion,
      plural: node.resource.plural,
      ...(namespace !== undefined ? { namespace } : {}),
    },
    name: name ?? '',
    uid: node.uid,
  };
}

function describe(node: GraphNode): string {
  const { namespace, name } = node.object.metadata;
  return `${node.resource.plural}/${namespace ? `${namespace}/` : ''}${name ?? ''}`;
}
