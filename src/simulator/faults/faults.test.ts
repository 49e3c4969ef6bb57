import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/fake-clock.js';
import { FaultActionError, FaultInjector, formatFault, parseFaultAction } from './faults.js';

const clusterOf = (path: string): string | undefined => /^\/clusters\/([^/]+)/.exec(path)?.[1];

describe('parseFaultAction', () => {
  it('reads the four actions and rejects anything else', () => {
    assert.deepEqual(parseFaultAction('down'), { kind: 'down' });
    assert.deepEqual(parseFaultAction('partition'), { kind: 'partition' });
    assert.deepEqual(parseFaultAction('slow=250'), { kind: 'slow', ms: 250 });
    assert.deepEqual(parseFaultAction('heal'), { kind: 'heal' });
    for (const bad of ['', 'up', 'slow', 'slow=-1', 'slow=fast'])
      assert.throws(() => parseFaultAction(bad), FaultActionError);
    assert.equal(formatFault({ kind: 'slow', ms: 5 }), 'slow=5');
    assert.equal(formatFault(undefined), '');
  });
});

describe('FaultInjector', () => {
  const open = new AbortController().signal;

  it('drops requests to a down cluster only, until healed', async () => {
    const faults = new FaultInjector({ clock: new FakeClock(), clusterOf });
    faults.apply('a', { kind: 'down' });
    assert.equal(await faults.admit('/clusters/a/api', open), 'drop');
    assert.equal(await faults.admit('/clusters/b/api', open), 'serve');
    assert.equal(await faults.admit('/fleet/v1/clusters', open), 'serve');
    faults.apply('a', { kind: 'heal' });
    assert.equal(await faults.admit('/clusters/a/api', open), 'serve');
  });

  it('delays requests to a slow cluster by clock time', async () => {
    const clock = new FakeClock();
    const faults = new FaultInjector({ clock, clusterOf });
    faults.apply('a', { kind: 'slow', ms: 500 });
    let verdict: string | undefined;
    const pending = faults.admit('/clusters/a/api', open).then((v) => (verdict = v));
    await clock.advance(499);
    assert.equal(verdict, undefined);
    await clock.advance(1);
    await pending;
    assert.equal(verdict, 'serve');
  });

  it('holds requests to a partitioned cluster until the client gives up or the partition heals', async () => {
    const faults = new FaultInjector({ clock: new FakeClock(), clusterOf });
    faults.apply('a', { kind: 'partition' });
    const client = new AbortController();
    const givenUp = faults.admit('/clusters/a/api', client.signal);
    const healed = faults.admit('/clusters/a/apis', open);
    client.abort();
    assert.equal(await givenUp, 'drop');
    const changes: string[] = [];
    faults.onChange((c, f) => changes.push(`${c}:${f?.kind ?? 'healthy'}`));
    faults.apply('a', { kind: 'heal' });
    assert.equal(await healed, 'serve');
    assert.deepEqual(changes, ['a:healthy']);
  });
});
