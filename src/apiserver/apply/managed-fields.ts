/**
 * `metadata.managedFields` as ownership records: decoding and encoding entries, kube's manager
 * identity and sort order, the fields never owned (stripmeta), the cap on `Update` entries
 * (capmanagers) and the apply-conflict error (conflict.go).
 *
 * Identity: one entry per (manager, operation, subresource) for `Apply`, and per
 * (manager, operation, apiVersion, subresource) for `Update` — kube leaves the apiVersion out of
 * an applier's identity so that it keeps one entry across versions.
 */

import type { JsonObject, ManagedFieldsEntry } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import type { StatusCause } from '../../api/status.js';
import { StatusError } from '../../api/status.js';
import { FieldSet } from './field-set.js';
import type { FieldPath } from './path-element.js';
import { FieldsV1Error, fieldElement, pathToString } from './path-element.js';

/** A decoded managed-fields entry. */
export interface Owner {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly apiVersion: string;
  /** `''` for the main resource. */
  readonly subresource: string;
  readonly time?: string;
  readonly fields: FieldSet;
}

/** kube's manager identifier: the entry's JSON without fields, time, and (for appliers) apiVersion. */
export function ownerId(o: Pick<Owner, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const id: Record<string, string> = { manager: o.manager, operation: o.operation };
  if (o.operation === 'Update' && o.apiVersion !== '') id['apiVersion'] = o.apiVersion;
  if (o.subresource !== '') id['subresource'] = o.subresource;
  return JSON.stringify(id);
}

/**
 * Decodes `metadata.managedFields`. Throws `FieldsV1Error` on a malformed entry (bad operation,
 * empty apiVersion, fieldsType other than FieldsV1, undecodable fields). A later entry with the
 * same identity replaces an earlier one.
 */
export function decodeManagedFields(entries: unknown): Owner[] {
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new FieldsV1Error('managedFields must be a list');
  const byId = new Map<string, Owner>();
  entries.forEach((raw: unknown, i) => {
    if (!isJsonObject(raw)) throw new FieldsV1Error(`managed fields entry ${i} is not an object`);
    const { manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource } = raw;
    if (operation !== 'Apply' && operation !== 'Update')
      throw new FieldsV1Error('operation must be `Apply` or `Update`');
    if (typeof apiVersion !== 'string' || apiVersion === '')
      throw new FieldsV1Error('apiVersion must not be empty');
    if (fieldsType !== 'FieldsV1') {
      throw new FieldsV1Error(
        fieldsType === undefined || fieldsType === ''
          ? `missing fieldsType in managed fields entry ${i}`
          : `invalid fieldsType ${JSON.stringify(fieldsType)} in managed fields entry ${i}`,
      );
    }
    const owner: Owner = {
      manager: typeof manager === 'string' ? manager : '',
      operation,
      apiVersion,
      subresource: typeof subresource === 'string' ? subresource : '',
      ...(typeof time === 'string' ? { time } : {}),
      fields: isJsonObject(fieldsV1) ? FieldSet.fromFieldsV1(fieldsV1) : FieldSet.empty,
    };
    byId.set(ownerId(owner), owner);
  });
  return [...byId.values()];
}

function seconds(time: string | undefined): number {
  if (time === undefined) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Sortable = Pick<ManagedFieldsEntry, 'operation' | 'time' | 'manager' | 'apiVersion' | 'subresource'>;

/** kube's order of managedFields entries: Apply before Update, then time (seconds), manager, apiVersion, subresource. */
export function compareEntries(p: Sortable, q: Sortable): number {
  return (
    cmp(p.operation, q.operation) ||
    seconds(p.time) - seconds(q.time) ||
    cmp(p.manager, q.manager) ||
    cmp(p.apiVersion, q.apiVersion) ||
    cmp(p.subresource ?? '', q.subresource ?? '')
  );
}

/**
 * Encodes owners as `metadata.managedFields`, sorted as kube sorts them: Apply before Update,
 * then by time (seconds), manager, apiVersion, subresource. Entries with no fields are dropped.
 */
export function encodeManagedFields(owners: readonly Owner[]): ManagedFieldsEntry[] {
  return owners
    .filter((o) => !o.fields.isEmpty())
    .sort(compareEntries)
    .map((o) => ({
      manager: o.manager,
      operation: o.operation,
      apiVersion: o.apiVersion,
      ...(o.time === undefined ? {} : { time: o.time }),
      fieldsType: 'FieldsV1' as const,
      fieldsV1: o.fields.toFieldsV1(),
      ...(o.subresource === '' ? {} : { subresource: o.subresource }),
    }));
}

const meta = (name: string): FieldPath => [fieldElement('metadata'), fieldElement(name)];

/** Paths kube never records as owned (stripmeta.go); removed exactly, not with their children. */
export const STRIPPED_FIELDS: FieldSet = FieldSet.of([
  [fieldElement('apiVersion')],
  [fieldElement('kind')],
  [fieldElement('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation'].map(meta),
  ...['managedFields', 'resourceVersion'].map(meta),
]);

/** kube's DefaultMaxUpdateManagers. */
export const MAX_UPDATE_MANAGERS = 10;

/** Manager name of the bucket that absorbs the oldest `Update` entries. */
export const ANCIENT_CHANGES = 'ancient-changes';

/**
 * Caps the number of `Update` entries at `max` like capmanagers.go: oldest first (by time, then
 * identity), each is merged into an `ancient-changes` entry of its apiVersion — the first one of a
 * version seen is kept as is until a second one of that version arrives — until the count fits.
 */
export function capUpdateManagers(owners: readonly Owner[], max = MAX_UPDATE_MANAGERS): Owner[] {
  const byId = new Map(owners.map((o) => [ownerId(o), o]));
  const updaters = [...byId.entries()].filter(([, o]) => o.operation === 'Update');
  if (updaters.length <= max) return [...owners];
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || cmp(ia, ib));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [id, o] of updaters) {
    if (length <= max) break;
    const bucket: Omit<Owner, 'fields'> = {
      manager: ANCIENT_CHANGES,
      operation: 'Update',
      apiVersion: o.apiVersion,
      subresource: '',
    };
    const bucketId = ownerId(bucket);
    const first = firstOfVersion.get(o.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(o.apiVersion, id);
      continue;
    }
    if (!byId.has(bucketId)) {
      const firstOwner = byId.get(first);
      byId.delete(first);
      if (firstOwner !== undefined) byId.set(bucketId, { ...firstOwner, ...bucket });
    }
    const existing = byId.get(bucketId);
    byId.delete(id);
    byId.set(bucketId, {
      ...bucket,
      ...(o.time === undefined ? {} : { time: o.time }),
      fields: o.fields.union(existing?.fields ?? FieldSet.empty),
    });
    length--;
  }
  return [...byId.values()];
}

/** How kube names a manager in conflict messages (printManager). */
export function describeOwner(
  o: Pick<Owner, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): string {
  let s = JSON.stringify(o.manager);
  if (o.subresource !== '') s += ` with subresource ${JSON.stringify(o.subresource)}`;
  return o.operation === 'Update' ? `${s} using ${o.apiVersion}` : s;
}

/** The fields of one other manager that an apply would change. */
export interface Conflict {
  readonly owner: Owner;
  readonly fields: FieldSet;
}

/**
 * The 409 kube returns for apply conflicts (NewApplyConflict): one `FieldManagerConflict` cause
 * per (manager, field), managers sorted by identity. Message for one conflict:
 * `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`; for several,
 * grouped per manager: `Apply failed with 2 conflicts: conflicts with "m":\n- .a\n- .b`.
 */
export function applyConflictError(conflicts: readonly Conflict[]): StatusError {
  const sorted = [...conflicts].sort((a, b) => cmp(ownerId(a.owner), ownerId(b.owner)));
  const flat = sorted.flatMap((c) =>
    [...c.fields.paths()].map((p) => ({ owner: c.owner, path: pathToString(p) })),
  );
  const causes: StatusCause[] = flat.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeOwner(c.owner)}`,
    field: c.path,
  }));
  let message: string;
  const only = flat[0];
  if (flat.length === 1 && only !== undefined) {
    message = `Apply failed with 1 conflict: conflict with ${describeOwner(only.owner)}: ${only.path}`;
  } else {
    const lines = sorted.flatMap((c) => [
      `conflicts with ${describeOwner(c.owner)}:`,
      ...[...c.fields.paths()].map((p) => `- ${pathToString(p)}`),
    ]);
    message = `Apply failed with ${flat.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError({ reason: 'Conflict', code: 409, message, details: { causes } });
}

/** The `metadata.managedFields` of an object, or undefined. */
export function managedFieldsOf(obj: JsonObject | undefined): unknown {
  const m = obj?.['metadata'];
  return isJsonObject(m) ? m['managedFields'] : undefined;
}

/** `obj` without `metadata.managedFields` (a shallow copy; treat it as read-only). */
export function withoutManagedFields(obj: JsonObject): JsonObject {
  // A shallow view: callers only read it (merging and field removal copy what they change).
  const m = obj['metadata'];
  if (!isJsonObject(m) || !('managedFields' in m)) return obj;
  const { managedFields: _managed, ...meta } = m;
  return { ...obj, metadata: meta };
}
