/**
 * What a workload depends on (`propagateDeps`, Karmada's dependency interpreter for the workload
 * kinds): the ConfigMaps, Secrets, ServiceAccount and PersistentVolumeClaims its pod template
 * refers to — volumes (configMap, secret, projected sources, persistentVolumeClaim), env and
 * envFrom of every container and init container, imagePullSecrets and a non-default
 * serviceAccountName. All live in the workload's namespace. Sorted, without duplicates. Pure.
 */
import type { KubeObject } from '../meta.js';

export interface Dependency {
  apiVersion: 'v1';
  kind: 'ConfigMap' | 'Secret' | 'ServiceAccount' | 'PersistentVolumeClaim';
  name: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The pod spec of a workload kind (undefined for other kinds). */
function podSpecOf(template: KubeObject): Json | undefined {
  const spec = obj((template as { spec?: unknown }).spec);
  switch (template.kind) {
    case 'Pod':
      return spec;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return obj(obj(spec['template'])['spec']);
    case 'CronJob':
      return obj(obj(obj(obj(spec['jobTemplate'])['spec'])['template'])['spec']);
    default:
      return undefined;
  }
}

/** The objects `template`'s pods need. */
export function workloadDependencies(template: KubeObject): Dependency[] {
  const pod = podSpecOf(template);
  if (!pod) return [];
  const found = new Map<string, Dependency>();
  const add = (kind: Dependency['kind'], name: string | undefined): void => {
    if (name) found.set(`${kind}/${name}`, { apiVersion: 'v1', kind, name });
  };
  for (const v of list(pod['volumes'])) {
    add('ConfigMap', str(obj(v['configMap'])['name']));
    add('Secret', str(obj(v['secret'])['secretName']));
    add('PersistentVolumeClaim', str(obj(v['persistentVolumeClaim'])['claimName']));
    for (const source of list(obj(v['projected'])['sources'])) {
      add('ConfigMap', str(obj(source['configMap'])['name']));
      add('Secret', str(obj(source['secret'])['name']));
    }
  }
  for (const c of [...list(pod['containers']), ...list(pod['initContainers'])]) {
    for (const e of list(c['env'])) {
      const from = obj(e['valueFrom']);
      add('ConfigMap', str(obj(from['configMapKeyRef'])['name']));
      add('Secret', str(obj(from['secretKeyRef'])['name']));
    }
    for (const e of list(c['envFrom'])) {
      add('ConfigMap', str(obj(e['configMapRef'])['name']));
      add('Secret', str(obj(e['secretRef'])['name']));
    }
  }
  for (const s of list(pod['imagePullSecrets'])) add('Secret', str(s['name']));
  const sa = str(pod['serviceAccountName']);
  if (sa && sa !== 'default') add('ServiceAccount', sa);
  return [...found.values()].sort((a, b) =>
    a.kind === b.kind ? (a.name < b.name ? -1 : 1) : a.kind < b.kind ? -1 : 1,
  );
}
