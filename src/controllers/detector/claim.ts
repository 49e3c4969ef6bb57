/**
 * How a template (and its binding) names the policy that claimed it: labels, as Karmada marks
 * them — `propagationpolicy.flotilla.io/namespace` + `…/name`, or
 * `clusterpropagationpolicy.flotilla.io/name`. The labels and `claimOf` live in
 * api/flotilla/claim-labels.ts (the CLI reads them too); here is how the detector writes them.
 */
import type { PolicyObject } from '../../api/flotilla/policy-match.js';
import type { KubeObject } from '../../api/meta.js';
import {
  CLAIM_LABELS,
  CPP_NAME_LABEL,
  PP_NAME_LABEL,
  PP_NAMESPACE_LABEL,
} from '../../api/flotilla/claim-labels.js';

export { claimOf } from '../../api/flotilla/claim-labels.js';

/** The claim labels for `policy`. */
export function claimLabels(policy: PolicyObject): Record<string, string> {
  return policy.kind === 'ClusterPropagationPolicy'
    ? { [CPP_NAME_LABEL]: policy.metadata.name ?? '' }
    : { [PP_NAMESPACE_LABEL]: policy.metadata.namespace ?? '', [PP_NAME_LABEL]: policy.metadata.name ?? '' };
}

/**
 * A merge patch of `metadata.labels` that makes `obj`'s claim labels `wanted` (none: remove
 * them), or undefined when they already are.
 */
export function claimLabelPatch(
  obj: KubeObject,
  wanted: Record<string, string>,
): Record<string, string | null> | undefined {
  const labels = obj.metadata.labels ?? {};
  const patch: Record<string, string | null> = {};
  for (const key of CLAIM_LABELS) {
    const want = wanted[key];
    if (want !== undefined && labels[key] !== want) patch[key] = want;
    if (want === undefined && labels[key] !== undefined) patch[key] = null;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** `labels` with the claim labels of `policy` (and no other claim labels). */
export function withClaimLabels(
  labels: Record<string, string>,
  policy: PolicyObject,
): Record<string, string> {
  const out = { ...labels };
  for (const key of CLAIM_LABELS) delete out[key];
  return { ...out, ...claimLabels(policy) };
}
