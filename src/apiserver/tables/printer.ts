/**
 * What a table printer is: fixed column definitions plus a function from one object to its cells.
 * Printers always render every column, including `priority: 1` (`-o wide`) ones, because
 * kube-apiserver generates tables with `Wide: true` and kubectl hides those columns client-side.
 */
import type { JsonValue, KubeObject } from '../../api/meta.js';

/** One `meta.k8s.io/v1` `TableColumnDefinition`. */
export type TableColumnDefinition = {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
};

/** A `TableRowCondition`; kube sets `Completed` on pods that succeeded or failed. */
export type TableRowCondition = {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
};

/** The cells of one row (same order as the columns), and optional row conditions. */
export interface PrintedRow {
  cells: JsonValue[];
  conditions?: TableRowCondition[];
}

/** Renders one kind. `now` is epoch milliseconds, used for ages and durations. */
export interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  print(obj: KubeObject, now: number): PrintedRow;
}

/** Description of the Name column (kube uses ObjectMeta's field doc; this is Flotilla's wording). */
export const NAME_DESCRIPTION =
  'Name of the object, unique within its namespace (or cluster-wide for cluster-scoped kinds).';
/** Description of Age / Created At columns. */
export const CREATED_DESCRIPTION =
  'CreationTimestamp: the server time when the object was created, in RFC 3339 form (UTC).';

/** Builds a priority-0 column definition with an empty format. */
export function column(name: string, type: string, description: string): TableColumnDefinition {
  return { name, type, format: '', description, priority: 0 };
}

/** Marks a column `priority: 1`: kubectl shows it only with `-o wide`. */
export function wide(def: TableColumnDefinition): TableColumnDefinition {
  return { ...def, priority: 1 };
}

/** The `Name` column (`format: name`, which kubectl prefixes with `kind/` for mixed output). */
export function nameColumn(priority = 0): TableColumnDefinition {
  return { ...column('Name', 'string', NAME_DESCRIPTION), format: 'name', priority };
}

/** The `Age` column of built-in printers (a `string` cell such as `5m`). */
export function ageColumn(): TableColumnDefinition {
  return column('Age', 'string', CREATED_DESCRIPTION);
}

/** `Containers`, `Images` (and optionally `Selector`) wide columns shared by workload printers. */
export function templateColumns(selectorDescription?: string): TableColumnDefinition[] {
  const cols = [
    wide(column('Containers', 'string', 'Names of each container in the template.')),
    wide(column('Images', 'string', 'Images referenced by each container in the template.')),
  ];
  if (selectorDescription !== undefined) cols.push(wide(column('Selector', 'string', selectorDescription)));
  return cols;
}

/** A printer from columns and a cells function. */
export function printer(
  columns: readonly TableColumnDefinition[],
  cells: (obj: KubeObject, now: number) => JsonValue[],
): Printer {
  return { columns, print: (obj, now) => ({ cells: cells(obj, now) }) };
}
