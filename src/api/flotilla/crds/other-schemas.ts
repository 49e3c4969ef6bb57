/** OpenAPI schemas of Cluster, ResourceBinding / ClusterResourceBinding and Work. */
import {
  arr,
  bool,
  condition,
  failover,
  gracefulEvictionTask,
  int,
  kindSchema,
  obj,
  open,
  resourceList,
  str,
  taint,
  time,
} from './schema.js';

export const clusterSchema = kindSchema(
  obj(
    {
      syncMode: str('Push: the hub applies Works; Pull: an agent in the member pulls them.'),
      apiEndpoint: str('URL of the member API server.'),
      secretRef: obj({ namespace: str(), name: str() }, ['namespace', 'name'], 'Credentials of the member.'),
      insecureSkipTLSVerification: bool(),
      id: str('Unique cluster ID (the member kube-system namespace UID).'),
      provider: str(),
      region: str(),
      zones: arr(str()),
      allowedNamespaces: arr(str(), 'Namespaces whose templates may be placed here (empty: any).'),
      taints: arr(taint, 'Taints that keep workloads off unless tolerated.'),
    },
    ['syncMode'],
  ),
  obj({
    kubernetesVersion: str(),
    conditions: arr(condition),
    apiEnablements: arr(obj({ groupVersion: str(), resources: arr(obj({ name: str(), kind: str() })) })),
    nodeSummary: obj({ totalNum: int(), readyNum: int() }),
    resourceSummary: obj({
      allocatable: resourceList('Sum over ready nodes.'),
      allocated: resourceList('Requests of bound, non-terminal pods.'),
      allocating: resourceList('Requests of pending pods.'),
      available: resourceList('allocatable - allocated - allocating.'),
      continuous: resourceList('Largest free amount on any one node.'),
    }),
    lastHeartbeatTime: time(),
  }),
);

const target = obj({ name: str(), replicas: int() }, ['name']);

export const bindingSchema = kindSchema(
  obj(
    {
      resource: obj(
        {
          apiVersion: str(),
          kind: str(),
          namespace: str(),
          name: str(),
          uid: str(),
          resourceVersion: str(),
        },
        ['apiVersion', 'kind', 'name'],
        'The template this binding stands for.',
      ),
      replicas: int('Desired replicas of the workload.'),
      replicaRequirements: obj({
        resourceRequest: resourceList('What one replica requests.'),
        nodeClaim: open(),
        priorityClassName: str(),
      }),
      placement: open('The placement of the policy that claimed the template.'),
      clusters: arr(target, 'The scheduling decision.'),
      requiredBy: arr(obj({ namespace: str(), name: str(), clusters: arr(target) })),
      gracefulEvictionTasks: arr(
        gracefulEvictionTask,
        'Clusters the workload was evicted from, kept until the move is done.',
      ),
      failover,
      rescheduleTriggeredAt: time('A fresh reschedule happens when this is later than lastScheduledTime.'),
      rebalance: obj(
        { previousClusters: arr(target, 'The decision before the rebalance.'), startedAt: time() },
        ['previousClusters'],
        'A rebalance in progress: the old copies stay until the new decision is ready everywhere.',
      ),
      conflictResolution: str(),
      schedulePriority: obj({
        priority: int('Higher-priority bindings are scheduled first and may preempt lower ones.'),
        preemptionPolicy: str('PreemptLowerPriority (default) or Never.', {
          enum: ['PreemptLowerPriority', 'Never'],
        }),
      }),
      preserveResourcesOnDeletion: bool(),
      propagateDeps: bool(),
      workloadAffinityGroups: obj(
        { affinityGroup: str(), antiAffinityGroup: str() },
        [],
        "The template's workload groups (values of the policy's groupByLabelKey labels).",
      ),
    },
    ['resource'],
  ),
  obj({
    conditions: arr(condition),
    lastScheduledTime: time(),
    schedulerObservedGeneration: int(undefined, { format: 'int64' }),
    schedulerObservingAffinityName: str(),
    aggregatedStatus: arr(
      obj({
        clusterName: str(),
        applied: bool(),
        appliedMessage: str(),
        health: str(),
        healthSince: time('When health last changed.'),
        status: open(),
      }),
    ),
    schedulingHistory: arr(
      obj({
        time: time(),
        reason: str(),
        message: str(),
        clusters: arr(target),
        trigger: str(),
        awaitingRecovery: arr(str(), 'Failed clusters the workload returns to when they recover.'),
      }),
      'Recent scheduling decisions, newest first.',
    ),
  }),
);

export const workSchema = kindSchema(
  obj({
    workload: obj({ manifests: arr(open()) }),
    suspendDispatching: bool(),
    preserveResourcesOnDeletion: bool(),
    conflictResolution: str(
      'Abort (default): leave a member object Flotilla does not manage; Overwrite: adopt it.',
    ),
  }),
  obj({
    conditions: arr(condition),
    manifestStatuses: arr(
      obj({
        identifier: obj({
          ordinal: int(),
          group: str(),
          version: str(),
          kind: str(),
          resource: str(),
          namespace: str(),
          name: str(),
        }),
        status: open(),
        health: str(),
        generation: int(undefined, { format: 'int64' }),
      }),
    ),
  }),
);

/** scheduling.k8s.io/v1 PriorityClass (top-level fields, no spec). */
export const priorityClassSchema = obj(
  {
    apiVersion: str(),
    kind: str(),
    metadata: { type: 'object' },
    value: int('The priority: higher schedules first and may preempt lower.'),
    globalDefault: bool('Pods without a class get this one (informational on the hub).'),
    description: str(),
    preemptionPolicy: str('PreemptLowerPriority (default) or Never.', {
      enum: ['PreemptLowerPriority', 'Never'],
    }),
  },
  ['value'],
);
