/**
 * The annotations a Deployment keeps on its ReplicaSets and itself (kube's deploymentutil):
 * `deployment.kubernetes.io/revision` (rollout sequence), `…/revision-history` (revisions a
 * re-used ReplicaSet served before), `…/desired-replicas` and `…/max-replicas` (the Deployment's
 * size and size + maxSurge when the ReplicaSet was last scaled), and every other annotation of the
 * Deployment (such as `kubernetes.io/change-cause`) copied onto its new ReplicaSet.
 */
import type { ReplicaSet } from '../workload-common/types.js';
import type { Deployment } from '../workload-common/types.js';

/** The rollout sequence number of a ReplicaSet (and of its Deployment: the newest one's). */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Comma-separated revisions a re-used ReplicaSet served before its current one. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** The Deployment's `spec.replicas` when the ReplicaSet was last sized. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** The Deployment's `spec.replicas` + maxSurge when the ReplicaSet was last sized. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/** Revision history is capped at this many characters (~100 revisions), as kube does. */
const MAX_REVISION_HISTORY_CHARS = 2000;

/** Deployment annotations that are never copied onto ReplicaSets. */
const SKIPPED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

/** The revision of a ReplicaSet: 0 when unannotated, undefined when not an integer. */
export function revisionOf(rs: ReplicaSet): number | undefined {
  const text = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (text === undefined) return 0;
  return parseInteger(text);
}

/** The highest revision among `rss` (unparsable ones skipped). */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) max = Math.max(max, revisionOf(rs) ?? 0);
  return max;
}

/**
 * Brings the new ReplicaSet's annotations up to date (SetNewReplicaSetAnnotations): copies the
 * Deployment's annotations, raises the revision to `newRevision` (recording the old one in the
 * revision history when a ReplicaSet is re-used, as after `kubectl rollout undo`), and — for a
 * ReplicaSet about to be created — sets the replica annotations. Mutates `rs` (a copy); answers
 * whether anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  o: { newRevision: number; exists: boolean; desired: number; max: number },
): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = (rs.metadata.annotations ??= {});
  const oldText = annotations[REVISION_ANNOTATION];
  const oldRevision = oldText === undefined ? 0 : parseInteger(oldText);
  if (oldRevision === undefined) return false;
  if (oldRevision < o.newRevision) {
    annotations[REVISION_ANNOTATION] = String(o.newRevision);
    changed = true;
    if (oldText !== undefined) annotations[REVISION_HISTORY_ANNOTATION] = appendHistory(annotations, oldText);
  }
  if (!o.exists && setReplicasAnnotations(rs, { desired: o.desired, max: o.max })) changed = true;
  return changed;
}

/** Sets the desired/max replica annotations; answers whether they changed. Mutates `rs`. */
export function setReplicasAnnotations(rs: ReplicaSet, o: { desired: number; max: number }): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  if (annotations[DESIRED_REPLICAS_ANNOTATION] !== String(o.desired)) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(o.desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS_ANNOTATION] !== String(o.max)) {
    annotations[MAX_REPLICAS_ANNOTATION] = String(o.max);
    changed = true;
  }
  return changed;
}

/** True when the replica annotations differ from `desired` / `max`. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, o: { desired: number; max: number }): boolean {
  const annotations = rs.metadata.annotations ?? {};
  return (
    annotations[DESIRED_REPLICAS_ANNOTATION] !== String(o.desired) ||
    annotations[MAX_REPLICAS_ANNOTATION] !== String(o.max)
  );
}

/** An integer replica annotation (desired or max), if present and valid. */
export function replicasAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const text = rs.metadata.annotations?.[key];
  return text === undefined ? undefined : parseInteger(text);
}

/** Sets the Deployment's revision annotation; answers whether it changed. Mutates `d` (a copy). */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const annotations = (d.metadata.annotations ??= {});
  if (annotations[REVISION_ANNOTATION] === revision) return false;
  annotations[REVISION_ANNOTATION] = revision;
  return true;
}

function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** The history with `oldRevision` appended, dropping the oldest entries past the length cap. */
function appendHistory(annotations: Record<string, string>, oldRevision: string): string {
  const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
  if (history === '') return oldRevision;
  const entries = history.split(',');
  let total = history.length + oldRevision.length + 1;
  let start = 0;
  while (total > MAX_REVISION_HISTORY_CHARS && start < entries.length) {
    total -= (entries[start]?.length ?? 0) + 1;
    start++;
  }
  if (total > MAX_REVISION_HISTORY_CHARS) return history;
  return [...entries.slice(start), oldRevision].join(',');
}

function parseInteger(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}
