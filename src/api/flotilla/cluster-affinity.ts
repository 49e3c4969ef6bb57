/**
 * Whether a cluster matches a ClusterAffinity (Karmada's `ClusterMatches`): not excluded; among
 * `clusterNames` when given; matching `labelSelector` and `fieldSelector` (keys provider, region,
 * zone; In/NotIn) when given. Shared by the ClusterAffinity filter, static weights and override rules.
 */
import type { Cluster } from './cluster.js';
import type { ClusterAffinity, FieldSelectorRequirement } from './policy.js';
import { labelSelectorFromObject } from '../labels/selector-object.js';
import type { LabelSelectorObject } from '../labels/selector-object.js';
import { matchesLabels } from '../labels/selector.js';
import type { LabelSelector } from '../labels/selector.js';

/** True when `cluster` matches every part of `affinity` that is set. */
export function clusterMatchesAffinity(cluster: Cluster, affinity: ClusterAffinity): boolean {
  const name = cluster.metadata.name ?? '';
  if (affinity.exclude?.includes(name)) return false;
  if (affinity.clusterNames && affinity.clusterNames.length > 0 && !affinity.clusterNames.includes(name))
    return false;
  if (
    affinity.labelSelector &&
    !matchesLabels(selectorOf(affinity.labelSelector), cluster.metadata.labels ?? {})
  )
    return false;
  for (const req of affinity.fieldSelector?.matchExpressions ?? [])
    if (!fieldMatches(cluster, req)) return false;
  return true;
}

const selectors = new WeakMap<LabelSelectorObject, LabelSelector>();

/** The parsed selector (cached per selector object: placements are not mutated). */
function selectorOf(sel: LabelSelectorObject): LabelSelector {
  let parsed = selectors.get(sel);
  if (!parsed) {
    parsed = labelSelectorFromObject(sel);
    selectors.set(sel, parsed);
  }
  return parsed;
}

/**
 * provider and region compare the cluster's value ('' when unset); zone requires the cluster to
 * have zones, every one of which must satisfy the requirement.
 */
function fieldMatches(cluster: Cluster, req: FieldSelectorRequirement): boolean {
  const spec = cluster.spec ?? {};
  const values = req.values ?? [];
  const inList = req.operator === 'In';
  if (!inList && req.operator !== 'NotIn') return false;
  switch (req.key) {
    case 'provider':
      return values.includes(spec.provider ?? '') === inList;
    case 'region':
      return values.includes(spec.region ?? '') === inList;
    case 'zone': {
      const zones = spec.zones ?? [];
      if (zones.length === 0) return false;
      for (const zone of zones) if (values.includes(zone) !== inList) return false;
      return true;
    }
    default:
      return false;
  }
}
