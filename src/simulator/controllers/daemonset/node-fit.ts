/**
 * Whether a DaemonSet pod belongs on a node (kube `NodeShouldRunDaemonPod` and its predicates):
 * the template's `nodeName`, `nodeSelector` and required node affinity must match the node, and
 * the pod (with the DaemonSet's automatic tolerations) must tolerate the node's NoSchedule and
 * NoExecute taints. A pod that no longer fits may keep running as long as it tolerates the
 * NoExecute taints.
 */
import type { JsonObject, KubeObject } from '../../../api/meta.js';
import type { Taint, Toleration } from '../../../api/taints.js';
import { toleratesTaint } from '../../../api/taints.js';

export type { Taint, Toleration } from '../../../api/taints.js';

/** v1 Node as the DaemonSet controller reads it. */
export interface Node extends KubeObject {
  spec?: { taints?: Taint[]; unschedulable?: boolean };
}

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

interface Term {
  matchExpressions?: Requirement[];
  matchFields?: Requirement[];
}

/** The verdict for one node. */
export interface NodeFit {
  /** A daemon pod should run here (create one if missing). */
  shouldRun: boolean;
  /** A daemon pod already here may stay. */
  shouldContinueRunning: boolean;
}

function untolerated(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: readonly string[],
): boolean {
  return taints.some(
    (taint) => effects.includes(taint.effect) && !tolerations.some((t) => toleratesTaint(t, taint)),
  );
}

function matchesRequirement(req: Requirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const actual = Number.parseInt(value ?? '', 10);
      const bound = Number.parseInt(values[0] ?? '', 10);
      if (value === undefined || Number.isNaN(actual) || Number.isNaN(bound)) return false;
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

function matchesTerm(term: Term, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  // An empty term selects nothing (nodeaffinity.NewLazyErrorNodeSelector).
  if (exprs.length + fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return (
    exprs.every((r) => matchesRequirement(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) &&
    fields.every((r) => r.key === 'metadata.name' && matchesRequirement(r, node.metadata.name))
  );
}

/** The pod spec's nodeSelector and required node affinity both match `node`. */
export function matchesNodeAffinity(spec: JsonObject, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = (spec['nodeSelector'] ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  const affinity = spec['affinity'] as
    | { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: Term[] } } }
    | undefined;
  const required = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined) return true;
  return (required.nodeSelectorTerms ?? []).some((term) => matchesTerm(term, node));
}

/** Where a daemon pod with `spec` (tolerations already added) may run (NodeShouldRunDaemonPod). */
export function nodeFit(spec: JsonObject, node: Node): NodeFit {
  const nodeName = (spec['nodeName'] as string | undefined) ?? '';
  if (nodeName !== '' && nodeName !== node.metadata.name)
    return { shouldRun: false, shouldContinueRunning: false };
  if (!matchesNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = (spec['tolerations'] ?? []) as Toleration[];
  if (!untolerated(taints, tolerations, ['NoSchedule', 'NoExecute']))
    return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !untolerated(taints, tolerations, ['NoExecute']) };
}
