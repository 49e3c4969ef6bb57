/**
 * Whether a cluster matches a ClusterAffinity (Karmada's `ClusterMatches`): not excluded; among
 * `clusterNames` when given; matching `labelSelector` and `fieldSelector` (keys provider, region,
 * zone; In/NotIn) when given. Shared by the ClusterAffinity filter and static weights.
 */
import type { Cluster } from '../../api/flotilla/cluster.js';
import type { ClusterAffinity, FieldSelectorRequirement } from '../../api/flotilla/policy.js';
import { labelSelectorFromObject } from '../../api/labels/selector-object.js';
import { matchesLabels } from '../../api/labels/selector.js';

/** True when `cluster` matches every part of `affinity` that is set. */
export function clusterMatchesAffinity(cluster: Cluster, affinity: ClusterAffinity): boolean {
  const name = cluster.metadata.name ?? '';
  if (affinity.exclude?.includes(name)) return false;
  if (affinity.clusterNames && affinity.clusterNames.length > 0 && !affinity.clusterNames.includes(name))
    return false;
  if (
    affinity.labelSelector &&
    !matchesLabels(labelSelectorFromObject(affinity.labelSelector), cluster.metadata.labels ?? {})
  )
    return false;
  for (const req of affinity.fieldSelector?.matchExpressions ?? [])
    if (!fieldMatches(cluster, req)) return false;
  return true;
}

/**
 * provider and region compare the cluster's value ('' when unset); zone requires the cluster to
 * have zones, every one of which must satisfy the requirement.
 */
function fieldMatches(cluster: Cluster, req: FieldSelectorRequirement): boolean {
  const spec = cluster.spec ?? {};
  const one = (value: string): boolean => {
    const listed = (req.values ?? []).includes(value);
    return req.operator === 'In' ? listed : req.operator === 'NotIn' ? !listed : false;
  };
  switch (req.key) {
    case 'provider':
      return one(spec.provider ?? '');
    case 'region':
      return one(spec.region ?? '');
    case 'zone':
      return (spec.zones ?? []).length > 0 && (spec.zones ?? []).every(one);
    default:
      return false;
  }
}
