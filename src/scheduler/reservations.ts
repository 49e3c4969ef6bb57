/**
 * Capacity held for preemptors, as kube-scheduler holds a node for a pod it nominated there.
 *
 * A cluster's `resourceSummary` lags the hub's decisions: when victims give way, their pods are
 * still counted for a while, and once they are gone the preemptor's pods are not counted yet.
 * In between, the capacity the victims gave up must count for the preemptor only: the preemptor
 * sees it as freed (so a retry after a failed write does not preempt again), every other binding
 * sees it as taken (so a victim does not scale straight back into it). A reservation on a cluster
 * ends when the preemptor reports Healthy there (its pods run and the summary counts them), when
 * the preemptor no longer holds that cluster or is gone, or after `RESERVATION_TTL_MS`.
 */
import type { ResourceBinding } from '../api/flotilla/binding.js';
import type { ResourceAmounts } from '../api/pod-resources.js';
import type { FreedCapacity } from './core/available-replicas.js';

/** How long capacity is held for a preemptor whose replicas never report Healthy. */
export const RESERVATION_TTL_MS = 60_000;

interface Reservation {
  clusters: Map<string, FreedCapacity>;
  sinceMs: number;
  /** The preemptor's decision has been written (until then its binding holds none of them). */
  placed: boolean;
}

export class Reservations {
  readonly #byPreemptor = new Map<string, Reservation>();

  /** Holds `freed` (the capacity a preemption plan counted on) for `preemptor`. */
  hold(preemptor: string, freed: ReadonlyMap<string, FreedCapacity>, nowMs: number): void {
    this.#byPreemptor.set(preemptor, { clusters: new Map(freed), sinceMs: nowMs, placed: false });
  }

  /** `preemptor`'s decision has been written: from now on a cluster it leaves is released. */
  placed(preemptor: string): void {
    const reservation = this.#byPreemptor.get(preemptor);
    if (reservation) reservation.placed = true;
  }

  /**
   * The capacity overlay `key` schedules with: what is held for it, plus (negative) what is held
   * for every other preemptor. Undefined when nothing is held.
   */
  overlayFor(key: string, nowMs: number): Map<string, FreedCapacity> | undefined {
    this.#expire(nowMs);
    if (this.#byPreemptor.size === 0) return undefined;
    const overlay = new Map<string, { amounts: ResourceAmounts; largest: ResourceAmounts }>();
    for (const [preemptor, reservation] of this.#byPreemptor) {
      const sign = preemptor === key ? 1 : -1;
      for (const [cluster, freed] of reservation.clusters) {
        let o = overlay.get(cluster);
        if (!o) overlay.set(cluster, (o = { amounts: {}, largest: {} }));
        for (const name in freed.amounts)
          o.amounts[name] = (o.amounts[name] ?? 0) + sign * (freed.amounts[name] ?? 0);
        if (sign > 0)
          for (const name in freed.largest)
            o.largest[name] = Math.max(o.largest[name] ?? 0, freed.largest[name] ?? 0);
      }
    }
    return overlay;
  }

  /**
   * Ends what `binding` (named `key`; undefined once deleted) no longer needs held. True when a
   * reservation ended, so bindings waiting for capacity may try again.
   */
  settle(key: string, binding: ResourceBinding | undefined): boolean {
    const reservation = this.#byPreemptor.get(key);
    if (!reservation) return false;
    if (!binding || binding.metadata.deletionTimestamp) {
      this.#byPreemptor.delete(key);
      return true;
    }
    const held = new Set((binding.spec.clusters ?? []).map((t) => t.name));
    const healthy = new Set(
      (binding.status?.aggregatedStatus ?? [])
        .filter((s) => s.health === 'Healthy')
        .map((s) => s.clusterName),
    );
    let ended = false;
    for (const cluster of [...reservation.clusters.keys()])
      if ((reservation.placed && !held.has(cluster)) || healthy.has(cluster)) {
        reservation.clusters.delete(cluster);
        ended = true;
      }
    if (reservation.clusters.size === 0) this.#byPreemptor.delete(key);
    return ended;
  }

  #expire(nowMs: number): void {
    for (const [key, r] of this.#byPreemptor)
      if (nowMs - r.sinceMs >= RESERVATION_TTL_MS) this.#byPreemptor.delete(key);
  }
}
