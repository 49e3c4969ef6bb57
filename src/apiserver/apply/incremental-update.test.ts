import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { JsonObject, ManagedFieldsEntry } from '../../api/meta.js';
import { trackUpdate } from './apply.js';
import { FieldSet } from './field-set.js';
import { compareEntries, ownerId } from './managed-fields.js';
import { fieldElement } from './path-element.js';
import { incrementalUpdate } from './incremental-update.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const NOW = '2026-01-01T00:02:00Z';

const specFields = (names: readonly string[]): JsonObject => ({
  'f:spec': Object.fromEntries(names.map((n) => [`f:${n}`, {}])),
});

function entry(manager: string, time: string, fields: readonly string[]): ManagedFieldsEntry {
  return {
    manager,
    operation: 'Update',
    apiVersion: 'v1',
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: specFields(fields),
  };
}

function object(spec: JsonObject, managedFields?: ManagedFieldsEntry[]): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Thing',
    metadata: { name: 'x', ...(managedFields ? { managedFields } : {}) } as unknown as JsonObject,
    spec,
  };
}

const spec = (...names: string[]): FieldSet =>
  FieldSet.of(names.map((n) => [fieldElement('spec'), fieldElement(n)]));
const writer = (manager: string) => {
  const entry = { manager, operation: 'Update' as const, apiVersion: 'v1', subresource: '' };
  return { entry, id: ownerId(entry), now: NOW };
};
const rewrite = (changed: FieldSet, removed: FieldSet = FieldSet.empty) => ({
  changed,
  removed,
  taken: changed,
});

describe('incrementalUpdate', () => {
  it('moves only the writer’s time when it rewrites fields it alone owns, re-sorting by time', () => {
    const raw = [entry('kubelet', T0, ['holder', 'renewTime']), entry('other', T1, ['labels'])];
    const out = incrementalUpdate(raw, rewrite(spec('renewTime')), writer('kubelet'));
    assert.deepEqual(out, [raw[1], { ...raw[0], time: NOW }]);
    assert.equal(out?.[0], raw[1], 'an untouched entry is kept as stored');
  });

  it('takes changed fields from their owners, drops emptied entries, and adds a new writer', () => {
    const raw = [entry('a', T0, ['x', 'y']), entry('b', T0, ['z']), entry('c', T1, ['w'])];
    const out = incrementalUpdate(raw, rewrite(spec('y', 'z')), writer('new'));
    assert.deepEqual(out, [entry('a', T0, ['x']), raw[2], entry('new', NOW, ['y', 'z'])]);
    assert.equal(out?.[1], raw[2]);
    assert.deepEqual(
      incrementalUpdate(raw, rewrite(FieldSet.empty, spec('w')), writer('a')),
      raw.slice(0, 2),
    );
  });

  it('declines entries the general path would rewrite, and a new writer beyond the cap', () => {
    const change = rewrite(spec('a'));
    const ok = entry('m', T0, ['a']);
    assert.notEqual(incrementalUpdate([ok], change, writer('m')), undefined);
    assert.equal(incrementalUpdate([ok, ok], change, writer('m')), undefined);
    assert.equal(
      incrementalUpdate([ok, { ...entry('n', T0, []), fieldsV1: {} }], change, writer('m')),
      undefined,
    );
    assert.equal(
      incrementalUpdate([ok, { ...entry('n', T0, ['b']), fieldsType: 'FieldsV2' }], change, writer('m')),
      undefined,
    );
    assert.equal(
      incrementalUpdate([ok, { ...entry('n', T0, ['b']), apiVersion: '' }], change, writer('m')),
      undefined,
    );
    assert.equal(incrementalUpdate('nope', change, writer('m')), undefined);
    assert.equal(incrementalUpdate([ok], change, { ...writer('n'), maxUpdateManagers: 1 }), undefined);
  });

  it('gives exactly what the general path gives, whenever it answers', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const fieldsArb = fc.subarray(names, { minLength: 1 });
    const valuesArb = fc.dictionary(fc.constantFrom(...names), fc.integer({ min: 0, max: 2 }));
    fc.assert(
      fc.property(
        fc.array(fieldsArb, { minLength: 2, maxLength: 3 }),
        valuesArb,
        valuesArb,
        fc.integer({ min: 0, max: 3 }),
        (owned, before, after, writerIndex) => {
          // Stored managedFields are always in kube's order.
          const managers = owned
            .map((fields, i) => entry(`m${i}`, i % 2 === 0 ? T0 : T1, fields))
            .sort(compareEntries);
          const oldSpec: JsonObject = { ...Object.fromEntries(owned.flat().map((n) => [n, 0])), ...before };
          const manager = `m${writerIndex}`;
          const input = {
            old: object(oldSpec, managers),
            updated: object(after),
            manager,
            apiVersion: 'v1',
            schema: undefined,
            now: NOW,
          };
          const fast = trackUpdate(input);
          // A request carrying the stored entries in another order decodes to the same owners but
          // is not the stored list, so it takes the general path.
          const general = trackUpdate({ ...input, updated: object(after, [...managers].reverse()) });
          assert.deepEqual(fast, general);
        },
      ),
      { numRuns: 500 },
    );
  });
});
