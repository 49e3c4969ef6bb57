/**
 * Validation of one CRD version's `schema.openAPIV3Schema`, as apiextensions-apiserver's
 * validateCustomResourceDefinitionValidation does for apiextensions.k8s.io/v1: the OpenAPI subset a
 * CRD may use, the list/map extensions, the status-subresource root restrictions, structurality,
 * and finally that every `default` is pruned and valid against its own schema.
 */
import type { JsonObject, JsonValue } from '../meta.js';
import { isJsonObject } from '../meta.js';
import type { FieldIssue } from '../status.js';
import { compileNode } from './compile.js';
import { pruneValue } from './prune.js';
import { isStructural } from './structural.js';
import { validateValue } from './validate.js';
import { cloneJson } from '../../base/json-clone.js';

const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const META_FIELDS = new Set(['metadata', 'kind', 'apiVersion']);

/** JSON keys allowed at the root when the status subresource is on, and their Go field names (for the message). */
const ROOT_ALLOWED: readonly (readonly [string, string])[] = [
  ['description', 'Description'],
  ['type', 'Type'],
  ['format', 'Format'],
  ['title', 'Title'],
  ['maximum', 'Maximum'],
  ['exclusiveMaximum', 'ExclusiveMaximum'],
  ['minimum', 'Minimum'],
  ['exclusiveMinimum', 'ExclusiveMinimum'],
  ['maxLength', 'MaxLength'],
  ['minLength', 'MinLength'],
  ['pattern', 'Pattern'],
  ['maxItems', 'MaxItems'],
  ['minItems', 'MinItems'],
  ['uniqueItems', 'UniqueItems'],
  ['multipleOf', 'MultipleOf'],
  ['required', 'Required'],
  ['items', 'Items'],
  ['properties', 'Properties'],
  ['externalDocs', 'ExternalDocs'],
  ['example', 'Example'],
  ['x-kubernetes-preserve-unknown-fields', 'XPreserveUnknownFields'],
  ['x-kubernetes-validations', 'XValidations'],
];
const ROOT_ALLOWED_KEYS = new Set(ROOT_ALLOWED.map(([k]) => k));
const ROOT_ALLOWED_MSG = `only [${ROOT_ALLOWED.map(([, g]) => g).join(' ')}] fields are allowed at the root of the schema if the status subresource is enabled`;

const NOT_SUPPORTED_KEYWORDS: readonly (readonly [string, string])[] = [
  ['id', 'id is not supported'],
  ['additionalItems', 'additionalItems is not supported'],
  ['patternProperties', 'patternProperties is not supported'],
  ['definitions', 'definitions is not supported'],
  ['dependencies', 'dependencies is not supported'],
  ['$ref', '$ref is not supported'],
];

interface Ctx {
  /** Why defaults are forbidden here, or undefined when they are allowed. */
  noDefaults: string | undefined;
  insideMeta: boolean;
  /** True at the schema root (where apiVersion/kind/metadata are resource meta). */
  root: boolean;
  out: FieldIssue[];
}

/** Go's zero value test on the JSONSchemaProps field behind `key` (pointer fields are set even when false). */
const isZero = (key: string, v: JsonValue): boolean =>
  (v === false && key !== 'additionalProperties') ||
  v === '' ||
  v === 0 ||
  v === null ||
  (Array.isArray(v) && v.length === 0) ||
  (isJsonObject(v) && Object.keys(v).length === 0);

/** Problems of `schema` (at `path`, e.g. `spec.versions[0].schema.openAPIV3Schema`); empty = valid. */
export function validateVersionSchema(
  schema: JsonObject,
  path: string,
  statusEnabled: boolean,
): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (statusEnabled) {
    if (schema.type !== undefined && schema.type !== 'object') {
      out.push({
        field: `${path}.type`,
        type: 'FieldValueInvalid',
        value: schema.type,
        detail:
          'only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
      });
    } else if (Object.entries(schema).some(([k, v]) => !ROOT_ALLOWED_KEYS.has(k) && !isZero(k, v))) {
      out.push({ field: path, type: 'FieldValueInvalid', value: schema, detail: ROOT_ALLOWED_MSG });
    }
  }
  if (schema.nullable === true) {
    out.push({
      field: `${path}.nullable`,
      type: 'FieldValueForbidden',
      detail: 'nullable cannot be true at the root',
    });
  }
  openAPISchema(schema, path, { noDefaults: undefined, insideMeta: false, root: true, out });
  if (out.length > 0) return out;
  const structural = isStructural(schema, path);
  if (structural.length > 0) return structural;
  for (const [child, childPath] of children(schema, path)) validateDefaults(child, childPath, out);
  return out;
}

function openAPISchema(s: JsonObject, path: string, ctx: Ctx): void {
  const out = ctx.out;
  const isRoot = ctx.root;
  const nonRoot: Ctx = { ...ctx, root: false };
  const forbid = (field: string, detail: string): void => {
    out.push({ field, type: 'FieldValueForbidden', detail });
  };
  const type = typeof s.type === 'string' ? s.type : '';
  if (type !== '' && !OPENAPI_TYPES.includes(type)) {
    out.push({
      field: `${path}.type`,
      type: 'FieldValueNotSupported',
      value: type,
      detail: '',
      supported: OPENAPI_TYPES,
    });
  }
  if (s.default !== undefined && ctx.noDefaults !== undefined)
    forbid(`${path}.default`, `must not be set ${ctx.noDefaults}`);
  for (const [k, detail] of NOT_SUPPORTED_KEYWORDS) if (s[k] !== undefined) forbid(`${path}.${k}`, detail);
  if (type === 'null') forbid(`${path}.type`, 'type cannot be set to null, use nullable as an alternative');
  if (Array.isArray(s.items)) forbid(`${path}.items`, 'items must be a schema object and not an array');
  if (ctx.insideMeta && s['x-kubernetes-embedded-resource'] === true) {
    forbid(`${path}.x-kubernetes-embedded-resource`, 'must not be used inside of resource meta');
  }
  if (s.uniqueItems === true) {
    forbid(
      `${path}.uniqueItems`,
      'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
    );
  }
  const properties = isJsonObject(s.properties) ? s.properties : {};
  const additional = s.additionalProperties;
  if (additional !== undefined) {
    if (Object.keys(properties).length > 0 && (additional === false || isJsonObject(additional))) {
      forbid(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive');
    }
    if (isJsonObject(additional)) {
      const sub = ctx.insideMeta
        ? { ...nonRoot, noDefaults: 'inside additionalProperties applying to object metadata' }
        : nonRoot;
      openAPISchema(additional, `${path}.additionalProperties`, sub);
    }
  }
  for (const [k, v] of Object.entries(properties)) {
    if (!isJsonObject(v)) continue;
    let sub = nonRoot;
    if ((isRoot || s['x-kubernetes-embedded-resource'] === true) && META_FIELDS.has(k)) {
      sub = { ...nonRoot, insideMeta: true };
      if (isRoot) sub.noDefaults = `in top-level ${k}`;
    }
    openAPISchema(v, `${path}.properties[${k}]`, sub);
  }
  if (isJsonObject(s.not)) openAPISchema(s.not, `${path}.not`, nonRoot);
  for (const j of ['allOf', 'oneOf', 'anyOf']) {
    const arr = s[j];
    if (Array.isArray(arr))
      arr.forEach((m, i) => {
        if (isJsonObject(m)) openAPISchema(m, `${path}.${j}[${i}]`, nonRoot);
      });
  }
  if (isJsonObject(s.items)) openAPISchema(s.items, `${path}.items`, nonRoot);
  extensions(s, path, out);
}

/** x-kubernetes-preserve-unknown-fields / map-type / list-type / list-map-keys rules. */
function extensions(s: JsonObject, path: string, out: FieldIssue[]): void {
  const type = typeof s.type === 'string' ? s.type : '';
  const invalid = (field: string, value: unknown, detail: string): void => {
    out.push({ field, type: 'FieldValueInvalid', value, detail });
  };
  const required = (field: string, detail: string): void => {
    out.push({ field, type: 'FieldValueRequired', detail });
  };
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined');
  }
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined) {
    if (type !== 'object') {
      const d = 'must be object if x-kubernetes-map-type is specified';
      if (type === '') required(`${path}.type`, d);
      else invalid(`${path}.type`, type, d);
    }
    if (mapType !== 'atomic' && mapType !== 'granular') {
      out.push({
        field: `${path}.x-kubernetes-map-type`,
        type: 'FieldValueNotSupported',
        value: mapType,
        detail: '',
        supported: ['atomic', 'granular'],
      });
    }
  }
  const listType = s['x-kubernetes-list-type'];
  const items = isJsonObject(s.items) ? s.items : undefined;
  if (listType !== undefined && type !== 'array') {
    const d = 'must be array if x-kubernetes-list-type is specified';
    if (type === '') required(`${path}.type`, d);
    else invalid(`${path}.type`, type, d);
  } else if (listType === 'set' && items !== undefined) {
    if (
      items.type === 'array' &&
      items['x-kubernetes-list-type'] !== undefined &&
      items['x-kubernetes-list-type'] !== 'atomic'
    ) {
      invalid(
        `${path}.items.x-kubernetes-list-type`,
        items['x-kubernetes-list-type'],
        'must be atomic as item of a list with x-kubernetes-list-type=set',
      );
    }
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      invalid(
        `${path}.items.x-kubernetes-map-type`,
        items['x-kubernetes-map-type'] ?? null,
        'must be atomic as item of a list with x-kubernetes-list-type=set',
      );
    }
  }
  if (listType !== undefined && listType !== 'atomic' && listType !== 'set' && listType !== 'map') {
    out.push({
      field: `${path}.x-kubernetes-list-type`,
      type: 'FieldValueNotSupported',
      value: listType,
      detail: '',
      supported: ['atomic', 'set', 'map'],
    });
  }
  const keys = Array.isArray(s['x-kubernetes-list-map-keys']) ? s['x-kubernetes-list-map-keys'] : [];
  if (keys.length > 0) {
    const d = 'must be map if x-kubernetes-list-map-keys is non-empty';
    if (listType === undefined) required(`${path}.x-kubernetes-list-type`, d);
    else if (listType !== 'map') invalid(`${path}.x-kubernetes-list-type`, listType, d);
  }
  if (listType === 'map') mapList(s, path, out);
  if ((listType === 'set' || listType === 'map') && items?.nullable === true) {
    out.push({
      field: `${path}.items.nullable`,
      type: 'FieldValueForbidden',
      detail: `cannot be nullable when x-kubernetes-list-type is ${listType}`,
    });
  }
}

function mapList(s: JsonObject, path: string, out: FieldIssue[]): void {
  const keys = Array.isArray(s['x-kubernetes-list-map-keys']) ? s['x-kubernetes-list-map-keys'] : [];
  const items = isJsonObject(s.items) ? s.items : undefined;
  if (keys.length === 0) {
    out.push({
      field: `${path}.x-kubernetes-list-map-keys`,
      type: 'FieldValueRequired',
      detail: 'must not be empty if x-kubernetes-list-type is map',
    });
  }
  if (s.items === undefined) {
    out.push({
      field: `${path}.items`,
      type: 'FieldValueRequired',
      detail: 'must have a schema if x-kubernetes-list-type is map',
    });
    return;
  }
  if (items === undefined) {
    out.push({
      field: `${path}.items`,
      type: 'FieldValueInvalid',
      value: s.items,
      detail: 'must only have a single schema if x-kubernetes-list-type is map',
    });
    return;
  }
  if (items.type !== 'object') {
    out.push({
      field: `${path}.items.type`,
      type: 'FieldValueInvalid',
      value: items.type ?? '',
      detail: "must be object if parent array's x-kubernetes-list-type is map",
    });
    return;
  }
  const props = isJsonObject(items.properties) ? items.properties : {};
  const required = new Set(Array.isArray(items.required) ? items.required : []);
  const seen = new Set<JsonValue>();
  for (const k of keys) {
    const p = typeof k === 'string' ? props[k] : undefined;
    if (!isJsonObject(p)) {
      out.push({
        field: `${path}.x-kubernetes-list-map-keys`,
        type: 'FieldValueInvalid',
        value: keys,
        detail: 'entries must all be names of item properties',
      });
    } else {
      const keyPath = `${path}.items.properties[${typeof k === 'string' ? k : JSON.stringify(k)}]`;
      if (p.type === 'array' || p.type === 'object') {
        out.push({
          field: `${keyPath}.type`,
          type: 'FieldValueInvalid',
          value: 'object',
          detail: "must be a scalar type if parent array's x-kubernetes-list-type is map",
        });
      }
      if (!required.has(k) && p.default === undefined) {
        out.push({
          field: `${keyPath}.default`,
          type: 'FieldValueRequired',
          detail:
            'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
        });
      }
      if (p.nullable === true) {
        out.push({
          field: `${keyPath}.nullable`,
          type: 'FieldValueForbidden',
          detail: 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable',
        });
      }
    }
    if (seen.has(k)) {
      out.push({
        field: `${path}.x-kubernetes-list-map-keys`,
        type: 'FieldValueInvalid',
        value: keys,
        detail: 'must not contain duplicate entries',
      });
    }
    seen.add(k);
  }
}

/** The items and property schemas of `s` with their paths, leaving out resource meta at the root. */
function children(s: JsonObject, path: string): [JsonObject, string][] {
  const out: [JsonObject, string][] = [];
  if (isJsonObject(s.items)) out.push([s.items, `${path}.items`]);
  if (isJsonObject(s.properties)) {
    for (const [k, v] of Object.entries(s.properties)) {
      if (isJsonObject(v) && !META_FIELDS.has(k)) out.push([v, `${path}.properties[${k}]`]);
    }
  }
  return out;
}

/** Every `default` must survive pruning unchanged and validate against its schema. */
function validateDefaults(s: JsonObject, path: string, out: FieldIssue[]): void {
  if (s.default !== undefined) {
    const node = compileNode(s);
    const copy = cloneJson(s.default);
    if (pruneValue(node, copy, node.embedded).length > 0) {
      out.push({
        field: `${path}.default`,
        type: 'FieldValueInvalid',
        value: s.default,
        detail: 'must not have unknown fields',
      });
    } else {
      out.push(...validateValue(node, s.default, { prefix: `${path}.default`, resourceRoot: node.embedded }));
    }
  }
  if (isJsonObject(s.items)) validateDefaults(s.items, `${path}.items`, out);
  if (isJsonObject(s.properties)) {
    for (const [k, v] of Object.entries(s.properties)) {
      if (isJsonObject(v)) validateDefaults(v, `${path}.properties[${k}]`, out);
    }
  }
}
