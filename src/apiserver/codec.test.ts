import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { builtinResources } from '../api/builtin-resources.js';
import type { KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resource-info.js';
import { decodeObject, encodeNew, encodeObject, stampedText } from './codec.js';

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

describe('stampedText', () => {
  const deployments = builtinResources().find((r) => r.plural === 'deployments') as ResourceInfo;
  const stamped = (stored: string, revision: number): string =>
    JSON.stringify(decodeObject(deployments, stored, revision));
  // Strings full of what the scan must not mistake for structure.
  const tricky = fc.oneof(
    fc.string(),
    fc.constantFrom('"', '\\', '\\"', '}', '{"a":1}', ']', '"resourceVersion":', 'é\u2028'),
  );
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      tricky,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(tricky, tie('v'), { maxKeys: 3 }),
    ),
  })).v;
  const reserved = new Set(['apiVersion', 'kind', 'metadata']);
  // Mostly the usual layout (apiVersion, kind, metadata, the rest); sometimes the rest first.
  const served = fc
    .tuple(
      fc.dictionary(tricky, value, { maxKeys: 4 }),
      fc.dictionary(tricky, value, { maxKeys: 4 }),
      fc.integer({ min: 0, max: 3 }),
    )
    .map(([meta, rest, order]) => {
      const others = Object.fromEntries(Object.entries(rest).filter(([k]) => !reserved.has(k)));
      const head = { apiVersion: 'apps/v1', kind: 'Deployment' };
      const obj =
        order === 0 ? { ...head, ...others, metadata: meta } : { ...head, metadata: meta, ...others };
      return obj;
    });

  it('is the JSON of the decoded object, or undefined', () => {
    let shortcuts = 0;
    fc.assert(
      fc.property(served, fc.integer({ min: 1, max: 2 ** 40 }), (obj, revision) => {
        const stored = encodeObject(obj);
        const text = stampedText(deployments, stored, revision);
        if (text === undefined) return;
        shortcuts++;
        assert.equal(text, stamped(stored, revision));
      }),
      { numRuns: 3000 },
    );
    assert.ok(shortcuts > 1500, `the shortcut applied ${shortcuts} times`);
  });

  it('applies to the usual layout, with empty or full metadata', () => {
    for (const metadata of [{}, { name: 'web', labels: { app: 'a"}{' }, annotations: { x: '\\' } }]) {
      const stored = encodeObject({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: { replicas: 1 },
      });
      assert.equal(stampedText(deployments, stored, 42), stamped(stored, 42));
    }
  });

  it('declines what decoding would change beyond the revision', () => {
    const cases = [
      // another version or kind than the one served, or not in the usual order
      { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'a' } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'a' } },
      { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'a' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', spec: {}, metadata: { name: 'a' } },
      // a stored revision (decodeObject overwrites it where it stands), or what looks like one
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { resourceVersion: '5', name: 'a' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { labels: { resourceVersion: 'x' } } },
    ];
    for (const obj of cases) assert.equal(stampedText(deployments, JSON.stringify(obj), 3), undefined);
    assert.equal(
      stampedText(deployments, '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"a":"', 3),
      undefined,
    );
  });
});
