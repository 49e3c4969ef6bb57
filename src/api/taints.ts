/**
 * Node taints and pod tolerations as core/v1 defines them (`Toleration.ToleratesTaint`): the one
 * matcher the pod scheduler, the DaemonSet controller and the NoExecute taint manager share.
 */

/** A node taint. `timeAdded` is set on the taints the node lifecycle controller adds. */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

/** A pod toleration. An empty key with `Exists` tolerates everything (of `effect`, if set). */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** True when two taints are the same taint: a node or cluster holds one per key and effect. */
export function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/** True when `toleration` tolerates `taint` (effect, key, then Equal/Exists on the value). */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== '' && toleration.effect !== taint.effect)
    return false;
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}
