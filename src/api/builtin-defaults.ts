/**
 * Defaults kube-apiserver applies to built-in kinds on every write (k8s.io/api's SetDefaults_*
 * functions), for the fields clients see in `kubectl get -o yaml` and controllers rely on:
 * pod specs and templates, workloads, Services, Secrets, PVCs. Only absent fields are filled;
 * nothing present is changed. Defaults the upstream schemas carry are applied by the schema
 * engine; these are the ones that live in Go code.
 */
import type { JsonObject, KubeObject } from './meta.js';
import { isJsonObject } from './meta.js';

type Defaulter = (obj: KubeObject) => void;

function obj(parent: JsonObject, key: string): JsonObject {
  const v = parent[key];
  if (isJsonObject(v)) return v;
  const made: JsonObject = {};
  parent[key] = made;
  return made;
}

function child(parent: JsonObject, key: string): JsonObject | undefined {
  const v = parent[key];
  return isJsonObject(v) ? v : undefined;
}

function setIfAbsent(target: JsonObject, key: string, value: JsonObject[string]): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

function eachObject(list: unknown, fn: (item: JsonObject) => void): void {
  if (!Array.isArray(list)) return;
  for (const item of list) if (isJsonObject(item)) fn(item);
}

/** `Always` for `:latest` or untagged images, else `IfNotPresent` (SetDefaults_Container). */
export function defaultPullPolicy(image: string): string {
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  if (image.includes('@')) return 'IfNotPresent';
  const colon = lastPart.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastPart.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: JsonObject): void {
  setIfAbsent(c, 'terminationMessagePath', '/dev/termination-log');
  setIfAbsent(c, 'terminationMessagePolicy', 'File');
  if (typeof c['image'] === 'string') setIfAbsent(c, 'imagePullPolicy', defaultPullPolicy(c['image']));
  setIfAbsent(c, 'resources', {});
  eachObject(c['ports'], (p) => setIfAbsent(p, 'protocol', 'TCP'));
}

/** SetDefaults_PodSpec and its containers. `restartPolicy` is left to the caller's kind. */
export function defaultPodSpec(spec: JsonObject, restartPolicy: string | undefined): void {
  if (restartPolicy !== undefined) setIfAbsent(spec, 'restartPolicy', restartPolicy);
  setIfAbsent(spec, 'dnsPolicy', 'ClusterFirst');
  setIfAbsent(spec, 'schedulerName', 'default-scheduler');
  setIfAbsent(spec, 'terminationGracePeriodSeconds', 30);
  setIfAbsent(spec, 'securityContext', {});
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'])
    eachObject(spec[list], defaultContainer);
}

function templateSpec(o: KubeObject, restartPolicy?: string): void {
  const spec = child(o as unknown as JsonObject, 'spec');
  const tmpl = spec ? child(spec, 'template') : undefined;
  const podSpec = tmpl ? child(tmpl, 'spec') : undefined;
  if (podSpec) defaultPodSpec(podSpec, restartPolicy);
}

function specOf(o: KubeObject): JsonObject {
  return obj(o as unknown as JsonObject, 'spec');
}

const deployment: Defaulter = (o) => {
  const spec = specOf(o);
  setIfAbsent(spec, 'replicas', 1);
  const strategy = obj(spec, 'strategy');
  setIfAbsent(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = obj(strategy, 'rollingUpdate');
    setIfAbsent(ru, 'maxUnavailable', '25%');
    setIfAbsent(ru, 'maxSurge', '25%');
  }
  setIfAbsent(spec, 'revisionHistoryLimit', 10);
  setIfAbsent(spec, 'progressDeadlineSeconds', 600);
  templateSpec(o, 'Always');
};

const statefulSet: Defaulter = (o) => {
  const spec = specOf(o);
  setIfAbsent(spec, 'replicas', 1);
  setIfAbsent(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = obj(spec, 'updateStrategy');
  setIfAbsent(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') setIfAbsent(obj(strategy, 'rollingUpdate'), 'partition', 0);
  setIfAbsent(spec, 'revisionHistoryLimit', 10);
  const retention = obj(spec, 'persistentVolumeClaimRetentionPolicy');
  setIfAbsent(retention, 'whenDeleted', 'Retain');
  setIfAbsent(retention, 'whenScaled', 'Retain');
  templateSpec(o, 'Always');
};

const daemonSet: Defaulter = (o) => {
  const spec = specOf(o);
  const strategy = obj(spec, 'updateStrategy');
  setIfAbsent(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = obj(strategy, 'rollingUpdate');
    setIfAbsent(ru, 'maxUnavailable', 1);
    setIfAbsent(ru, 'maxSurge', 0);
  }
  setIfAbsent(spec, 'revisionHistoryLimit', 10);
  templateSpec(o, 'Always');
};

const replicaSet: Defaulter = (o) => {
  setIfAbsent(specOf(o), 'replicas', 1);
  templateSpec(o, 'Always');
};

function defaultJobSpec(spec: JsonObject): void {
  if (spec['completions'] === undefined && spec['parallelism'] === undefined) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  setIfAbsent(spec, 'parallelism', 1);
  setIfAbsent(spec, 'backoffLimit', 6);
  setIfAbsent(spec, 'completionMode', 'NonIndexed');
  setIfAbsent(spec, 'suspend', false);
  const tmpl = child(spec, 'template');
  const podSpec = tmpl ? child(tmpl, 'spec') : undefined;
  if (podSpec) defaultPodSpec(podSpec, undefined);
}

const job: Defaulter = (o) => defaultJobSpec(specOf(o));

const cronJob: Defaulter = (o) => {
  const spec = specOf(o);
  setIfAbsent(spec, 'concurrencyPolicy', 'Allow');
  setIfAbsent(spec, 'suspend', false);
  setIfAbsent(spec, 'successfulJobsHistoryLimit', 3);
  setIfAbsent(spec, 'failedJobsHistoryLimit', 1);
  const jobTemplate = child(spec, 'jobTemplate');
  const jobSpec = jobTemplate ? child(jobTemplate, 'spec') : undefined;
  if (jobSpec) defaultJobSpec(jobSpec);
};

const service: Defaulter = (o) => {
  const spec = specOf(o);
  setIfAbsent(spec, 'type', 'ClusterIP');
  setIfAbsent(spec, 'sessionAffinity', 'None');
  if (spec['type'] !== 'ExternalName') setIfAbsent(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer')
    setIfAbsent(spec, 'externalTrafficPolicy', 'Cluster');
  eachObject(spec['ports'], (p) => {
    setIfAbsent(p, 'protocol', 'TCP');
    if (p['targetPort'] === undefined && p['port'] !== undefined) p['targetPort'] = p['port'];
  });
};

const pod: Defaulter = (o) => {
  const spec = child(o as unknown as JsonObject, 'spec');
  if (!spec) return;
  defaultPodSpec(spec, 'Always');
  // SetDefaults_Pod: a container's limits stand in for the requests it does not set.
  for (const list of ['initContainers', 'containers'])
    eachObject(spec[list], (c) => {
      const resources = child(c, 'resources');
      const limits = resources ? child(resources, 'limits') : undefined;
      if (!resources || !limits) return;
      const requests = obj(resources, 'requests');
      for (const [name, q] of Object.entries(limits)) if (requests[name] === undefined) requests[name] = q;
    });
};

/** Defaulters keyed by `<group>/<Kind>`. */
export const builtinDefaulters: Readonly<Record<string, Defaulter>> = {
  'apps/Deployment': deployment,
  'apps/StatefulSet': statefulSet,
  'apps/DaemonSet': daemonSet,
  'apps/ReplicaSet': replicaSet,
  'batch/Job': job,
  'batch/CronJob': cronJob,
  '/Service': service,
  '/Pod': pod,
  '/Secret': (o) => {
    if (o['type'] === undefined) o['type'] = 'Opaque';
  },
  '/PersistentVolumeClaim': (o) => setIfAbsent(specOf(o), 'volumeMode', 'Filesystem'),
};

/** Applies the kind's defaults to `obj` in place (no-op for kinds without Go-side defaults). */
export function applyBuiltinDefaults(group: string, obj: KubeObject): void {
  builtinDefaulters[`${group}/${obj.kind}`]?.(obj);
}

function podSpecsOf(o: KubeObject): JsonObject[] {
  const root = o as unknown as JsonObject;
  const spec = child(root, 'spec');
  if (!spec) return [];
  if (o.kind === 'Pod') return [spec];
  const jobTemplate = child(spec, 'jobTemplate');
  const templateHolder = jobTemplate ? child(jobTemplate, 'spec') : spec;
  const template = templateHolder ? child(templateHolder, 'template') : undefined;
  const podSpec = template ? child(template, 'spec') : undefined;
  return podSpec ? [podSpec] : [];
}

/**
 * Fills the defaulted fields that are part of list-map keys (`protocol` of container and Service
 * ports), so that a server-side apply config without them addresses the same list elements as the
 * defaulted live object — what structured-merge-diff does with key defaults in the schema.
 */
export function applyListKeyDefaults(group: string, o: KubeObject): void {
  for (const spec of podSpecsOf(o)) {
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      eachObject(spec[list], (c) => eachObject(c['ports'], (p) => setIfAbsent(p, 'protocol', 'TCP')));
    }
  }
  if (group === '' && o.kind === 'Service') {
    const spec = child(o as unknown as JsonObject, 'spec');
    if (spec) eachObject(spec['ports'], (p) => setIfAbsent(p, 'protocol', 'TCP'));
  }
}
