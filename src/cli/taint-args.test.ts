import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint } from '../api/taints.js';
import { TaintSpecError, applyTaintChanges, parseTaintArgs } from './taint-args.js';
import type { TaintChanges } from './taint-args.js';

describe('parseTaintArgs', () => {
  it('parses additions and removals as kubectl taint does', () => {
    const cases: [string[], TaintChanges][] = [
      [
        ['dedicated=gpu:NoSchedule'],
        { add: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], remove: [] },
      ],
      [
        ['example.com/k:PreferNoSchedule'],
        { add: [{ key: 'example.com/k', effect: 'PreferNoSchedule' }], remove: [] },
      ],
      [['k=:NoExecute'], { add: [{ key: 'k', effect: 'NoExecute' }], remove: [] }],
      [['k-'], { add: [], remove: [{ key: 'k' }] }],
      [
        ['k:NoSchedule-', 'j=1:NoSchedule'],
        {
          add: [{ key: 'j', value: '1', effect: 'NoSchedule' }],
          remove: [{ key: 'k', effect: 'NoSchedule' }],
        },
      ],
    ];
    for (const [args, want] of cases) assert.deepEqual(parseTaintArgs(args), want, args.join(' '));
  });

  it('refuses bad taints with the reason', () => {
    const cases: [string[], RegExp][] = [
      [['k=v'], /must be KEY\[=VALUE\]:EFFECT/],
      [['k=v:Sometimes'], /effect must be one of NoSchedule, PreferNoSchedule, NoExecute/],
      [['k:Sometimes-'], /effect must be one of/],
      [['bad key:NoSchedule'], /key "bad key"/],
      [['=v:NoSchedule'], /key ""/],
      [['k=bad value:NoSchedule'], /value "bad value"/],
      [['k=1:NoSchedule', 'k=2:NoSchedule'], /given twice/],
      [['k=1:NoSchedule', 'k-'], /both added and removed/],
    ];
    for (const [args, reason] of cases)
      assert.throws(
        () => parseTaintArgs(args),
        (err: unknown) => err instanceof TaintSpecError && reason.test(err.message),
      );
  });
});

describe('applyTaintChanges', () => {
  const health: Taint = {
    key: 'cluster.flotilla.io/not-ready',
    effect: 'NoSchedule',
    timeAdded: '2026-01-01T00:00:00Z',
  };
  const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const cases: [string, Taint[], string[], { taints: Taint[]; missing: string[] }][] = [
    [
      'appends a new taint, keeping the others',
      [health],
      ['dedicated=gpu:NoSchedule'],
      { taints: [health, gpu], missing: [] },
    ],
    [
      'replaces the taint of the same key and effect in place',
      [gpu, health],
      ['dedicated=cpu:NoSchedule'],
      { taints: [{ ...gpu, value: 'cpu' }, health], missing: [] },
    ],
    [
      'keeps a taint of the same key with another effect',
      [gpu],
      ['dedicated=gpu:NoExecute'],
      { taints: [gpu, { ...gpu, effect: 'NoExecute' }], missing: [] },
    ],
    [
      'removes every effect of a key',
      [gpu, { ...gpu, effect: 'NoExecute' }, health],
      ['dedicated-'],
      { taints: [health], missing: [] },
    ],
    [
      'removes one effect',
      [gpu, { ...gpu, effect: 'NoExecute' }],
      ['dedicated:NoExecute-'],
      { taints: [gpu], missing: [] },
    ],
    [
      'reports removals that match nothing',
      [health],
      ['dedicated-', 'x:NoSchedule-'],
      { taints: [health], missing: ['dedicated', 'x:NoSchedule'] },
    ],
  ];
  for (const [what, taints, args, want] of cases)
    it(what, () => assert.deepEqual(applyTaintChanges(taints, parseTaintArgs(args)), want));

  it('does not change the taints it was given', () => {
    const taints = [gpu];
    applyTaintChanges(taints, parseTaintArgs(['dedicated=cpu:NoSchedule']));
    assert.deepEqual(taints, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  });
});
