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

/** Decodes a stored value as the given resource version, with resourceVersion = `revision`. */
export function decodeObject(info: ResourceInfo, value: string, revision: number): KubeObject {
  const obj = JSON.parse(value) as KubeObject;
  obj.apiVersion = apiVersionOf(info);
  obj.kind = info.kind;
  obj.metadata.resourceVersion = String(revision);
  return obj;
}

/** Decodes a key-value read from storage. */
export function decodeKv(info: ResourceInfo, kv: KeyValue): KubeObject {
  return decodeObject(info, kv.value, kv.modRevision);
}
