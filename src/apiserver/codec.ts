/**
 * Storage keys and the stored form of objects. Objects are stored as JSON without
 * `metadata.resourceVersion` (the key's modRevision is the resourceVersion) and at the storage
 * version; reads stamp the requested apiVersion/kind and the revision.
 */
import type { KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resource-info.js';
import { apiVersionOf } from '../api/resource-info.js';
import type { KeyValue } from '../storage/store.js';

/** `/registry/<prefix>/` — every object of the resource, all namespaces. */
export function collectionPrefix(info: ResourceInfo, namespace?: string): string {
  const base = `/registry/${info.storagePrefix}/`;
  return info.namespaced && namespace !== undefined ? `${base}${namespace}/` : base;
}

/** The key of one object. */
export function objectKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return info.namespaced
    ? `/registry/${info.storagePrefix}/${namespace ?? ''}/${name}`
    : `/registry/${info.storagePrefix}/${name}`;
}

/** Serialises an object for storage (resourceVersion removed). */
export function encodeObject(obj: KubeObject): string {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return JSON.stringify({ ...obj, metadata: meta });
}

/** A new object's stored text, and the JSON of the object once created at a revision. */
export interface EncodedNew {
  readonly stored: string;
  /**
   * `JSON.stringify(obj)` after `obj.metadata.resourceVersion = String(revision)`, built from the
   * stored text instead of encoding the object a second time; undefined when that shortcut does
   * not apply (the metadata already had a resourceVersion key, so it would not come last).
   */
  createdAt(revision: number): string | undefined;
}

/**
 * `encodeObject` for a create, with the response JSON derived from the same encoding. JSON.stringify
 * writes an object as `{` + `"key":value` members joined by `,` + `}`, skipping undefined values;
 * built the same way here, the stored metadata text is the response's up to its closing brace,
 * where a resourceVersion added to the metadata goes.
 */
export function encodeNew(obj: KubeObject): EncodedNew {
  if (Object.hasOwn(obj.metadata, 'resourceVersion'))
    return { stored: encodeObject(obj), createdAt: () => undefined };
  const parts: string[] = [];
  let metaAt = -1;
  let metaText = '';
  for (const key of Object.keys(obj)) {
    const text = JSON.stringify((obj as unknown as Record<string, unknown>)[key]) as string | undefined;
    if (text === undefined) continue;
    if (key === 'metadata') {
      metaAt = parts.length;
      metaText = text;
    }
    parts.push(`${JSON.stringify(key)}:${text}`);
  }
  const stored = `{${parts.join(',')}}`;
  const shortcut = metaAt >= 0 && metaText.startsWith('{') && metaText.endsWith('}');
  return {
    stored,
    createdAt(revision) {
      if (!shortcut) return undefined;
      const rv = `"resourceVersion":${JSON.stringify(String(revision))}`;
      const meta = metaText === '{}' ? `{${rv}}` : `${metaText.slice(0, -1)},${rv}}`;
      const withRv = [...parts];
      withRv[metaAt] = `"metadata":${meta}`;
      return `{${withRv.join(',')}}`;
    },
  };
}

/** Decodes a stored value as the given resource version, with resourceVersion = `revision`. */
export function decodeObject(info: ResourceInfo, value: string, revision: number): KubeObject {
  const obj = JSON.parse(value) as KubeObject;
  obj.apiVersion = apiVersionOf(info);
  obj.kind = info.kind;
  obj.metadata.resourceVersion = String(revision);
  return obj;
}

/** `{"apiVersion":…,"kind":…,"metadata":{` as `decodeObject` stamps them, per resource. */
const stampedPrefixes = new WeakMap<ResourceInfo, string>();

/**
 * `JSON.stringify(decodeObject(info, value, revision))` without decoding: when the stored text
 * begins with the served apiVersion, then the kind, then metadata (as objects written through this
 * server do), decoding changes nothing but the revision, which `decodeObject` adds as the last
 * member of metadata, and re-encoding gives back the stored text (it came from JSON.stringify). So
 * the answer is the stored text with the revision inserted before metadata's closing brace.
 * Undefined when that does not hold (another layout or version, or metadata already holding a
 * `resourceVersion` member); decode and encode then.
 */
export function stampedText(info: ResourceInfo, value: string, revision: number): string | undefined {
  let prefix = stampedPrefixes.get(info);
  if (prefix === undefined) {
    prefix = `{"apiVersion":${JSON.stringify(apiVersionOf(info))},"kind":${JSON.stringify(info.kind)},"metadata":{`;
    stampedPrefixes.set(info, prefix);
  }
  if (!value.startsWith(prefix)) return undefined;
  const end = closingBracket(value, prefix.length - 1);
  // Any "resourceVersion": inside metadata, at whatever depth, sends this to the general path.
  if (end < 0 || value.lastIndexOf('"resourceVersion":', end) >= prefix.length) return undefined;
  const rv = `"resourceVersion":${JSON.stringify(String(revision))}`;
  return `${value.slice(0, end)}${end === prefix.length ? '' : ','}${rv}${value.slice(end)}`;
}

/** `JSON.stringify(decodeKv(info, kv))`, from the stored text when `stampedText` applies. */
export function storedJson(info: ResourceInfo, kv: KeyValue): string {
  return stampedText(info, kv.value, kv.modRevision) ?? JSON.stringify(decodeKv(info, kv));
}

/** Index of the `}` or `]` closing the JSON object or array that opens at `open` (-1 if none). */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i;
  }
  return -1;
}

/** Index of the quote closing the JSON string that opens at `open` (-1 if none). */
function stringEnd(text: string, open: number): number {
  for (let at = text.indexOf('"', open + 1); at >= 0; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Decodes a key-value read from storage. */
export function decodeKv(info: ResourceInfo, kv: KeyValue): KubeObject {
  return decodeObject(info, kv.value, kv.modRevision);
}
