/**
 * Overrides (API.md): which OverridePolicies and ClusterOverridePolicies apply to a template, in
 * what order, and the manifest a cluster gets after them. ClusterOverridePolicies come first, then
 * the OverridePolicies of the template's namespace; within each, by implicit priority (all
 * templates < labelSelector < name) and then name, so later ones win. Within a rule whose
 * `targetCluster` matches, the overriders run in the order image, command, args, labels,
 * annotations, field, plaintext. Pure; a patch that does not apply throws `OverrideError`.
 */
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { JsonObject, JsonValue, KubeObject } from '../meta.js';
import { applyJsonPatch, readPointer } from '../patch/json-patch.js';
import { clusterMatchesAffinity } from './cluster-affinity.js';
import type { Cluster } from './cluster.js';
import { selectorMatch } from './policy-match.js';
import type {
  CommandArgsOverrider,
  FieldOverrider,
  ImageOverrider,
  MapOverrider,
  OverrideSpec,
  Overriders,
  PatchOperation,
} from './policy.js';
import { cloneJson } from '../../base/json-clone.js';

/** An OverridePolicy or ClusterOverridePolicy. */
export interface OverridePolicyObject extends KubeObject {
  spec: OverrideSpec;
}

/** An override could not be applied (names the policy and what failed). */
export class OverrideError extends Error {
  override readonly name = 'OverrideError';
}

/** The policies that apply to `template`, in the order they are applied. */
export function applicableOverrides(
  policies: readonly OverridePolicyObject[],
  template: KubeObject,
): OverridePolicyObject[] {
  const namespace = template.metadata.namespace ?? '';
  const ranked = policies
    .filter((p) => p.kind === 'ClusterOverridePolicy' || (p.metadata.namespace ?? '') === namespace)
    .map((p) => ({ p, match: implicitPriority(p, template) }))
    .filter((x) => x.match >= 0);
  const clusterWide = (p: OverridePolicyObject): number => (p.kind === 'ClusterOverridePolicy' ? 0 : 1);
  ranked.sort(
    (a, b) =>
      clusterWide(a.p) - clusterWide(b.p) ||
      a.match - b.match ||
      ((a.p.metadata.name ?? '') < (b.p.metadata.name ?? '') ? -1 : 1),
  );
  return ranked.map((x) => x.p);
}

/** 0 for a policy of every template, 1–3 for kind/labels/name matches, -1 when it does not apply. */
function implicitPriority(policy: OverridePolicyObject, template: KubeObject): number {
  const selectors = policy.spec.resourceSelectors ?? [];
  if (selectors.length === 0) return 0;
  const best = Math.max(0, ...selectors.map((s) => selectorMatch(s, template)));
  return best > 0 ? best : -1;
}

/** `manifest` as `cluster` gets it after `policies` (already ordered); names what applied. */
export function applyOverrides(
  manifest: KubeObject,
  cluster: Cluster,
  policies: readonly OverridePolicyObject[],
): { manifest: KubeObject; applied: string[] } {
  let doc = cloneJson(manifest) as unknown as JsonObject;
  const applied: string[] = [];
  for (const policy of policies)
    for (const rule of policy.spec.overrideRules ?? []) {
      if (rule.targetCluster && !clusterMatchesAffinity(cluster, rule.targetCluster)) continue;
      try {
        doc = applyOverriders(doc, rule.overriders);
      } catch (err) {
        const ns = policy.metadata.namespace ? `${policy.metadata.namespace}/` : '';
        throw new OverrideError(
          `${policy.kind} ${ns}${policy.metadata.name ?? ''}: ${(err as Error).message}`,
          { cause: err },
        );
      }
      const ns = policy.metadata.namespace ? `${policy.metadata.namespace}/` : '';
      applied.push(`${policy.kind} ${ns}${policy.metadata.name ?? ''}`);
    }
  return { manifest: doc as unknown as KubeObject, applied: [...new Set(applied)] };
}

function applyOverriders(doc: JsonObject, o: Overriders): JsonObject {
  for (const x of o.imageOverrider ?? []) overrideImages(doc, x);
  for (const x of o.commandOverrider ?? []) overrideList(doc, x, 'command');
  for (const x of o.argsOverrider ?? []) overrideList(doc, x, 'args');
  for (const x of o.labelsOverrider ?? []) overrideMap(doc, x, 'labels');
  for (const x of o.annotationsOverrider ?? []) overrideMap(doc, x, 'annotations');
  for (const x of o.fieldOverrider ?? []) doc = overrideField(doc, x);
  if (o.plaintext?.length) doc = patch(doc, o.plaintext) as JsonObject;
  return doc;
}

function patch(doc: JsonValue, ops: readonly PatchOperation[] | readonly FieldPatch[]): JsonValue {
  const operations = ops.map((op) => ({
    op: op.operator,
    path: 'path' in op ? op.path : op.subPath,
    ...(op.operator === 'remove' ? {} : { value: (op.value ?? null) as JsonValue }),
  }));
  try {
    return applyJsonPatch(doc, operations);
  } catch (err) {
    const cause = (err as Error).cause;
    throw new Error(
      `patch ${JSON.stringify(operations)} does not apply: ${cause instanceof Error ? cause.message : (err as Error).message}`,
    );
  }
}

type FieldPatch = NonNullable<FieldOverrider['json']>[number];

/** The pod specs of a workload (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob). */
function podSpecs(doc: JsonObject): JsonObject[] {
  const at = (path: string[]): JsonObject | undefined => {
    let v: JsonValue | undefined = doc;
    for (const p of path) v = v && typeof v === 'object' && !Array.isArray(v) ? v[p] : undefined;
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  };
  const kind = (doc['kind'] as string | undefined) ?? '';
  const path =
    kind === 'Pod'
      ? ['spec']
      : kind === 'CronJob'
        ? ['spec', 'jobTemplate', 'spec', 'template', 'spec']
        : ['spec', 'template', 'spec'];
  const spec = at(path);
  return spec ? [spec] : [];
}

function containers(spec: JsonObject): JsonObject[] {
  return ['containers', 'initContainers'].flatMap((f) =>
    Array.isArray(spec[f])
      ? spec[f].filter((c): c is JsonObject => !!c && typeof c === 'object' && !Array.isArray(c))
      : [],
  );
}

function overrideImages(doc: JsonObject, o: ImageOverrider): void {
  if (o.predicate?.path) {
    const current = readPointer(doc, o.predicate.path);
    if (typeof current !== 'string') throw new Error(`no image at ${o.predicate.path}`);
    const next = patch(doc, [
      { path: o.predicate.path, operator: 'replace', value: changeImage(current, o) },
    ]);
    Object.assign(doc, next);
    return;
  }
  for (const spec of podSpecs(doc))
    for (const c of containers(spec))
      if (typeof c['image'] === 'string') c['image'] = changeImage(c['image'], o);
}

/** `image` with one component added to, removed or replaced (Karmada's imageOverrider). */
export function changeImage(image: string, o: ImageOverrider): string {
  const parts = parseImage(image);
  const key = o.component === 'Registry' ? 'registry' : o.component === 'Repository' ? 'repository' : 'tag';
  const value = o.value ?? '';
  if (o.operator === 'remove') parts[key] = '';
  else if (o.operator === 'replace') parts[key] = value;
  else parts[key] = `${parts[key]}${value}`;
  return formatImage(parts);
}

interface ImageParts {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}

function parseImage(image: string): ImageParts {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry = '';
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { registry, repository: rest, tag, digest };
}

function formatImage(p: ImageParts): string {
  return `${p.registry ? `${p.registry}/` : ''}${p.repository}${p.tag ? `:${p.tag}` : ''}${p.digest ? `@${p.digest}` : ''}`;
}

function overrideList(doc: JsonObject, o: CommandArgsOverrider, field: 'command' | 'args'): void {
  for (const spec of podSpecs(doc))
    for (const c of containers(spec)) {
      if (c['name'] !== o.containerName) continue;
      const current = Array.isArray(c[field]) ? c[field] : [];
      const values = o.value ?? [];
      c[field] =
        o.operator === 'add' ? [...current, ...values] : current.filter((v) => !values.includes(v as string));
    }
}

function overrideMap(doc: JsonObject, o: MapOverrider, field: 'labels' | 'annotations'): void {
  const metadata = (doc['metadata'] ??= {}) as JsonObject;
  const map = ((metadata[field] as JsonObject | undefined) ?? {}) as Record<string, JsonValue>;
  for (const [k, v] of Object.entries(o.value ?? {})) {
    if (o.operator === 'remove') delete map[k];
    else if (o.operator === 'add' || k in map) map[k] = v;
  }
  metadata[field] = map;
}

function overrideField(doc: JsonObject, o: FieldOverrider): JsonObject {
  const text = readPointer(doc, o.fieldPath);
  if (typeof text !== 'string') throw new Error(`${o.fieldPath} is not a string`);
  let out = doc;
  if (o.json?.length) {
    const value = patch(JSON.parse(text) as JsonValue, o.json);
    out = patch(out, [
      { path: o.fieldPath, operator: 'replace', value: JSON.stringify(value) },
    ]) as JsonObject;
  }
  if (o.yaml?.length) {
    const current = readPointer(out, o.fieldPath) as string;
    const value = patch((parseYaml(current) ?? null) as JsonValue, o.yaml);
    out = patch(out, [{ path: o.fieldPath, operator: 'replace', value: toYaml(value) }]) as JsonObject;
  }
  return out;
}
