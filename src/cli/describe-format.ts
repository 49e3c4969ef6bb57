/**
 * The layout of `flotilla describe`, as kubectl describe prints: `Label:  value` lines with the
 * values aligned (continuation lines of a multi-line value under the first), headings for nested
 * sections, and sub-tables with a dashed rule under their Title-case header.
 */
import type { Condition } from '../api/flotilla/cluster.js';
import { NONE, ageOf } from './cells.js';
import type { PrintContext } from './style.js';
import { statusText } from './style.js';
import { formatTable } from './table.js';

/** One `Label:  value` line; an array value prints one line per element (`<none>` when empty). */
export type Field = readonly [label: string, value: string | readonly string[]];

/** `fields` as aligned lines, each starting with `indent` spaces. */
export function fieldLines(fields: readonly Field[], indent = 0): string {
  const width = Math.max(0, ...fields.map(([label]) => label.length + 1)) + 2;
  const pad = ' '.repeat(indent);
  return fields
    .map(([label, value]) => {
      const lines = typeof value === 'string' ? [value] : value.length > 0 ? value : [NONE];
      const head = `${pad}${`${label}:`.padEnd(width)}`;
      return lines
        .map((line, i) => `${i === 0 ? head : ' '.repeat(head.length)}${line}`.trimEnd())
        .join('\n');
    })
    .map((line) => `${line}\n`)
    .join('');
}

/** A section heading (`Conditions:`) on its own line, at `indent`. */
export function heading(title: string, indent = 0): string {
  return `${' '.repeat(indent)}${title}:\n`;
}

/**
 * A titled sub-table: `Title:` then the header, a dashed rule and the rows indented by two more
 * spaces; `Title:  <none>` when there are no rows.
 */
export function subTable(
  title: string,
  table: { header: readonly string[]; rows: readonly (readonly string[])[] },
  indent = 0,
): string {
  if (table.rows.length === 0) return `${' '.repeat(indent)}${title}:  ${NONE}\n`;
  const rule = table.header.map((h) => '-'.repeat(h.length));
  const pad = ' '.repeat(indent + 2);
  const body = formatTable([table.header, rule, ...table.rows])
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => `${pad}${line}\n`)
    .join('');
  return `${heading(title, indent)}${body}`;
}

/** `key=value` lines of a label or annotation map (sorted by key), none for an empty map. */
export function mapLines(map: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(map ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
}

/** `2026-12-04T19:10:01Z (5m ago)`. */
export function timeAndAge(timestamp: string | undefined, now: number): string {
  return timestamp ? `${timestamp} (${ageOf(timestamp, now)} ago)` : NONE;
}

/** The `Conditions:` sub-table: Type, Status, Reason, Age (since the last transition), Message. */
export function conditionTable(conditions: readonly Condition[] | undefined, o: PrintContext): string {
  return subTable('Conditions', {
    header: ['Type', 'Status', 'Reason', 'Age', 'Message'],
    rows: (conditions ?? []).map((c) => [
      c.type,
      statusText(c.status, o.style),
      c.reason ?? '',
      ageOf(c.lastTransitionTime, o.now),
      c.message ?? '',
    ]),
  });
}
