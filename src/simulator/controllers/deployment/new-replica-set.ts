/**
 * Finding or creating a Deployment's new ReplicaSet and keeping revisions in order (kube's
 * getAllReplicaSetsAndSyncRevision / getNewReplicaSet): the new ReplicaSet is the one whose
 * template equals the Deployment's; its revision is raised to max(old revisions) + 1 — which is
 * how an old ReplicaSet re-used by `kubectl rollout undo` becomes the newest revision — and the
 * Deployment's revision annotation follows it. A missing new ReplicaSet is created as
 * `<deployment>-<pod-template-hash>`, sized by the strategy, with Progressing NewReplicaSetCreated.
 */
import type { LabelSelectorObject } from '../../../api/labels/selector-object.js';
import { isAlreadyExists, isStatusError } from '../../../api/status.js';
import { isControlledBy, newControllerRef } from '../workload-common/ownership.js';
import { computeHash, equalIgnoreHash } from '../workload-common/pod-template-hash.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../workload-common/types.js';
import {
  FIELD_MANAGER,
  POD_TEMPLATE_HASH_LABEL,
  REPLICASETS,
  specReplicas,
} from '../workload-common/types.js';
import {
  REVISION_ANNOTATION,
  maxRevision,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
} from './annotations.js';
import {
  PROGRESSING,
  Reason,
  getCondition,
  hasProgressDeadline,
  newCondition,
  setCondition,
} from './conditions.js';
import { findNewReplicaSet, findOldReplicaSets } from './replica-sets.js';
import { DEPLOYMENT_KIND } from './rollout.js';
import type { Rollout } from './rollout.js';
import { maxSurge, newRSNewReplicas } from './strategy.js';
import { cloneJson } from '../../../base/json-clone.js';

/** The new ReplicaSet (created when `create` and missing) and all the others. */
export interface ReplicaSetsOfDeployment {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/** The working copy's status, created when absent. */
export function statusOf(d: Deployment): DeploymentStatus {
  return (d.status ??= {});
}

/** Splits the ReplicaSets into new and old, syncing the new one's revision (may write). */
export async function replicaSetsAndSyncRevision(
  r: Rollout,
  create: boolean,
): Promise<ReplicaSetsOfDeployment> {
  const oldRSs = findOldReplicaSets(r.d, r.rsList);
  const newRS = await newReplicaSet(r, { oldRSs, create });
  return { newRS, oldRSs };
}

async function newReplicaSet(
  r: Rollout,
  o: { oldRSs: ReplicaSet[]; create: boolean },
): Promise<ReplicaSet | undefined> {
  const d = r.d;
  const existing = findNewReplicaSet(d, r.rsList);
  const newRevision = maxRevision(o.oldRSs) + 1;
  const desired = specReplicas(d);
  const sizes = { desired, max: desired + maxSurge(d) };
  if (existing) {
    // Only annotations (and minReadySeconds) change: copy those levels, share the rest.
    const copy: ReplicaSet = {
      ...existing,
      metadata: { ...existing.metadata, annotations: { ...existing.metadata.annotations } },
      spec: { ...existing.spec },
    };
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, { newRevision, exists: true, ...sizes });
    const minReady = d.spec.minReadySeconds ?? 0;
    if (annotationsChanged || (copy.spec.minReadySeconds ?? 0) !== minReady) {
      if (minReady !== 0) copy.spec.minReadySeconds = minReady;
      else delete copy.spec.minReadySeconds;
      return r.updateReplicaSet(copy);
    }
    let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
    // Progress was never estimated for this Deployment: start counting from now.
    if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
      const message = `Found new replica set "${copy.metadata.name ?? ''}"`;
      setCondition(
        statusOf(d),
        newCondition(PROGRESSING, 'True', { reason: Reason.FoundNewReplicaSet, message, now: r.nowText() }),
      );
      needsUpdate = true;
    }
    if (needsUpdate) await r.updateStatus();
    return copy;
  }
  if (!o.create) return undefined;
  const rs = replicaSetFor(d);
  rs.spec.replicas = newRSNewReplicas(d, [...o.oldRSs, rs], rs);
  setNewReplicaSetAnnotations(d, rs, { newRevision, exists: false, ...sizes });
  const name = rs.metadata.name ?? '';
  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await r.deps.client.create<ReplicaSet>(
      { ...REPLICASETS, namespace: d.metadata.namespace ?? '' },
      rs,
      {
        fieldManager: FIELD_MANAGER,
        signal: r.signal,
      },
    );
    r.remember(created);
  } catch (err) {
    if (!isAlreadyExists(err)) return failedCreate(r, { name, err });
    alreadyExists = true;
    // A slow cache or a quick resync: the ReplicaSet may be ours already. Otherwise a hash collision.
    const cached = r.deps.replicaSets.get(`${d.metadata.namespace ?? ''}/${name}`);
    if (!cached) throw err;
    if (!isControlledBy(cached, d) || !equalIgnoreHash(d.spec.template, cached.spec.template)) {
      const status = statusOf(d);
      const before = status.collisionCount ?? 0;
      status.collisionCount = before + 1;
      await r.updateStatus();
      r.deps.log.info(
        { deployment: d.metadata.name, oldCollisionCount: before, newCollisionCount: before + 1 },
        'hash collision: bumped collisionCount',
      );
      throw err;
    }
    created = cached;
  }
  const replicas = specReplicas(rs);
  if (!alreadyExists && replicas > 0)
    r.record({
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: `Scaled up replica set ${name} from 0 to ${replicas}`,
    });
  let needsUpdate = setDeploymentRevision(d, String(newRevision));
  if (!alreadyExists && hasProgressDeadline(d)) {
    const message = `Created new replica set "${name}"`;
    setCondition(
      statusOf(d),
      newCondition(PROGRESSING, 'True', { reason: Reason.NewReplicaSetCreated, message, now: r.nowText() }),
    );
    needsUpdate = true;
  }
  if (needsUpdate) await r.updateStatus();
  return created;
}

/** Reports a failed create (Progressing False ReplicaSetCreateError + a Warning event), then rethrows. */
async function failedCreate(r: Rollout, o: { name: string; err: unknown }): Promise<never> {
  if (namespaceTerminating(o.err)) throw o.err;
  const message = `Failed to create new replica set "${o.name}": ${o.err instanceof Error ? o.err.message : String(o.err)}`;
  if (hasProgressDeadline(r.d)) {
    setCondition(
      statusOf(r.d),
      newCondition(PROGRESSING, 'False', { reason: Reason.FailedRSCreate, message, now: r.nowText() }),
    );
    try {
      await r.updateStatus();
    } catch {
      // The create failure is the problem to report; a failed status write is retried with it.
    }
  }
  r.record({ type: 'Warning', reason: Reason.FailedRSCreate, message });
  throw o.err;
}

/** The ReplicaSet kube would create for `d`'s current template (size and annotations unset). */
function replicaSetFor(d: Deployment): ReplicaSet {
  const template = cloneJson(d.spec.template);
  const hash = computeHash(d.spec.template, d.status?.collisionCount);
  const labels = sortedMap({ ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash });
  template.metadata = { ...template.metadata, labels };
  const spec: ReplicaSet['spec'] = {
    replicas: 0,
    selector: withLabel(d.spec.selector, hash),
    template,
  };
  if (d.spec.minReadySeconds) spec.minReadySeconds = d.spec.minReadySeconds;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name ?? ''}-${hash}`,
      namespace: d.metadata.namespace ?? '',
      labels: { ...labels },
      ownerReferences: [newControllerRef(d, DEPLOYMENT_KIND)],
    },
    spec,
  };
}

/** The Deployment's selector plus `pod-template-hash=<hash>` (CloneSelectorAndAddLabel). */
function withLabel(selector: LabelSelectorObject, hash: string): LabelSelectorObject {
  const out: LabelSelectorObject = {
    matchLabels: sortedMap({ ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash }),
  };
  if (selector.matchExpressions) out.matchExpressions = cloneJson(selector.matchExpressions);
  return out;
}

/** Keys in order, as Go's JSON encoder writes maps. */
function sortedMap(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function namespaceTerminating(err: unknown): boolean {
  return isStatusError(err) && err.code === 403 && err.message.endsWith('because it is being terminated');
}
