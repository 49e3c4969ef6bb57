/** OpenAPI schemas of PropagationPolicy / ClusterPropagationPolicy and the override policies. */
import type { Schema } from './schema.js';
import {
  anyValue,
  arr,
  bool,
  failover,
  int,
  kindSchema,
  labelSelector,
  obj,
  open,
  str,
  toleration,
} from './schema.js';

const resourceSelector = obj(
  {
    apiVersion: str('API version of the target resources.'),
    kind: str('Kind of the target resources.'),
    namespace: str('Namespace of the target resources (default: all).'),
    name: str('Name of the target resource (labelSelector is then ignored).'),
    labelSelector: labelSelector('Label query over the target resources.'),
  },
  ['apiVersion', 'kind'],
);

export const clusterAffinity = (description?: string, extra: Record<string, Schema> = {}): Schema =>
  obj(
    {
      ...extra,
      clusterNames: arr(str(), 'Clusters to select.'),
      exclude: arr(str(), 'Clusters to leave out.'),
      labelSelector: labelSelector('Label query over clusters.'),
      fieldSelector: obj(
        {
          matchExpressions: arr(
            obj({ key: str('provider, region or zone'), operator: str('In or NotIn'), values: arr(str()) }, [
              'key',
              'operator',
            ]),
          ),
        },
        [],
        'Query over cluster fields (provider, region, zone).',
      ),
    },
    extra['affinityName'] ? ['affinityName'] : [],
    description,
  );

const placement = obj(
  {
    clusterAffinity: clusterAffinity('Clusters the workload may be placed on.'),
    clusterAffinities: arr(
      clusterAffinity(undefined, { affinityName: str('Name of this term (1 to 32 characters).') }),
      'Cluster groups tried in order: the first that schedules wins.',
    ),
    clusterTolerations: arr(toleration, 'Cluster taints tolerated.'),
    spreadConstraints: arr(
      obj({
        spreadByField: str('cluster, region, zone or provider'),
        spreadByLabel: str('A cluster label to group by.'),
        maxGroups: int('At most this many groups.'),
        minGroups: int('At least this many groups.', { default: 1 }),
      }),
      'How the workload spreads over topology groups.',
    ),
    replicaScheduling: obj(
      {
        replicaSchedulingType: str('Duplicated (every cluster runs all replicas) or Divided.', {
          default: 'Divided',
        }),
        replicaDivisionPreference: str('Aggregated (fewest clusters) or Weighted.'),
        weightPreference: obj({
          staticWeightList: arr(
            obj({ targetCluster: clusterAffinity(), weight: int('Weight, at least 1.') }, [
              'targetCluster',
              'weight',
            ]),
          ),
          dynamicWeight: str('AvailableReplicas: weights are what each cluster can still host.'),
        }),
      },
      [],
      'How replicas are scheduled (absent: Duplicated).',
    ),
    workloadAffinity: obj({
      affinity: obj({ groupByLabelKey: str() }),
      antiAffinity: obj({ groupByLabelKey: str() }),
    }),
  },
  [],
  'Where the selected resources go.',
);

export const propagationPolicySchema = kindSchema(
  obj(
    {
      resourceSelectors: arr(resourceSelector, 'The resources this policy propagates (at least one).'),
      placement,
      priority: int('Explicit priority: a higher one wins when several policies match.', { default: 0 }),
      preemption: str('Always: take resources over from lower-priority policies; Never (default).', {
        default: 'Never',
      }),
      propagateDeps: bool('Also propagate the ConfigMaps, Secrets, … the workload refers to.'),
      failover,
      conflictResolution: str('Abort (default) or Overwrite an existing unmanaged member object.', {
        default: 'Abort',
      }),
      suspension: open('Suspend dispatching (to some clusters).'),
      preserveResourcesOnDeletion: bool('Keep member objects when the template is deleted.'),
      schedulePriority: obj(
        {
          priorityClassSource: str('KubePriorityClass: the value of the PriorityClass named below.'),
          priorityClassName: str(),
          priority: int('The priority itself (instead of a PriorityClass).'),
          preemptionPolicy: str('PreemptLowerPriority (default) or Never.'),
        },
        [],
        'Higher-priority bindings are scheduled first and may preempt lower-priority replicas.',
      ),
      dependentOverrides: arr(str()),
      schedulerName: str(),
      activationPreference: str(),
    },
    ['resourceSelectors'],
  ),
);

export const overridePolicySchema = kindSchema(
  obj({
    resourceSelectors: arr(resourceSelector, 'The resources overridden (absent: all).'),
    overrideRules: arr(
      obj(
        {
          targetCluster: clusterAffinity('Clusters this rule applies to (absent: all).'),
          overriders: open(
            'imageOverrider, commandOverrider, argsOverrider, labelsOverrider, annotationsOverrider, fieldOverrider, plaintext.',
          ),
        },
        ['overriders'],
      ),
    ),
    targetCluster: clusterAffinity('Deprecated: use overrideRules.'),
    overriders: anyValue('Deprecated: use overrideRules.'),
  }),
);

const matchCondition = obj(
  {
    conditionType: str('A condition type of the cluster status (Ready, or any other).'),
    operator: str('In or NotIn.', { enum: ['In', 'NotIn'] }),
    statusValues: arr(str(), 'Condition statuses (True, False, Unknown) the operator compares with.'),
  },
  ['conditionType', 'operator', 'statusValues'],
);

export const clusterTaintPolicySchema = kindSchema(
  obj(
    {
      targetClusters: clusterAffinity('Clusters the policy applies to (absent: all).'),
      addOnConditions: arr(matchCondition, 'When all hold, the taints are added.'),
      removeOnConditions: arr(matchCondition, 'When all hold, the taints are removed (removal wins).'),
      taints: arr(
        obj(
          {
            key: str(),
            value: str(),
            effect: str('NoSchedule, PreferNoSchedule or NoExecute.', {
              enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
            }),
          },
          ['key', 'effect'],
        ),
        'The taints to add or remove.',
      ),
    },
    ['taints'],
  ),
);
