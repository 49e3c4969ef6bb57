import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/base/fake-clock.js';
import { noopLogger } from '../../src/base/logger.js';
import type { KubeObject } from '../../src/api/meta.js';
import { ApiServer } from '../../src/apiserver/api-server.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { ApiClient } from '../../src/client/api-client.js';
import { EventRecorder } from '../../src/client/event-recorder.js';
import type { EventRecorderOptions } from '../../src/client/event-recorder.js';
import { localTransport } from '../../src/client/local-transport.js';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'default', uid: 'u-1', resourceVersion: '7' },
};

async function setup(
  enabled = true,
  more: Partial<EventRecorderOptions> = {},
): Promise<{ client: ApiClient; clock: FakeClock; recorder: EventRecorder }> {
  const clock = new FakeClock();
  const server = new ApiServer({ store: new MemoryStore(), clock, log: noopLogger });
  await server.start();
  const client = new ApiClient(localTransport(server));
  const recorder = new EventRecorder({
    client,
    clock,
    log: noopLogger,
    component: 'kubelet',
    host: 'node-1',
    enabled,
    ...more,
  });
  return { client, clock, recorder };
}

/** A `beforeWrite` that holds every write until `open`, counting the writes that asked. */
class Gate {
  asked = 0;
  open: () => void = () => undefined;
  readonly #opened = new Promise<void>((resolve) => (this.open = resolve));
  readonly wait = (): Promise<void> => {
    this.asked++;
    return this.#opened;
  };
}

describe('EventRecorder', () => {
  it('writes a core/v1 Event about the object and counts repeats on it', async () => {
    const { client, clock, recorder } = await setup();
    recorder.record(pod, {
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
    });
    await recorder.flush();
    await clock.advance(5000);
    recorder.record(pod, {
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
    });
    recorder.record(pod, { type: 'Normal', reason: 'Pulled', message: 'Successfully pulled image' });
    await recorder.flush();
    const events = (await client.list({ apiVersion: 'v1', plural: 'events', namespace: 'default' })).items;
    assert.equal(events.length, 2);
    const backOff = events.find((e) => e['reason'] === 'BackOff');
    assert.ok(backOff);
    assert.equal(backOff['count'], 2);
    assert.deepEqual(backOff['involvedObject'], {
      kind: 'Pod',
      name: 'web-1',
      apiVersion: 'v1',
      namespace: 'default',
      uid: 'u-1',
      resourceVersion: '7',
    });
    assert.deepEqual(backOff['source'], { component: 'kubelet', host: 'node-1' });
    assert.equal(backOff['firstTimestamp'], '2026-01-01T00:00:00Z');
    assert.equal(backOff['lastTimestamp'], '2026-01-01T00:00:05Z');
    assert.match(backOff.metadata.name ?? '', /^web-1\.[0-9a-f]{16}$/);
  });

  it('names each Event uniquely, after the object and the time, as client-go does', async () => {
    const { client, recorder } = await setup();
    for (let i = 0; i < 50; i++) recorder.record(pod, { type: 'Normal', reason: `R${i}`, message: 'm' });
    await recorder.flush();
    const names = (await client.list({ apiVersion: 'v1', plural: 'events', namespace: 'default' })).items.map(
      (e) => e.metadata.name ?? '',
    );
    assert.equal(new Set(names).size, 50);
    const ms = Date.UTC(2026, 0, 1).toString(16);
    for (const name of names) assert.match(name, new RegExp(`^web-1\\.${ms}[0-9a-f]{5}$`));
  });

  it('records nothing when disabled', async () => {
    const { client, recorder } = await setup(false);
    recorder.record(pod, { type: 'Normal', reason: 'Started', message: 'Started container app' });
    await recorder.flush();
    assert.equal((await client.list({ apiVersion: 'v1', plural: 'events' })).items.length, 0);
  });

  it('writes at most maxWrites events at once, each after beforeWrite lets it', async () => {
    const gate = new Gate();
    const { client, recorder } = await setup(true, { maxWrites: 2, beforeWrite: gate.wait });
    for (let i = 0; i < 5; i++) recorder.record(pod, { type: 'Normal', reason: `R${i}`, message: 'm' });
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    assert.equal(gate.asked, 2, 'two writes took their turn; three wait');
    assert.equal((await client.list({ apiVersion: 'v1', plural: 'events' })).items.length, 0);
    gate.open();
    await recorder.flush();
    assert.equal(gate.asked, 5);
    assert.equal((await client.list({ apiVersion: 'v1', plural: 'events' })).items.length, 5);
  });

  it('drops events beyond maxWaiting instead of queueing without bound', async () => {
    let counted = 0;
    const { client, recorder } = await setup(true, {
      maxWrites: 1,
      maxWaiting: 2,
      onDropped: () => counted++,
    });
    for (let i = 0; i < 6; i++) recorder.record(pod, { type: 'Normal', reason: `R${i}`, message: 'm' });
    assert.equal(recorder.dropped, 3);
    assert.equal(counted, 3);
    await recorder.flush();
    const reasons = (await client.list({ apiVersion: 'v1', plural: 'events' })).items.map((e) => e['reason']);
    assert.deepEqual(reasons.sort(), ['R0', 'R1', 'R2']);
  });

  it('holds back at most maxDeferred events: a larger backlog is written without beforeWrite', async () => {
    const gate = new Gate();
    const { client, recorder } = await setup(true, { maxWrites: 1, maxDeferred: 2, beforeWrite: gate.wait });
    for (let i = 0; i < 4; i++) recorder.record(pod, { type: 'Normal', reason: `R${i}`, message: 'm' });
    const written = async (): Promise<number> =>
      (await client.list({ apiVersion: 'v1', plural: 'events' })).items.length;
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    assert.equal(await written(), 2, 'four waiting: two written at once, down to two held back');
    assert.equal(gate.asked, 1);
    gate.open();
    await recorder.flush();
    assert.equal(await written(), 4);
  });
});
