import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinResources } from '../api/builtin-resources.js';
import type { KubeList, KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resource-info.js';
import { decodeKv, encodeObject } from './codec.js';
import { storedListResponse, storedObjectResponse } from './negotiate.js';
import type { StoredList } from './negotiate.js';

describe('storedObjectResponse', () => {
  const configMaps = builtinResources().find((r) => r.plural === 'configmaps') as ResourceInfo;
  const stored = (
    obj: object,
  ): { key: string; value: string; createRevision: number; modRevision: number } => ({
    key: '/registry/configmaps/default/a',
    value: encodeObject(obj as KubeObject),
    createRevision: 3,
    modRevision: 9,
  });

  it('answers the decoded object as JSON, whether the body or the value is read first', () => {
    const layouts = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', namespace: 'default' },
        data: { k: '"}' },
      },
      { data: { k: 'v' }, apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, // no shortcut
    ];
    for (const obj of layouts) {
      const kv = stored(obj);
      const expected = decodeKv(configMaps, kv);
      const bodyFirst = storedObjectResponse(configMaps, kv);
      assert.equal(bodyFirst.body, JSON.stringify(expected));
      assert.deepEqual(bodyFirst.value, expected);
      const valueFirst = storedObjectResponse(configMaps, kv);
      assert.deepEqual(valueFirst.value, expected);
      assert.equal(valueFirst.body, JSON.stringify(expected));
      assert.equal(valueFirst.status, 200);
    }
  });

  it('hands each response its own object', () => {
    const kv = stored({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    const first = storedObjectResponse(configMaps, kv).value as KubeObject;
    first.metadata.name = 'changed';
    assert.equal((storedObjectResponse(configMaps, kv).value as KubeObject).metadata.name, 'a');
  });
});

describe('storedListResponse', () => {
  const configMaps = builtinResources().find((r) => r.plural === 'configmaps') as ResourceInfo;
  const kvs = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: '\\"' } },
    { metadata: { name: 'b' }, apiVersion: 'v1', kind: 'ConfigMap' }, // decoded the long way
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
  ].map((obj, i) => ({
    key: `/registry/configmaps/default/${i}`,
    value: encodeObject(obj as unknown as KubeObject),
    createRevision: i + 1,
    modRevision: i + 10,
  }));
  const result = (metadata: KubeList['metadata']): StoredList => ({
    metadata,
    stored: kvs,
    list: () => ({
      apiVersion: 'v1',
      kind: 'ConfigMapList',
      metadata,
      items: kvs.map((kv) => decodeKv(configMaps, kv)),
    }),
  });

  it('answers JSON.stringify of the list, whether the body or the value is read first', () => {
    for (const metadata of [
      { resourceVersion: '20' },
      { resourceVersion: '20', continue: 'abc', remainingItemCount: 4 },
    ]) {
      const expected = JSON.stringify(result(metadata).list());
      assert.equal(storedListResponse(configMaps, result(metadata)).body, expected);
      const valueFirst = storedListResponse(configMaps, result(metadata));
      assert.equal(JSON.stringify(valueFirst.value), expected);
      assert.equal(valueFirst.body, expected);
    }
    const empty = { ...result({ resourceVersion: '1' }), stored: [] };
    assert.equal(
      storedListResponse(configMaps, empty).body,
      '{"apiVersion":"v1","kind":"ConfigMapList","metadata":{"resourceVersion":"1"},"items":[]}',
    );
  });
});
