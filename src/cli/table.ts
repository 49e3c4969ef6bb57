/**
 * Plain-text tables as kubectl prints them: a header row, columns padded to their widest cell and
 * separated by three spaces, trailing blanks trimmed. Cells may carry ANSI colour (style.ts): the
 * escape codes take no room when widths are measured.
 */

// eslint-disable-next-line no-control-regex -- matching the ESC of ANSI colour codes is the point
const ANSI = /\x1b\[[0-9;]*m/g;

/** The width of `text` on a terminal (ANSI colour codes take none). */
export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Renders `rows` (the first is the header) as aligned lines, each ending in a newline. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell)))
          .join('   ')
          .trimEnd()}\n`,
    )
    .join('');
}
