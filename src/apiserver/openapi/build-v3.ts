/**
 * Builds the OpenAPI v3 documents kube-apiserver serves under `/openapi/v3`: one document per
 * group-version with the paths of its resources and every component schema reachable from them,
 * plus the index that names each document with a content hash (kube-api.md §4.3).
 *
 * Invariant: a document's hash is the SHA-512 of its exact body, so the index URL changes whenever
 * the document does — clients cache `?hash=` URLs as immutable.
 */
import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { crdComponentName, crdComponents, REF_PREFIX } from './crd-components.js';
import { DELETE_OPTIONS, resourcePaths, SCALE, STATUS } from './operations.js';

/** One serialised group-version document and the hash that names it. */
export interface OpenAPIDocument {
  body: string;
  /** Uppercase hex SHA-512 of `body`. */
  hash: string;
}

/** The `/openapi/v3` index and documents keyed by group-version path (`api/v1`, `apis/apps/v1`). */
export interface OpenAPIV3Build {
  index: JsonObject;
  documents: Map<string, OpenAPIDocument>;
}

/** `api/v1` for the core group, `apis/<group>/<version>` otherwise. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** Uppercase hex SHA-512, as kube-openapi names documents. */
export function contentHash(body: string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

function gvkIndex(components: Record<string, JsonObject>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, schema] of Object.entries(components)) {
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const g of gvks) {
      if (!isJsonObject(g)) continue;
      const { group, version, kind } = g;
      if (typeof group === 'string' && typeof version === 'string' && typeof kind === 'string') {
        out.set(`${group}/${version}/${kind}`, name);
      }
    }
  }
  return out;
}

function collectRefs(v: JsonValue, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) collectRefs(x, out);
  else if (isJsonObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith(REF_PREFIX))
        out.add(x.slice(REF_PREFIX.length));
      else collectRefs(x, out);
    }
  }
}

/** Every component reachable from `roots` through `$ref`s (unknown names are skipped). */
function reachable(
  roots: Iterable<string>,
  lookup: (name: string) => JsonObject | undefined,
): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  const queue = [...roots];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (Object.hasOwn(out, name)) continue;
    const schema = lookup(name);
    if (!schema) continue;
    out[name] = schema;
    const refs = new Set<string>();
    collectRefs(schema, refs);
    for (const r of refs) if (!Object.hasOwn(out, r)) queue.push(r);
  }
  return sortKeys(out);
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The component a built-in kind lacking a schema falls back to: any object, tagged with its GVK. */
function fallbackSchema(info: ResourceInfo, kind: string): JsonObject {
  return {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    'x-kubernetes-group-version-kind': [{ group: info.group, kind, version: info.version }],
  };
}

/**
 * Builds the index and one document per served group-version. Built-in resources refer to their
 * component in `components` (found by its `x-kubernetes-group-version-kind`); custom resources get
 * components generated from `info.openapi`. Inputs are not mutated. Output is deterministic: the same
 * inputs give byte-identical bodies and hashes.
 */
export function buildOpenAPIV3(
  resources: readonly ResourceInfo[],
  components: Record<string, JsonObject>,
): OpenAPIV3Build {
  const byGVK = gvkIndex(components);
  const groups = new Map<string, ResourceInfo[]>();
  for (const r of resources) {
    const key = groupVersionPath(r.group, r.version);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }

  const documents = new Map<string, OpenAPIDocument>();
  const indexPaths: JsonObject = {};
  for (const key of [...groups.keys()].sort()) {
    const infos = [...(groups.get(key) ?? [])].sort((a, b) =>
      a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0,
    );
    const local: Record<string, JsonObject> = {};
    const roots = new Set<string>([STATUS, DELETE_OPTIONS]);
    let paths: Record<string, JsonObject> = {};
    for (const info of infos) {
      let object: string;
      let list: string;
      const builtinObject = info.builtin
        ? byGVK.get(`${info.group}/${info.version}/${info.kind}`)
        : undefined;
      if (builtinObject !== undefined) {
        object = builtinObject;
        list =
          byGVK.get(`${info.group}/${info.version}/${info.listKind}`) ??
          crdComponentName(info.group, info.version, info.listKind);
        if (!Object.hasOwn(components, list)) local[list] = fallbackSchema(info, info.listKind);
      } else if (info.builtin) {
        object = crdComponentName(info.group, info.version, info.kind);
        list = crdComponentName(info.group, info.version, info.listKind);
        local[object] = fallbackSchema(info, info.kind);
        local[list] = fallbackSchema(info, info.listKind);
      } else {
        const crd = crdComponents(info);
        ({ object, list } = crd);
        Object.assign(local, crd.schemas);
      }
      roots.add(object).add(list);
      if (info.subresources.scale) roots.add(SCALE);
      paths = { ...paths, ...resourcePaths(info, { object, list }) };
    }
    const schemas = reachable(roots, (name) => local[name] ?? components[name]);
    const doc: JsonObject = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'unversioned' },
      paths: sortKeys(paths),
      components: { schemas },
    };
    const body = JSON.stringify(doc);
    const hash = contentHash(body);
    documents.set(key, { body, hash });
    indexPaths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { index: { paths: indexPaths }, documents };
}
