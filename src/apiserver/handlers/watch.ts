/**
 * WATCH (kube-api.md §7): synthetic ADDED events when starting without a resourceVersion (or at
 * "0"), exact replay after a given one, selector transitions (ADDED/DELETED when an object starts
 * or stops matching), DELETED carrying the deletion revision, 410 as an ERROR event followed by
 * the end of the stream, bookmarks, `timeoutSeconds`, and `sendInitialEvents`.
 */
import type { Clock } from '../../base/clock.js';
import { Channel } from '../../base/channel.js';
import type { KubeObject, WatchEventType } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { apiVersionOf } from '../../api/resource-info.js';
import { invalid } from '../../api/status.js';
import type { Status } from '../../api/status.js';
import { CompactedError } from '../../storage/store.js';
import type { StoreEvent } from '../../storage/store.js';
import type { ServerContext } from '../context.js';
import { collectionPrefix, decodeKv, decodeObject, stampedText } from '../codec.js';
import { parseSelection, selects, selectsEverything } from '../selection.js';
import type { Selection } from '../selection.js';
import { parseRevision } from './read.js';

/** Turns one event into one line of the stream (JSON, or a Table row when asked for). */
export type EventEncoder = (type: WatchEventType, object: KubeObject | Status) => string;

/** The plain JSON line of an event, given the JSON of its object: `JSON.stringify({ type, object })`. */
export function jsonEventLine(type: WatchEventType, objectJson: string): string {
  return `{"type":${JSON.stringify(type)},"object":${objectJson}}\n`;
}

const BOOKMARK_INTERVAL_MS = 60_000;

export interface WatchRequest {
  namespace: string | undefined;
  query: URLSearchParams;
  signal: AbortSignal;
  encode: EventEncoder;
  /**
   * True when `encode` gives every watcher the plain JSON line of `jsonEventLine`, so lines can be
   * shared, and built from the stored text without decoding it.
   */
  shared: boolean;
}

/** Validates the request and returns the stream of encoded event lines. */
export function watchObjects(
  ctx: ServerContext,
  info: ResourceInfo,
  req: WatchRequest,
): AsyncIterable<string> {
  const selection = parseSelection(info, req.query);
  const rvText = req.query.get('resourceVersion');
  const rv = parseRevision(rvText);
  const initialEvents = req.query.get('sendInitialEvents') === 'true';
  if (initialEvents && req.query.get('resourceVersionMatch') !== 'NotOlderThan') {
    throw invalid('', 'ListOptions', '', [
      {
        field: 'resourceVersionMatch',
        type: 'FieldValueForbidden',
        detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      },
    ]);
  }
  const timeoutText = req.query.get('timeoutSeconds');
  const timeoutS =
    timeoutText !== null && timeoutText !== ''
      ? Number(timeoutText)
      : ctx.minRequestTimeoutSeconds * (1 + Math.random());
  const out = new Channel<string>();
  const done = new AbortController();
  const signal = AbortSignal.any([req.signal, done.signal]);
  const state: WatchState = {
    ctx,
    info,
    selection,
    encode: req.encode,
    shared: req.shared,
    everything: selectsEverything(selection),
    out,
    lastRevision: rv ?? 0,
    bookmarks: req.query.get('allowWatchBookmarks') === 'true',
  };
  const synthetic = rv === undefined || rv === 0 || initialEvents;
  void run(state, { namespace: req.namespace, start: synthetic ? undefined : rv, initialEvents, signal })
    .catch((err: unknown) => out.fail(err))
    .finally(() => {
      done.abort();
      out.close();
    });
  void expireAfter(ctx.clock, timeoutS * 1000, signal).then((expiredNaturally) => {
    if (expiredNaturally && state.bookmarks) emitBookmark(state);
    done.abort();
    out.close();
  });
  return out;
}

interface WatchState {
  ctx: ServerContext;
  info: ResourceInfo;
  selection: Selection;
  encode: EventEncoder;
  shared: boolean;
  everything: boolean;
  out: Channel<string>;
  lastRevision: number;
  bookmarks: boolean;
}

async function run(
  s: WatchState,
  o: {
    namespace: string | undefined;
    start: number | undefined;
    initialEvents: boolean;
    signal: AbortSignal;
  },
): Promise<void> {
  const prefix = collectionPrefix(s.info, o.namespace);
  let start = o.start;
  if (start === undefined) {
    const snapshot = await s.ctx.store.range(prefix);
    for (const kv of snapshot.kvs) {
      const text = s.everything && s.shared ? stampedText(s.info, kv.value, kv.modRevision) : undefined;
      if (text !== undefined) {
        s.out.push(jsonEventLine('ADDED', text));
        continue;
      }
      const obj = decodeKv(s.info, kv);
      if (selects(s.info, s.selection, obj)) s.out.push(s.encode('ADDED', obj));
    }
    start = snapshot.revision;
    s.lastRevision = start;
    if (o.initialEvents) emitBookmark(s, { 'k8s.io/initial-events-end': 'true' });
  }
  if (s.bookmarks) void bookmarkLoop(s, o.signal);
  try {
    for await (const ev of s.ctx.store.watch(prefix, { startRevision: start, signal: o.signal })) {
      const line = transform(s, ev);
      s.lastRevision = ev.kv.modRevision;
      if (line !== undefined) s.out.push(line);
    }
  } catch (err) {
    if (err instanceof CompactedError) {
      s.out.push(s.encode('ERROR', tooOld(start, err.compacted)));
      return;
    }
    throw err;
  }
}

/**
 * One storage event as seen at one resource version, decoded at most once and encoded at most once
 * per event type however many watchers receive it (the fan-out to many watchers shares it; the
 * decoded objects are never mutated after decoding).
 */
class EventView {
  #cur: KubeObject | undefined;
  #prev: KubeObject | undefined;
  readonly #lines = new Map<WatchEventType, string>();

  constructor(
    readonly info: ResourceInfo,
    readonly ev: StoreEvent,
  ) {}

  /** The object after a put, or the last state for a delete (with the event's revision). */
  cur(): KubeObject {
    this.#cur ??= decodeObject(this.info, this.ev.kv.value, this.ev.kv.modRevision);
    return this.#cur;
  }

  /** The object before the change, stamped with the event's revision. */
  prev(): KubeObject | undefined {
    if (!this.ev.prevKv) return undefined;
    this.#prev ??= decodeObject(this.info, this.ev.prevKv.value, this.ev.kv.modRevision);
    return this.#prev;
  }

  /** `cur()` or `prev()` (only asked for when the event has a previous value). */
  object(which: 'cur' | 'prev'): KubeObject {
    return which === 'cur' ? this.cur() : (this.prev() as KubeObject);
  }

  /**
   * The shared plain JSON line of (type, object); `object` is `cur()` or `prev()`, the same one for
   * a given type of the same event. The current object's line comes from the stored text when that
   * needs no decoding (codec.ts: stampedText).
   */
  line(type: WatchEventType, object: 'cur' | 'prev'): string {
    let line = this.#lines.get(type);
    if (line === undefined) {
      const stored =
        object === 'cur' && this.#cur === undefined
          ? stampedText(this.info, this.ev.kv.value, this.ev.kv.modRevision)
          : undefined;
      line = jsonEventLine(type, stored ?? JSON.stringify(this.object(object)));
      this.#lines.set(type, line);
    }
    return line;
  }
}

/**
 * Views of the most recent events only. The watchers that share a view are the live ones, which
 * see an event within moments of each other; a watcher catching up on older history decodes again.
 * (Keyed weakly by the event, views lived as long as the store kept the event in its history: in a
 * simulated cluster's memory store that was minutes of decoded objects and encoded lines, most of
 * the fleet's heap during a burst.)
 */
const views = new Map<StoreEvent, Map<ResourceInfo, EventView>>();
const RECENT_VIEWS = 2048;

function viewOf(info: ResourceInfo, ev: StoreEvent): EventView {
  let byInfo = views.get(ev);
  if (!byInfo) {
    byInfo = new Map();
    views.set(ev, byInfo);
    if (views.size > RECENT_VIEWS) views.delete(views.keys().next().value as StoreEvent);
  }
  let view = byInfo.get(info);
  if (!view) {
    view = new EventView(info, ev);
    byInfo.set(info, view);
  }
  return view;
}

/** Maps a storage event to a watch event line for this selection (or nothing). */
function transform(s: WatchState, ev: StoreEvent): string | undefined {
  const view = viewOf(s.info, ev);
  const emit = (type: WatchEventType, object: 'cur' | 'prev'): string =>
    s.shared ? view.line(type, object) : s.encode(type, view.object(object));
  if (s.everything) return emit(ev.type === 'delete' ? 'DELETED' : ev.prevKv ? 'MODIFIED' : 'ADDED', 'cur');
  const prev = view.prev();
  const prevMatch = prev !== undefined && selects(s.info, s.selection, prev);
  if (ev.type === 'delete') {
    return prevMatch || (prev === undefined && selects(s.info, s.selection, view.cur()))
      ? emit('DELETED', 'cur')
      : undefined;
  }
  const curMatch = selects(s.info, s.selection, view.cur());
  if (curMatch && prevMatch) return emit('MODIFIED', 'cur');
  if (curMatch) return emit('ADDED', 'cur');
  if (prevMatch) return emit('DELETED', 'prev');
  return undefined;
}

function emitBookmark(s: WatchState, annotations?: Record<string, string>): void {
  const object: KubeObject = {
    apiVersion: apiVersionOf(s.info),
    kind: s.info.kind,
    metadata: { resourceVersion: String(s.lastRevision), ...(annotations ? { annotations } : {}) },
  };
  s.out.push(s.encode('BOOKMARK', object));
}

async function bookmarkLoop(s: WatchState, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      await s.ctx.clock.sleep(BOOKMARK_INTERVAL_MS, signal);
    } catch {
      return;
    }
    emitBookmark(s);
  }
}

/** Resolves true when the timeout elapsed, false when the signal ended the watch first. */
async function expireAfter(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}

function tooOld(requested: number, compacted: number): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `too old resource version: ${requested} (${compacted + 1})`,
    reason: 'Expired',
    code: 410,
  };
}
