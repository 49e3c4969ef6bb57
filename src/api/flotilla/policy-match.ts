/**
 * Which propagation policy claims a template (Karmada's detector rules): a policy matches when
 * one of its `resourceSelectors` does (apiVersion and kind equal; namespace, if set, equal; then
 * `name` if set, else `labelSelector` if set, else any object of the kind). A PropagationPolicy
 * of the template's namespace is preferred to any ClusterPropagationPolicy; among policies of one
 * kind the highest explicit `priority` wins, then the most specific match (name > labelSelector >
 * kind), then the smallest name.
 */
import { labelSelectorFromObject } from '../labels/selector-object.js';
import { matchesLabels } from '../labels/selector.js';
import type { KubeObject } from '../meta.js';
import type { PropagationSpec, ResourceSelector } from './policy.js';

/** A PropagationPolicy or ClusterPropagationPolicy. */
export interface PolicyObject extends KubeObject {
  spec: PropagationSpec;
}

const NAME = 3;
const LABELS = 2;
const KIND = 1;

/** How specifically `selector` matches `template`: 3 name, 2 labels, 1 kind, 0 not at all. */
export function selectorMatch(selector: ResourceSelector, template: KubeObject): number {
  if (selector.apiVersion !== template.apiVersion || selector.kind !== template.kind) return 0;
  if (selector.namespace && selector.namespace !== (template.metadata.namespace ?? '')) return 0;
  if (selector.name) return selector.name === template.metadata.name ? NAME : 0;
  if (selector.labelSelector)
    return matchesLabels(labelSelectorFromObject(selector.labelSelector), template.metadata.labels ?? {})
      ? LABELS
      : 0;
  return KIND;
}

/** How specifically `policy` matches `template` (0: it does not). */
export function policyMatch(policy: PolicyObject, template: KubeObject): number {
  let best = 0;
  for (const selector of policy.spec.resourceSelectors ?? [])
    best = Math.max(best, selectorMatch(selector, template));
  return best;
}

/** The policy that claims `template`, or undefined when none matches. */
export function pickPolicy(
  policies: readonly PolicyObject[],
  template: KubeObject,
): PolicyObject | undefined {
  const namespace = template.metadata.namespace ?? '';
  const eligible = policies
    .filter((p) => p.kind === 'ClusterPropagationPolicy' || (p.metadata.namespace ?? '') === namespace)
    .map((p) => ({ p, match: policyMatch(p, template) }))
    .filter((x) => x.match > 0);
  const clusterWide = (p: PolicyObject): number => (p.kind === 'PropagationPolicy' ? 0 : 1);
  eligible.sort(
    (a, b) =>
      clusterWide(a.p) - clusterWide(b.p) ||
      (b.p.spec.priority ?? 0) - (a.p.spec.priority ?? 0) ||
      b.match - a.match ||
      ((a.p.metadata.name ?? '') < (b.p.metadata.name ?? '') ? -1 : 1),
  );
  return eligible[0]?.p;
}

/** The policy a template is marked as claimed by. */
export interface PolicyClaim {
  kind: 'PropagationPolicy' | 'ClusterPropagationPolicy';
  namespace?: string;
  name: string;
}

/**
 * The policy that should claim `template` now, given the one that holds it (`held`): a claim
 * stands while its policy exists and still selects the template, unless the best policy has
 * `preemption: Always` and outranks it — a PropagationPolicy preempts a ClusterPropagationPolicy
 * whatever their priorities; within one kind, a higher `priority` is needed (Karmada's rules).
 */
export function claimingPolicy(
  policies: readonly PolicyObject[],
  template: KubeObject,
  held: PolicyClaim | undefined,
): PolicyObject | undefined {
  const best = pickPolicy(policies, template);
  if (!held) return best;
  const holder = policies.find(
    (p) =>
      p.kind === held.kind &&
      p.metadata.name === held.name &&
      (held.kind === 'ClusterPropagationPolicy' || (p.metadata.namespace ?? '') === (held.namespace ?? '')),
  );
  if (!holder || policyMatch(holder, template) === 0 || !best || best === holder) return best ?? holder;
  if (best.spec.preemption !== 'Always') return holder;
  if (best.kind === 'PropagationPolicy' && holder.kind === 'ClusterPropagationPolicy') return best;
  if (best.kind === holder.kind && (best.spec.priority ?? 0) > (holder.spec.priority ?? 0)) return best;
  return holder;
}
