/**
 * The scheduler's plugin contract (after kube-scheduler's and Karmada's frameworks): filter
 * plugins say whether a cluster may take the workload; score plugins rank the clusters that may,
 * 0..100, with an optional normalisation over all of them. Plugins are pure functions of the
 * binding, the placement term being tried and the cluster snapshot; they never import each other.
 */
import type { ReplicaRequirements, TargetCluster } from '../../api/flotilla/binding.js';
import type { Cluster } from '../../api/flotilla/cluster.js';
import type { ClusterAffinity, Placement } from '../../api/flotilla/policy.js';

export const MIN_CLUSTER_SCORE = 0;
export const MAX_CLUSTER_SCORE = 100;

/** A filter plugin's verdict: success, or why the cluster cannot take the workload. */
export type PluginStatus =
  { code: 'Success' } | { code: 'Unschedulable'; reason: string } | { code: 'Error'; reason: string };

export const SUCCESS: PluginStatus = Object.freeze({ code: 'Success' });

/** An Unschedulable status with `reason`. */
export function unschedulable(reason: string): PluginStatus {
  return { code: 'Unschedulable', reason };
}

/** The workload being scheduled, as the plugins see it. */
export interface SchedulingUnit {
  /** `apiVersion` and `kind` of the template (APIEnablement). */
  apiVersion: string;
  kind: string;
  /** The template's namespace ('' for cluster-scoped templates). */
  namespace: string;
  /** The template's UID (division tie-break). */
  uid: string;
  /** 0 for non-workloads. */
  replicas: number;
  requirements?: ReplicaRequirements;
  placement: Placement;
  /** The previous decision. */
  previous: readonly TargetCluster[];
  /** The `clusterAffinities` term the previous decision came from (tried first). */
  observedAffinityName?: string;
  /** The workload's affinity and anti-affinity groups and where their other members run. */
  workloadGroups?: { affinity?: PeerGroup; antiAffinity?: PeerGroup };
  /** Clusters the workload is being evicted from (its graceful eviction tasks). */
  evictedFrom?: readonly string[];
}

/** A workload group (same namespace, same group label value) as one of its members sees it. */
export interface PeerGroup {
  name: string;
  /** The clusters the group's other members are placed on. */
  clusters: ReadonlySet<string>;
}

/** What one attempt (one cluster-affinity term) sees. */
export interface CycleContext {
  unit: SchedulingUnit;
  /** The affinity term being tried (undefined: no affinity, every cluster). */
  affinity?: ClusterAffinity;
  /** Names of the clusters in the previous decision. */
  previousNames: ReadonlySet<string>;
  /** Replicas each cluster can still host, estimated once per cycle. */
  available(cluster: Cluster): number;
}

export interface FilterPlugin {
  readonly name: string;
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus;
}

export interface ScorePlugin {
  readonly name: string;
  /**
   * Ranks clusters only among those equal in the other plugins' total score and in available
   * replicas (before the name), so that decisions Karmada would make are kept.
   */
  readonly tieBreak?: boolean;
  /** MIN_CLUSTER_SCORE..MAX_CLUSTER_SCORE (before normalisation). */
  score(ctx: CycleContext, cluster: Cluster): number;
  /** Rescales the scores of all feasible clusters in place (e.g. to 0..100). */
  normalize?(scores: Map<string, number>): void;
}
