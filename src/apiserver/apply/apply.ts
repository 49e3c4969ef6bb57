/**
 * Server-side apply and ownership tracking for ordinary writes, following structured-merge-diff's
 * `Updater.Apply` / `Updater.Update` and apimachinery's managedfields wrappers (stripmeta,
 * managedfieldsupdater, capmanagers):
 *
 * - apply: merge the configuration into the live object; the applier now owns exactly the
 *   configuration's fields; fields it applied last time and no longer applies are pruned unless
 *   someone else owns them; a change to a field another manager owns is a conflict (409) unless
 *   `force`, which moves ownership; removed fields are dropped from every owner.
 * - update (create, PUT, non-apply PATCH): never conflicts; the writer gains the fields that
 *   were added or changed and every other owner loses them.
 *
 * Both are pure: they take the old state and a timestamp and return the new state.
 */

import type { MergeSchema } from '../../api/merge-schema.js';
import type { JsonObject, JsonValue, ManagedFieldsEntry } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import { StatusError, badRequest, internalError } from '../../api/status.js';
import { createdFieldsV1 } from './created-fields.js';
import { FieldSet } from './field-set.js';
import type { Conflict, Owner } from './managed-fields.js';
import {
  STRIPPED_FIELDS,
  applyConflictError,
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  managedFieldsOf,
  ownerId,
  withoutManagedFields,
} from './managed-fields.js';
import { mergeObjects } from './merge.js';
import { incrementalUpdate } from './incremental-update.js';
import { DuplicateKeyError, compareObjects, fieldSetFromObject, removeFields } from './object-fields.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { FieldPath } from './path-element.js';
import { fieldElement } from './path-element.js';
import { cloneJson } from '../../base/json-clone.js';

/**
 * Top-level paths (as field-name lists) a request may neither write nor own. A main-resource
 * write of a kind with a status subresource resets `status`; a `/status` write resets the rest.
 */
export type ResetFields = readonly (readonly string[])[];

/** Reset fields of a main-resource write when the kind has a status subresource. */
export const RESET_STATUS: ResetFields = [['status']];
/** Reset fields of a `/status` write. */
export const RESET_SPEC_AND_METADATA: ResetFields = [['spec'], ['metadata']];

export interface ApplyInput {
  /** The stored object, or undefined when the apply creates it. */
  readonly live: JsonObject | undefined;
  /** The applied configuration (a partial object with apiVersion, kind, metadata.name). */
  readonly config: JsonObject;
  readonly manager: string;
  readonly force: boolean;
  /** The request's group/version, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** `''` or absent for the main resource. */
  readonly subresource?: string;
  readonly schema: MergeSchema | undefined;
  /** RFC 3339 timestamp recorded on the applier's entry when the object changes. */
  readonly now: string;
  readonly resetFields?: ResetFields;
}

// Reset fields are a few shared constants; building their FieldSet once per list saves a trie per write.
const resetSets = new WeakMap<ResetFields, FieldSet>();

function resetSet(reset: ResetFields | undefined): FieldSet {
  if (reset === undefined) return FieldSet.empty;
  let set = resetSets.get(reset);
  if (set === undefined) {
    set = FieldSet.of(reset.map((p) => p.map(fieldElement)));
    resetSets.set(reset, set);
  }
  return set;
}

function decodeOwners(obj: JsonObject | undefined): Owner[] {
  try {
    return decodeManagedFields(managedFieldsOf(obj));
  } catch (err) {
    throw internalError(`failed to decode managed fields: ${(err as Error).message}`, err);
  }
}

function withManagedFields(obj: JsonObject, entries: ManagedFieldsEntry[]): JsonObject {
  const out = cloneJson(obj);
  // Rebuilt rather than deleted from: a deleted property turns the object into a slow hash table.
  const { managedFields: _old, ...meta } = isJsonObject(out['metadata']) ? out['metadata'] : {};
  if (entries.length > 0) meta['managedFields'] = entries as unknown as JsonObject[];
  out['metadata'] = meta;
  return out;
}

function gvkString(apiVersion: string, kind: unknown): string {
  const slash = apiVersion.indexOf('/');
  const gv = slash < 0 ? `/${apiVersion}` : apiVersion;
  return `${gv}, Kind=${typeof kind === 'string' ? kind : ''}`;
}

/**
 * Members of `lastSet` that nobody owns any more, to be removed from the merged object. A named
 * field with owned fields below it stays (only its unowned members go); a list element goes even
 * if another manager owns fields inside it, as in kube.
 */
function pruneSet(lastSet: FieldSet, owned: FieldSet): FieldSet {
  const doomed: FieldPath[] = [];
  for (const p of lastSet.paths()) {
    if (owned.has(p)) continue;
    const last = p[p.length - 1];
    if (last?.kind === 'field' && !owned.under(p).isEmpty()) continue;
    doomed.push(p);
  }
  return FieldSet.of(doomed);
}

/**
 * Applies `config` for `manager` and returns the resulting object with `metadata.managedFields`
 * updated. When nothing but ownership changes, the body is the live body unchanged and the
 * applier's timestamp is not moved (kube's no-op apply).
 *
 * Throws a 409 `StatusError` (reason Conflict, one FieldManagerConflict cause per field) when the
 * apply would change fields another manager owns and `force` is false; 400 when the
 * configuration carries `metadata.managedFields` or a different apiVersion; 500 when the
 * configuration names a list element twice or the live managedFields cannot be decoded.
 */
export function serverSideApply(input: ApplyInput): JsonObject {
  const { live, manager, schema } = input;
  const subresource = input.subresource ?? '';
  const configVersion = input.config['apiVersion'];
  if (typeof configVersion === 'string' && configVersion !== input.apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${configVersion}, expected: ${input.apiVersion}`,
    );
  }
  if (managedFieldsOf(input.config) !== undefined) throw badRequest('metadata.managedFields must be nil');

  const reset = resetSet(input.resetFields);
  const owners = decodeOwners(live);
  const liveBody = live === undefined ? {} : withoutManagedFields(live);
  const config = removeFields(cloneJson(input.config), reset, schema);

  let configSet: FieldSet;
  try {
    configSet = fieldSetFromObject(config, schema).recursiveDifference(reset).difference(STRIPPED_FIELDS);
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    const what = gvkString(input.apiVersion, input.config['kind']);
    throw new StatusError(
      { code: 500, message: `failed to create typed patch object (${what}): ${err.message}` },
      { cause: err },
    );
  }

  const applier: Omit<Owner, 'fields'> = {
    manager,
    operation: 'Apply',
    apiVersion: input.apiVersion,
    subresource,
  };
  const applierId = ownerId(applier);
  const previous = owners.find((o) => ownerId(o) === applierId);
  const others = owners.filter((o) => ownerId(o) !== applierId);

  let merged = mergeObjects(liveBody, config, schema);
  const lastSet = previous?.fields.recursiveDifference(reset);
  if (lastSet !== undefined && !lastSet.isEmpty()) {
    const owned = others.reduce((acc, o) => acc.union(o.fields), configSet);
    merged = removeFields(merged, pruneSet(lastSet, owned), schema);
  }

  const cmp = compareObjects(liveBody, merged, schema);
  const changed = cmp.added.union(cmp.modified);
  const conflicts: Conflict[] = others
    .map((owner) => ({ owner, fields: owner.fields.intersection(changed) }))
    .filter((c) => !c.fields.isEmpty());
  if (conflicts.length > 0 && !input.force) throw applyConflictError(conflicts);

  const bodyChanged = live === undefined || !jsonEqual(liveBody, merged);
  const time = bodyChanged ? input.now : previous?.time;
  const next: Owner[] = others.map((o) => ({
    ...o,
    fields: o.fields.difference(changed).difference(cmp.removed),
  }));
  next.push({ ...applier, ...(time === undefined ? {} : { time }), fields: configSet });

  const body = bodyChanged ? merged : liveBody;
  return withManagedFields(body, encodeManagedFields(next));
}

export interface UpdateInput {
  /** The stored object, or undefined on create. */
  readonly old: JsonObject | undefined;
  /** The object about to be stored (its managedFields, if set by the client, are honoured). */
  readonly updated: JsonObject;
  readonly manager: string;
  readonly apiVersion: string;
  readonly subresource?: string;
  readonly schema: MergeSchema | undefined;
  readonly now: string;
  readonly resetFields?: ResetFields;
  /** Cap on Update entries; kube's default is 10. */
  readonly maxUpdateManagers?: number;
  /**
   * The only top-level field that can differ between `old` and `updated` (a status write changes
   * only `status`): the comparison is limited to it, with the same result, at a fraction of the cost.
   */
  readonly onlyChanged?: string;
}

function isResetRequest(m: unknown): boolean {
  return Array.isArray(m) && m.length === 1 && isJsonObject(m[0]) && Object.keys(m[0]).length === 0;
}

/**
 * Which ownership records an update starts from (kube's decodeLiveOrNew): a subresource write
 * always uses the stored ones; `[{}]` in the request clears them; otherwise the request's own
 * managedFields when they decode to something, else the stored ones.
 */
function startingOwners(input: UpdateInput): Owner[] {
  const requested = managedFieldsOf(input.updated);
  if ((input.subresource ?? '') !== '') return decodeOrEmpty(managedFieldsOf(input.old));
  if (isResetRequest(requested)) return [];
  const mine = decodeOrEmpty(requested);
  return mine.length > 0 ? mine : decodeOrEmpty(managedFieldsOf(input.old));
}

/**
 * The stored managedFields when `startingOwners` would start from them (a subresource write, or
 * a request that sends none, an empty list or an unchanged copy); undefined otherwise.
 */
function storedStartingEntries(input: UpdateInput): unknown {
  if (input.old === undefined) return undefined;
  const stored = managedFieldsOf(input.old);
  if ((input.subresource ?? '') !== '') return stored;
  const requested = managedFieldsOf(input.updated);
  if (requested === undefined || (Array.isArray(requested) && requested.length === 0)) return stored;
  return jsonEqual(requested as JsonValue, stored as JsonValue) ? stored : undefined;
}

function decodeOrEmpty(raw: unknown): Owner[] {
  try {
    return decodeManagedFields(raw);
  } catch {
    // kube resets undecodable managedFields on writes rather than failing them.
    return [];
  }
}

/**
 * The managedFields to store for a non-apply write by `manager`. The writer's `Update` entry
 * (per manager, apiVersion, subresource) gains every field added or changed, stamped `now`;
 * other owners lose those fields; removed fields leave every owner; empty entries disappear;
 * Update entries beyond the cap are folded into `ancient-changes`. Never throws on content.
 */
export function trackUpdate(input: UpdateInput): ManagedFieldsEntry[] {
  const subresource = input.subresource ?? '';
  const reset = resetSet(input.resetFields);
  if (input.old === undefined && managedFieldsOf(input.updated) === undefined) {
    // A plain create: nobody owns anything yet and every field is new (see created-fields.ts).
    const fieldsV1 = createdFieldsV1(input.updated, input.schema, { reset, stripped: STRIPPED_FIELDS });
    if (Object.keys(fieldsV1).length === 0) return [];
    const entry: ManagedFieldsEntry = {
      manager: input.manager,
      operation: 'Update',
      apiVersion: input.apiVersion,
      time: input.now,
      fieldsType: 'FieldsV1',
      fieldsV1,
    };
    if (subresource !== '') entry.subresource = subresource;
    return [entry];
  }
  const only = input.onlyChanged;
  const oldBody =
    input.old === undefined
      ? {}
      : only !== undefined
        ? pick(input.old, only)
        : withoutManagedFields(input.old);
  const newBody = only !== undefined ? pick(input.updated, only) : withoutManagedFields(input.updated);
  const cmp = compareObjects(oldBody, newBody, input.schema);
  const changed = cmp.added.union(cmp.modified);
  const taken = changed.recursiveDifference(reset).difference(STRIPPED_FIELDS);

  const writer: Omit<Owner, 'fields'> = {
    manager: input.manager,
    operation: 'Update',
    apiVersion: input.apiVersion,
    subresource,
  };
  const writerId = ownerId(writer);
  const incremental = incrementalUpdate(
    storedStartingEntries(input),
    { changed, removed: cmp.removed, taken },
    { entry: writer, id: writerId, now: input.now, maxUpdateManagers: input.maxUpdateManagers },
  );
  if (incremental !== undefined) return incremental;
  let next: Owner[] = startingOwners(input).map((o) => ({
    ...o,
    fields: o.fields.difference(changed).difference(cmp.removed),
  }));
  if (!taken.isEmpty()) {
    const prior = next.find((o) => ownerId(o) === writerId);
    next = next.filter((o) => ownerId(o) !== writerId);
    next.push({ ...writer, time: input.now, fields: taken.union(prior?.fields ?? FieldSet.empty) });
  }
  next = next.filter((o) => !o.fields.isEmpty());
  return encodeManagedFields(capUpdateManagers(next, input.maxUpdateManagers));
}

/** `{ [key]: obj[key] }`, or `{}` when the object has no such field. */
function pick(obj: JsonObject, key: string): JsonObject {
  const value = obj[key];
  return value === undefined ? {} : { [key]: value };
}
