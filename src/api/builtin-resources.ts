/**
 * The built-in kinds the hub serves, with the names, scopes, short names, categories,
 * subresources and field-selector labels kube-apiserver gives them. Schemas, merge schemas and
 * printers are attached elsewhere (`builtin-schemas`, `builtin-merge-schemas`, apiserver tables).
 */
import type { KubeObject } from './meta.js';
import { ALL_VERBS } from './resource-info.js';
import type { ResourceInfo, Verb } from './resource-info.js';

interface BuiltinSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  status?: boolean;
  scale?: boolean;
  log?: boolean;
  binding?: boolean;
  generation?: boolean;
  verbs?: Verb[];
  fieldLabels?: Record<string, (obj: KubeObject) => string>;
}

/** Reads a dotted path of an object as a field-selector value ('' when absent). */
function field(path: string): (obj: KubeObject) => string {
  const parts = path.split('.');
  return (obj) => {
    let cur: unknown = obj;
    for (const p of parts) {
      if (typeof cur !== 'object' || cur === null) return '';
      cur = (cur as Record<string, unknown>)[p];
    }
    if (cur === undefined || cur === null) return '';
    return typeof cur === 'string' ? cur : JSON.stringify(cur);
  };
}

function fields(paths: readonly string[]): Record<string, (obj: KubeObject) => string> {
  return Object.fromEntries(paths.map((p) => [p, field(p)]));
}

const podFields: Record<string, (obj: KubeObject) => string> = {
  ...fields([
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ]),
  'spec.host': field('spec.nodeName'),
  'spec.hostNetwork': (obj) => (field('spec.hostNetwork')(obj) === 'true' ? 'true' : 'false'),
  'status.podIPs': field('status.podIP'),
};

const eventFields = fields([
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
]);
eventFields['source'] = (obj) => field('source.component')(obj) || field('reportingComponent')(obj);

const specs: BuiltinSpec[] = [
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true, shortNames: ['ep'] },
  {
    group: '',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    shortNames: ['ev'],
    fieldLabels: eventFields,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    status: true,
    fieldLabels: fields(['status.phase']),
  },
  {
    group: '',
    version: 'v1',
    kind: 'Node',
    plural: 'nodes',
    namespaced: false,
    shortNames: ['no'],
    status: true,
    fieldLabels: {
      'spec.unschedulable': (o) => (field('spec.unschedulable')(o) === 'true' ? 'true' : 'false'),
    },
  },
  {
    group: '',
    version: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
    shortNames: ['pvc'],
    status: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    status: true,
    log: true,
    binding: true,
    fieldLabels: podFields,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    fieldLabels: fields(['type']),
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    status: true,
  },
  ...[
    'Deployment:deployments:deploy:scale',
    'StatefulSet:statefulsets:sts:scale',
    'ReplicaSet:replicasets:rs:scale',
    'DaemonSet:daemonsets:ds:',
  ]
    .map((s) => s.split(':'))
    .map(([kind = '', plural = '', short = '', scale]): BuiltinSpec => ({
      group: 'apps',
      version: 'v1',
      kind,
      plural,
      namespaced: true,
      shortNames: [short],
      categories: ['all'],
      status: true,
      scale: scale === 'scale',
      generation: true,
      ...(kind === 'ReplicaSet' ? { fieldLabels: fields(['status.replicas']) } : {}),
    })),
  {
    group: 'apps',
    version: 'v1',
    kind: 'ControllerRevision',
    plural: 'controllerrevisions',
    namespaced: true,
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'Job',
    plural: 'jobs',
    namespaced: true,
    categories: ['all'],
    status: true,
    generation: true,
    fieldLabels: fields(['status.successful']),
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'CronJob',
    plural: 'cronjobs',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    status: true,
    generation: true,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    plural: 'ingresses',
    namespaced: true,
    shortNames: ['ing'],
    status: true,
    generation: true,
  },
  {
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    status: true,
    generation: true,
  },
  {
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    namespaced: true,
    shortNames: ['pdb'],
    status: true,
    generation: true,
  },
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true },
  {
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    namespaced: true,
  },
  {
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    shortNames: ['ev'],
  },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRole',
    plural: 'clusterroles',
    namespaced: false,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    status: true,
    generation: true,
  },
];

function toInfo(s: BuiltinSpec): ResourceInfo {
  const info: ResourceInfo = {
    group: s.group,
    version: s.version,
    kind: s.kind,
    listKind: `${s.kind}List`,
    plural: s.plural,
    singular: s.kind.toLowerCase(),
    namespaced: s.namespaced,
    shortNames: s.shortNames ?? [],
    categories: s.categories ?? [],
    verbs: s.verbs ?? ALL_VERBS,
    subresources: {
      status: s.status ?? false,
      ...(s.scale
        ? {
            scale: {
              specReplicasPath: '.spec.replicas',
              statusReplicasPath: '.status.replicas',
              labelSelectorPath: '.status.selector',
            },
          }
        : {}),
      ...(s.log ? { log: true } : {}),
      ...(s.binding ? { binding: true } : {}),
    },
    builtin: true,
    storagePrefix: `${s.group === '' ? 'core' : s.group}/${s.plural}`,
    generation: s.generation ?? false,
  };
  if (s.fieldLabels) info.fieldLabels = s.fieldLabels;
  return info;
}

/**
 * The built-in resources, one entry per kind, without schemas attached. Returns fresh objects
 * each call so a server instance can attach its own schema objects.
 */
export function builtinResources(): ResourceInfo[] {
  return specs.map(toInfo);
}
