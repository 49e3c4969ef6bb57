/**
 * Validation of `metadata` on create and update, reproducing k8s.io/apimachinery
 * pkg/api/validation/objectmeta.go (plus the finalizer-name check kube applies on update).
 * Validators return `FieldIssue[]` (empty = valid); the API edge turns a non-empty list into one
 * `invalid(...)` StatusError. Map-valued fields are walked in sorted key order so the issue list
 * is deterministic (Go's map order is random).
 */

import type { ObjectMeta, OwnerReference } from '../meta.js';
import type { FieldIssue } from '../status.js';
import {
  byteLength,
  isPlainLabel,
  isQualifiedName,
  isValidLabelValue,
  nameIsDNSSubdomain,
  validateNamespaceName,
} from './names.js';
import type { NameValidator } from './names.js';

/** Upper bound on the summed byte length of all annotation keys and values (256 KiB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

/** kube's FieldImmutableErrorMsg. */
export const FIELD_IMMUTABLE_MESSAGE = 'field is immutable';

const FINALIZER_ORPHAN = 'orphan';
const FINALIZER_FOREGROUND = 'foregroundDeletion';

function invalid(field: string, value: unknown, detail: string): FieldIssue {
  return { field, type: 'FieldValueInvalid', value, detail };
}

function sortedEntries(map: Record<string, string> | undefined): [string, string][] {
  return Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A label key (or selector key) must be a qualified name; one issue per problem, at `path`. */
export function validateLabelName(key: string, path: string): FieldIssue[] {
  return isQualifiedName(key).map((msg) => invalid(path, key, msg));
}

/** Every key a qualified name and every value a label value; issues are reported at `path`. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldIssue[] {
  const check = (k: string, v: string): FieldIssue[] => [
    ...validateLabelName(k, path),
    ...isValidLabelValue(v).map((msg) => invalid(path, v, msg)),
  ];
  if (labels === undefined) return [];
  // Valid labels (nearly always) are checked in any order; issues are reported in key order.
  for (const k of Object.keys(labels)) {
    const v = labels[k] ?? '';
    if (!isPlainLabel(k, v) && check(k, v).length > 0)
      return sortedEntries(labels).flatMap(([key, v]) => check(key, v));
  }
  return [];
}

/**
 * Annotation keys must be qualified names ignoring case; the total size of keys plus values
 * must not exceed {@link TOTAL_ANNOTATION_SIZE_LIMIT_BYTES} (reported as `Too long`).
 */
export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  path: string,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  let total = 0;
  for (const [k, v] of sortedEntries(annotations)) {
    issues.push(...isQualifiedName(k.toLowerCase()).map((msg) => invalid(path, k, msg)));
    total += byteLength(k) + byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
    issues.push({
      field: path,
      type: 'FieldValueTooLong',
      detail: `may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT_BYTES} bytes`,
    });
  }
  return issues;
}

/** Finalizers must be qualified names, and `orphan` and `foregroundDeletion` exclude each other. */
export function validateFinalizers(finalizers: readonly string[] | undefined, path: string): FieldIssue[] {
  const list = finalizers ?? [];
  const issues = list.flatMap((f) => isQualifiedName(f).map((msg) => invalid(path, f, msg)));
  if (list.includes(FINALIZER_ORPHAN) && list.includes(FINALIZER_FOREGROUND)) {
    issues.push(
      invalid(path, list, `finalizer ${FINALIZER_ORPHAN} and ${FINALIZER_FOREGROUND} cannot be both set`),
    );
  }
  return issues;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0] ?? '', version: parts[1] ?? '' };
  return { group: '', version: '' }; // unparseable: kube keeps only the kind
}

function validateOwnerReference(ref: Partial<OwnerReference>, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const apiVersion = ref.apiVersion ?? '';
  const kind = ref.kind ?? '';
  const { group, version } = splitApiVersion(apiVersion);
  if (version === '') issues.push(invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
  if (kind === '') issues.push(invalid(`${path}.kind`, kind, 'must not be empty'));
  if ((ref.name ?? '') === '') issues.push(invalid(`${path}.name`, ref.name ?? '', 'must not be empty'));
  if ((ref.uid ?? '') === '') issues.push(invalid(`${path}.uid`, ref.uid ?? '', 'must not be empty'));
  if (group === '' && version === 'v1' && kind === 'Event') {
    issues.push(invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
  }
  return issues;
}

/**
 * apiVersion (with a version), kind, name and uid are required on every reference, and at most
 * one reference may be the controller. Like kube, the per-reference issues use the unindexed
 * path (`metadata.ownerReferences.uid`).
 */
export function validateOwnerReferences(
  refs: readonly OwnerReference[] | undefined,
  path: string,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    issues.push(...validateOwnerReference(ref, path));
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController === '') {
        firstController = current;
      } else {
        issues.push(
          invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      }
    }
  }
  return issues;
}

/** Options for {@link validateObjectMeta}. */
export interface ObjectMetaOptions {
  /** Namespaced kinds require `metadata.namespace`; cluster-scoped kinds forbid it. */
  namespaced: boolean;
  /** Rule for `name`/`generateName`; defaults to {@link nameIsDNSSubdomain}. */
  nameValidator?: NameValidator;
}

/**
 * Validates metadata for create. The caller must have resolved `generateName` into `name`
 * already (as kube does before validating); a missing name is `Required`. Checks: name and
 * generateName shape, namespace presence (and DNS-1123 label shape) per scope, non-negative
 * generation, labels, annotations, owner references and finalizers. Never throws.
 */
export function validateObjectMeta(meta: ObjectMeta, options: ObjectMetaOptions): FieldIssue[] {
  const nameFn = options.nameValidator ?? nameIsDNSSubdomain;
  const issues: FieldIssue[] = [];
  const generateName = meta.generateName ?? '';
  if (generateName !== '') {
    for (const msg of nameFn(generateName, true))
      issues.push(invalid('metadata.generateName', generateName, msg));
  }
  const name = meta.name ?? '';
  if (name === '') {
    issues.push({
      field: 'metadata.name',
      type: 'FieldValueRequired',
      detail: 'name or generateName is required',
    });
  } else {
    for (const msg of nameFn(name, false)) issues.push(invalid('metadata.name', name, msg));
  }
  const namespace = meta.namespace ?? '';
  if (options.namespaced) {
    if (namespace === '') {
      issues.push({ field: 'metadata.namespace', type: 'FieldValueRequired', detail: '' });
    } else {
      for (const msg of validateNamespaceName(namespace, false)) {
        issues.push(invalid('metadata.namespace', namespace, msg));
      }
    }
  } else if (namespace !== '') {
    issues.push({
      field: 'metadata.namespace',
      type: 'FieldValueForbidden',
      detail: 'not allowed on this type',
    });
  }
  if (meta.generation !== undefined && meta.generation < 0) {
    issues.push(invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  issues.push(...validateLabels(meta.labels, 'metadata.labels'));
  issues.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  issues.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  issues.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  return issues;
}

function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

function immutable(path: string, newValue: unknown, oldValue: unknown): FieldIssue[] {
  return newValue === oldValue ? [] : [invalid(path, newValue, FIELD_IMMUTABLE_MESSAGE)];
}

/**
 * Validates metadata for update against the stored object. Like kube's registry, the caller
 * should first carry the server-owned fields over from `oldMeta` (generation, uid when empty,
 * creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds when unset, and the stored
 * resourceVersion for an unconditional update); what still differs is then a client error.
 * Checks: resourceVersion present, generation not decremented, no new finalizers once deletion
 * started,
 * and name, namespace, uid, creationTimestamp, deletionTimestamp and
 * deletionGracePeriodSeconds unchanged (`field is immutable`); then re-validates labels,
 * annotations, owner references and finalizer names of `newMeta`. Never throws.
 */
export function validateObjectMetaUpdate(newMeta: ObjectMeta, oldMeta: ObjectMeta): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (oldMeta.deletionTimestamp !== undefined) {
    const old = new Set(oldMeta.finalizers ?? []);
    const added = [...new Set((newMeta.finalizers ?? []).filter((f) => !old.has(f)))].sort();
    if (added.length > 0) {
      issues.push({
        field: 'metadata.finalizers',
        type: 'FieldValueForbidden',
        detail: `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`,
      });
    }
  }
  if ((newMeta.resourceVersion ?? '') === '') {
    issues.push(
      invalid('metadata.resourceVersion', newMeta.resourceVersion ?? '', 'must be specified for an update'),
    );
  }
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    issues.push(invalid('metadata.generation', newMeta.generation ?? 0, 'must not be decremented'));
  }
  issues.push(...immutable('metadata.name', newMeta.name ?? '', oldMeta.name ?? ''));
  issues.push(...immutable('metadata.namespace', newMeta.namespace ?? '', oldMeta.namespace ?? ''));
  issues.push(...immutable('metadata.uid', newMeta.uid ?? '', oldMeta.uid ?? ''));
  issues.push(
    ...immutable(
      'metadata.creationTimestamp',
      newMeta.creationTimestamp ?? null,
      oldMeta.creationTimestamp ?? null,
    ),
  );
  issues.push(
    ...immutable(
      'metadata.deletionTimestamp',
      newMeta.deletionTimestamp ?? null,
      oldMeta.deletionTimestamp ?? null,
    ),
  );
  issues.push(
    ...immutable(
      'metadata.deletionGracePeriodSeconds',
      newMeta.deletionGracePeriodSeconds ?? null,
      oldMeta.deletionGracePeriodSeconds ?? null,
    ),
  );
  issues.push(...validateLabels(newMeta.labels, 'metadata.labels'));
  issues.push(...validateAnnotations(newMeta.annotations, 'metadata.annotations'));
  issues.push(...validateOwnerReferences(newMeta.ownerReferences, 'metadata.ownerReferences'));
  issues.push(...validateFinalizers(newMeta.finalizers, 'metadata.finalizers'));
  return issues;
}
