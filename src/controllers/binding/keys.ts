/**
 * How the binding controllers map Works to bindings and tell which changes matter to them.
 */
import {
  BINDING_KIND_LABEL,
  BINDING_NAMESPACE_LABEL,
  BINDING_NAME_LABEL,
  WORK_NAMESPACE_PREFIX,
} from '../../api/flotilla/work.js';
import type { Work } from '../../api/flotilla/work.js';
import type { KubeObject } from '../../api/meta.js';

/** The binding key a Work belongs to (from its labels; none for Works the hub did not make). */
export function bindingKeysOfWork(w: Work): string[] {
  const labels = w.metadata.labels ?? {};
  const name = labels[BINDING_NAME_LABEL];
  if (!(w.metadata.namespace ?? '').startsWith(WORK_NAMESPACE_PREFIX) || !name) return [];
  const prefix = labels[BINDING_KIND_LABEL] === 'ClusterResourceBinding' ? 'crb' : 'rb';
  return [`${prefix}/${labels[BINDING_NAMESPACE_LABEL] ?? ''}/${name}`];
}

/** Whether an object's spec (its generation) or its deletion changed between two versions. */
export function generationOrDeletionChanged(before: KubeObject, after: KubeObject): boolean {
  return (
    before.metadata.generation !== after.metadata.generation ||
    before.metadata.deletionTimestamp !== after.metadata.deletionTimestamp
  );
}
