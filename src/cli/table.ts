/**
 * Plain-text tables as kubectl prints them: a header row, columns padded to their widest cell and
 * separated by three spaces, trailing blanks trimmed.
 */

/** Renders `rows` (the first is the header) as aligned lines, each ending in a newline. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('   ')
          .trimEnd()}\n`,
    )
    .join('');
}
