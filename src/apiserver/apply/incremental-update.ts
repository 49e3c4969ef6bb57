/**
 * Ownership tracking for an update without decoding every manager's fields: most updates touch
 * fields of one or two managers (a kubelet renewing its Lease or writing a pod's status, a
 * controller writing the status it wrote before), while the entry of whoever created the object
 * holds most of its fields. Entries the update does not touch are kept as stored, decided on
 * their FieldsV1 trees directly; only the touched ones and the writer's are decoded and encoded.
 *
 * `incrementalUpdate` answers exactly the managedFields `trackUpdate`'s general path would
 * produce, or undefined when it must run instead. It trusts that the entries are in the form the
 * server itself stores (canonical keys, no empty entries, kube's order): callers pass only stored
 * managedFields, or a request's copy equal to them.
 */
import type { JsonObject, ManagedFieldsEntry } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import { FieldSet } from './field-set.js';
import { MAX_UPDATE_MANAGERS, compareEntries, ownerId } from './managed-fields.js';

/** What an update changed, as `trackUpdate` computes it. */
export interface UpdateChange {
  /** Fields added or modified. */
  readonly changed: FieldSet;
  /** Fields removed. */
  readonly removed: FieldSet;
  /** The part of `changed` the writer takes (without reset and never-owned fields). */
  readonly taken: FieldSet;
}

/** The writer: its identity and the time to stamp. */
export interface UpdateWriter {
  /** Its entry's identity fields, for a new entry. */
  readonly entry: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>;
  /** `ownerId` of the entry. */
  readonly id: string;
  readonly now: string;
  readonly maxUpdateManagers?: number | undefined;
}

/**
 * The managedFields after the update: entries whose fields the update does not touch are kept
 * as stored; the others (and the writer's) are decoded, adjusted and re-encoded; then kube's
 * order. Undefined when the general path must run (malformed or duplicate entries, or a new
 * writer entry that would exceed the cap on Update entries).
 */
export function incrementalUpdate(
  raw: unknown,
  change: UpdateChange,
  writer: UpdateWriter,
): ManagedFieldsEntry[] | undefined {
  const max = writer.maxUpdateManagers ?? MAX_UPDATE_MANAGERS;
  const stored = wellFormed(raw, max);
  if (stored === undefined) return undefined;
  const touched = change.changed.union(change.removed);
  const remaining = (e: ManagedFieldsEntry): FieldSet =>
    FieldSet.fromFieldsV1(e.fieldsV1).difference(change.changed).difference(change.removed);
  const out: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const e of stored) {
    if (ownerId(idOf(e)) === writer.id) mine = e;
    else if (!intersects(e.fieldsV1, touched)) out.push(e);
    else pushNonEmpty(out, e, remaining(e));
  }
  if (change.taken.isEmpty()) {
    if (mine !== undefined && !intersects(mine.fieldsV1, touched)) out.push(mine);
    else if (mine !== undefined) pushNonEmpty(out, mine, remaining(mine));
  } else if (mine === undefined) {
    if (stored.filter((e) => e.operation === 'Update').length >= max) return undefined;
    const fresh: ManagedFieldsEntry = { ...writer.entry, fieldsType: 'FieldsV1', fieldsV1: {} };
    out.push(entryOf(fresh, { time: writer.now, fieldsV1: change.taken.toFieldsV1() }));
  } else {
    const same = !intersects(mine.fieldsV1, lostBy(change)) && containsAll(mine.fieldsV1, change.taken);
    const fieldsV1 = same ? mine.fieldsV1 : remaining(mine).union(change.taken).toFieldsV1();
    out.push(entryOf(mine, { time: writer.now, fieldsV1 }));
  }
  return out.sort(compareEntries);
}

/** What the writer's own entry loses: fields touched but not taken back. */
function lostBy(change: UpdateChange): FieldSet {
  return change.changed.difference(change.taken).union(change.removed);
}

/** `e` with new fields (and time), keys in the order the server encodes them. */
function entryOf(
  e: ManagedFieldsEntry,
  update: { time?: string | undefined; fieldsV1: JsonObject },
): ManagedFieldsEntry {
  const time = update.time ?? e.time;
  return {
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    ...(time === undefined ? {} : { time }),
    fieldsType: 'FieldsV1',
    fieldsV1: update.fieldsV1,
    ...(e.subresource === undefined || e.subresource === '' ? {} : { subresource: e.subresource }),
  };
}

function pushNonEmpty(out: ManagedFieldsEntry[], e: ManagedFieldsEntry, fields: FieldSet): void {
  if (!fields.isEmpty()) out.push(entryOf(e, { fieldsV1: fields.toFieldsV1() }));
}

function idOf(e: ManagedFieldsEntry): Parameters<typeof ownerId>[0] {
  return {
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    subresource: e.subresource ?? '',
  };
}

/**
 * `raw` as entries when each one decodes, holds fields, and identities are distinct, with no more
 * Update entries than the cap allows (else the general path dedups, drops or folds them).
 */
function wellFormed(raw: unknown, max: number): ManagedFieldsEntry[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const ids = new Set<string>();
  let updaters = 0;
  for (const e of raw as unknown[]) {
    if (!isJsonObject(e)) return undefined;
    const { manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource } = e;
    if (typeof manager !== 'string' || (operation !== 'Apply' && operation !== 'Update')) return undefined;
    if (typeof apiVersion !== 'string' || apiVersion === '' || fieldsType !== 'FieldsV1') return undefined;
    if (!isJsonObject(fieldsV1) || Object.keys(fieldsV1).length === 0) return undefined;
    if (
      (time !== undefined && typeof time !== 'string') ||
      (subresource !== undefined && typeof subresource !== 'string')
    )
      return undefined;
    const id = ownerId({ manager, operation, apiVersion, subresource: subresource ?? '' });
    if (ids.has(id)) return undefined;
    ids.add(id);
    if (operation === 'Update') updaters++;
  }
  return updaters > max ? undefined : (raw as ManagedFieldsEntry[]);
}

/** A FieldsV1 node records its own path when it is `{}` or has a `.` key. */
function isMember(node: unknown): boolean {
  return isJsonObject(node) && ('.' in node || Object.keys(node).length === 0);
}

/** True when the FieldsV1 tree and the set share a member. */
function intersects(tree: JsonObject, set: FieldSet): boolean {
  for (const [key, node] of set.children()) {
    const sub = tree[key];
    if (!isJsonObject(sub)) continue;
    if (node.member && isMember(sub)) return true;
    if (!node.sub.isEmpty() && intersects(sub, node.sub)) return true;
  }
  return false;
}

/** True when every member of the set is a member of the FieldsV1 tree. */
function containsAll(tree: JsonObject, set: FieldSet): boolean {
  for (const [key, node] of set.children()) {
    const sub = tree[key];
    if (!isJsonObject(sub)) return false;
    if (node.member && !isMember(sub)) return false;
    if (!node.sub.isEmpty() && !containsAll(sub, node.sub)) return false;
  }
  return true;
}
