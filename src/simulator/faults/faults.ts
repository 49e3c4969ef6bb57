/**
 * Cluster faults as clients experience them, applied at the fleet's HTTP edge:
 * - `down`: the cluster's own endpoint stops listening (connections refused, see endpoint.ts);
 *   requests through the fleet's shared port have their connection dropped (a reset: that port
 *   stays open for the other clusters); open watches are cut at once.
 * - `partition`: requests hang until the client gives up (or the fault heals, in which case they
 *   proceed, as TCP retransmits would); open watches are cut.
 * - `slow=MS`: every request waits MS ms (of the injected clock) first.
 * - `heal`: back to normal. State inside the cluster is untouched by all of these.
 */
import type { Clock } from '../../base/clock.js';
import type { GateVerdict, RequestGate } from '../../apiserver/http/http-server.js';

/** A fault in effect on one cluster. */
export type ClusterFault = { kind: 'down' } | { kind: 'partition' } | { kind: 'slow'; ms: number };

/** What `flotilla sim fault CLUSTER ACTION` asks for: a fault, or `heal` (undefined). */
export type FaultAction = ClusterFault | { kind: 'heal' };

/** Thrown for an action that is not down, partition, slow=MS or heal. */
export class FaultActionError extends Error {
  override readonly name = 'FaultActionError';
}

/** Parses `down`, `partition`, `slow=250` or `heal`. */
export function parseFaultAction(text: string): FaultAction {
  if (text === 'down' || text === 'partition' || text === 'heal') return { kind: text };
  const m = /^slow=(\d+)(ms)?$/.exec(text);
  if (m) return { kind: 'slow', ms: Number(m[1]) };
  throw new FaultActionError(`unknown fault "${text}": use down, partition, slow=MS or heal`);
}

/** Formats a fault the way it is written on the command line ('' when healthy). */
export function formatFault(fault: ClusterFault | undefined): string {
  if (!fault) return '';
  return fault.kind === 'slow' ? `slow=${fault.ms}` : fault.kind;
}

/** Options of `FaultInjector`. */
export interface FaultInjectorOptions {
  clock: Clock;
  /** The cluster a request path addresses (undefined: not a cluster path, never faulted). */
  clusterOf(path: string): string | undefined;
}

/** Per-cluster faults; the fleet's HTTP `RequestGate`. */
export class FaultInjector implements RequestGate {
  readonly #o: FaultInjectorOptions;
  readonly #faults = new Map<string, ClusterFault>();
  readonly #listeners = new Set<(cluster: string, fault: ClusterFault | undefined) => void>();

  constructor(options: FaultInjectorOptions) {
    this.#o = options;
  }

  /** Applies `action` to `cluster`; listeners hear about it. */
  apply(cluster: string, action: FaultAction): void {
    if (action.kind === 'heal') this.#faults.delete(cluster);
    else this.#faults.set(cluster, action);
    const fault = this.#faults.get(cluster);
    for (const listener of [...this.#listeners]) listener(cluster, fault);
  }

  /** The fault in effect on `cluster`, if any. */
  get(cluster: string): ClusterFault | undefined {
    return this.#faults.get(cluster);
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (cluster: string, fault: ClusterFault | undefined) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  admit(path: string, signal: AbortSignal): Promise<GateVerdict> {
    const cluster = this.#o.clusterOf(path);
    return cluster === undefined ? Promise.resolve('serve') : this.admitTo(cluster, signal);
  }

  /** The gate of a request to `cluster`, wherever it arrived (the fleet's port or the cluster's own). */
  admitTo(cluster: string, signal: AbortSignal): Promise<GateVerdict> {
    return this.#admit(cluster, { signal, delayed: false });
  }

  /** After a delay, a slow cluster serves; a fault that changed meanwhile applies afresh. */
  async #admit(cluster: string, at: { signal: AbortSignal; delayed: boolean }): Promise<GateVerdict> {
    const fault = this.#faults.get(cluster);
    if (!fault) return 'serve';
    switch (fault.kind) {
      case 'down':
        return 'drop';
      case 'slow':
        if (at.delayed) return 'serve';
        try {
          await this.#o.clock.sleep(fault.ms, at.signal);
        } catch {
          return 'drop';
        }
        return this.#admit(cluster, { signal: at.signal, delayed: true });
      case 'partition':
        return (await this.#untilHealed(cluster, at.signal)) ? this.#admit(cluster, at) : 'drop';
    }
  }

  /** Resolves true when the partition of `cluster` ends, false when `signal` aborts first. */
  #untilHealed(cluster: string, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve(false);
        return;
      }
      const done = (healed: boolean): void => {
        off();
        signal.removeEventListener('abort', onAbort);
        resolve(healed);
      };
      const onAbort = (): void => done(false);
      const off = this.onChange((c, fault) => {
        if (c === cluster && fault?.kind !== 'partition') done(true);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
