/**
 * `-o json` and `-o yaml`: one object as it is, or several as a `v1 List`, the way kubectl prints
 * them (managedFields left out, as kubectl does unless asked).
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../api/meta.js';

/** The machine-readable output formats. */
export type ObjectFormat = 'json' | 'yaml';

/**
 * `objects` as `format`: the single object when `single` (there must be exactly one), otherwise
 * `{"apiVersion":"v1","kind":"List","items":[…]}`. Ends in a newline.
 */
export function formatObjects(
  objects: readonly KubeObject[],
  o: { format: ObjectFormat; single: boolean },
): string {
  const items = objects.map(withoutManagedFields);
  const [first] = items;
  if (o.single && (items.length !== 1 || first === undefined))
    throw new Error(`formatObjects: single output of ${items.length} objects`);
  const value = o.single ? first : { apiVersion: 'v1', kind: 'List', items };
  return o.format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value);
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  if (obj.metadata.managedFields === undefined) return obj;
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
