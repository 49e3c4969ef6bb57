import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinResources } from '../builtin-resources.js';
import type { JsonObject } from '../meta.js';
import { builtinObjectSchema } from './builtin-object-schema.js';

function deployment(spec: JsonObject): JsonObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd1', labels: { app: 'a' } }, spec };
}

function podTemplate(container: JsonObject): JsonObject {
  return {
    metadata: { labels: { app: 'a' } },
    spec: { containers: [{ name: 'c', image: 'nginx', ...container }] },
  };
}

describe('builtinObjectSchema', () => {
  it('compiles every built-in kind', () => {
    for (const r of builtinResources()) {
      assert.ok(builtinObjectSchema(r.group, r.version, r.kind), `${r.group}/${r.version} ${r.kind}`);
    }
  });

  it('is memoised and undefined for unknown kinds', () => {
    assert.equal(
      builtinObjectSchema('apps', 'v1', 'Deployment'),
      builtinObjectSchema('apps', 'v1', 'Deployment'),
    );
    assert.equal(builtinObjectSchema('example.com', 'v1', 'Widget'), undefined);
  });

  it('validates against the upstream schema', () => {
    const schema = builtinObjectSchema('apps', 'v1', 'Deployment');
    assert.ok(schema);
    const selector = { matchLabels: { app: 'a' } };
    const table: { name: string; obj: JsonObject; fields: string[] }[] = [
      { name: 'valid', obj: deployment({ replicas: 2, selector, template: podTemplate({}) }), fields: [] },
      {
        name: 'quantities as numbers and strings',
        obj: deployment({
          selector,
          template: podTemplate({
            resources: { limits: { cpu: 1, memory: '128Mi' }, requests: { cpu: '500m' } },
          }),
        }),
        fields: [],
      },
      {
        name: 'int-or-string',
        obj: deployment({
          selector,
          template: podTemplate({}),
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        }),
        fields: [],
      },
      {
        name: 'wrong type',
        obj: deployment({ replicas: 'three', selector, template: podTemplate({}) }),
        fields: ['spec.replicas'],
      },
    ];
    for (const { name, obj, fields } of table) {
      const issues = schema.validate(obj);
      assert.deepEqual(
        issues.map((i) => i.field),
        fields,
        `${name}: ${JSON.stringify(issues)}`,
      );
    }
  });

  it('prunes unknown fields and keeps opaque ones', () => {
    const schema = builtinObjectSchema('', 'v1', 'ConfigMap');
    assert.ok(schema);
    const obj: JsonObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        managedFields: [
          {
            manager: 'm',
            operation: 'Apply',
            apiVersion: 'v1',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:data': {} },
          },
        ],
      },
      data: { a: 'b' },
      bogus: 1,
    };
    assert.deepEqual(schema.prune(obj), ['bogus']);
    assert.equal(obj['bogus'], undefined);
    assert.deepEqual(obj['data'], { a: 'b' });
    const managed = (obj['metadata'] as { managedFields: JsonObject[] }).managedFields[0];
    assert.deepEqual(managed?.['fieldsV1'], { 'f:data': {} });
  });
});
