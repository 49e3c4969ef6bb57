import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ListType, MergeSchema } from './merge-schema.js';
import { builtinMergeSchema, builtinMergeSchemaKinds } from './builtin-merge-schemas.js';

/** Walks `a.b[].c`: `[]` steps into list items. */
function at(schema: MergeSchema | undefined, path: string): MergeSchema | undefined {
  let node = schema;
  for (const part of path.split('.')) {
    const list = part.endsWith('[]');
    node = node?.property(list ? part.slice(0, -2) : part);
    if (list) node = node?.items();
  }
  return node;
}

const map = (...keys: string[]): ListType => ({ type: 'map', keys, mergeKey: keys[0] ?? '' });
const SET: ListType = { type: 'set' };
const ATOMIC: ListType = { type: 'atomic' };
const POD = 'spec.template.spec';

// [group, kind, path, expected list type (undefined = no marker = atomic)]
const lists: [string, string, string, ListType | undefined][] = [
  ['', 'Pod', 'metadata.ownerReferences', map('uid')],
  ['', 'Pod', 'metadata.finalizers', SET],
  ['', 'Pod', 'spec.containers', map('name')],
  ['', 'Pod', 'spec.initContainers', map('name')],
  ['', 'Pod', 'spec.ephemeralContainers', map('name')],
  ['', 'Pod', 'spec.containers[].ports', map('containerPort', 'protocol')],
  ['', 'Pod', 'spec.containers[].env', map('name')],
  ['', 'Pod', 'spec.containers[].volumeMounts', map('mountPath')],
  ['', 'Pod', 'spec.containers[].volumeDevices', map('devicePath')],
  ['', 'Pod', 'spec.containers[].args', ATOMIC],
  ['', 'Pod', 'spec.containers[].envFrom', ATOMIC],
  ['', 'Pod', 'spec.ephemeralContainers[].env', map('name')],
  ['', 'Pod', 'spec.volumes', map('name')],
  ['', 'Pod', 'spec.imagePullSecrets', map('name')],
  ['', 'Pod', 'spec.tolerations', ATOMIC],
  ['', 'Pod', 'spec.hostAliases', map('ip')],
  ['', 'Pod', 'spec.topologySpreadConstraints', map('topologyKey', 'whenUnsatisfiable')],
  ['', 'Pod', 'spec.schedulingGates', map('name')],
  ['', 'Pod', 'spec.resourceClaims', map('name')],
  ['', 'Pod', 'status.conditions', map('type')],
  ['', 'Pod', 'status.podIPs', map('ip')],
  ['', 'Pod', 'status.containerStatuses', ATOMIC],
  ['', 'Service', 'spec.ports', map('port', 'protocol')],
  ['', 'Service', 'status.conditions', map('type')],
  ['', 'ServiceAccount', 'secrets', map('name')],
  ['', 'Node', 'spec.podCIDRs', SET],
  ['', 'Node', 'spec.taints', ATOMIC],
  ['', 'Node', 'status.addresses', map('type')],
  ['', 'Node', 'status.conditions', map('type')],
  ['', 'Namespace', 'spec.finalizers', ATOMIC],
  ['', 'Namespace', 'status.conditions', map('type')],
  ['', 'PersistentVolumeClaim', 'status.conditions', map('type')],
  ['', 'Endpoints', 'subsets', ATOMIC],
  ['', 'ConfigMap', 'metadata.ownerReferences', map('uid')],
  ['apps', 'Deployment', `${POD}.containers`, map('name')],
  ['apps', 'Deployment', `${POD}.containers[].env`, map('name')],
  ['apps', 'Deployment', 'spec.template.metadata.finalizers', SET],
  ['apps', 'Deployment', 'status.conditions', map('type')],
  ['apps', 'StatefulSet', `${POD}.volumes`, map('name')],
  ['apps', 'StatefulSet', 'spec.volumeClaimTemplates', ATOMIC],
  ['apps', 'DaemonSet', `${POD}.initContainers[].ports`, map('containerPort', 'protocol')],
  ['apps', 'ReplicaSet', `${POD}.containers`, map('name')],
  ['batch', 'Job', `${POD}.containers`, map('name')],
  ['batch', 'Job', 'status.conditions', map('type')],
  ['batch', 'CronJob', 'spec.jobTemplate.spec.template.spec.containers[].env', map('name')],
  ['networking.k8s.io', 'Ingress', 'spec.rules', ATOMIC],
  ['autoscaling', 'HorizontalPodAutoscaler', 'status.conditions', map('type')],
  ['policy', 'PodDisruptionBudget', 'status.conditions', map('type')],
  ['apiextensions.k8s.io', 'CustomResourceDefinition', 'spec.versions', ATOMIC],
  ['rbac.authorization.k8s.io', 'ClusterRole', 'rules', ATOMIC],
  ['coordination.k8s.io', 'Lease', 'metadata.finalizers', SET],
  ['discovery.k8s.io', 'EndpointSlice', 'endpoints', ATOMIC],
  ['events.k8s.io', 'Event', 'metadata.ownerReferences', map('uid')],
  ['', 'ConfigMap', 'data', undefined],
];

describe('builtinMergeSchema', () => {
  for (const [group, kind, path, want] of lists) {
    it(`${group || 'core'}/${kind} ${path}`, () => {
      const schema = builtinMergeSchema(group, kind);
      assert.ok(schema, 'kind is in the table');
      assert.deepEqual(at(schema, path)?.list, want);
    });
  }

  const retain: [string, string, string][] = [
    ['apps', 'Deployment', 'spec.strategy'],
    ['', 'Pod', 'spec.volumes[]'],
    ['', 'Pod', 'spec.resourceClaims[]'],
    ['apps', 'Deployment', `${POD}.volumes[]`],
  ];
  for (const [group, kind, path] of retain) {
    it(`retainKeys on ${kind} ${path}`, () => {
      assert.equal(at(builtinMergeSchema(group, kind), path)?.retainKeys, true);
    });
  }

  it('DaemonSet.spec.updateStrategy and StatefulSet.spec.updateStrategy carry no retainKeys (kube tags)', () => {
    assert.notEqual(at(builtinMergeSchema('apps', 'DaemonSet'), 'spec.updateStrategy')?.retainKeys, true);
    assert.notEqual(at(builtinMergeSchema('apps', 'StatefulSet'), 'spec.updateStrategy')?.retainKeys, true);
  });

  it('covers every kind the hub serves', () => {
    const want = [
      '/Namespace',
      '/ConfigMap',
      '/Secret',
      '/Service',
      '/ServiceAccount',
      '/Event',
      '/PersistentVolumeClaim',
      '/Pod',
      '/Node',
      '/Endpoints',
      'apps/Deployment',
      'apps/StatefulSet',
      'apps/DaemonSet',
      'apps/ReplicaSet',
      'batch/Job',
      'batch/CronJob',
      'networking.k8s.io/Ingress',
      'autoscaling/HorizontalPodAutoscaler',
      'policy/PodDisruptionBudget',
      'coordination.k8s.io/Lease',
      'discovery.k8s.io/EndpointSlice',
      'events.k8s.io/Event',
      'rbac.authorization.k8s.io/Role',
      'rbac.authorization.k8s.io/ClusterRole',
      'rbac.authorization.k8s.io/RoleBinding',
      'rbac.authorization.k8s.io/ClusterRoleBinding',
      'apiextensions.k8s.io/CustomResourceDefinition',
    ];
    assert.deepEqual(
      builtinMergeSchemaKinds()
        .map((k) => `${k.group}/${k.kind}`)
        .sort(),
      want.sort(),
    );
    for (const k of builtinMergeSchemaKinds()) assert.ok(builtinMergeSchema(k.group, k.kind));
  });

  it('is undefined for unknown kinds and caches known ones', () => {
    assert.equal(builtinMergeSchema('example.com', 'Widget'), undefined);
    assert.equal(builtinMergeSchema('', 'Deployment'), undefined);
    assert.equal(builtinMergeSchema('', 'toString'), undefined);
    assert.equal(builtinMergeSchema('apps', 'Deployment'), builtinMergeSchema('apps', 'Deployment'));
  });
});
