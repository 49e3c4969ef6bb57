/**
 * What a template asks of the fleet, read from the workload kinds Flotilla knows (Karmada's native
 * interpreters): replicas and what one replica needs. Deployment, ReplicaSet and StatefulSet:
 * `spec.replicas` (default 1); Job: `spec.parallelism` (default 1), no more than the completions
 * still to come; Pod: 1. Requirements come from the pod template: summed container requests (as
 * the kube-scheduler counts them), node selector, tolerations, priority class. Other kinds are
 * not workloads: 0 replicas and no requirements.
 */
import type { KubeObject } from '../meta.js';
import { formatBytes } from '../quantity.js';
import { podRequests } from '../pod-resources.js';
import type { PodSpecResourcesLike } from '../pod-resources.js';
import type { Toleration } from '../taints.js';
import type { ReplicaRequirements } from './binding.js';

export interface WorkloadShape {
  replicas: number;
  requirements?: ReplicaRequirements;
}

interface PodSpecLike extends PodSpecResourcesLike {
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  priorityClassName?: string;
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown } };
}

const TEMPLATED = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'batch/Job']);

/** The replicas and per-replica requirements of `template`. */
export function workloadShape(template: KubeObject): WorkloadShape {
  const group = template.apiVersion.includes('/') ? template.apiVersion.split('/')[0] : '';
  const key = `${group}/${template.kind}`;
  const spec = (template['spec'] ?? {}) as Record<string, unknown>;
  if (key === '/Pod') return { replicas: 1, requirements: requirementsOf(spec) };
  if (!TEMPLATED.has(key)) return { replicas: 0 };
  const podSpec = (spec['template'] as { spec?: PodSpecLike } | undefined)?.spec ?? {};
  return { replicas: replicasOf(key, spec, template), requirements: requirementsOf(podSpec) };
}

function replicasOf(key: string, spec: Record<string, unknown>, template: KubeObject): number {
  const int = (v: unknown, fallback: number): number =>
    typeof v === 'number' && v >= 0 ? Math.floor(v) : fallback;
  if (key !== 'batch/Job') return int(spec['replicas'], 1);
  const parallelism = int(spec['parallelism'], 1);
  if (typeof spec['completions'] !== 'number') return parallelism;
  const succeeded = int((template['status'] as { succeeded?: unknown } | undefined)?.succeeded, 0);
  return Math.min(parallelism, Math.max(0, int(spec['completions'], 0) - succeeded));
}

/** Resources counted in bytes (written with binary suffixes, as Kubernetes does). */
const BYTE_RESOURCES = /^(memory|ephemeral-storage|hugepages-.+)$/;

function requirementsOf(spec: PodSpecLike): ReplicaRequirements {
  const amounts = podRequests({ spec });
  const resourceRequest: Record<string, string> = {};
  for (const [name, amount] of Object.entries(amounts)) {
    if (name === 'pods' || amount <= 0) continue;
    resourceRequest[name] =
      name === 'cpu' ? `${amount}m` : BYTE_RESOURCES.test(name) ? formatBytes(amount) : String(amount);
  }
  const nodeClaim: NonNullable<ReplicaRequirements['nodeClaim']> = {};
  if (spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0)
    nodeClaim.nodeSelector = spec.nodeSelector;
  if (spec.tolerations && spec.tolerations.length > 0) nodeClaim.tolerations = spec.tolerations;
  const hard = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (hard !== undefined) nodeClaim.hardNodeAffinity = hard;
  return {
    ...(Object.keys(resourceRequest).length > 0 ? { resourceRequest } : {}),
    ...(Object.keys(nodeClaim).length > 0 ? { nodeClaim } : {}),
    ...(spec.priorityClassName ? { priorityClassName: spec.priorityClassName } : {}),
  };
}
