/**
 * Label and field selection of objects, shared by list, watch and deletecollection. Field
 * selectors accept `metadata.name`, `metadata.namespace` and the resource's own field labels;
 * anything else is a 400 `field label not supported`.
 */
import type { KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resource-info.js';
import { badRequest } from '../api/status.js';
import { matchesLabels, parseLabelSelector } from '../api/labels/selector.js';
import type { LabelSelector } from '../api/labels/selector.js';
import { fieldSelectorRequirements, matchesFields, parseFieldSelector } from '../api/fields/selector.js';
import type { FieldSelector } from '../api/fields/selector.js';

export interface Selection {
  labels?: LabelSelector;
  fields?: FieldSelector;
  /** Field labels the field selector reads. */
  fieldNames: readonly string[];
}

/** Parses `labelSelector` / `fieldSelector` query parameters for `info`. */
export function parseSelection(info: ResourceInfo, query: URLSearchParams): Selection {
  const selection: { labels?: LabelSelector; fields?: FieldSelector; fieldNames: string[] } = {
    fieldNames: [],
  };
  const ls = query.get('labelSelector');
  if (ls !== null && ls.trim() !== '') selection.labels = parseLabelSelector(ls);
  const fs = query.get('fieldSelector');
  if (fs !== null && fs.trim() !== '') {
    const fields = parseFieldSelector(fs);
    for (const r of fieldSelectorRequirements(fields)) {
      const supported =
        r.field === 'metadata.name' ||
        (r.field === 'metadata.namespace' && info.namespaced) ||
        info.fieldLabels?.[r.field] !== undefined;
      if (!supported) throw badRequest(`field label not supported: ${r.field}`);
      if (!selection.fieldNames.includes(r.field)) selection.fieldNames.push(r.field);
    }
    selection.fields = fields;
  }
  return selection;
}

/** True when `obj` is selected. */
export function selects(info: ResourceInfo, selection: Selection, obj: KubeObject): boolean {
  if (selection.labels && !matchesLabels(selection.labels, obj.metadata.labels)) return false;
  if (selection.fields) {
    const values: Record<string, string> = {};
    for (const f of selection.fieldNames) values[f] = fieldValue(info, obj, f);
    if (!matchesFields(selection.fields, values)) return false;
  }
  return true;
}

function fieldValue(info: ResourceInfo, obj: KubeObject, field: string): string {
  if (field === 'metadata.name') return obj.metadata.name ?? '';
  if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
  return info.fieldLabels?.[field]?.(obj) ?? '';
}

/** True when nothing is filtered. */
export function selectsEverything(selection: Selection): boolean {
  return selection.labels === undefined && selection.fields === undefined;
}
