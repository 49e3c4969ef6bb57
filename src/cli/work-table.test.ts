import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Work } from '../api/flotilla/work.js';
import { AT_NOW, makeWork } from './testing/fixtures.js';
import { workHealth, workTable } from './work-table.js';

describe('workTable', () => {
  it('prints the cluster from the namespace, the manifests and their health', () => {
    assert.equal(
      workTable([makeWork('us-east-1'), { ...makeWork('eu-west-1'), status: {} }], AT_NOW),
      [
        'CLUSTER     NAME                      RESOURCES        APPLIED   HEALTH    AGE',
        'us-east-1   web-deployment-5adc71e3   Deployment/web   True      Healthy   2m',
        'eu-west-1   web-deployment-5adc71e3   Deployment/web   Unknown   <none>    2m',
        '',
      ].join('\n'),
    );
  });

  it('reports the worst health of the manifests', () => {
    const base = makeWork('a');
    const id = { ordinal: 0, group: '', version: 'v1', kind: 'ConfigMap', name: 'c' };
    const two: Work = {
      ...base,
      spec: {
        workload: {
          manifests: [
            ...base.spec.workload.manifests,
            { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
          ],
        },
      },
    };
    const cases: [Work, string][] = [
      [base, 'Healthy'],
      [{ ...base, status: { manifestStatuses: [{ identifier: id }] } }, 'Unknown'],
      [{ ...base, status: { manifestStatuses: [{ identifier: id, health: 'Unhealthy' }] } }, 'Unhealthy'],
      [two, 'Unknown'], // one manifest not reported yet
      [{ ...base, status: {} }, '<none>'],
    ];
    for (const [work, want] of cases) assert.equal(workHealth(work), want);
  });
});
