/**
 * How the built-in kinds the hub serves merge: THE table behind strategic merge patch and
 * server-side apply for built-ins. It transcribes the k8s.io/api (1.33) struct tags
 * `patchStrategy`/`patchMergeKey` and the `+listType`/`+listMapKey` markers; lists not listed here
 * are atomic, which is also kube's default (`tolerations`, `args`, `rules`, `subsets`…).
 *
 * Where the two tag families disagree the SMP tag wins, because `ListType` carries one list type:
 * `Job.status.conditions` (SMP merge by type, SSA atomic), `PodStatus.hostIPs` (SMP merge by ip, SSA
 * atomic). `ResourceRequirements.claims` (SSA map by name, no SMP strategy) is left atomic.
 */
import type { ListType, MergeSchema, MergeSchemaSpec } from './merge-schema.js';
import { mergeSchemaFromSpec } from './merge-schema.js';

function mapList(keys: readonly [string, ...string[]], items?: MergeSchemaSpec): MergeSchemaSpec {
  const list: ListType = { type: 'map', keys, mergeKey: keys[0] };
  return items === undefined ? { list } : { list, items };
}

const SET: MergeSchemaSpec = { list: { type: 'set' } };
const ATOMIC: MergeSchemaSpec = { list: { type: 'atomic' } };

function obj(
  properties: Record<string, MergeSchemaSpec>,
  extra: Omit<MergeSchemaSpec, 'properties'> = {},
): MergeSchemaSpec {
  return { ...extra, properties };
}

/** `metadata`: ownerReferences keyed by uid, finalizers a set, managedFields atomic. */
export const OBJECT_META_MERGE_SPEC: MergeSchemaSpec = obj({
  ownerReferences: mapList(['uid']),
  finalizers: SET,
  managedFields: ATOMIC,
});

/** `status.conditions` of most kinds: a map list keyed by `type`. */
const CONDITIONS = mapList(['type']);

/** Container (also EphemeralContainer, which shares the fields). */
const CONTAINER: MergeSchemaSpec = obj({
  ports: mapList(['containerPort', 'protocol']),
  env: mapList(['name']),
  volumeMounts: mapList(['mountPath']),
  volumeDevices: mapList(['devicePath']),
  envFrom: ATOMIC,
  command: ATOMIC,
  args: ATOMIC,
  resizePolicy: ATOMIC,
});

/** PodSpec: every `patchStrategy:"merge"` list of core/v1 PodSpec. */
export const POD_SPEC_MERGE_SPEC: MergeSchemaSpec = obj({
  volumes: mapList(['name'], { retainKeys: true }),
  initContainers: mapList(['name'], CONTAINER),
  containers: mapList(['name'], CONTAINER),
  ephemeralContainers: mapList(['name'], CONTAINER),
  imagePullSecrets: mapList(['name']),
  hostAliases: mapList(['ip'], obj({ hostnames: ATOMIC })),
  topologySpreadConstraints: mapList(['topologyKey', 'whenUnsatisfiable']),
  schedulingGates: mapList(['name']),
  resourceClaims: mapList(['name'], { retainKeys: true }),
  tolerations: ATOMIC,
  readinessGates: ATOMIC,
});

const POD_STATUS: MergeSchemaSpec = obj({
  conditions: CONDITIONS,
  podIPs: mapList(['ip']),
  hostIPs: mapList(['ip']),
  resourceClaimStatuses: mapList(['name'], { retainKeys: true }),
  containerStatuses: ATOMIC,
  initContainerStatuses: ATOMIC,
  ephemeralContainerStatuses: ATOMIC,
});

/** PodTemplateSpec, shared by the workload kinds. */
export const POD_TEMPLATE_MERGE_SPEC: MergeSchemaSpec = obj({
  metadata: OBJECT_META_MERGE_SPEC,
  spec: POD_SPEC_MERGE_SPEC,
});

/** A top-level object: metadata plus the given spec and status. */
function topLevel(
  spec?: MergeSchemaSpec,
  status?: MergeSchemaSpec,
  more: Record<string, MergeSchemaSpec> = {},
): MergeSchemaSpec {
  const properties: Record<string, MergeSchemaSpec> = { metadata: OBJECT_META_MERGE_SPEC, ...more };
  if (spec !== undefined) properties['spec'] = spec;
  if (status !== undefined) properties['status'] = status;
  return { properties };
}

const CONDITIONS_STATUS = obj({ conditions: CONDITIONS });

const WORKLOAD_STATUS = CONDITIONS_STATUS;

const JOB_SPEC = obj({ template: POD_TEMPLATE_MERGE_SPEC });

/** (group/kind) → merge description. The core group is the empty string. */
const TABLE: Readonly<Record<string, MergeSchemaSpec>> = {
  // core/v1
  '/Namespace': topLevel(obj({ finalizers: ATOMIC }), CONDITIONS_STATUS),
  '/ConfigMap': topLevel(),
  '/Secret': topLevel(),
  '/Service': topLevel(
    obj({
      ports: mapList(['port', 'protocol']),
      clusterIPs: ATOMIC,
      externalIPs: ATOMIC,
      ipFamilies: ATOMIC,
      loadBalancerSourceRanges: ATOMIC,
    }),
    CONDITIONS_STATUS,
  ),
  '/ServiceAccount': topLevel(undefined, undefined, { secrets: mapList(['name']), imagePullSecrets: ATOMIC }),
  '/Event': topLevel(),
  '/PersistentVolumeClaim': topLevel(
    obj({ accessModes: ATOMIC }),
    obj({ conditions: CONDITIONS, accessModes: ATOMIC }),
  ),
  '/Pod': topLevel(POD_SPEC_MERGE_SPEC, POD_STATUS),
  '/Node': topLevel(
    obj({ podCIDRs: SET, taints: ATOMIC }),
    obj({
      addresses: mapList(['type']),
      conditions: CONDITIONS,
      images: ATOMIC,
      volumesInUse: ATOMIC,
      volumesAttached: ATOMIC,
    }),
  ),
  '/Endpoints': topLevel(undefined, undefined, { subsets: ATOMIC }),
  // apps/v1
  'apps/Deployment': topLevel(
    obj({ template: POD_TEMPLATE_MERGE_SPEC, strategy: { retainKeys: true } }),
    WORKLOAD_STATUS,
  ),
  'apps/StatefulSet': topLevel(
    obj({ template: POD_TEMPLATE_MERGE_SPEC, volumeClaimTemplates: ATOMIC }),
    WORKLOAD_STATUS,
  ),
  'apps/DaemonSet': topLevel(obj({ template: POD_TEMPLATE_MERGE_SPEC }), WORKLOAD_STATUS),
  'apps/ReplicaSet': topLevel(obj({ template: POD_TEMPLATE_MERGE_SPEC }), WORKLOAD_STATUS),
  // batch/v1
  'batch/Job': topLevel(JOB_SPEC, CONDITIONS_STATUS),
  'batch/CronJob': topLevel(
    obj({ jobTemplate: obj({ metadata: OBJECT_META_MERGE_SPEC, spec: JOB_SPEC }) }),
    obj({ active: ATOMIC }),
  ),
  // networking.k8s.io/v1
  'networking.k8s.io/Ingress': topLevel(obj({ rules: ATOMIC, tls: ATOMIC })),
  // autoscaling/v2
  'autoscaling/HorizontalPodAutoscaler': topLevel(
    obj({ metrics: ATOMIC }),
    obj({ conditions: CONDITIONS, currentMetrics: ATOMIC }),
  ),
  // policy/v1
  'policy/PodDisruptionBudget': topLevel(undefined, CONDITIONS_STATUS),
  // coordination.k8s.io/v1
  'coordination.k8s.io/Lease': topLevel(),
  // discovery.k8s.io/v1
  'discovery.k8s.io/EndpointSlice': topLevel(undefined, undefined, { endpoints: ATOMIC, ports: ATOMIC }),
  // events.k8s.io/v1
  'events.k8s.io/Event': topLevel(),
  // rbac.authorization.k8s.io/v1
  'rbac.authorization.k8s.io/Role': topLevel(undefined, undefined, { rules: ATOMIC }),
  'rbac.authorization.k8s.io/ClusterRole': topLevel(undefined, undefined, { rules: ATOMIC }),
  'rbac.authorization.k8s.io/RoleBinding': topLevel(undefined, undefined, { subjects: ATOMIC }),
  'rbac.authorization.k8s.io/ClusterRoleBinding': topLevel(undefined, undefined, { subjects: ATOMIC }),
  // apiextensions.k8s.io/v1
  'apiextensions.k8s.io/CustomResourceDefinition': topLevel(
    obj({ versions: ATOMIC }),
    obj({ conditions: CONDITIONS, storedVersions: ATOMIC }),
  ),
};

/** The plain spec for a built-in kind, or `undefined` when the kind is not in the table. */
export function builtinMergeSchemaSpec(group: string, kind: string): MergeSchemaSpec | undefined {
  return Object.hasOwn(TABLE, `${group}/${kind}`) ? TABLE[`${group}/${kind}`] : undefined;
}

const built = new Map<string, MergeSchema>();

/**
 * How objects of a built-in kind merge, or `undefined` for a kind not in the table (custom
 * resources get theirs from `mergeSchemaFromOpenAPI`). The version does not matter: the served
 * versions of these kinds share their merge tags. Results are cached; never throws.
 */
export function builtinMergeSchema(group: string, kind: string): MergeSchema | undefined {
  const key = `${group}/${kind}`;
  const cached = built.get(key);
  if (cached !== undefined) return cached;
  const spec = builtinMergeSchemaSpec(group, kind);
  if (spec === undefined) return undefined;
  const schema = mergeSchemaFromSpec(spec);
  built.set(key, schema);
  return schema;
}

/** The (group, kind) pairs the table covers, for tests and discovery cross-checks. */
export function builtinMergeSchemaKinds(): { group: string; kind: string }[] {
  return Object.keys(TABLE).map((key) => {
    const slash = key.indexOf('/');
    return { group: key.slice(0, slash), kind: key.slice(slash + 1) };
  });
}
