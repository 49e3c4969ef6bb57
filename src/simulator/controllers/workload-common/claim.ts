/**
 * Claiming children (kube's `ControllerRefManager.ClaimObject`): a controller keeps the children it
 * controls that still match its selector, releases those that no longer match, and adopts matching
 * orphans of its namespace — adoptions and releases are strategic-merge patches of
 * `metadata.ownerReferences`, exactly the patches kube-controller-manager sends. Before the first
 * adoption of a pass, the owner is re-read from the server (not the cache) so a controller that is
 * being deleted never adopts (RecheckDeletionTimestamp).
 */
import type { KubeObject } from '../../../api/meta.js';
import { matchesLabels } from '../../../api/labels/selector.js';
import type { LabelSelector } from '../../../api/labels/selector.js';
import { isInvalid, isNotFound } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { ResourceRef } from '../../../client/resource-path.js';
import { controllerRefOf, newControllerRef } from './ownership.js';
import { FIELD_MANAGER } from './types.js';

/** What `claimChildren` needs to know. */
export interface ClaimOptions<T extends KubeObject> {
  client: ApiClient;
  /** The owner (from the cache). */
  owner: KubeObject;
  ownerKind: { apiVersion: string; kind: string };
  /** Where the owner lives, to re-read it before adopting. */
  ownerResource: ResourceRef;
  /** Where the children live. */
  childResource: ResourceRef;
  selector: LabelSelector;
  /** Children the owner controls plus orphans of its namespace. */
  candidates: readonly T[];
  signal: AbortSignal;
}

/**
 * The children the owner controls after adopting and releasing. Children that vanish meanwhile
 * are skipped. Throws the first other failure after trying every child (the caller retries).
 */
export async function claimChildren<T extends KubeObject>(o: ClaimOptions<T>): Promise<T[]> {
  const claimed: T[] = [];
  const errors: unknown[] = [];
  const ownerUid = o.owner.metadata.uid ?? '';
  const ownerDeleting = o.owner.metadata.deletionTimestamp !== undefined;
  let canAdopt: Promise<void> | undefined;
  for (const child of o.candidates) {
    const ref = controllerRefOf(child);
    const matches = matchesLabels(o.selector, child.metadata.labels);
    try {
      if (ref !== undefined) {
        if (ref.uid !== ownerUid) continue;
        if (matches) claimed.push(child);
        else if (!ownerDeleting) await release(o, child);
        continue;
      }
      if (ownerDeleting || !matches || child.metadata.deletionTimestamp !== undefined) continue;
      if (child.metadata.namespace !== o.owner.metadata.namespace) continue;
      canAdopt ??= recheckOwner(o);
      await canAdopt;
      await adopt(o, child);
      claimed.push(child);
    } catch (err) {
      if (!isNotFound(err)) errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
  return claimed;
}

async function recheckOwner<T extends KubeObject>(o: ClaimOptions<T>): Promise<void> {
  const fresh = await o.client.get(o.ownerResource, o.owner.metadata.name ?? '', { signal: o.signal });
  if (fresh.metadata.uid !== o.owner.metadata.uid)
    throw new Error(
      `original ${o.ownerKind.kind} ${o.owner.metadata.namespace ?? ''}/${o.owner.metadata.name ?? ''} is gone: got uid ${fresh.metadata.uid ?? ''}, wanted ${o.owner.metadata.uid ?? ''}`,
    );
  if (fresh.metadata.deletionTimestamp !== undefined)
    throw new Error(
      `${o.ownerKind.kind} ${o.owner.metadata.namespace ?? ''}/${o.owner.metadata.name ?? ''} has just been deleted at ${fresh.metadata.deletionTimestamp}`,
    );
}

async function adopt<T extends KubeObject>(o: ClaimOptions<T>, child: T): Promise<void> {
  const body = {
    metadata: {
      ownerReferences: [newControllerRef(o.owner, o.ownerKind)],
      uid: child.metadata.uid,
    },
  };
  await o.client.patch(o.childResource, child.metadata.name ?? '', {
    body,
    options: { type: 'strategic', fieldManager: FIELD_MANAGER, signal: o.signal },
  });
}

async function release<T extends KubeObject>(o: ClaimOptions<T>, child: T): Promise<void> {
  const body = {
    metadata: {
      ownerReferences: [{ $patch: 'delete', uid: o.owner.metadata.uid }],
      uid: child.metadata.uid,
    },
  };
  try {
    await o.client.patch(o.childResource, child.metadata.name ?? '', {
      body,
      options: { type: 'strategic', fieldManager: FIELD_MANAGER, signal: o.signal },
    });
  } catch (err) {
    // Gone, or already changed so the patch no longer applies: either way it is not ours.
    if (isNotFound(err) || isInvalid(err)) return;
    throw err;
  }
}
