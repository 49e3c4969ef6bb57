/**
 * Fixture builders for printer tests: realistic wire objects at a fixed `NOW`, and `row()` to
 * read a printed row as `{ columnName: cell }`.
 */
import type { JsonValue, KubeObject, ObjectMeta } from '../../../api/meta.js';
import type { Printer } from '../printer.js';

/** The fixed "current time" of printer tests. */
export const NOW = Date.parse('2024-05-01T12:00:00Z');

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** RFC 3339 timestamp `spec` before `NOW`, e.g. `ago('5m')`, `ago('2d3h')`. */
export function ago(spec: string): string {
  let ms = 0;
  for (const [, n, u] of spec.matchAll(/(\d+)([smhd])/g)) ms += Number(n) * (UNITS[u ?? 's'] ?? 0);
  return new Date(NOW - ms).toISOString().replace('.000Z', 'Z');
}

/** A wire object with a name, namespace `default`, created 10m before `NOW`, plus `body`. */
export function makeObject(
  [apiVersion, kind]: [apiVersion: string, kind: string],
  meta: ObjectMeta & { name: string },
  body: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: {
      namespace: 'default',
      uid: `uid-${meta.name}`,
      resourceVersion: '42',
      creationTimestamp: ago('10m'),
      ...meta,
    },
    ...body,
  };
}

/** A printed row keyed by column name. */
export function row(printer: Printer, obj: KubeObject): Record<string, JsonValue> {
  const { cells } = printer.print(obj, NOW);
  if (cells.length !== printer.columns.length) {
    throw new Error(`printer gave ${cells.length} cells for ${printer.columns.length} columns`);
  }
  return Object.fromEntries(printer.columns.map((c, i) => [c.name, cells[i] ?? null]));
}

/** A running, ready container status. */
export function runningStatus(
  name: string,
  restartCount = 0,
  lastFinished?: string,
): Record<string, unknown> {
  return {
    name,
    ready: true,
    started: true,
    restartCount,
    state: { running: { startedAt: ago('5m') } },
    ...(lastFinished
      ? { lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: lastFinished } } }
      : {}),
  };
}

/** A pod with the given container names, scheduled on `node-1`, phase Running by default. */
export function makePod(
  name: string,
  status: Record<string, unknown>,
  spec: Record<string, unknown> = {},
): KubeObject {
  return makeObject(
    ['v1', 'Pod'],
    { name },
    {
      spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
      status: { phase: 'Running', podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }], ...status },
    },
  );
}
