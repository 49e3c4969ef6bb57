import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldIssue, isStatusError } from '../status.js';
import { labelSelectorFromObject, validateLabelSelectorObject } from './selector-object.js';
import type { LabelSelectorObject } from './selector-object.js';
import { formatLabelSelector, isLabelSelectorEmpty, matchesLabels } from './selector.js';

describe('labelSelectorFromObject', () => {
  it('null and undefined select nothing; empty selects everything', () => {
    for (const sel of [null, undefined]) {
      const got = labelSelectorFromObject(sel);
      assert.equal(got.type, 'nothing');
      assert.equal(matchesLabels(got, {}), false);
    }
    for (const sel of [
      {},
      { matchLabels: {} },
      { matchExpressions: [] },
      { matchLabels: {}, matchExpressions: [] },
    ]) {
      const got = labelSelectorFromObject(sel);
      assert.ok(isLabelSelectorEmpty(got));
      assert.equal(matchesLabels(got, { any: 'thing' }), true);
    }
  });

  const cases: [name: string, sel: LabelSelectorObject, printed: string][] = [
    ['matchLabels sorted by key', { matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    ['empty label value', { matchLabels: { a: '' } }, 'a='],
    [
      'all four operators',
      {
        matchExpressions: [
          { key: 'w', operator: 'DoesNotExist' },
          { key: 'z', operator: 'In', values: ['b', 'a'] },
          { key: 'x', operator: 'NotIn', values: ['c'] },
          { key: 'y', operator: 'Exists', values: [] },
        ],
      },
      '!w,x notin (c),y,z in (a,b)',
    ],
    [
      'labels and expressions ANDed',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] },
      'app=web,tier in (fe)',
    ],
  ];
  for (const [name, sel, printed] of cases) {
    it(name, () => {
      assert.equal(formatLabelSelector(labelSelectorFromObject(sel)), printed);
    });
  }

  it('matches like the equivalent string selector', () => {
    const sel = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }],
    });
    assert.equal(matchesLabels(sel, { app: 'web' }), true);
    assert.equal(matchesLabels(sel, { app: 'web', env: 'dev' }), false);
    assert.equal(matchesLabels(sel, { app: 'db' }), false);
  });

  const failures: [name: string, sel: LabelSelectorObject, message: string][] = [
    [
      'unknown operator',
      { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
      '"Gt" is not a valid label selector operator',
    ],
    [
      'In without values',
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
    ],
    ['bad key', { matchLabels: { '-a': 'b' } }, 'key: Invalid value: "-a": name part must consist of'],
  ];
  for (const [name, sel, message] of failures) {
    it(`rejects ${name} with 400`, () => {
      assert.throws(
        () => labelSelectorFromObject(sel),
        (err: unknown) => isStatusError(err) && err.code === 400 && err.message.startsWith(message),
      );
    });
  }
});

describe('validateLabelSelectorObject', () => {
  const cases: [name: string, sel: LabelSelectorObject | null, want: string[]][] = [
    ['null is valid', null, []],
    ['empty is valid', {}, []],
    [
      'good selector',
      {
        matchLabels: { 'app.kubernetes.io/name': 'web' },
        matchExpressions: [{ key: 'a', operator: 'Exists' }],
      },
      [],
    ],
    [
      'In without values',
      { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    ],
    [
      'DoesNotExist with values',
      { matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: ['x'] }] },
      [
        "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      ],
    ],
    [
      'bad operator, key and value',
      {
        matchExpressions: [
          { key: 'a', operator: 'Gt', values: ['1'] },
          { key: '_k', operator: 'NotIn', values: ['-v'] },
        ],
      },
      [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Gt": not a valid selector operator',
        'spec.selector.matchExpressions[1].key: Invalid value: "_k": name part must consist of alphanumeric characters',
        'spec.selector.matchExpressions[1].values[0]: Invalid value: "-v": a valid label must be an empty string',
      ],
    ],
    [
      'bad matchLabels',
      { matchLabels: { ok: 'bad value' } },
      ['spec.selector.matchLabels: Invalid value: "bad value": a valid label must be an empty string'],
    ],
  ];
  for (const [name, sel, want] of cases) {
    it(name, () => {
      const got = validateLabelSelectorObject(sel, 'spec.selector').map(formatFieldIssue);
      assert.equal(got.length, want.length, got.join('\n'));
      want.forEach((w, i) => {
        assert.ok(got[i]?.startsWith(w), `issue ${i}: ${got[i]}`);
      });
    });
  }
});
