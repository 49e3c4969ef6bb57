import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, JsonValue } from '../../api/meta.js';
import { cloneJson } from '../../base/json-clone.js';
import { builtinResourceInfos } from '../api-server.js';
import { JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, patchDocument } from './patch.js';

const deployments = builtinResourceInfos().find((r) => r.group === 'apps' && r.plural === 'deployments');

/** Every object and array inside `v`, `v` included. */
function containers(v: JsonValue, into = new Set<object>()): Set<object> {
  if (typeof v !== 'object' || v === null) return into;
  into.add(v);
  for (const child of Array.isArray(v) ? v : Object.values(v)) containers(child, into);
  return into;
}

// guaranteedUpdate hands a patch the stored object itself, not a copy (`leavesCurrent`).
describe('patchDocument leaves the document it patches as it was', () => {
  const doc: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { a: '1' } },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1', env: [{ name: 'A', value: '1' }] },
            { name: 'side', image: 'busybox' },
          ],
        },
      },
    },
  };
  const patches: [string, JsonValue][] = [
    [
      MERGE_PATCH,
      { metadata: { labels: { tier: 'front' }, annotations: null }, spec: { template: { spec: {} } } },
    ],
    [
      JSON_PATCH,
      [
        { op: 'replace', path: '/spec/replicas', value: 3 },
        { op: 'move', from: '/spec/template/spec/containers/1', path: '/spec/template/spec/containers/0' },
        { op: 'add', path: '/spec/template/spec/containers/0/env', value: [] },
      ],
    ],
    [
      STRATEGIC_PATCH,
      {
        metadata: { labels: { tier: 'front' } },
        spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } },
      },
    ],
  ];
  for (const [type, patch] of patches)
    it(type, () => {
      assert.ok(deployments);
      const before = cloneJson(doc);
      const next = patchDocument(deployments, type, doc, patch);
      assert.deepEqual(doc, before);
      assert.notDeepEqual(next, before);
      const shared = [...containers(next)].filter((o) => containers(doc).has(o));
      assert.deepEqual(shared, [], 'the result shares no object or array with the document');
    });
});
