import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { builtinMergeSchema } from '../../api/builtin-merge-schemas.js';
import { mergeSchemaFromSpec } from '../../api/merge-schema.js';
import type { MergeSchema } from '../../api/merge-schema.js';
import type { JsonObject, JsonValue } from '../../api/meta.js';
import { RESET_SPEC_AND_METADATA, RESET_STATUS, trackUpdate } from './apply.js';
import type { ResetFields, UpdateInput } from './apply.js';
import { cloneJson } from '../../base/json-clone.js';

/**
 * `trackUpdate` takes the created-fields fast path only when `old` is undefined; `old: {}` means
 * the same thing (no owners, empty old body) but goes through compareObjects and FieldSet, so the
 * two must agree exactly — including key order, hence the comparison of JSON text.
 */
function assertSameAsGeneral(input: Omit<UpdateInput, 'old'>): void {
  const fast = trackUpdate({ ...input, old: undefined });
  const general = trackUpdate({ ...input, old: {} });
  assert.equal(JSON.stringify(fast), JSON.stringify(general));
}

const base = { manager: 'kubectl', apiVersion: 'v1', now: '2024-01-01T00:00:00Z' } as const;

const randomSchema = mergeSchemaFromSpec({
  properties: {
    a: {
      list: { type: 'map', keys: ['k', 'j'], mergeKey: 'k' },
      items: { properties: { b: { atomicMap: true } } },
    },
    b: { atomicMap: true },
    c: { list: { type: 'set' } },
    d: { list: { type: 'atomic' } },
    spec: { additionalProperties: { list: { type: 'map', keys: ['k'], mergeKey: 'k' } } },
  },
});

const key = fc.constantFrom(
  'a',
  'b',
  'c',
  'd',
  'k',
  'j',
  'spec',
  'status',
  'metadata',
  'name',
  'kind',
  '',
  'Z',
  'é',
);
const leaf = fc.oneof(
  fc.constantFrom<JsonValue>(null, true, false, 0, 1, -0, 1.5, 'x', 'y', ''),
  fc.string(),
);
const { value } = fc.letrec<{ value: JsonValue; object: JsonObject; list: JsonValue[] }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), tie('list')),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  list: fc.array(tie('value'), { maxLength: 4 }),
}));
const object = fc.dictionary(key, value, { maxKeys: 6 });
const resets = fc.constantFrom<ResetFields | undefined>(undefined, RESET_STATUS, RESET_SPEC_AND_METADATA, [
  ['a', 'b'],
  ['spec', 'x'],
]);

describe('createdFieldsV1 (trackUpdate fast path)', () => {
  it('matches the general path on random objects and schemas', () => {
    fc.assert(
      fc.property(
        object,
        resets,
        fc.constantFrom<MergeSchema | undefined>(undefined, randomSchema),
        (obj, reset, schema) => {
          assertSameAsGeneral({ ...base, updated: obj, schema, ...(reset ? { resetFields: reset } : {}) });
          assertSameAsGeneral({
            ...base,
            updated: obj,
            schema,
            subresource: 'status',
            resetFields: RESET_SPEC_AND_METADATA,
          });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('matches the general path on an atomic root map', () => {
    assertSameAsGeneral({ ...base, updated: { a: 1 }, schema: mergeSchemaFromSpec({ atomicMap: true }) });
  });

  const deployment: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      labels: { app: 'web' },
      annotations: { note: 'x' },
      finalizers: ['a/b', 'a/c', 'a/b'],
      ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: 'u1' }],
      creationTimestamp: '2024-01-01T00:00:00Z',
      uid: 'abc',
      generation: 1,
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1',
              ports: [
                { containerPort: 80, protocol: 'TCP' },
                { containerPort: 443, protocol: 'TCP', name: 'https' },
                { containerPort: 80, protocol: 'UDP' },
              ],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', valueFrom: { fieldRef: { fieldPath: 'x' } } },
              ],
              resources: { limits: { cpu: '1' } },
              args: ['--a', '--b'],
            },
            { name: 'sidecar', image: 'busybox', volumeMounts: [{ name: 'v', mountPath: '/v' }] },
          ],
          volumes: [{ name: 'v', emptyDir: {} }],
          tolerations: [{ key: 'k', operator: 'Exists' }],
        },
      },
    },
    status: { replicas: 3, conditions: [{ type: 'Available', status: 'True' }] },
  };
  const configMap: JsonObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'default', labels: { app: 'bench', shard: '3' } },
    data: { 'config.yaml': 'replicas: 1\n', index: '3' },
    binaryData: {},
  };
  const crd: JsonObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { plural: 'widgets', kind: 'Widget', listKind: 'WidgetList', singular: 'widget' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } },
          additionalPrinterColumns: [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
        },
      ],
    },
  };
  const cases: { name: string; obj: JsonObject; schema: MergeSchema | undefined }[] = [
    { name: 'Deployment', obj: deployment, schema: builtinMergeSchema('apps', 'Deployment') },
    { name: 'ConfigMap', obj: configMap, schema: builtinMergeSchema('', 'ConfigMap') },
    { name: 'CRD', obj: crd, schema: builtinMergeSchema('apiextensions.k8s.io', 'CustomResourceDefinition') },
  ];
  for (const c of cases) {
    it(`matches the general path on a ${c.name}`, () => {
      assert.ok(c.schema !== undefined || c.name === 'ConfigMap');
      for (const resetFields of [undefined, RESET_STATUS]) {
        assertSameAsGeneral({
          ...base,
          updated: c.obj,
          schema: c.schema,
          ...(resetFields ? { resetFields } : {}),
        });
      }
      assertSameAsGeneral({
        ...base,
        updated: c.obj,
        schema: c.schema,
        subresource: 'status',
        resetFields: RESET_SPEC_AND_METADATA,
      });
    });
  }

  it('matches the general path on Deployments with random container lists', () => {
    const schema = builtinMergeSchema('apps', 'Deployment');
    const port = fc.record(
      {
        containerPort: fc.constantFrom(80, 443),
        protocol: fc.option(fc.constantFrom('TCP', 'UDP'), { nil: undefined }),
        name: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
      },
      { requiredKeys: ['containerPort'] },
    );
    const container = fc.record({
      name: fc.constantFrom('a', 'b', 'c'),
      image: fc.constantFrom('i', 'j'),
      ports: fc.array(port, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(container, { maxLength: 4 }), (containers) => {
        const obj = cloneJson(deployment);
        const spec = (obj['spec'] as JsonObject)['template'] as JsonObject;
        (spec['spec'] as JsonObject)['containers'] = containers as unknown as JsonValue[];
        assertSameAsGeneral({ ...base, updated: obj, schema, resetFields: RESET_STATUS });
      }),
      { numRuns: 500 },
    );
  });
});
