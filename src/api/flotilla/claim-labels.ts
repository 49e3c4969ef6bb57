/**
 * How a template (and its binding) names the policy that claimed it: labels, as Karmada marks
 * them — `propagationpolicy.flotilla.io/namespace` + `…/name`, or
 * `clusterpropagationpolicy.flotilla.io/name`. The detector writes them; anything that shows a
 * binding's policy reads them here.
 */
import type { KubeObject } from '../meta.js';
import type { PolicyClaim } from './policy-match.js';

export const PP_NAMESPACE_LABEL = 'propagationpolicy.flotilla.io/namespace';
export const PP_NAME_LABEL = 'propagationpolicy.flotilla.io/name';
export const CPP_NAME_LABEL = 'clusterpropagationpolicy.flotilla.io/name';
/** Every claim label. */
export const CLAIM_LABELS: readonly string[] = [PP_NAMESPACE_LABEL, PP_NAME_LABEL, CPP_NAME_LABEL];

/** The claim `obj`'s labels record, if any (a ClusterPropagationPolicy's wins if both are there). */
export function claimOf(obj: KubeObject): PolicyClaim | undefined {
  const labels = obj.metadata.labels ?? {};
  const cpp = labels[CPP_NAME_LABEL];
  if (cpp) return { kind: 'ClusterPropagationPolicy', name: cpp };
  const pp = labels[PP_NAME_LABEL];
  if (pp) return { kind: 'PropagationPolicy', name: pp, namespace: labels[PP_NAMESPACE_LABEL] ?? '' };
  return undefined;
}
