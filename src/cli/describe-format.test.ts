import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conditionTable, fieldLines, heading, mapLines, subTable, timeAndAge } from './describe-format.js';
import { AT_NOW, NOW, ago } from './testing/fixtures.js';

describe('describe layout', () => {
  it('aligns values and continues multi-line values under the first', () => {
    assert.equal(
      fieldLines([
        ['Name', 'web'],
        ['Labels', ['a=1', 'b=2']],
        ['Annotations', []],
      ]),
      ['Name:         web', 'Labels:       a=1', '              b=2', 'Annotations:  <none>', ''].join('\n'),
    );
    assert.equal(fieldLines([['Spread', 'by zone']], 2), '  Spread:  by zone\n');
    assert.equal(heading('Placement'), 'Placement:\n');
  });

  it('prints sub-tables with a dashed rule, or <none>', () => {
    const cases: [string, string][] = [
      [
        subTable('Decision', { header: ['Cluster', 'Replicas'], rows: [['a', '4']] }),
        'Decision:\n  Cluster   Replicas\n  -------   --------\n  a         4\n',
      ],
      [subTable('Events', { header: ['Type'], rows: [] }), 'Events:  <none>\n'],
      [
        conditionTable(
          [{ type: 'Ready', status: 'True', reason: 'Up', lastTransitionTime: ago(60) }],
          AT_NOW,
        ),
        'Conditions:\n  Type    Status   Reason   Age   Message\n  ----    ------   ------   ---   -------\n  Ready   True     Up       60s\n',
      ],
    ];
    for (const [got, want] of cases) assert.equal(got, want);
  });

  it('sorts label lines and shows times with their age', () => {
    assert.deepEqual(mapLines({ b: '2', a: '1' }), ['a=1', 'b=2']);
    assert.deepEqual(mapLines(undefined), []);
    assert.equal(timeAndAge(ago(7200), NOW), `${ago(7200)} (120m ago)`);
    assert.equal(timeAndAge(undefined, NOW), '<none>');
  });
});
