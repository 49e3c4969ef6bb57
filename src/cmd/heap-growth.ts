/**
 * How the hub process's V8 heap is sized. How far it may grow past its live data before the next
 * full collection: V8 picks the factor itself, up to 4× on a machine with this much memory, and a
 * hub with 800 MiB of caches then sits at 2–3 GiB RSS, much of it garbage not yet collected.
 * Capping the factor trades some collector CPU for a footprint that follows the live data
 * (`--heap-growth`). And the young generation's size, fixed when the process starts
 * (`NODE_FLAGS`).
 */
import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags every Flotilla process starts with, hub or simulated fleet (they size the heap when it
 * is made, so they cannot be set from inside like `--heap-growing-percent`): `bin/flotilla.js`'s
 * `#!` line, `npm start`, the benchmarks' own process (which hosts their fleets) and their hub
 * processes pass them. A young generation of 2 × 64 MiB instead of V8's 2 × 16 MiB: requests
 * leave much short-lived garbage (decoded bodies, watch lines), and a bigger nursery scavenges
 * less often. A simulated fleet (10 clusters × 100 nodes, 10,000 pods, three interleaved runs
 * each): 329 pods/s to Running with V8's default, 383 with 32 MiB, 413 with 64 MiB, at about the
 * same peak RSS. Scheduling through the API: 32 MiB gave 5% more bindings/s and 4% less hub CPU
 * per binding than the default; 64 MiB about the same as 32 (bench/results/scheduler.json).
 */
export const NODE_FLAGS = ['--max-semi-space-size=64'] as const;

/** The default: the heap grows to at most twice its live data between full collections. */
export const DEFAULT_HEAP_GROWTH_PERCENT = 100;

/** Applies `percent` to this process (0 leaves V8's heuristic alone). */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
