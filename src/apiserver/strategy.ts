/**
 * The rules every write goes through, whatever the verb: server-owned metadata, the spec/status
 * split of resources with a status subresource, generation, schema pruning/defaulting/validation
 * with `fieldValidation`, and metadata validation. Mirrors kube-apiserver's
 * rest.BeforeCreate/BeforeUpdate plus the per-kind strategies.
 */
import { randomUUID } from 'node:crypto';
import { rfc3339Seconds } from '../base/clock.js';
import type { JsonObject, JsonValue, KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resource-info.js';
import { applyBuiltinDefaults } from '../api/builtin-defaults.js';
import { qosClass } from '../api/pod-qos.js';
import { jsonEqual } from '../api/json-equal.js';
import { badRequest, invalid } from '../api/status.js';
import type { FieldIssue } from '../api/status.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../api/validation/objectmeta.js';
import type { WriteOptions } from './context.js';
import { kindValidators } from './kind-rules.js';
import { cloneJson } from '../base/json-clone.js';

/**
 * Which part of the object a write may change: `main` (spec and metadata), `status`, or
 * `deletion` (the server's own marking of an object for deletion: deletionTimestamp, grace
 * period, propagation finalizers and, for namespaces, the Terminating phase), or `finalize`
 * (a Namespace's `spec.finalizers` only, through `/finalize`), or `binding` (a pod's node and its
 * PodScheduled condition together, through `pods/binding`).
 */
export type WriteScope = 'main' | 'status' | 'deletion' | 'finalize' | 'binding';

/**
 * Prunes unknown fields per `fieldValidation`, applies defaults and validates; throws 400 (Strict
 * unknown fields) or 422 (Invalid). Mutates `obj`.
 */
export function admit(
  info: ResourceInfo,
  obj: KubeObject,
  old: KubeObject | undefined,
  opts: WriteOptions,
): void {
  const schema = info.schema;
  if (schema) {
    const pruned = schema.prune(obj as unknown as JsonObject);
    if (pruned.length > 0) reportUnknown(pruned, opts);
    schema.applyDefaults(obj as unknown as JsonObject);
  }
  if (info.builtin) applyBuiltinDefaults(info.group, obj);
  const issues: FieldIssue[] = [];
  issues.push(...validateObjectMeta(obj.metadata, { namespaced: info.namespaced }));
  if (old) issues.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
  if (schema)
    issues.push(...schema.validate(obj as unknown as JsonObject, old as unknown as JsonObject | undefined));
  const extra = kindValidators[`${info.group}/${info.kind}`];
  if (extra) issues.push(...extra(obj, old));
  if (info.validate) issues.push(...info.validate(obj, old));
  if (issues.length > 0) {
    throw invalid(info.group, info.kind, obj.metadata.name ?? obj.metadata.generateName ?? '', issues);
  }
}

function reportUnknown(paths: readonly string[], opts: WriteOptions): void {
  const texts = paths.map((p) => `unknown field "${p}"`);
  if (opts.fieldValidation === 'Strict') throw badRequest(`strict decoding error: ${texts.join(', ')}`);
  if (opts.fieldValidation === 'Warn') opts.warnings.push(...texts);
}

/** Sets the metadata a create owns: uid, creationTimestamp, generation; clears what clients may not set. */
export function prepareCreate(info: ResourceInfo, obj: KubeObject, now: number): void {
  const meta = obj.metadata;
  if (meta.resourceVersion !== undefined && meta.resourceVersion !== '') {
    throw badRequest('resourceVersion should not be set on objects to be created');
  }
  delete meta.resourceVersion;
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339Seconds(now);
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (info.generation || !info.builtin) meta.generation = 1;
  else delete meta.generation;
  if (info.subresources.status) resetStatusOnCreate(info, obj);
}

/**
 * What a create keeps of the status it is sent: kube's strategies clear it, except that a Node
 * keeps what its kubelet registers, a Namespace keeps its phase, and a Pod starts Pending.
 */
function resetStatusOnCreate(info: ResourceInfo, obj: KubeObject): void {
  if (info.group !== '') {
    delete obj['status'];
    return;
  }
  if (info.kind === 'Node' || info.kind === 'Namespace') return;
  if (info.kind === 'Pod') obj['status'] = { phase: 'Pending', qosClass: qosClass(obj['spec'] ?? {}) };
  else delete obj['status'];
}

/**
 * Carries server-owned fields from `old` into `next` for an update through `scope`: identity and
 * timestamps always; the status of a main-resource write and the rest of a status write; then
 * bumps `generation` when anything outside metadata and status changed.
 */
export function prepareUpdate(
  info: ResourceInfo,
  next: KubeObject,
  old: KubeObject,
  scope: WriteScope,
): KubeObject {
  let result = next;
  if (scope === 'finalize') {
    const finalizers = (next['spec'] as { finalizers?: unknown } | undefined)?.finalizers;
    result = cloneJson(old);
    result['spec'] = { ...(old['spec'] ?? {}), finalizers: finalizers ?? [] };
    result.metadata.managedFields = next.metadata.managedFields ?? old.metadata.managedFields ?? [];
  } else if (scope === 'status') {
    // Everything but the status is the stored object's, shared by reference: nothing downstream
    // mutates it (it is stored data, already pruned and defaulted), and sharing lets validation,
    // change detection and field tracking skip it by identity.
    result = {
      ...old,
      metadata: { ...old.metadata, ...pickStatusWritableMeta(next) },
      status: next['status'],
    };
    if (next['status'] === undefined) delete result['status'];
  } else if (info.subresources.status && scope === 'main') {
    if (old['status'] === undefined) delete result['status'];
    else result['status'] = old['status'];
    keepNamespaceFinalizers(info, result, old);
  }
  const meta = result.metadata;
  const oldMeta = old.metadata;
  meta.uid = oldMeta.uid ?? '';
  meta.creationTimestamp = oldMeta.creationTimestamp ?? '';
  meta.resourceVersion = oldMeta.resourceVersion ?? '';
  if (scope !== 'deletion') {
    if (oldMeta.deletionTimestamp !== undefined) meta.deletionTimestamp = oldMeta.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined)
      meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    else delete meta.deletionGracePeriodSeconds;
  }
  const marked = scope === 'deletion' && oldMeta.deletionTimestamp === undefined;
  if (oldMeta.generation === undefined) delete meta.generation;
  else meta.generation = specChanged(result, old) || marked ? oldMeta.generation + 1 : oldMeta.generation;
  return result;
}

/** A Namespace's `spec.finalizers` change only through `/finalize`, as in kube. */
function keepNamespaceFinalizers(info: ResourceInfo, result: KubeObject, old: KubeObject): void {
  if (info.group !== '' || info.kind !== 'Namespace') return;
  const oldFinalizers = (old['spec'] as { finalizers?: unknown } | undefined)?.finalizers;
  const spec = { ...((result['spec'] as object | undefined) ?? {}) } as Record<string, unknown>;
  if (oldFinalizers === undefined) delete spec['finalizers'];
  else spec['finalizers'] = cloneJson(oldFinalizers);
  result['spec'] = spec;
}

/** A status write keeps the old metadata; only managedFields come from the request. */
function pickStatusWritableMeta(next: KubeObject): Partial<KubeObject['metadata']> {
  return next.metadata.managedFields ? { managedFields: next.metadata.managedFields } : {};
}

/** True when anything other than metadata and status differs. */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): JsonValue => {
    const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
    return rest as JsonValue;
  };
  return !jsonEqual(strip(a), strip(b));
}

/** Equality ignoring resourceVersion and managedFields timestamps: decides whether a write is a no-op. */
export function sameStoredObject(a: KubeObject, b: KubeObject): boolean {
  const norm = (o: KubeObject): JsonValue => {
    const { resourceVersion: _rv, managedFields, ...meta } = o.metadata;
    const fields = managedFields?.map(({ time: _t, ...m }) => m);
    return { ...o, metadata: { ...meta, managedFields: fields } } as unknown as JsonValue;
  };
  return jsonEqual(norm(a), norm(b));
}
