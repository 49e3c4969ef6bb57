/**
 * Wire types of `cluster.flotilla.io/v1alpha1` Cluster (../shared/spec/API.md), with the
 * well-known taint keys and Ready reasons the hub uses. Plain JSON, Kubernetes field names.
 */
import type { KubeObject } from '../meta.js';
import type { ResourceList } from '../pod-resources.js';
import type { Taint } from '../taints.js';

export const CLUSTER_API_VERSION = 'cluster.flotilla.io/v1alpha1';

/** Set by `flotilla cordon`: no new placements. */
export const TAINT_CLUSTER_UNSCHEDULABLE = 'cluster.flotilla.io/unschedulable';
/** Set while the cluster's Ready condition is False. */
export const TAINT_CLUSTER_NOT_READY = 'cluster.flotilla.io/not-ready';
/** Set while the cluster's Ready condition is Unknown (unreachable). */
export const TAINT_CLUSTER_UNREACHABLE = 'cluster.flotilla.io/unreachable';

export interface ClusterSpec {
  syncMode?: 'Push' | 'Pull';
  apiEndpoint?: string;
  secretRef?: { namespace: string; name: string };
  insecureSkipTLSVerification?: boolean;
  /** Unique cluster ID: the member's kube-system namespace UID. */
  id?: string;
  provider?: string;
  region?: string;
  zones?: string[];
  /** Empty or absent: templates of any namespace may be placed here. */
  allowedNamespaces?: string[];
  taints?: Taint[];
}

/** metav1.Condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** Resource totals of a cluster's ready nodes (see API.md for each one's meaning). */
export interface ResourceSummary {
  allocatable?: ResourceList;
  allocated?: ResourceList;
  allocating?: ResourceList;
  available?: ResourceList;
  /** The largest free amount of each resource on any one node. */
  continuous?: ResourceList;
}

export interface APIEnablement {
  groupVersion: string;
  resources?: { name: string; kind: string }[];
}

export interface ClusterStatus {
  kubernetesVersion?: string;
  conditions?: Condition[];
  apiEnablements?: APIEnablement[];
  nodeSummary?: { totalNum?: number; readyNum?: number };
  resourceSummary?: ResourceSummary;
  lastHeartbeatTime?: string;
}

export interface Cluster extends KubeObject {
  spec?: ClusterSpec;
  status?: ClusterStatus;
}

/** The status of `cluster`'s condition `type`, or undefined when it has none. */
export function conditionStatus(cluster: Cluster, type: string): Condition | undefined {
  return cluster.status?.conditions?.find((c) => c.type === type);
}

/** True when `cluster` reports Ready. */
export function isClusterReady(cluster: Cluster): boolean {
  return conditionStatus(cluster, 'Ready')?.status === 'True';
}

/** Whether what a cluster is (labels, spec, deletion) changed between two versions; status aside. */
export function clusterDefinitionChanged(before: Cluster, after: Cluster): boolean {
  return (
    JSON.stringify([before.metadata.labels, before.spec, before.metadata.deletionTimestamp]) !==
    JSON.stringify([after.metadata.labels, after.spec, after.metadata.deletionTimestamp])
  );
}

/** Whether a cluster's definition or its Ready status changed between two versions. */
export function clusterDefinitionOrReadinessChanged(before: Cluster, after: Cluster): boolean {
  return clusterDefinitionChanged(before, after) || isClusterReady(before) !== isClusterReady(after);
}
