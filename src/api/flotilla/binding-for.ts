/**
 * The ResourceBinding a template claimed by a policy gets (before scheduling): named
 * `<template-name>-<kind-lowercase>` in the template's namespace, pointing at the template, with
 * its replicas and requirements and the policy's placement. The previous decision, if any, is
 * carried over.
 */
import type { KubeObject } from '../meta.js';
import type { ResourceBinding, TargetCluster, WorkloadAffinityGroups } from './binding.js';
import { WORK_API_VERSION } from './binding.js';
import type { PolicyObject } from './policy-match.js';
import { workloadShape } from './workload.js';

/** The binding name of `template`: `nginx` Deployment → `nginx-deployment`. */
export function bindingName(template: KubeObject): string {
  return `${template.metadata.name ?? ''}-${template.kind.toLowerCase()}`;
}

export interface BindingOptions {
  /** The last decision. */
  previous?: readonly TargetCluster[];
  /** PriorityClass values by name (for `schedulePriority.priorityClassName`). */
  priorityClasses?: ReadonlyMap<string, number>;
}

/** The binding for `template` under `policy`. */
export function bindingFor(
  template: KubeObject,
  policy: PolicyObject,
  options: BindingOptions = {},
): ResourceBinding {
  const shape = workloadShape(template);
  const schedulePriority = bindingPriority(policy, options.priorityClasses);
  const groups = workloadGroups(template, policy);
  const namespace = template.metadata.namespace;
  return {
    apiVersion: WORK_API_VERSION,
    kind:
      policy.kind === 'ClusterPropagationPolicy' && !namespace ? 'ClusterResourceBinding' : 'ResourceBinding',
    metadata: { name: bindingName(template), ...(namespace ? { namespace } : {}) },
    spec: {
      resource: {
        apiVersion: template.apiVersion,
        kind: template.kind,
        ...(namespace ? { namespace } : {}),
        name: template.metadata.name ?? '',
        ...(template.metadata.uid ? { uid: template.metadata.uid } : {}),
      },
      replicas: shape.replicas,
      ...(shape.requirements ? { replicaRequirements: shape.requirements } : {}),
      placement: policy.spec.placement ?? {},
      clusters: (options.previous ?? []).map((t) => ({ ...t })),
      ...(schedulePriority ? { schedulePriority } : {}),
      ...(groups ? { workloadAffinityGroups: groups } : {}),
      ...(policy.spec.propagateDeps ? { propagateDeps: true } : {}),
      ...(policy.spec.conflictResolution ? { conflictResolution: policy.spec.conflictResolution } : {}),
      ...(policy.spec.failover ? { failover: policy.spec.failover } : {}),
    },
  };
}

/**
 * The binding's priority under `policy`: its `schedulePriority.priority`, or the value of the
 * PriorityClass it names (0 when that class is unknown), with the preemption policy.
 */
function bindingPriority(
  policy: PolicyObject,
  classes: ReadonlyMap<string, number> | undefined,
): ResourceBinding['spec']['schedulePriority'] {
  const p = policy.spec.schedulePriority;
  if (!p) return undefined;
  const priority = p.priority ?? (p.priorityClassName ? classes?.get(p.priorityClassName) : undefined);
  if (priority === undefined && !p.preemptionPolicy) return undefined;
  return {
    ...(priority !== undefined ? { priority } : {}),
    ...(p.preemptionPolicy ? { preemptionPolicy: p.preemptionPolicy } : {}),
  };
}

/** The template's workload groups: the values of its labels the policy groups by. */
function workloadGroups(template: KubeObject, policy: PolicyObject): WorkloadAffinityGroups | undefined {
  const affinity = policy.spec.placement?.workloadAffinity;
  const labels = template.metadata.labels ?? {};
  const affinityKey = affinity?.affinity?.groupByLabelKey;
  const antiKey = affinity?.antiAffinity?.groupByLabelKey;
  const affinityGroup = affinityKey ? labels[affinityKey] : undefined;
  const antiAffinityGroup = antiKey ? labels[antiKey] : undefined;
  if (!affinityGroup && !antiAffinityGroup) return undefined;
  return { ...(affinityGroup ? { affinityGroup } : {}), ...(antiAffinityGroup ? { antiAffinityGroup } : {}) };
}
