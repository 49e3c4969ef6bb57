/**
 * The garbage collector's view of the cluster: every watched object by UID, and an index from an
 * owner UID to the UIDs of objects that name it in `ownerReferences` (kube GC `GraphBuilder`,
 * without virtual nodes: owners not in the graph are checked with a live GET instead).
 *
 * Invariant: `dependents(uid)` lists exactly the graph nodes whose current ownerReferences name
 * `uid`, whether or not `uid` itself is in the graph.
 */
import type { KubeObject } from '../../api/meta.js';
import type { ApiResource } from '../../client/discovery.js';

/** One observed object and the resource it was observed through. */
export interface GraphNode {
  uid: string;
  resource: ApiResource;
  /** The informer's cached object: never mutate. */
  object: KubeObject;
}

/** Objects by UID plus the owner → dependents index. */
export class OwnerGraph {
  readonly #nodes = new Map<string, GraphNode>();
  readonly #dependents = new Map<string, Set<string>>();

  /** Records the latest state of `object`. */
  upsert(resource: ApiResource, object: KubeObject): void {
    const uid = object.metadata.uid;
    if (uid === undefined) return;
    const before = this.#nodes.get(uid);
    if (before) this.#unlink(before);
    const node = { uid, resource, object };
    this.#nodes.set(uid, node);
    for (const ref of object.metadata.ownerReferences ?? []) {
      let set = this.#dependents.get(ref.uid);
      if (!set) this.#dependents.set(ref.uid, (set = new Set()));
      set.add(uid);
    }
  }

  /** Forgets `uid` (its own ownerReferences stop counting; others' references to it stay). */
  remove(uid: string): void {
    const node = this.#nodes.get(uid);
    if (!node) return;
    this.#unlink(node);
    this.#nodes.delete(uid);
  }

  node(uid: string): GraphNode | undefined {
    return this.#nodes.get(uid);
  }

  /** The observed objects whose ownerReferences name `ownerUid`. */
  dependents(ownerUid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const uid of this.#dependents.get(ownerUid) ?? []) {
      const n = this.#nodes.get(uid);
      if (n) out.push(n);
    }
    return out;
  }

  /** Number of objects in the graph. */
  get size(): number {
    return this.#nodes.size;
  }

  #unlink(node: GraphNode): void {
    for (const ref of node.object.metadata.ownerReferences ?? []) {
      const set = this.#dependents.get(ref.uid);
      set?.delete(node.uid);
      if (set?.size === 0) this.#dependents.delete(ref.uid);
    }
  }
}

/** True when `obj` is being deleted and still holds `finalizer`. */
export function deletingWith(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata.deletionTimestamp !== undefined && (obj.metadata.finalizers ?? []).includes(finalizer);
}

export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
