/** Helpers shared by the store conformance suites and store-specific tests. */
import assert from 'node:assert/strict';
import type { KeyValue, Store, StoreEvent } from '../store.js';

/** Opens a fresh, empty store for one test. */
export type StoreFactory = () => Promise<Store>;

/** Runs `fn` against a fresh store and closes it afterwards. */
export async function withStore(factory: StoreFactory, fn: (store: Store) => Promise<void>): Promise<void> {
  const store = await factory();
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

/** Creates `key` and returns the new value, failing the test if the create did not succeed. */
export async function mustCreate(store: Store, key: string, value: string): Promise<KeyValue> {
  const r = await store.create(key, value);
  assert.ok(r.succeeded && r.kv, `create ${key} should succeed`);
  return r.kv;
}

/** Reads the next `n` events from `iter`, failing after `timeoutMs` without them. */
export async function takeEvents(
  iter: AsyncIterator<StoreEvent>,
  n: number,
  timeoutMs = 5000,
): Promise<StoreEvent[]> {
  const out: StoreEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${out.length}/${n} events`));
    }, timeoutMs);
  });
  try {
    while (out.length < n) {
      const r = await Promise.race([iter.next(), deadline]);
      if (r.done === true) throw new Error(`watch ended after ${out.length}/${n} events`);
      out.push(r.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}

/** Builds a `KeyValue` literal from `[createRevision, modRevision]`. */
export function kv(
  key: string,
  value: string,
  [createRevision, modRevision]: readonly [number, number],
): KeyValue {
  return { key, value, createRevision, modRevision };
}
