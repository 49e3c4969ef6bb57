/**
 * Column sets that are not per-kind printers: custom resources' `additionalPrinterColumns`
 * (apiextensions-apiserver `tableconvertor`), the Name + Age default for a CRD without columns,
 * and the generic Name + Created At convertor kube-apiserver uses for kinds without a printer.
 */
import { evaluateJsonPath, parseJsonPath } from '../../api/jsonpath.js';
import type { JsonValue } from '../../api/meta.js';
import type { PrinterColumn } from '../../api/resource-info.js';
import { age, parseTimestamp } from '../../api/human-duration.js';
import { CREATED_DESCRIPTION, column, nameColumn, printer } from './printer.js';
import type { Printer } from './printer.js';

/** The column a CRD version gets when it declares no `additionalPrinterColumns`. */
export const DEFAULT_CRD_COLUMNS: readonly PrinterColumn[] = [
  {
    name: 'Age',
    type: 'date',
    description: CREATED_DESCRIPTION,
    priority: 0,
    jsonPath: '.metadata.creationTimestamp',
  },
];

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Go's `json.Marshal` of a decoded JSON value: compact, map keys sorted. */
function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, val]) => `${JSON.stringify(k)}:${goJson(val)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * One cell of a custom column, as kube's `cellForJSONValue` and JSONPath text printing produce it:
 * `string` prints any value (objects and arrays as compact JSON, JSON null as `<no value>`);
 * `integer` and `number` keep numbers (integers truncated); `boolean` keeps booleans; `date`
 * renders an RFC 3339 string as an age (`<invalid>` if unparsable). Anything else is `null`,
 * which kubectl prints as an empty cell.
 */
export function customCell(type: PrinterColumn['type'], value: unknown, now: number): JsonValue {
  if (type === 'string') {
    if (value === null || value === undefined) return '<no value>';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return goJson(value);
  }
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      if (!RFC3339.test(value)) return '<invalid>';
      return parseTimestamp(value) === undefined ? '<unknown>' : age(value, now);
  }
}

/**
 * Printer for a custom resource version: Name, then one column per printer column, each cell the
 * first JSONPath result (`null` when there is none). Throws if a column's `jsonPath` does not
 * parse, as kube refuses to build the convertor.
 */
export function customColumnsPrinter(columns: readonly PrinterColumn[]): Printer {
  const paths = columns.map((c) => parseJsonPath(c.jsonPath));
  return printer(
    [
      nameColumn(),
      ...columns.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
        priority: c.priority,
      })),
    ],
    (obj, now) => [
      obj.metadata.name ?? '',
      ...columns.map((c, i) => {
        const path = paths[i];
        const results = path ? evaluateJsonPath(obj, path) : [];
        return results.length === 0 ? null : customCell(c.type, results[0], now);
      }),
    ],
  );
}

/** Go `time.Time.UTC().Format(time.RFC3339)`: whole seconds, `Z`; Go's zero time when unset. */
function rfc3339(ts: unknown): string {
  const ms = parseTimestamp(ts);
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** kube-apiserver's default table for kinds without a printer: Name and `Created At` (a `date`). */
export const defaultPrinter: Printer = printer(
  [nameColumn(), column('Created At', 'date', CREATED_DESCRIPTION)],
  (obj) => [obj.metadata.name ?? '', rfc3339(obj.metadata.creationTimestamp)],
);
