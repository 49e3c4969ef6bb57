/**
 * How a template (and its binding) names the policy that claimed it: labels, as Karmada marks
 * them — `propagationpolicy.flotilla.io/namespace` + `…/name`, or
 * `clusterpropagationpolicy.flotilla.io/name`.
 */
import type { PolicyClaim, PolicyObject } from '../../api/flotilla/policy-match.js';
import type { KubeObject } from '../../api/meta.js';

export const PP_NAMESPACE_LABEL = 'propagationpolicy.flotilla.io/namespace';
export const PP_NAME_LABEL = 'propagationpolicy.flotilla.io/name';
export const CPP_NAME_LABEL = 'clusterpropagationpolicy.flotilla.io/name';
const CLAIM_LABELS = [PP_NAMESPACE_LABEL, PP_NAME_LABEL, CPP_NAME_LABEL];

/** The claim `obj`'s labels record, if any. */
export function claimOf(obj: KubeObject): PolicyClaim | undefined {
  const labels = obj.metadata.labels ?? {};
  const cpp = labels[CPP_NAME_LABEL];
  if (cpp) return { kind: 'ClusterPropagationPolicy', name: cpp };
  const pp = labels[PP_NAME_LABEL];
  if (pp) return { kind: 'PropagationPolicy', name: pp, namespace: labels[PP_NAMESPACE_LABEL] ?? '' };
  return undefined;
}

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
