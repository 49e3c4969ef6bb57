import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KubeObject } from '../api/meta.js';
import { encodeNew, encodeObject } from './codec.js';

const json = fc.jsonValue({ maxDepth: 3 });
const metadata = fc.dictionary(
  fc.oneof(fc.constantFrom('name', 'namespace', 'labels', 'resourceVersion', 'uid'), fc.string()),
  fc.oneof(json, fc.constant(undefined)),
  { maxKeys: 5 },
);
const object = fc
  .tuple(
    fc.dictionary(fc.string(), fc.oneof(json, fc.constant(undefined)), { maxKeys: 4 }),
    metadata,
    fc.nat(),
  )
  .map(([rest, meta, at]) => {
    // metadata at a random position among the top-level keys
    const entries = Object.entries(rest).filter(([k]) => k !== 'metadata');
    entries.splice(at % (entries.length + 1), 0, ['metadata', meta]);
    return Object.fromEntries(entries) as unknown as KubeObject;
  });

describe('encodeNew', () => {
  it('stores what encodeObject stores and answers what JSON.stringify would after stamping the revision', () => {
    fc.assert(
      fc.property(object, fc.integer({ min: 1, max: 2 ** 40 }), (obj, revision) => {
        const encoded = encodeNew(obj);
        assert.equal(encoded.stored, encodeObject(obj));
        const created = encoded.createdAt(revision);
        const hadRevision = Object.hasOwn(obj.metadata, 'resourceVersion');
        obj.metadata.resourceVersion = String(revision);
        if (hadRevision) assert.equal(created, undefined);
        else assert.equal(created, JSON.stringify(obj));
      }),
      { numRuns: 2000 },
    );
  });

  it('handles empty metadata', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } as KubeObject;
    assert.equal(
      encodeNew(obj).createdAt(7),
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"resourceVersion":"7"}}',
    );
  });
});
