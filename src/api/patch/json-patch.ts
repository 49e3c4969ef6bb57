/**
 * JSON Patch (RFC 6902, `application/json-patch+json`) with JSON Pointers (RFC 6901), reproducing
 * kube-apiserver's error contract (`handlers/patch.go applyJSPatch`):
 *
 * - a body that does not decode as a list of operations → 400 BadRequest;
 * - more than 10 000 operations → 413 RequestEntityTooLarge;
 * - an operation that does not apply (missing path, failed `test`, bad index, unknown `op`) → 422
 *   Invalid with kube's generic text `the server rejected our request due to an error in our request`
 *   and empty details. kube-apiserver drops the underlying reason from the response; we keep it as the
 *   error's `cause` (a {@link JsonPatchError}) so logs still say what failed.
 */
import { StatusError, badRequest } from '../status.js';
import type { JsonObject, JsonValue } from '../meta.js';
import { isObject, jsonTypeName, setOwn } from './json-value.js';
import { jsonEqual } from '../json-equal.js';
import { cloneJson } from '../../base/json-clone.js';

/** kube-apiserver's cap on operations per JSON patch (`maxJSONPatchOperations`). */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

/** The message kube-apiserver sends for any 422 from `NewGenericServerResponse`. */
export const GENERIC_UNPROCESSABLE_MESSAGE = 'the server rejected our request due to an error in our request';

/** Why one operation of a JSON patch did not apply; carried as the `cause` of the 422 StatusError. */
export class JsonPatchError extends Error {
  override readonly name = 'JsonPatchError';
}

/** 422 Invalid exactly as kube-apiserver's `NewGenericServerResponse(422, …)` shapes it. */
export function unprocessablePatch(cause: Error): StatusError {
  return new StatusError(
    { reason: 'Invalid', code: 422, message: GENERIC_UNPROCESSABLE_MESSAGE, details: {} },
    { cause },
  );
}

interface Operation {
  readonly op: JsonValue | undefined;
  readonly path: JsonValue | undefined;
  readonly from: JsonValue | undefined;
  readonly value: JsonValue | undefined;
}

/**
 * Applies an RFC 6902 patch to `doc` and returns the patched document. Pure: neither `doc` nor
 * `patch` is modified and the result shares no structure with either.
 *
 * @param patch the decoded request body; must be an array of operation objects.
 * @throws StatusError 400 when `patch` is not a list of objects, 413 over 10 000 operations, 422 when
 *   an operation does not apply (see the module comment).
 */
export function applyJsonPatch(doc: JsonValue, patch: unknown): JsonValue {
  const ops = decodeJsonPatch(patch);
  let current = cloneJson(doc);
  for (const op of ops) {
    try {
      current = applyOperation(current, op);
    } catch (err) {
      if (err instanceof JsonPatchError) throw unprocessablePatch(err);
      throw err;
    }
  }
  return current;
}

function decodeJsonPatch(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonTypeName(patch)} into Go value of type jsonpatch.Patch`);
  }
  const ops: Operation[] = [];
  for (const raw of patch as unknown[]) {
    if (!isObject(raw)) {
      throw badRequest(
        `json: cannot unmarshal ${jsonTypeName(raw)} into Go value of type jsonpatch.Operation`,
      );
    }
    ops.push({ op: raw['op'], path: raw['path'], from: raw['from'], value: raw['value'] });
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError({
      reason: 'RequestEntityTooLarge',
      code: 413,
      message: `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    });
  }
  return ops;
}

function applyOperation(doc: JsonValue, op: Operation): JsonValue {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add':
      return add(doc, pathOf(op, 'path', kind), requireValue(op, kind));
    case 'remove': {
      remove(doc, pathOf(op, 'path', kind));
      return doc;
    }
    case 'replace':
      return replace(doc, pathOf(op, 'path', kind), requireValue(op, kind));
    case 'move': {
      const from = pathOf(op, 'from', kind);
      const path = pathOf(op, 'path', kind);
      const value = get(doc, from, `move operation does not apply: doc is missing from path: ${from}`);
      if (from === path) return doc;
      if (path.startsWith(`${from}/`)) {
        throw new JsonPatchError(
          `move operation does not apply: from path ${from} is a prefix of path ${path}`,
        );
      }
      remove(doc, from);
      return add(doc, path, value);
    }
    case 'copy': {
      const from = pathOf(op, 'from', kind);
      const path = pathOf(op, 'path', kind);
      const value = get(doc, from, `copy operation does not apply: doc is missing from path: ${from}`);
      return add(doc, path, cloneJson(value));
    }
    case 'test': {
      const path = pathOf(op, 'path', kind);
      const actual = lookup(doc, parsePointer(path));
      // evanphx/json-patch (used by kube) lets a test for null pass on an absent member.
      if (actual === undefined ? (op.value ?? null) === null : jsonEqual(actual, op.value ?? null))
        return doc;
      throw new JsonPatchError(`testing value ${path} failed: test failed`);
    }
    default:
      throw new JsonPatchError(`Unexpected kind: ${kind}`);
  }
}

function pathOf(op: Operation, field: 'path' | 'from', kind: string): string {
  const v = op[field];
  if (typeof v !== 'string')
    throw new JsonPatchError(`${kind} operation failed to decode ${field}: missing value`);
  return v;
}

function requireValue(op: Operation, kind: string): JsonValue {
  if (op.value === undefined)
    throw new JsonPatchError(`${kind} operation, missing value field: missing value`);
  return cloneJson(op.value);
}

/** Splits a JSON Pointer into unescaped reference tokens (`~1` → `/`, `~0` → `~`). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new JsonPatchError(`JSON pointer must be empty or start with a "/": ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~(?![01])/.test(token)) throw new JsonPatchError(`invalid JSON pointer escape in ${pointer}`);
      return token.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}

/** Reads the value at `pointer`, or `undefined` when it does not resolve. Never throws for a missing path. */
export function readPointer(doc: JsonValue, pointer: string): JsonValue | undefined {
  return lookup(doc, parsePointer(pointer));
}

function lookup(doc: JsonValue, tokens: readonly string[]): JsonValue | undefined {
  let node: JsonValue | undefined = doc;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      const i = arrayIndex(token);
      node = i !== undefined && i < node.length ? node[i] : undefined;
    } else if (isObject(node)) {
      node = Object.hasOwn(node, token) ? node[token] : undefined;
    } else {
      return undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

function get(doc: JsonValue, pointer: string, missing: string): JsonValue {
  const v = lookup(doc, parsePointer(pointer));
  if (v === undefined) throw new JsonPatchError(`${missing}: missing value`);
  return v;
}

/** A non-negative decimal index without leading zeros (RFC 6901 §4), or undefined. */
function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}

function parentOf(doc: JsonValue, tokens: readonly string[], missing: string): JsonValue[] | JsonObject {
  const parent = lookup(doc, tokens.slice(0, -1));
  if (!Array.isArray(parent) && !isObject(parent)) throw new JsonPatchError(`${missing}: missing value`);
  return parent;
}

function indexIn(list: readonly JsonValue[], token: string, allowEnd: boolean): number {
  const i = arrayIndex(token);
  const limit = allowEnd ? list.length : list.length - 1;
  if (i === undefined || i > limit) {
    throw new JsonPatchError(`Unable to access invalid index: ${token}: invalid index referenced`);
  }
  return i;
}

function add(doc: JsonValue, path: string, value: JsonValue): JsonValue {
  const tokens = parsePointer(path);
  const key = tokens.at(-1);
  if (key === undefined) return value;
  const parent = parentOf(doc, tokens, `add operation does not apply: doc is missing path: "${path}"`);
  if (Array.isArray(parent)) {
    if (key === '-') parent.push(value);
    else parent.splice(indexIn(parent, key, true), 0, value);
  } else {
    setOwn(parent, key, value);
  }
  return doc;
}

function remove(doc: JsonValue, path: string): void {
  const tokens = parsePointer(path);
  const key = tokens.at(-1);
  if (key === undefined)
    throw new JsonPatchError(`remove operation does not apply: cannot remove the whole document`);
  const parent = parentOf(doc, tokens, `remove operation does not apply: doc is missing path: "${path}"`);
  if (Array.isArray(parent)) {
    parent.splice(indexIn(parent, key, false), 1);
  } else if (Object.hasOwn(parent, key)) {
    delete parent[key];
  } else {
    throw new JsonPatchError(
      `error in remove for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`,
    );
  }
}

function replace(doc: JsonValue, path: string, value: JsonValue): JsonValue {
  const tokens = parsePointer(path);
  const key = tokens.at(-1);
  if (key === undefined) return value;
  const parent = parentOf(doc, tokens, `replace operation does not apply: doc is missing path: ${path}`);
  if (Array.isArray(parent)) {
    parent[indexIn(parent, key, false)] = value;
  } else if (Object.hasOwn(parent, key)) {
    setOwn(parent, key, value);
  } else {
    throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
  }
  return doc;
}
