import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldSet } from './field-set.js';
import type { Owner } from './managed-fields.js';
import {
  applyConflictError,
  decodeManagedFields,
  describeOwner,
  encodeManagedFields,
  ownerId,
} from './managed-fields.js';
import { FieldsV1Error, fieldElement as f } from './path-element.js';

const owner = (o: Partial<Owner> & Pick<Owner, 'manager'>): Owner => ({
  operation: 'Update',
  apiVersion: 'apps/v1',
  subresource: '',
  fields: FieldSet.of([[f('spec'), f('replicas')]]),
  ...o,
});

describe('manager identity and naming', () => {
  const cases: { o: Owner; id: string; printed: string }[] = [
    {
      o: owner({ manager: 'm' }),
      id: '{"manager":"m","operation":"Update","apiVersion":"apps/v1"}',
      printed: '"m" using apps/v1',
    },
    {
      o: owner({ manager: 'm', operation: 'Apply' }),
      id: '{"manager":"m","operation":"Apply"}',
      printed: '"m"',
    },
    {
      o: owner({ manager: 'm', subresource: 'status' }),
      id: '{"manager":"m","operation":"Update","apiVersion":"apps/v1","subresource":"status"}',
      printed: '"m" with subresource "status" using apps/v1',
    },
  ];
  for (const c of cases) {
    it(c.printed, () => {
      assert.equal(ownerId(c.o), c.id);
      assert.equal(describeOwner(c.o), c.printed);
    });
  }
});

describe('encode / decode', () => {
  it('sorts Apply before Update, then by time and manager, omitting empty subresource', () => {
    const out = encodeManagedFields([
      owner({ manager: 'b', time: '2026-01-01T00:00:00Z' }),
      owner({ manager: 'a', time: '2026-01-01T00:00:05Z' }),
      owner({ manager: 'z', operation: 'Apply', time: '2026-01-02T00:00:00Z' }),
      owner({ manager: 'empty', fields: FieldSet.empty }),
    ]);
    assert.deepEqual(
      out.map((e) => e.manager),
      ['z', 'b', 'a'],
    );
    assert.equal('subresource' in (out[0] ?? {}), false);
    assert.deepEqual(
      decodeManagedFields(out).map((o) => o.manager),
      ['z', 'b', 'a'],
    );
  });

  const bad: { name: string; raw: unknown; message: string }[] = [
    {
      name: 'operation',
      raw: [{ manager: 'm', operation: 'Patch', apiVersion: 'v1', fieldsType: 'FieldsV1' }],
      message: 'operation must be `Apply` or `Update`',
    },
    {
      name: 'apiVersion',
      raw: [{ manager: 'm', operation: 'Apply', apiVersion: '', fieldsType: 'FieldsV1' }],
      message: 'apiVersion must not be empty',
    },
    {
      name: 'fieldsType',
      raw: [{ manager: 'm', operation: 'Apply', apiVersion: 'v1' }],
      message: 'missing fieldsType in managed fields entry 0',
    },
  ];
  for (const c of bad) {
    it(`rejects a bad ${c.name}`, () => {
      assert.throws(
        () => decodeManagedFields(c.raw),
        (e: unknown) => e instanceof FieldsV1Error && e.message === c.message,
      );
    });
  }
});

describe('applyConflictError', () => {
  it('lists managers in identity order with their fields', () => {
    const err = applyConflictError([
      { owner: owner({ manager: 'z', operation: 'Apply' }), fields: FieldSet.of([[f('a')]]) },
      { owner: owner({ manager: 'b' }), fields: FieldSet.of([[f('b')], [f('c')]]) },
    ]);
    assert.equal(err.code, 409);
    assert.equal(
      err.message,
      'Apply failed with 3 conflicts: conflicts with "b" using apps/v1:\n- .b\n- .c\nconflicts with "z":\n- .a',
    );
    assert.deepEqual(
      err.status.details?.causes?.map((c) => c.message),
      ['conflict with "b" using apps/v1', 'conflict with "b" using apps/v1', 'conflict with "z"'],
    );
  });
});
