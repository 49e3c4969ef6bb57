import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeZoneState, TokenBucket, ZoneTainter, zoneKey } from './zone-tainter.js';

const options = {
  evictionQps: 0.1,
  secondaryEvictionQps: 0.01,
  largeClusterThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};
const zone = zoneKey({ 'topology.kubernetes.io/region': 'eu', 'topology.kubernetes.io/zone': 'eu-a' });

describe('zone tainting', () => {
  it('computes zone states as ComputeZoneState does', () => {
    const t = 'True';
    const f = 'Unknown';
    assert.equal(computeZoneState([t, t, f], 0.55), 'Normal');
    assert.equal(computeZoneState([f, f, t], 0.55), 'Normal', 'two not-ready nodes never disrupt a zone');
    assert.equal(computeZoneState([f, f, f, t], 0.55), 'PartialDisruption');
    assert.equal(computeZoneState([f, undefined], 0.55), 'FullDisruption');
    assert.equal(computeZoneState([], 0.55), 'Normal');
    assert.equal(zoneKey({}), '');
    assert.equal(zone, 'eu:\u0000:eu-a');
  });

  it('admits one node per 10 s at 0.1 qps, starting with a full bucket', () => {
    const bucket = new TokenBucket(0.1, 0);
    assert.equal(bucket.tryAccept(0), true);
    assert.equal(bucket.tryAccept(9_999), false);
    assert.equal(bucket.tryAccept(10_000), true);
    assert.equal(new TokenBucket(0, 0).tryAccept(1e9), false);
  });

  it('grants queued nodes at the zone rate', () => {
    const tainter = new ZoneTainter(options);
    tainter.update(new Map([[zone, ['True', 'True', 'Unknown', 'Unknown']]]), 0);
    tainter.add(zone, 'a');
    tainter.add(zone, 'b');
    assert.deepEqual(tainter.take(0), ['a']);
    assert.deepEqual(tainter.take(5_000), []);
    assert.deepEqual(tainter.take(10_000), ['b']);
    assert.equal(tainter.pending, false);
  });

  it('stops tainting in small partially disrupted zones', () => {
    const tainter = new ZoneTainter(options);
    tainter.update(new Map([[zone, ['True', 'Unknown', 'Unknown', 'Unknown']]]), 0);
    assert.equal(tainter.state(zone), 'PartialDisruption');
    tainter.add(zone, 'a');
    assert.deepEqual(tainter.take(60_000), []);
  });

  it('enters master disruption when every zone is fully disrupted and leaves it when a node is back', () => {
    const tainter = new ZoneTainter(options);
    const other = zoneKey({ 'topology.kubernetes.io/zone': 'b' });
    assert.equal(
      tainter.update(
        new Map([
          [zone, ['True']],
          [other, ['True']],
        ]),
        0,
      ),
      undefined,
    );
    assert.equal(
      tainter.update(
        new Map([
          [zone, ['Unknown']],
          [other, ['True']],
        ]),
        1,
      ),
      undefined,
    );
    assert.equal(tainter.masterDisruption, false, 'one zone down is not master disruption');
    assert.equal(
      tainter.update(
        new Map([
          [zone, ['Unknown']],
          [other, ['False']],
        ]),
        2,
      ),
      'entered',
    );
    assert.equal(tainter.masterDisruption, true);
    tainter.add(zone, 'a');
    assert.deepEqual(tainter.take(100_000), []);
    assert.equal(
      tainter.update(
        new Map([
          [zone, ['Unknown']],
          [other, ['True']],
        ]),
        3,
      ),
      'left',
    );
    assert.equal(tainter.masterDisruption, false);
  });
});
