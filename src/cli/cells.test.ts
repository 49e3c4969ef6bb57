import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ageOf, formatTaint, formatTaints, formatTargets, kindName, orNone } from './cells.js';
import { NOW, ago } from './testing/fixtures.js';

describe('cells', () => {
  it('ages like kubectl', () => {
    const cases: [string | undefined, string][] = [
      [ago(5), '5s'],
      [ago(150), '2m30s'],
      [ago(3 * 60 * 60), '3h'],
      [ago(4 * 24 * 60 * 60), '4d'],
      [undefined, '<unknown>'],
    ];
    for (const [ts, want] of cases) assert.equal(ageOf(ts, NOW), want, String(ts));
  });

  it('formats taints, decisions and references', () => {
    const cases: [string, string][] = [
      [formatTaint({ key: 'k', value: 'v', effect: 'NoSchedule' }), 'k=v:NoSchedule'],
      [formatTaint({ key: 'k', effect: 'NoExecute' }), 'k:NoExecute'],
      [formatTaints(undefined), '<none>'],
      [
        formatTaints([
          { key: 'a', effect: 'NoSchedule' },
          { key: 'b', value: '1', effect: 'PreferNoSchedule' },
        ]),
        'a:NoSchedule,b=1:PreferNoSchedule',
      ],
      [
        formatTargets([
          { name: 'a', replicas: 4 },
          { name: 'b', replicas: 2 },
        ]),
        'a:4,b:2',
      ],
      [formatTargets([{ name: 'a' }, { name: 'b' }]), 'a,b'],
      [formatTargets([]), '<none>'],
      [kindName({ kind: 'Deployment', name: 'web' }), 'Deployment/web'],
      [orNone(undefined), '<none>'],
      [orNone(0), '0'],
    ];
    for (const [got, want] of cases) assert.equal(got, want);
  });
});
