/**
 * OpenAPI v3 components for a custom resource at one version, built from the CRD's
 * `openAPIV3Schema` the way kube-apiserver publishes them: named by the reversed group
 * (`com.example.v1.Widget`), with `apiVersion`, `kind` and a `metadata` reference to ObjectMeta
 * added, a `<Kind>List` companion, and `x-kubernetes-group-version-kind` on both.
 */
import type { JsonObject } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { cloneJson } from '../../base/json-clone.js';

export const REF_PREFIX = '#/components/schemas/';
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';

const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const METADATA_DOC =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const LIST_METADATA_DOC =
  'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** `$ref` object pointing at a component. */
export function refTo(name: string): JsonObject {
  return { $ref: `${REF_PREFIX}${name}` };
}

/** Component name kube-apiserver gives a custom kind: reversed group, version, kind (`com.example.v1.Widget`). */
export function crdComponentName(group: string, version: string, kind: string): string {
  return [...group.split('.').reverse(), version, kind].join('.');
}

function gvk(info: Pick<ResourceInfo, 'group' | 'version'>, kind: string): JsonObject[] {
  return [{ group: info.group, kind, version: info.version }];
}

/**
 * The object and list components of one custom resource version. The CRD schema is copied, never
 * mutated; without a schema the object preserves unknown fields.
 */
export function crdComponents(info: ResourceInfo): {
  object: string;
  list: string;
  schemas: Record<string, JsonObject>;
} {
  const object = crdComponentName(info.group, info.version, info.kind);
  const list = crdComponentName(info.group, info.version, info.listKind);
  const base: JsonObject = info.openapi
    ? cloneJson(info.openapi)
    : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const properties = isJsonObject(base['properties']) ? base['properties'] : {};
  const objectSchema: JsonObject = {
    ...base,
    type: 'object',
    properties: {
      ...properties,
      apiVersion: { description: API_VERSION_DOC, type: 'string' },
      kind: { description: KIND_DOC, type: 'string' },
      metadata: { description: METADATA_DOC, allOf: [refTo(OBJECT_META)] },
    },
    'x-kubernetes-group-version-kind': gvk(info, info.kind),
  };
  const listSchema: JsonObject = {
    description: `${info.listKind} is a list of ${info.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { description: API_VERSION_DOC, type: 'string' },
      items: {
        description: `List of ${info.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        type: 'array',
        items: refTo(object),
      },
      kind: { description: KIND_DOC, type: 'string' },
      metadata: { description: LIST_METADATA_DOC, allOf: [refTo(LIST_META)] },
    },
    'x-kubernetes-group-version-kind': gvk(info, info.listKind),
  };
  return { object, list, schemas: { [object]: objectSchema, [list]: listSchema } };
}
