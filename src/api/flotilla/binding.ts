/**
 * Wire types of `work.flotilla.io/v1alpha1` ResourceBinding and ClusterResourceBinding: the
 * template a binding stands for, what one replica needs, and the scheduling decision.
 */
import type { KubeObject } from '../meta.js';
import type { ResourceList } from '../pod-resources.js';
import type { Toleration } from '../taints.js';
import type { Condition } from './cluster.js';
import type { FailoverBehavior, Placement, PurgeMode } from './policy.js';

export const WORK_API_VERSION = 'work.flotilla.io/v1alpha1';

/** One cluster of a decision; `replicas` is absent for non-workloads. */
export interface TargetCluster {
  name: string;
  replicas?: number;
}

export interface ObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
}

/** What one replica of the workload needs of a cluster. */
export interface ReplicaRequirements {
  resourceRequest?: ResourceList;
  nodeClaim?: {
    nodeSelector?: Record<string, string>;
    tolerations?: Toleration[];
    hardNodeAffinity?: unknown;
  };
  priorityClassName?: string;
}

export interface ResourceBindingSpec {
  resource: ObjectReference;
  replicas?: number;
  replicaRequirements?: ReplicaRequirements;
  placement?: Placement;
  clusters?: TargetCluster[];
  rescheduleTriggeredAt?: string;
  /** Higher goes first; with `preemptionPolicy` PreemptLowerPriority (default) it may preempt. */
  schedulePriority?: { priority?: number; preemptionPolicy?: 'PreemptLowerPriority' | 'Never' };
  conflictResolution?: 'Abort' | 'Overwrite';
  /** Set on the binding of a dependency: the workload bindings that need it, and where. */
  requiredBy?: { namespace?: string; name: string; clusters?: TargetCluster[] }[];
  /** The workload's dependencies go where it goes, and before it. */
  propagateDeps?: boolean;
  /** Groups from the template's labels under the policy's `workloadAffinity`. */
  workloadAffinityGroups?: WorkloadAffinityGroups;
  /** The claiming policy's failover behaviour. */
  failover?: FailoverBehavior;
  /** Clusters the workload was evicted from whose copies are kept until the move is done. */
  gracefulEvictionTasks?: GracefulEvictionTask[];
  /** A rebalance in progress: the copies of the decision before it stay until the new one is ready. */
  rebalance?: RebalanceState;
}

/**
 * A rebalance (a fresh decision after `rescheduleTriggeredAt`) that moves replicas off clusters:
 * until every cluster of the new decision reports all its replicas ready, each cluster keeps the
 * larger of its old and new shares (new before old). Written by the scheduler with the decision.
 */
export interface RebalanceState {
  /** The decision before the rebalance. */
  previousClusters: TargetCluster[];
  /** RFC 3339 time the new decision was written. */
  startedAt: string;
}

/** `producer` of the eviction tasks of cluster failover (NoExecute taints). */
export const TAINT_MANAGER_PRODUCER = 'TaintManager';
/** `producer` of the eviction tasks of application failover. */
export const APPLICATION_FAILOVER_PRODUCER = 'ApplicationFailover';

/**
 * A cluster the workload was evicted from (it left `spec.clusters`). Its copy stays (the Work is
 * kept) until the replicas placed elsewhere report Healthy, the grace period ends with the
 * workload fully placed elsewhere, or, with `purgeMode: Directly`, not at all.
 */
export interface GracefulEvictionTask {
  fromCluster: string;
  purgeMode?: PurgeMode;
  /** The replicas it held (divided workloads). */
  replicas?: number;
  /** `TaintUntolerated` (cluster failover) or `ApplicationFailure`. */
  reason: string;
  message?: string;
  /** Who evicted: `TaintManager`, `ApplicationFailover`. */
  producer: string;
  /** How long the copy may stay at most (default: the controller's). */
  gracePeriodSeconds?: number;
  /** `purgeMode: Never`: kept until set to false. */
  suppressDeletion?: boolean;
  creationTimestamp?: string;
}

/** A binding's workload groups: members of an affinity group share clusters, of an anti-affinity group avoid them. */
export interface WorkloadAffinityGroups {
  affinityGroup?: string;
  antiAffinityGroup?: string;
}

/** One entry of `status.schedulingHistory` (newest first). */
export interface SchedulingHistoryEntry {
  time: string;
  reason: string;
  message?: string;
  clusters: TargetCluster[];
  trigger: string;
  /**
   * With `failover.rebalanceOnRecovery`: the failed clusters the workload will be rebalanced
   * back to once they recover (`ClusterFailover`: those it was evicted from; `Rebalance`: those
   * still down when it rebalanced).
   */
  awaitingRecovery?: string[];
}

/** One member's copy of the binding's template, as reported. */
export interface AggregatedStatusItem {
  clusterName: string;
  applied?: boolean;
  appliedMessage?: string;
  health?: 'Healthy' | 'Unhealthy' | 'Unknown';
  /** RFC 3339 time `health` last changed (application failover counts from it, across restarts). */
  healthSince?: string;
  status?: unknown;
}

export interface ResourceBindingStatus {
  conditions?: Condition[];
  aggregatedStatus?: AggregatedStatusItem[];
  lastScheduledTime?: string;
  schedulerObservedGeneration?: number;
  schedulerObservingAffinityName?: string;
  schedulingHistory?: SchedulingHistoryEntry[];
}

export interface ResourceBinding extends KubeObject {
  spec: ResourceBindingSpec;
  status?: ResourceBindingStatus;
}
