/**
 * `status.completedIndexes` of Indexed Jobs (kube `orderedIntervals`): the succeeded completion
 * indexes in increasing order, runs of three or more written `first-last`, e.g. `1,3-5,7`.
 */

/** The indexes in `text` below `completions` (bad parts are skipped), ascending and distinct. */
export function parseIndexes(text: string | undefined, completions: number): number[] {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    if (part === '') continue;
    const [a, b] = part.split('-');
    const first = Number(a);
    const last = b === undefined ? first : Number(b);
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first < 0 || last < first) continue;
    for (let i = first; i <= Math.min(last, completions - 1); i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

/** The text form of ascending distinct `indexes` (orderedIntervals.String). */
export function formatIndexes(indexes: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < indexes.length) {
    const first = indexes[i] ?? 0;
    let last = first;
    while (indexes[i + 1] === last + 1) {
      last++;
      i++;
    }
    if (last === first) parts.push(String(first));
    else if (last === first + 1) parts.push(`${first},${last}`);
    else parts.push(`${first}-${last}`);
    i++;
  }
  return parts.join(',');
}
