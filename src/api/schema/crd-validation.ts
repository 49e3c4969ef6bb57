/**
 * Static validation of an apiextensions.k8s.io/v1 CustomResourceDefinition, with the field paths
 * and messages of apiextensions-apiserver's ValidateCustomResourceDefinition(Update). Run it after
 * `crdDefaults`, as kube validates the defaulted object.
 *
 * Flotilla policy: only `conversion.strategy: None` is served (objects are stored at the storage
 * version and served at others by rewriting `apiVersion`), so `Webhook` is rejected as an
 * unsupported value rather than accepted and silently not called. Name conflicts with other CRDs
 * or built-in resources are the API server's check, not this module's.
 */
import type { JsonObject, JsonValue } from '../meta.js';
import { isJsonObject } from '../meta.js';
import type { FieldIssue } from '../status.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../validation/names.js';
import { validateVersionSchema } from './crd-schema-validation.js';

const PRINTER_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

const o = (v: JsonValue | undefined): JsonObject => (isJsonObject(v) ? v : {});
const s = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');
const arr = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);

const required = (field: string, detail = ''): FieldIssue => ({ field, type: 'FieldValueRequired', detail });
const invalid = (field: string, value: unknown, detail: string): FieldIssue => ({
  field,
  type: 'FieldValueInvalid',
  value,
  detail,
});
const unsupported = (field: string, value: unknown, supported: string[]): FieldIssue => ({
  field,
  type: 'FieldValueNotSupported',
  value,
  detail: '',
  supported,
});
const forbidden = (field: string, detail: string): FieldIssue => ({
  field,
  type: 'FieldValueForbidden',
  detail,
});

/**
 * Problems of `crd` (empty = valid). With `old`, also the update rules: `spec.group` and
 * `spec.names.plural` are immutable, and `spec.scope` and `spec.names.kind` too once `old` is
 * Established.
 */
export function validateCustomResourceDefinition(crd: JsonObject, old?: JsonObject): FieldIssue[] {
  const spec = o(crd.spec);
  const names = o(spec.names);
  const out: FieldIssue[] = [];

  const name = s(o(crd.metadata).name);
  if (name === '') out.push(required('metadata.name', 'name or generateName is required'));
  else {
    for (const msg of isDNS1123Subdomain(name)) out.push(invalid('metadata.name', name, msg));
    if (name !== `${s(names.plural)}.${s(spec.group)}`) {
      out.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
    }
  }
  out.push(...validateSpec(spec, old === undefined ? undefined : o(old.spec)));
  const status = o(crd.status);
  if (isJsonObject(status.acceptedNames))
    out.push(...validateNames(status.acceptedNames, 'status.acceptedNames'));
  const stored = arr(status.storedVersions);
  if (stored.length > 0) out.push(...validateStoredVersions(stored, arr(spec.versions)));

  if (old !== undefined) {
    const oldSpec = o(old.spec);
    const immutable = (field: string, now: JsonValue | undefined, before: JsonValue | undefined): void => {
      if (s(now) !== s(before)) out.push(invalid(field, now ?? '', 'field is immutable'));
    };
    if (isEstablished(old)) {
      immutable('spec.scope', spec.scope, oldSpec.scope);
      immutable('spec.names.kind', names.kind, o(oldSpec.names).kind);
    }
    immutable('spec.group', spec.group, oldSpec.group);
    immutable('spec.names.plural', names.plural, o(oldSpec.names).plural);
  }
  return out;
}

function isEstablished(crd: JsonObject): boolean {
  return arr(o(crd.status).conditions).some(
    (c) => isJsonObject(c) && c.type === 'Established' && c.status === 'True',
  );
}

function validateSpec(spec: JsonObject, oldSpec: JsonObject | undefined): FieldIssue[] {
  const out: FieldIssue[] = [];
  const group = s(spec.group);
  if (group === '') out.push(required('spec.group'));
  else {
    const errs = isDNS1123Subdomain(group);
    if (errs.length > 0) out.push(invalid('spec.group', group, errs.join(',')));
    else if (!group.includes('.'))
      out.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  const scope = s(spec.scope);
  if (scope === '') out.push(required('spec.scope'));
  else if (scope !== 'Cluster' && scope !== 'Namespaced')
    out.push(unsupported('spec.scope', scope, ['Cluster', 'Namespaced']));

  if (spec.preserveUnknownFields === true && oldSpec?.preserveUnknownFields !== true) {
    out.push(
      invalid(
        'spec.preserveUnknownFields',
        true,
        'cannot set to true, set x-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    );
  }

  const versions = arr(spec.versions);
  const seen = new Set<string>();
  let unique = true;
  let storage = 0;
  versions.forEach((raw, i) => {
    const v = o(raw);
    const path = `spec.versions[${i}]`;
    const vname = s(v.name);
    if (v.storage === true) storage++;
    if (seen.has(vname)) unique = false;
    seen.add(vname);
    const errs = isDNS1035Label(vname);
    if (errs.length > 0) out.push(invalid(`${path}.name`, vname, errs.join(',')));
    out.push(...validateVersion(v, path));
  });
  if (!unique) out.push(invalid('spec.versions', versions, 'must contain unique version names'));
  if (storage !== 1)
    out.push(invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));

  const names = o(spec.names);
  for (const k of ['plural', 'singular', 'kind', 'listKind']) {
    if (s(names[k]) === '') out.push(required(`spec.names.${k}`));
  }
  out.push(...validateNames(names, 'spec.names'));
  out.push(...validateConversion(spec.conversion));
  return out;
}

function validateVersion(v: JsonObject, path: string): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (v.deprecationWarning !== undefined && v.deprecated !== true) {
    out.push(
      invalid(`${path}.deprecationWarning`, v.deprecationWarning, 'can only be set for deprecated versions'),
    );
  }
  const subresources = o(v.subresources);
  const schema = o(v.schema).openAPIV3Schema;
  const schemaPath = `${path}.schema.openAPIV3Schema`;
  if (!isJsonObject(schema)) out.push(required(schemaPath, 'schemas are required'));
  else out.push(...validateVersionSchema(schema, schemaPath, subresources.status !== undefined));
  if (isJsonObject(subresources.scale))
    out.push(...validateScale(subresources.scale, `${path}.subresources.scale`));
  arr(v.additionalPrinterColumns).forEach((c, i) => {
    out.push(...validateColumn(o(c), `${path}.additionalPrinterColumns[${i}]`));
  });
  arr(v.selectableFields).forEach((f, i) => {
    if (s(o(f).jsonPath) === '') out.push(required(`${path}.selectableFields[${i}].jsonPath`));
  });
  return out;
}

function simpleJSONPath(p: string, field: string): FieldIssue[] {
  if (p === '') return [invalid(field, p, 'must not be empty')];
  if (!p.startsWith('.')) return [invalid(field, p, 'must be a simple json path starting with .')];
  return [];
}

function validateScale(scale: JsonObject, path: string): FieldIssue[] {
  const out: FieldIssue[] = [];
  const check = (key: string, rule: { prefixes: string[]; detail: string; optional: boolean }): void => {
    const { prefixes, detail, optional } = rule;
    const value = s(scale[key]);
    const field = `${path}.${key}`;
    if (value === '') {
      if (!optional) out.push(required(field));
      return;
    }
    const errs = simpleJSONPath(value, field);
    if (errs.length > 0) out.push(...errs);
    else if (!prefixes.some((p) => value.startsWith(p))) out.push(invalid(field, value, detail));
  };
  check('specReplicasPath', {
    prefixes: ['.spec.'],
    detail: 'should be a json path under .spec',
    optional: false,
  });
  check('statusReplicasPath', {
    prefixes: ['.status.'],
    detail: 'should be a json path under .status',
    optional: false,
  });
  check('labelSelectorPath', {
    prefixes: ['.spec.', '.status.'],
    detail: 'should be a json path under either .spec or .status',
    optional: true,
  });
  return out;
}

function validateColumn(c: JsonObject, path: string): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (s(c.name) === '') out.push(required(`${path}.name`));
  const type = s(c.type);
  const typeMsg = `must be one of ${PRINTER_TYPES.join(',')}`;
  if (type === '') out.push(required(`${path}.type`, typeMsg));
  else if (!PRINTER_TYPES.includes(type)) out.push(invalid(`${path}.type`, type, typeMsg));
  const format = s(c.format);
  if (format !== '' && !PRINTER_FORMATS.includes(format)) {
    out.push(invalid(`${path}.format`, format, `must be one of ${PRINTER_FORMATS.join(',')}`));
  }
  // kube names this field by its Go name in the path.
  const jsonPath = s(c.jsonPath);
  if (jsonPath === '') out.push(required(`${path}.JSONPath`));
  else out.push(...simpleJSONPath(jsonPath, `${path}.JSONPath`));
  return out;
}

/** Names rules shared by spec.names and status.acceptedNames. */
export function validateNames(names: JsonObject, path: string): FieldIssue[] {
  const out: FieldIssue[] = [];
  const label = (key: string, lower: boolean, prefix: string): void => {
    const v = s(names[key]);
    if (v === '') return;
    const errs = isDNS1035Label(lower ? v.toLowerCase() : v);
    if (errs.length > 0) out.push(invalid(`${path}.${key}`, v, prefix + errs.join(',')));
  };
  const mixed = 'may have mixed case, but should otherwise match: ';
  label('plural', false, '');
  label('singular', false, '');
  label('kind', true, mixed);
  label('listKind', true, mixed);
  for (const key of ['shortNames', 'categories']) {
    arr(names[key]).forEach((v, i) => {
      const errs = isDNS1035Label(s(v));
      if (errs.length > 0) out.push(invalid(`${path}.${key}[${i}]`, v, errs.join(',')));
    });
  }
  if (s(names.kind) !== '' && names.kind === names.listKind) {
    out.push(invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  }
  return out;
}

function validateConversion(raw: JsonValue | undefined): FieldIssue[] {
  if (raw === undefined) return [];
  const conversion = o(raw);
  const strategy = s(conversion.strategy);
  if (strategy === '') return [required('spec.conversion.strategy')];
  if (strategy !== 'None') return [unsupported('spec.conversion.strategy', strategy, ['None'])];
  const webhook = o(conversion.webhook);
  const out: FieldIssue[] = [];
  const notWebhook = 'should not be set when strategy is not set to Webhook';
  if (webhook.clientConfig !== undefined)
    out.push(forbidden('spec.conversion.webhookClientConfig', notWebhook));
  if (arr(webhook.conversionReviewVersions).length > 0)
    out.push(forbidden('spec.conversion.conversionReviewVersions', notWebhook));
  return out;
}

function validateStoredVersions(stored: JsonValue[], versions: JsonValue[]): FieldIssue[] {
  const out: FieldIssue[] = [];
  const remaining = new Map<string, number>();
  stored.forEach((v, i) => remaining.set(s(v), i));
  for (const raw of versions) {
    const v = o(raw);
    const name = s(v.name);
    if (v.storage === true && !remaining.has(name)) {
      out.push(invalid('status.storedVersions', v, `must have the storage version ${name}`));
    }
    remaining.delete(name);
  }
  for (const [v, i] of remaining)
    out.push(invalid(`status.storedVersions[${i}]`, v, 'must appear in spec.versions'));
  return out;
}
