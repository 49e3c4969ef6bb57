import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../api/meta.js';
import { makeNode } from '../../testing/fixtures.js';
import { withDaemonTolerations } from './daemon-pods.js';
import { toleratesTaint } from '../../../api/taints.js';
import { nodeFit } from './node-fit.js';
import type { Node } from './node-fit.js';

const node = (n: ReturnType<typeof makeNode>): Node => n.obj();

describe('nodeFit', () => {
  it('matches tolerations against taints as v1 Toleration.ToleratesTaint', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
    const table: [JsonObject, boolean][] = [
      [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }, true],
      [{ key: 'k', value: 'v' }, true],
      [{ key: 'k', operator: 'Exists' }, true],
      [{ operator: 'Exists' }, true],
      [{ key: 'k', value: 'w' }, false],
      [{ key: 'k', operator: 'Exists', effect: 'NoExecute' }, false],
      [{ key: 'other', operator: 'Exists' }, false],
    ];
    for (const [toleration, want] of table)
      assert.equal(toleratesTaint(toleration, taint), want, JSON.stringify(toleration));
  });

  it('decides where a daemon pod runs and where it may keep running', () => {
    const spec = (extra: JsonObject = {}): JsonObject =>
      withDaemonTolerations({ containers: [{ name: 'c', image: 'i' }], ...extra });
    const table: [string, JsonObject, Node, { shouldRun: boolean; shouldContinueRunning: boolean }][] = [
      ['plain node', spec(), node(makeNode('n')), { shouldRun: true, shouldContinueRunning: true }],
      [
        'nodeSelector mismatch',
        spec({ nodeSelector: { disk: 'ssd' } }),
        node(makeNode('n')),
        { shouldRun: false, shouldContinueRunning: false },
      ],
      [
        'required affinity In',
        spec({
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] },
                ],
              },
            },
          },
        }),
        node(makeNode('n').labels({ zone: 'b' })),
        { shouldRun: true, shouldContinueRunning: true },
      ],
      [
        'untolerated NoSchedule: keep running, do not start',
        spec(),
        node(makeNode('n').taint({ key: 'dedicated', effect: 'NoSchedule' })),
        { shouldRun: false, shouldContinueRunning: true },
      ],
      [
        'untolerated NoExecute: go',
        spec(),
        node(makeNode('n').taint({ key: 'dedicated', effect: 'NoExecute' })),
        { shouldRun: false, shouldContinueRunning: false },
      ],
      [
        'automatic tolerations: not-ready and unschedulable',
        spec(),
        node(
          makeNode('n')
            .unschedulable()
            .taint({ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' })
            .taint({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }),
        ),
        { shouldRun: true, shouldContinueRunning: true },
      ],
      [
        'network-unavailable only for hostNetwork',
        spec({ hostNetwork: true }),
        node(makeNode('n').taint({ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' })),
        { shouldRun: true, shouldContinueRunning: true },
      ],
      [
        'PreferNoSchedule is ignored',
        spec(),
        node(makeNode('n').taint({ key: 'soft', effect: 'PreferNoSchedule' })),
        { shouldRun: true, shouldContinueRunning: true },
      ],
    ];
    for (const [name, podSpec, n, want] of table) assert.deepEqual(nodeFit(podSpec, n), want, name);
  });

  it('replaces a template toleration of the same key instead of keeping its tolerationSeconds', () => {
    const spec = withDaemonTolerations({
      tolerations: [
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    });
    const unreachable = (spec['tolerations'] as JsonObject[]).filter(
      (t) => t['key'] === 'node.kubernetes.io/unreachable',
    );
    assert.deepEqual(unreachable, [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    ]);
  });
});
