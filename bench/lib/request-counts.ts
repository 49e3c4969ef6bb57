/**
 * What the hub's API server served, from its Prometheus `apiserver_request_total` counter (verb,
 * resource, code): a benchmark reads it before and after a phase to see which requests the phase
 * cost (in-process controllers' requests included), conflicts (409) among them.
 */
import type { ApiClient } from '../../src/client/api-client.js';

const LINE = /^apiserver_request_total\{([^}]*)\}\s+(\d+(?:\.\d+)?)/;
const LABEL = /(\w+)="([^"]*)"/g;

/** Requests served so far, by `VERB resource code`. */
export async function requestCounts(client: ApiClient): Promise<Map<string, number>> {
  const { body } = await client.getText('/metrics');
  const counts = new Map<string, number>();
  for (const line of body.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = new Map<string, string>();
    for (const l of (m[1] ?? '').matchAll(LABEL)) labels.set(l[1] ?? '', l[2] ?? '');
    counts.set(
      `${labels.get('verb') ?? ''} ${labels.get('resource') ?? ''} ${labels.get('code') ?? ''}`,
      Number(m[2]),
    );
  }
  return counts;
}

/** The requests served between two readings, most frequent first (watches and zero rows left out). */
export function requestsBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Record<string, number> {
  const rows = [...after]
    .map(([key, n]) => [key, n - (before.get(key) ?? 0)] as const)
    .filter(([key, n]) => n > 0 && !key.startsWith('watch '))
    .sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(rows);
}

/** The writes (create, update, patch, delete) among `requests` as `requestsBetween` returns them. */
export function writeCount(requests: Readonly<Record<string, number>>): number {
  return Object.entries(requests)
    .filter(([key]) => /^(create|update|patch|delete) /.test(key))
    .reduce((sum, [, n]) => sum + n, 0);
}
