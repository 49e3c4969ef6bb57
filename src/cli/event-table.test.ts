import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreEvent } from './event-table.js';
import { eventSection } from './event-table.js';
import { AT_NOW, ago } from './testing/fixtures.js';

function event(reason: string, o: Partial<CoreEvent>): CoreEvent {
  return { apiVersion: 'v1', kind: 'Event', metadata: { name: reason }, reason, type: 'Normal', ...o };
}

describe('eventSection', () => {
  it('prints events oldest first, with repeats counted as kubectl describe does', () => {
    const events = [
      event('Later', {
        message: 'second ',
        lastTimestamp: ago(10),
        source: { component: 'flotilla-scheduler' },
      }),
      event('Repeated', {
        type: 'Warning',
        message: 'first',
        count: 4,
        firstTimestamp: ago(600),
        lastTimestamp: ago(180),
        reportingComponent: 'flotilla-binding',
      }),
    ];
    assert.equal(
      eventSection(events, AT_NOW),
      [
        'Events:',
        '  Type      Reason     Age                From                 Message',
        '  ----      ------     ---                ----                 -------',
        '  Warning   Repeated   3m (x4 over 10m)   flotilla-binding     first',
        '  Normal    Later      10s                flotilla-scheduler   second',
        '',
      ].join('\n'),
    );
  });

  it('says <none> without events', () => {
    assert.equal(eventSection([], AT_NOW), 'Events:  <none>\n');
  });
});
