/**
 * The slices of apps/v1 ReplicaSet and Deployment and core/v1 Pod that the workload controllers
 * read and write, with their Kubernetes JSON names. Everything else on the objects travels along
 * untouched (the index signature of `KubeObject`).
 */
import type { KubeObject, ObjectMeta } from '../../../api/meta.js';
import type { LabelSelectorObject } from '../../../api/labels/selector-object.js';

/** `pod-template-hash`: the label a Deployment adds to its ReplicaSets' selectors and pods. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** core/v1 PodTemplateSpec. */
export interface PodTemplate {
  metadata?: Pick<ObjectMeta, 'labels' | 'annotations' | 'finalizers'> & Record<string, unknown>;
  spec?: Record<string, unknown>;
}

/** One entry of `status.conditions` of a Pod. */
export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

interface ContainerStatus {
  name?: string;
  restartCount?: number;
}

/** core/v1 Pod, as far as ReplicaSets look at it. */
export interface Pod extends KubeObject {
  spec?: { nodeName?: string } & Record<string, unknown>;
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  } & Record<string, unknown>;
}

/** apps/v1 ReplicaSetCondition. */
export interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** apps/v1 ReplicaSetStatus (zero counts are omitted on the wire, except `replicas`). */
export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

/** apps/v1 ReplicaSet. */
export interface ReplicaSet extends KubeObject {
  spec: {
    replicas?: number;
    minReadySeconds?: number;
    selector: LabelSelectorObject;
    template: PodTemplate;
  };
  status?: ReplicaSetStatus;
}

/** apps/v1 DeploymentCondition. */
export interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** apps/v1 DeploymentStatus (every zero count is omitted on the wire). */
export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

/** An int-or-percent field such as `maxSurge: 1` or `maxSurge: "25%"`. */
export type IntOrString = number | string;

/** apps/v1 Deployment (after the API server's defaulting). */
export interface Deployment extends KubeObject {
  spec: {
    replicas?: number;
    selector: LabelSelectorObject;
    template: PodTemplate;
    strategy?: {
      type?: string;
      rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString };
    };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
  };
  status?: DeploymentStatus;
}

/** Where pods live in the API (add `namespace` for one namespace). */
export const PODS = { apiVersion: 'v1', plural: 'pods' } as const;
/** Where ReplicaSets live in the API. */
export const REPLICASETS = { apiVersion: 'apps/v1', plural: 'replicasets' } as const;
/** Where Deployments live in the API. */
export const DEPLOYMENTS = { apiVersion: 'apps/v1', plural: 'deployments' } as const;

/** The field manager kube-controller-manager's writes carry. */
export const FIELD_MANAGER = 'kube-controller-manager';

/** `spec.replicas`, defaulting to 1 as the API server does. */
export function specReplicas(obj: { spec: { replicas?: number } }): number {
  return obj.spec.replicas ?? 1;
}
