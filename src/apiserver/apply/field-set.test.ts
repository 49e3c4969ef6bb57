import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { JsonObject } from '../../api/meta.js';
import { FieldSet } from './field-set.js';
import type { FieldPath } from './path-element.js';
import {
  FieldsV1Error,
  fieldElement as f,
  indexElement,
  keyElement as k,
  parsePathElement,
  pathToString,
  serializePathElement,
  valueElement as v,
} from './path-element.js';

const kubeExample: JsonObject = {
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:template': {
      'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    },
  },
};

describe('path elements', () => {
  const cases: { pe: ReturnType<typeof f>; wire: string; human: string }[] = [
    { pe: f('replicas'), wire: 'f:replicas', human: '.replicas' },
    { pe: k({ name: 'nginx' }), wire: 'k:{"name":"nginx"}', human: '[name="nginx"]' },
    {
      pe: k({ protocol: 'TCP', containerPort: 80 }),
      wire: 'k:{"containerPort":80,"protocol":"TCP"}',
      human: '[containerPort=80,protocol="TCP"]',
    },
    {
      pe: v('example.com/finalizer'),
      wire: 'v:"example.com/finalizer"',
      human: '[="example.com/finalizer"]',
    },
    { pe: v(3), wire: 'v:3', human: '[=3]' },
    { pe: indexElement(2), wire: 'i:2', human: '[2]' },
  ];
  for (const c of cases) {
    it(`serialises ${c.wire}`, () => {
      assert.equal(serializePathElement(c.pe), c.wire);
      assert.deepEqual(parsePathElement(c.wire), c.pe);
      assert.equal(pathToString([c.pe]), c.human);
    });
  }

  it('prints a conflict path as kube does', () => {
    const path: FieldPath = [
      f('spec'),
      f('template'),
      f('spec'),
      f('containers'),
      k({ name: 'nginx' }),
      f('image'),
    ];
    assert.equal(pathToString(path), '.spec.template.spec.containers[name="nginx"].image');
  });

  for (const bad of ['x:foo', 'k:[1]', 'k:{bad', 'i:-1', '.']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parsePathElement(bad), FieldsV1Error);
    });
  }
});

describe('FieldSet', () => {
  it('decodes and re-encodes the kube example exactly', () => {
    const set = FieldSet.fromFieldsV1(kubeExample);
    assert.deepEqual(set.toFieldsV1(), kubeExample);
    assert.equal(JSON.stringify(set.toFieldsV1()), JSON.stringify(kubeExample));
    assert.ok(set.has([f('spec'), f('replicas')]));
    assert.ok(set.has([f('spec'), f('template'), f('spec'), f('containers'), k({ name: 'nginx' })]));
    assert.ok(!set.has([f('spec')]));
    assert.equal(set.size, 5);
  });

  it('writes "." first and sorts fields before keys before values', () => {
    const set = FieldSet.of([[f('a'), v('x')], [f('a'), k({ name: 'b' })], [f('a'), f('z')], [f('a')]]);
    assert.deepEqual(Object.keys(set.toFieldsV1()['f:a'] as JsonObject), [
      '.',
      'f:z',
      'k:{"name":"b"}',
      'v:"x"',
    ]);
  });

  it('iterates members before children, each sorted', () => {
    const set = FieldSet.fromFieldsV1(kubeExample);
    assert.deepEqual([...set.paths()].map(pathToString), [
      '.metadata.labels.app',
      '.spec.replicas',
      '.spec.template.spec.containers[name="nginx"]',
      '.spec.template.spec.containers[name="nginx"].image',
      '.spec.template.spec.containers[name="nginx"].name',
    ]);
  });

  const a = FieldSet.of([[f('spec'), f('replicas')], [f('spec')], [f('metadata'), f('labels'), f('app')]]);
  const b = FieldSet.of([
    [f('spec'), f('replicas')],
    [f('spec'), f('paused')],
  ]);
  const cases: { name: string; got: FieldSet; want: string[] }[] = [
    {
      name: 'union',
      got: a.union(b),
      want: ['.spec', '.metadata.labels.app', '.spec.paused', '.spec.replicas'],
    },
    { name: 'intersection', got: a.intersection(b), want: ['.spec.replicas'] },
    { name: 'difference', got: a.difference(b), want: ['.spec', '.metadata.labels.app'] },
    {
      name: 'difference keeps children of removed members',
      got: a.difference(FieldSet.of([[f('spec')]])),
      want: ['.metadata.labels.app', '.spec.replicas'],
    },
    {
      name: 'recursive difference drops subtrees',
      got: a.recursiveDifference(FieldSet.of([[f('spec')]])),
      want: ['.metadata.labels.app'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual([...c.got.paths()].map(pathToString), c.want);
    });
  }

  it('under() gives the members below a path', () => {
    assert.deepEqual([...a.under([f('spec')]).paths()].map(pathToString), ['.replicas']);
    assert.ok(a.under([f('status')]).isEmpty());
  });

  it('rejects non-object values', () => {
    assert.throws(() => FieldSet.fromFieldsV1({ 'f:a': 1 }), FieldsV1Error);
  });
});

const arbPe = fc.oneof(
  fc.constantFrom('a', 'b', 'spec', 'name').map(f),
  fc.constantFrom('x', 'y').map((n) => k({ name: n })),
  fc.oneof(fc.constantFrom('p', 'q'), fc.integer({ min: 0, max: 3 })).map(v),
);
const arbSet = fc
  .array(fc.array(arbPe, { minLength: 1, maxLength: 4 }), { maxLength: 8 })
  .map((ps) => FieldSet.of(ps));

describe('FieldSet properties', () => {
  it('FieldsV1 round-trips', () => {
    fc.assert(fc.property(arbSet, (s) => FieldSet.fromFieldsV1(s.toFieldsV1()).equals(s)));
  });
  it('union is commutative and difference/intersection partition a set', () => {
    fc.assert(
      fc.property(arbSet, arbSet, (s, t) => {
        assert.ok(s.union(t).equals(t.union(s)));
        assert.ok(s.difference(t).union(s.intersection(t)).equals(s));
        assert.ok(s.difference(t).intersection(t).isEmpty());
      }),
    );
  });
  it('membership agrees with paths()', () => {
    fc.assert(
      fc.property(arbSet, (s) => [...s.paths()].every((p) => s.has(p)) && [...s.paths()].length === s.size),
    );
  });
});
