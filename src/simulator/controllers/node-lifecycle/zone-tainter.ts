/**
 * Rate-limited NoExecute tainting per zone, and zone disruption states (kube's
 * zoneNoExecuteTainter, ComputeZoneState and handleDisruption): a not-ready node waits in its
 * zone's queue for a token (`--node-eviction-rate`, 0.1 nodes/s, burst 1); a zone where at least
 * 55 % of more than two nodes are not ready is partially disrupted (evictions slow to the
 * secondary rate in large zones and stop in small ones); when every zone is fully disrupted the
 * controller assumes the problem is its own connectivity, stops tainting and untaints everything.
 */

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** Tunables of `ZoneTainter` (kube-controller-manager flags). */
export interface ZoneTainterOptions {
  /** `--node-eviction-rate` (default 0.1). */
  evictionQps: number;
  /** `--secondary-node-eviction-rate` (default 0.01). */
  secondaryEvictionQps: number;
  /** `--large-cluster-size-threshold` (default 50). */
  largeClusterThreshold: number;
  /** `--unhealthy-zone-threshold` (default 0.55). */
  unhealthyZoneThreshold: number;
}

/** A token bucket with burst 1 (flowcontrol.NewTokenBucketRateLimiter); qps 0 never admits. */
export class TokenBucket {
  #tokens = 1;
  #last: number;

  constructor(
    readonly qps: number,
    now: number,
  ) {
    this.#last = now;
  }

  /** Takes a token if one is available at `now`. */
  tryAccept(now: number): boolean {
    if (this.qps <= 0) return false;
    this.#tokens = Math.min(1, this.#tokens + ((now - this.#last) / 1000) * this.qps);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** The zone a node's labels put it in (region and zone; '' without either). */
export function zoneKey(labels: Readonly<Record<string, string>> | undefined): string {
  const zone =
    labels?.['topology.kubernetes.io/zone'] ?? labels?.['failure-domain.beta.kubernetes.io/zone'] ?? '';
  const region =
    labels?.['topology.kubernetes.io/region'] ?? labels?.['failure-domain.beta.kubernetes.io/region'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`;
}

/** ComputeZoneState over the Ready statuses of a zone's nodes. */
export function computeZoneState(
  readyStatuses: readonly (string | undefined)[],
  threshold: number,
): ZoneState {
  const ready = readyStatuses.filter((s) => s === 'True').length;
  const notReady = readyStatuses.length - ready;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (notReady + ready) >= threshold) return 'PartialDisruption';
  return 'Normal';
}

interface Zone {
  state: ZoneState;
  size: number;
  limiter: TokenBucket;
  queue: Set<string>;
}

/** Zone states, their limiters and queues of nodes waiting for a NoExecute taint. */
export class ZoneTainter {
  readonly #o: ZoneTainterOptions;
  readonly #zones = new Map<string, Zone>();
  #masterDisruption = false;

  constructor(options: ZoneTainterOptions) {
    this.#o = options;
  }

  /** True while every zone is fully disrupted: no NoExecute taints at all. */
  get masterDisruption(): boolean {
    return this.#masterDisruption;
  }

  /** True when some node waits for a token. */
  get pending(): boolean {
    for (const z of this.#zones.values()) if (z.queue.size > 0) return true;
    return false;
  }

  /**
   * Recomputes zone states from `readiness` (zone → Ready status of each node) and swaps limiters
   * as kube does. Answers whether master disruption mode was just entered or left.
   */
  update(
    readiness: ReadonlyMap<string, readonly (string | undefined)[]>,
    now: number,
  ): 'entered' | 'left' | undefined {
    const next = new Map<string, ZoneState>();
    for (const [zone, statuses] of readiness) {
      next.set(zone, computeZoneState(statuses, this.#o.unhealthyZoneThreshold));
      if (!this.#zones.has(zone))
        this.#zones.set(zone, {
          state: 'Initial',
          size: 0,
          limiter: new TokenBucket(this.#o.evictionQps, now),
          queue: new Set(),
        });
    }
    for (const zone of [...this.#zones.keys()]) if (!readiness.has(zone)) this.#zones.delete(zone);
    for (const [zone, z] of this.#zones) z.size = readiness.get(zone)?.length ?? 0;
    const allAre = [...next.values()].every((s) => s === 'FullDisruption');
    const allWere = [...this.#zones.values()].every((z) => z.state === 'FullDisruption');
    if (allAre && allWere) return undefined;
    if (allAre) {
      for (const z of this.#zones.values()) {
        z.state = 'FullDisruption';
        z.limiter = new TokenBucket(0, now);
        z.queue.clear();
      }
      this.#masterDisruption = true;
      return 'entered';
    }
    const left = allWere && this.#zones.size > 0;
    for (const [zone, z] of this.#zones) {
      const state = next.get(zone) ?? 'Normal';
      if (state === z.state && !left) continue;
      z.state = state;
      z.limiter = new TokenBucket(this.#qps(state, z.size), now);
    }
    if (!left) return undefined;
    this.#masterDisruption = false;
    return 'left';
  }

  /** Queues `node` of `zone` for a NoExecute taint (no-op when queued, or in master disruption). */
  add(zone: string, node: string): void {
    if (this.#masterDisruption) return;
    this.#zones.get(zone)?.queue.add(node);
  }

  /** Drops `node` from every queue (it became Ready or was tainted). */
  remove(node: string): void {
    for (const z of this.#zones.values()) z.queue.delete(node);
  }

  /** The queued nodes that get a token at `now`, in queue order per zone. */
  take(now: number): string[] {
    const granted: string[] = [];
    for (const z of this.#zones.values()) {
      for (const node of z.queue) {
        if (!z.limiter.tryAccept(now)) break;
        z.queue.delete(node);
        granted.push(node);
      }
    }
    return granted;
  }

  /** The state of `zone` (tests, logs). */
  state(zone: string): ZoneState | undefined {
    return this.#zones.get(zone)?.state;
  }

  #qps(state: ZoneState, size: number): number {
    if (state === 'PartialDisruption')
      return size > this.#o.largeClusterThreshold ? this.#o.secondaryEvictionQps : 0;
    return this.#o.evictionQps;
  }
}
