/**
 * Wire types of `policy.flotilla.io/v1alpha1` PropagationPolicy and ClusterPropagationPolicy:
 * the placement a policy asks for (../shared/spec/API.md; field meanings as Karmada's).
 */
import type { LabelSelectorObject } from '../labels/selector-object.js';
import type { Toleration } from '../taints.js';

export const POLICY_API_VERSION = 'policy.flotilla.io/v1alpha1';

/** A `fieldSelector` term: `provider`, `region` or `zone` In/NotIn values. */
export interface FieldSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** Which clusters a placement (or a static weight) applies to; every set part must match. */
export interface ClusterAffinity {
  clusterNames?: string[];
  exclude?: string[];
  labelSelector?: LabelSelectorObject;
  fieldSelector?: { matchExpressions?: FieldSelectorRequirement[] };
}

/** One of `clusterAffinities`, tried in order: the first that schedules wins. */
export interface ClusterAffinityTerm extends ClusterAffinity {
  affinityName: string;
}

export type SpreadByField = 'cluster' | 'region' | 'zone' | 'provider';

export interface SpreadConstraint {
  spreadByField?: SpreadByField;
  spreadByLabel?: string;
  maxGroups?: number;
  minGroups?: number;
}

export interface StaticClusterWeight {
  targetCluster: ClusterAffinity;
  weight: number;
}

export interface ReplicaSchedulingStrategy {
  replicaSchedulingType?: 'Duplicated' | 'Divided';
  replicaDivisionPreference?: 'Aggregated' | 'Weighted';
  weightPreference?: {
    staticWeightList?: StaticClusterWeight[];
    dynamicWeight?: 'AvailableReplicas';
  };
}

export interface WorkloadAffinity {
  affinity?: { groupByLabelKey: string };
  antiAffinity?: { groupByLabelKey: string };
}

export interface Placement {
  clusterAffinity?: ClusterAffinity;
  clusterAffinities?: ClusterAffinityTerm[];
  clusterTolerations?: Toleration[];
  spreadConstraints?: SpreadConstraint[];
  replicaScheduling?: ReplicaSchedulingStrategy;
  workloadAffinity?: WorkloadAffinity;
}

export interface ResourceSelector {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
  labelSelector?: LabelSelectorObject;
}

/**
 * The priority of the bindings a policy claims: Karmada's `KubePriorityClass` source (the value of
 * the named PriorityClass), or, in Flotilla, the value itself; and whether they may preempt.
 */
export interface SchedulePriority {
  priorityClassSource?: 'KubePriorityClass';
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
}

/**
 * What happens to an evicted cluster's copy: `Gracefully` (default) keeps it until the replicas
 * placed elsewhere report Healthy (or the grace period ends and they are fully placed),
 * `Directly` removes it at once, `Never` keeps it until someone clears the eviction task.
 */
export type PurgeMode = 'Directly' | 'Gracefully' | 'Never';

export interface FailoverBehavior {
  /** Cluster failover: a cluster tainted NoExecute that the placement does not tolerate. */
  cluster?: { purgeMode?: PurgeMode; gracePeriodSeconds?: number };
  /** Application failover: a copy that stays Unhealthy longer than `tolerationSeconds`. */
  application?: {
    decisionConditions?: { tolerationSeconds?: number };
    purgeMode?: PurgeMode;
    gracePeriodSeconds?: number;
  };
  /** Move replicas back to the preferred distribution when an evicted cluster is Ready again. */
  rebalanceOnRecovery?: boolean;
}

export interface PropagationSpec {
  resourceSelectors: ResourceSelector[];
  placement?: Placement;
  priority?: number;
  preemption?: 'Always' | 'Never';
  propagateDeps?: boolean;
  failover?: FailoverBehavior;
  conflictResolution?: 'Abort' | 'Overwrite';
  preserveResourcesOnDeletion?: boolean;
  schedulePriority?: SchedulePriority;
}

/** One image component change (`predicate.path` names one image field; absent: every container). */
export interface ImageOverrider {
  predicate?: { path: string };
  component: 'Registry' | 'Repository' | 'Tag';
  operator: 'add' | 'remove' | 'replace';
  value?: string;
}

export interface CommandArgsOverrider {
  containerName: string;
  operator: 'add' | 'remove';
  value?: string[];
}

export interface MapOverrider {
  operator: 'add' | 'remove' | 'replace';
  value?: Record<string, string>;
}

export interface PatchOperation {
  /** A JSON pointer (RFC 6901). */
  path: string;
  operator: 'add' | 'remove' | 'replace';
  value?: unknown;
}

export interface FieldOverrider {
  /** A JSON pointer to a string field holding JSON or YAML (e.g. `/data/config.yaml`). */
  fieldPath: string;
  json?: { subPath: string; operator: 'add' | 'remove' | 'replace'; value?: unknown }[];
  yaml?: { subPath: string; operator: 'add' | 'remove' | 'replace'; value?: unknown }[];
}

export interface Overriders {
  imageOverrider?: ImageOverrider[];
  commandOverrider?: CommandArgsOverrider[];
  argsOverrider?: CommandArgsOverrider[];
  labelsOverrider?: MapOverrider[];
  annotationsOverrider?: MapOverrider[];
  fieldOverrider?: FieldOverrider[];
  plaintext?: PatchOperation[];
}

export interface OverrideRule {
  /** The clusters the rule applies to (absent: all). */
  targetCluster?: ClusterAffinity;
  overriders: Overriders;
}

export interface OverrideSpec {
  /** The templates overridden (absent: all of the policy's scope). */
  resourceSelectors?: ResourceSelector[];
  overrideRules?: OverrideRule[];
}
