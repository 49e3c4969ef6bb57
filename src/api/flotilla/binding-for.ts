/**
 * The ResourceBinding a template claimed by a policy gets (before scheduling): named
 * `<template-name>-<kind-lowercase>` in the template's namespace, pointing at the template, with
 * its replicas and requirements and the policy's placement. The previous decision, if any, is
 * carried over.
 */
import type { KubeObject } from '../meta.js';
import type { ResourceBinding, TargetCluster } from './binding.js';
import { WORK_API_VERSION } from './binding.js';
import type { PolicyObject } from './policy-match.js';
import { workloadShape } from './workload.js';

/** The binding name of `template`: `nginx` Deployment → `nginx-deployment`. */
export function bindingName(template: KubeObject): string {
  return `${template.metadata.name ?? ''}-${template.kind.toLowerCase()}`;
}

/** The binding for `template` under `policy`; `previous` is the last decision. */
export function bindingFor(
  template: KubeObject,
  policy: PolicyObject,
  previous: readonly TargetCluster[] = [],
): ResourceBinding {
  const shape = workloadShape(template);
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
      clusters: previous.map((t) => ({ ...t })),
      ...(policy.spec.conflictResolution ? { conflictResolution: policy.spec.conflictResolution } : {}),
    },
  };
}
