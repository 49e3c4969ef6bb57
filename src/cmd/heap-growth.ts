/**
 * How the hub process's V8 heap is sized. How far it may grow past its live data before the next
 * full collection: V8 picks the factor itself, up to 4× on a machine with this much memory, and a
 * hub with 800 MiB of caches then sits at 2–3 GiB RSS, much of it garbage not yet collected.
 * Capping the factor trades some collector CPU for a footprint that follows the live data
 * (`--heap-growth`). And the young generation's size, fixed when the process starts
 * (`HUB_NODE_FLAGS`).
 */
import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags the hub's process starts with (they size the heap when it is made, so they cannot be
 * set from inside like `--heap-growing-percent`): `bin/flotilla.js`'s `#!` line, `npm start` and
 * the benchmarks' hub processes pass them. A young generation of 2 × 32 MiB instead of V8's
 * 2 × 16 MiB: the hub's requests leave much short-lived garbage (decoded bodies, watch lines),
 * and the bigger nursery scavenges half as often. Scheduling through the API: 5% more bindings/s
 * and 4% less hub CPU per binding in three interleaved pairs of runs (bench/results/scheduler.json).
 */
export const HUB_NODE_FLAGS = ['--max-semi-space-size=32'] as const;

/** The default: the heap grows to at most twice its live data between full collections. */
export const DEFAULT_HEAP_GROWTH_PERCENT = 100;

/** Applies `percent` to this process (0 leaves V8's heuristic alone). */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
