/**
 * Server-side `meta.k8s.io/v1` `Table` rendering for `kubectl get` (requests whose Accept asks for
 * `as=Table`). One table per list response, and a one-row table per object for GET and for each
 * watch event. The result shares structure with the input objects: serialize it, do not mutate it.
 */
import type { JsonObject, JsonValue, KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { printerFor } from './printers.js';
import type { TableColumnDefinition, TableRowCondition } from './printer.js';

export type { TableColumnDefinition, TableRowCondition } from './printer.js';

/** `includeObject` query parameter: what each row carries in `object`. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** Epoch milliseconds, for ages and durations. */
  now: number;
  /** `Metadata` (kube's default) → `PartialObjectMetadata`; `Object` → the full object; `None` → no object. */
  includeObject: IncludeObject;
  /** Omit `columnDefinitions` (watch events after the first; kube's `TableOptions.NoHeaders`). */
  noHeaders?: boolean;
  /** List metadata to carry on the table. */
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** One `TableRow`. */
export type TableRow = { cells: JsonValue[]; conditions?: TableRowCondition[]; object?: JsonObject };

/** The `Table` object as it goes on the wire (assignable to `JsonObject`). */
export type Table = {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions?: TableColumnDefinition[];
  rows: TableRow[];
};

/** Wire objects are plain JSON; `KubeObject` and `ObjectMeta` only lack `JsonObject`'s index signature. */
function asJson(obj: KubeObject): JsonObject {
  return obj as unknown as JsonObject;
}

/** The row's `object` for `includeObject`, or `undefined` for `None`. */
export function rowObject(obj: KubeObject, includeObject: IncludeObject): JsonObject | undefined {
  switch (includeObject) {
    case 'None':
      return undefined;
    case 'Object':
      return asJson(obj);
    case 'Metadata':
      return {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: obj.metadata as unknown as JsonObject,
      };
  }
}

/**
 * Renders `objects` of resource `info` as a `meta.k8s.io/v1` Table: the kind's columns (always all
 * of them, `-o wide` ones marked `priority: 1`), one row per object in order, list metadata from
 * `options`. With `noHeaders`, `columnDefinitions` is left out (kube-apiserver sends `null`, which
 * decodes the same). Throws only if the resource's printer columns hold an unparsable JSONPath.
 */
export function toTable(info: ResourceInfo, objects: readonly KubeObject[], options: TableOptions): Table {
  const printer = printerFor(info);
  const metadata: Table['metadata'] = {};
  if (options.resourceVersion) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  if (options.remainingItemCount !== undefined && options.remainingItemCount > 0) {
    metadata.remainingItemCount = options.remainingItemCount;
  }
  const table: Table = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, rows: [] };
  if (!options.noHeaders) table.columnDefinitions = [...printer.columns];
  table.rows = objects.map((obj) => {
    const printed = printer.print(obj, options.now);
    const row: TableRow = { cells: printed.cells };
    if (printed.conditions) row.conditions = printed.conditions;
    const object = rowObject(obj, options.includeObject);
    if (object) row.object = object;
    return row;
  });
  return table;
}

/**
 * A one-row Table for a single object (GET with the Table Accept, and each watch event).
 * `metadata.resourceVersion` is the object's unless `options.resourceVersion` overrides it.
 */
export function toObjectTable(
  info: ResourceInfo,
  obj: KubeObject,
  options: Omit<TableOptions, 'continue' | 'remainingItemCount'>,
): Table {
  const resourceVersion = options.resourceVersion ?? obj.metadata.resourceVersion;
  return toTable(info, [obj], { ...options, ...(resourceVersion ? { resourceVersion } : {}) });
}
