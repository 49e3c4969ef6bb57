/**
 * Records core/v1 Events about objects, as client-go's `tools/record` does: one Event per
 * (object, type, reason, message), whose `count` and `lastTimestamp` grow when it repeats.
 *
 * Recording never blocks or fails the caller: writes happen in the background, one at a time per
 * event and a few at a time in all, and failures are logged. `flush()` resolves once every
 * recorded event is written (tests).
 */
import { randomInt } from 'node:crypto';
import type { Clock } from '../base/clock.js';
import { rfc3339Seconds } from '../base/clock.js';
import { errorMessage } from '../base/errors.js';
import type { Logger } from '../base/logger.js';
import type { KubeObject } from '../api/meta.js';
import { isNotFound } from '../api/status.js';
import type { ApiClient } from './api-client.js';

/** Options of `EventRecorder`. */
export interface EventRecorderOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  /** `source.component` and `reportingComponent`, e.g. `default-scheduler`. */
  component: string;
  /** `source.host`, e.g. the node a kubelet runs on. */
  host?: string;
  /** Distinct events remembered for aggregation (default 4096). */
  cacheSize?: number;
  /** False drops every event (benchmarks of large simulated fleets); default true. */
  enabled?: boolean;
  /** Writes in flight at once (default 8); the others wait their turn, oldest first. */
  maxWrites?: number;
  /**
   * Writes that may wait for a turn (default 1000, as client-go's broadcaster queues); an event
   * recorded beyond that is dropped and counted in `dropped`, so a flood cannot grow memory.
   */
  maxWaiting?: number;
  /** Called for every event dropped that way (metrics). */
  onDropped?: () => void;
  /** Awaited before each write, e.g. to let more urgent work of the process go first. */
  beforeWrite?: () => Promise<void>;
  /**
   * Events whose writes `beforeWrite` may hold back (default 100): beyond that backlog they are
   * written without it, so deferring neither holds much memory nor turns into dropping.
   */
  maxDeferred?: number;
}

/** One thing that happened to an object. */
export interface EventInfo {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** The part of the object it is about, e.g. `spec.containers{web}`. */
  fieldPath?: string;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  /** The write in flight for this event; the next one waits for it. */
  pending: Promise<void>;
}

const EVENTS = { apiVersion: 'v1', plural: 'events' } as const;

/** Below the millisecond in an Event name: 5 hex digits, from a point chosen at random per process. */
const SEQUENCE_SPAN = 0x100000;
let sequence = randomInt(SEQUENCE_SPAN);

/**
 * An Event name as client-go makes one, `<object>.<hex time>`: the clock's milliseconds, then a
 * per-process sequence, so names are unique in a process and, with the random start, practically
 * across hub replicas, without a random read per Event (which was 1.4% of the hub's CPU while it
 * scheduled 10,000 bindings).
 */
function eventName(object: string, nowMs: number): string {
  sequence = (sequence + 1) % SEQUENCE_SPAN;
  return `${object}.${Math.floor(nowMs).toString(16)}${sequence.toString(16).padStart(5, '0')}`;
}

/** Writes Events through `client`. */
export class EventRecorder {
  readonly #o: EventRecorderOptions;
  readonly #seen = new Map<string, Seen>();
  readonly #inFlight = new Set<Promise<void>>();
  /** Writes waiting for a turn, each woken with the turn handed to it. */
  readonly #waiting: (() => void)[] = [];
  #writing = 0;
  /** Events recorded and not yet written (or failed). */
  #backlog = 0;
  /** Events dropped because too many writes were waiting. */
  dropped = 0;

  constructor(options: EventRecorderOptions) {
    this.#o = options;
  }

  /** Records `event` about `obj` in the background. */
  record(obj: KubeObject, event: EventInfo): void {
    if (this.#o.enabled === false) return;
    if (this.#backlog >= (this.#o.maxWrites ?? 8) + (this.#o.maxWaiting ?? 1000)) {
      // The first drop is logged; `dropped` and `onDropped` count them all.
      this.#o.onDropped?.();
      if (this.dropped++ === 0)
        this.#o.log.warn({ reason: event.reason }, 'too many events waiting: dropping');
      return;
    }
    const meta = obj.metadata;
    const key = [
      meta.uid ?? `${meta.namespace ?? ''}/${meta.name ?? ''}`,
      event.type,
      event.reason,
      event.message,
    ].join('\u0000');
    const now = rfc3339Seconds(this.#o.clock.now());
    let seen = this.#seen.get(key);
    if (seen) {
      this.#seen.delete(key); // re-insert: the map's order is least recently used first
      seen.count++;
    } else {
      seen = {
        name: eventName(meta.name ?? 'unknown', this.#o.clock.now()),
        namespace: meta.namespace ?? 'default',
        count: 1,
        firstTimestamp: now,
        pending: Promise.resolve(),
      };
    }
    this.#seen.set(key, seen);
    this.#evict();
    const at = { entry: seen, count: seen.count, now };
    // The Event is built now: a write that waits its turn holds it, not the (larger) object.
    const body = this.#event(obj, event, at);
    this.#backlog++;
    const write = seen.pending.then(() => this.#write(body, at));
    seen.pending = write;
    this.#inFlight.add(write);
    void write.finally(() => this.#inFlight.delete(write));
  }

  /** Resolves once every event recorded so far has been written (or failed). */
  async flush(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  async #write(event: KubeObject, at: { entry: Seen; count: number; now: string }): Promise<void> {
    const { entry, count, now } = at;
    const ref = { ...EVENTS, namespace: entry.namespace };
    await this.#turn();
    try {
      if (this.#backlog <= (this.#o.maxDeferred ?? 100)) await this.#o.beforeWrite?.();
      if (count > 1) {
        try {
          const body = { count, lastTimestamp: now };
          await this.#o.client.patch(ref, entry.name, { body, options: { type: 'merge' } });
          return;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      await this.#o.client.create(ref, event);
    } catch (err) {
      const object = (event['involvedObject'] as { name?: string } | undefined)?.name;
      this.#o.log.warn({ reason: event['reason'], object, err: errorMessage(err) }, 'event not recorded');
    } finally {
      this.#backlog--;
      this.#endTurn();
    }
  }

  /** Resolves when this write may go: at once below `maxWrites`, else when one ends. */
  async #turn(): Promise<void> {
    if (this.#writing < (this.#o.maxWrites ?? 8)) {
      this.#writing++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Hands this write's turn to the oldest waiting one, or gives it back. */
  #endTurn(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#writing--;
  }

  #event(obj: KubeObject, event: EventInfo, at: { entry: Seen; count: number; now: string }): KubeObject {
    const meta = obj.metadata;
    const involved: Record<string, string> = {
      kind: obj.kind ?? '',
      name: meta.name ?? '',
      apiVersion: obj.apiVersion ?? '',
    };
    if (meta.namespace !== undefined) involved['namespace'] = meta.namespace;
    if (meta.uid !== undefined) involved['uid'] = meta.uid;
    if (meta.resourceVersion !== undefined) involved['resourceVersion'] = meta.resourceVersion;
    if (event.fieldPath !== undefined) involved['fieldPath'] = event.fieldPath;
    const source: Record<string, string> = { component: this.#o.component };
    if (this.#o.host !== undefined) source['host'] = this.#o.host;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: at.entry.name, namespace: at.entry.namespace },
      involvedObject: involved,
      reason: event.reason,
      message: event.message,
      type: event.type,
      source,
      count: at.count,
      firstTimestamp: at.entry.firstTimestamp,
      lastTimestamp: at.now,
      eventTime: null,
      reportingComponent: this.#o.component,
      reportingInstance: this.#o.host ?? '',
    };
  }

  #evict(): void {
    const max = this.#o.cacheSize ?? 4096;
    while (this.#seen.size > max) {
      const oldest = this.#seen.keys().next();
      if (oldest.done === true) return;
      this.#seen.delete(oldest.value);
    }
  }
}
