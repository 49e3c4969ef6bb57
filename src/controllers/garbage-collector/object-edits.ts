/**
 * Read-modify-write edits the garbage collector makes to live objects: dropping ownerReferences
 * and finalizers. Each re-reads the object, applies the edit, and PUTs it with its
 * resourceVersion, retrying on conflict; a vanished object or a changed UID ends the edit.
 */
import type { KubeObject } from '../../api/meta.js';
import { isConflict, isNotFound } from '../../api/status.js';
import type { ApiClient } from '../../client/api-client.js';
import type { ResourceRef } from '../../client/resource-path.js';
import { cloneJson } from '../../base/json-clone.js';

const MAX_ATTEMPTS = 5;

/** Identifies one live object. */
export interface ObjectTarget {
  ref: ResourceRef;
  name: string;
  uid: string;
}

/**
 * Applies `edit` to the live object (`edit` returns undefined for "nothing to change"). Resolves
 * false when the object is gone (or replaced); throws after repeated conflicts.
 */
export async function editObject(
  client: ApiClient,
  request: { target: ObjectTarget; edit: (obj: KubeObject) => KubeObject | undefined; signal: AbortSignal },
): Promise<boolean> {
  const { target, edit, signal } = request;
  const opts = { signal };
  for (let attempt = 1; ; attempt++) {
    let live: KubeObject;
    try {
      live = await client.get(target.ref, target.name, opts);
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    if (live.metadata.uid !== target.uid) return false;
    const next = edit(cloneJson(live));
    if (next === undefined) return true;
    try {
      await client.update(target.ref, next, opts);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      if (!isConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

/** An edit removing `finalizer` from metadata.finalizers. */
export function withoutFinalizer(finalizer: string): (obj: KubeObject) => KubeObject | undefined {
  return (obj) => {
    const finalizers = obj.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return undefined;
    obj.metadata.finalizers = finalizers.filter((f) => f !== finalizer);
    return obj;
  };
}

/** An edit removing the ownerReferences whose UID is in `uids`. */
export function withoutOwners(uids: ReadonlySet<string>): (obj: KubeObject) => KubeObject | undefined {
  return (obj) => {
    const refs = obj.metadata.ownerReferences ?? [];
    const kept = refs.filter((r) => !uids.has(r.uid));
    if (kept.length === refs.length) return undefined;
    if (kept.length === 0) delete obj.metadata.ownerReferences;
    else obj.metadata.ownerReferences = kept;
    return obj;
  };
}
