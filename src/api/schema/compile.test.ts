import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../meta.js';
import { formatFieldIssue } from '../status.js';
import { compileSchema } from './compile.js';
import { SchemaRefError } from './errors.js';

/** The Widget schema of kube-api.md §14, extended with the shapes the tests need. */
function widgetSchema(): JsonObject {
  return {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['image'],
        properties: {
          replicas: { type: 'integer', minimum: 0, default: 1 },
          image: { type: 'string', minLength: 1, maxLength: 10, pattern: '^[a-z]+$' },
          mode: { type: 'string', enum: ['Fast', 'Safe'] },
          port: { 'x-kubernetes-int-or-string': true },
          ratio: { type: 'number', multipleOf: 0.5, exclusiveMaximum: true, maximum: 10 },
          when: { type: 'string', format: 'date-time' },
          labels: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 2 },
          tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set', maxItems: 3 },
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: {
              type: 'object',
              required: ['name'],
              properties: {
                name: { type: 'string' },
                protocol: { type: 'string', default: 'TCP' },
                nested: {
                  type: 'array',
                  items: { type: 'object', properties: { x: { type: 'integer', default: 7 } } },
                },
              },
            },
          },
          choice: {
            type: 'object',
            properties: { a: { type: 'string' }, b: { type: 'string' } },
            anyOf: [{ required: ['a'] }, { required: ['b'] }],
          },
          note: { type: 'string', nullable: true },
          raw: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
            properties: { k: { type: 'object' } },
          },
          embedded: {
            type: 'object',
            'x-kubernetes-embedded-resource': true,
            properties: { spec: { type: 'object', properties: { n: { type: 'integer' } } } },
          },
        },
      },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  };
}

function widget(spec: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w1', namespace: 'default', labels: { a: 'b' } },
    spec,
    ...extra,
  };
}

const schema = compileSchema(widgetSchema());
const messages = (obj: JsonObject): string[] => schema.validate(obj).map(formatFieldIssue);

describe('compileSchema validate', () => {
  const cases: { name: string; spec: JsonObject; want: string[] }[] = [
    { name: 'valid object', spec: { image: 'nginx', replicas: 3 }, want: [] },
    {
      name: 'type mismatch',
      spec: { image: 'nginx', replicas: 'string' },
      want: [
        'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      ],
    },
    {
      name: 'object where integer expected reports the JSON type',
      spec: { image: 'nginx', replicas: { a: 1 } },
      want: [
        'spec.replicas: Invalid value: "object": spec.replicas in body must be of type integer: "object"',
      ],
    },
    {
      name: 'float where integer expected',
      spec: { image: 'nginx', replicas: 1.5 },
      want: [
        'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
      ],
    },
    {
      name: 'minimum',
      spec: { image: 'nginx', replicas: -1 },
      want: ['spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0'],
    },
    { name: 'missing required', spec: { replicas: 1 }, want: ['spec.image: Required value'] },
    {
      name: 'enum',
      spec: { image: 'nginx', mode: 'Slow' },
      want: ['spec.mode: Unsupported value: "Slow": supported values: "Fast", "Safe"'],
    },
    { name: 'int-or-string int', spec: { image: 'nginx', port: 80 }, want: [] },
    { name: 'int-or-string string', spec: { image: 'nginx', port: 'http' }, want: [] },
    {
      name: 'int-or-string bool',
      spec: { image: 'nginx', port: true },
      want: [
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
      ],
    },
    {
      name: 'maxLength',
      spec: { image: 'abcdefghijkl' },
      want: ['spec.image: Too long: may not be more than 10 bytes'],
    },
    {
      name: 'minLength',
      spec: { image: '' },
      want: [
        'spec.image: Invalid value: "": spec.image in body should be at least 1 chars long',
        'spec.image: Invalid value: "": spec.image in body should match \'^[a-z]+$\'',
      ],
    },
    {
      name: 'pattern',
      spec: { image: 'NGINX' },
      want: ['spec.image: Invalid value: "NGINX": spec.image in body should match \'^[a-z]+$\''],
    },
    {
      name: 'multipleOf and exclusive maximum',
      spec: { image: 'x', ratio: 10.25 },
      want: [
        'spec.ratio: Invalid value: 10.25: spec.ratio in body should be a multiple of 0.5',
        'spec.ratio: Invalid value: 10.25: spec.ratio in body should be less than 10',
      ],
    },
    { name: 'multipleOf ok', spec: { image: 'x', ratio: 1.5 }, want: [] },
    { name: 'date-time ok', spec: { image: 'x', when: '2024-01-02T03:04:05Z' }, want: [] },
    {
      name: 'date-time bad',
      spec: { image: 'x', when: 'yesterday' },
      want: [
        'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
      ],
    },
    {
      name: 'additionalProperties schema',
      spec: { image: 'x', labels: { a: 1 } },
      want: [
        'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
      ],
    },
    {
      name: 'maxProperties',
      spec: { image: 'x', labels: { a: '1', b: '2', c: '3' } },
      want: ['spec.labels: Too many: 3: must have at most 2 items'],
    },
    {
      name: 'set duplicates and maxItems',
      spec: { image: 'x', tags: ['a', 'b', 'a', 'c'] },
      want: ['spec.tags: Too many: 4: must have at most 3 items', 'spec.tags[2]: Duplicate value: "a"'],
    },
    {
      name: 'map list duplicate keys and item paths',
      spec: { image: 'x', ports: [{ name: 'http' }, { name: 'http', protocol: 1 }, {}] },
      want: [
        'spec.ports[1]: Duplicate value: {"name":"http"}',
        'spec.ports[1].protocol: Invalid value: "integer": spec.ports[1].protocol in body must be of type string: "integer"',
        'spec.ports[2].name: Required value',
      ],
    },
    {
      name: 'anyOf fails',
      spec: { image: 'x', choice: {} },
      want: [
        'spec.choice: Invalid value: "": "spec.choice" must validate at least one schema (anyOf)',
        'spec.choice.a: Required value',
      ],
    },
    { name: 'anyOf passes', spec: { image: 'x', choice: { b: 'y' } }, want: [] },
    { name: 'nullable null', spec: { image: 'x', note: null }, want: [] },
    {
      name: 'non-nullable null',
      spec: { image: null },
      want: ['spec.image: Invalid value: "null": spec.image in body must be of type string: "null"'],
    },
    {
      name: 'embedded resource keeps metadata out of validation',
      spec: { image: 'x', embedded: { apiVersion: 'v1', kind: 'Pod', metadata: { x: 1 }, spec: { n: 'a' } } },
      want: [
        'spec.embedded.spec.n: Invalid value: "string": spec.embedded.spec.n in body must be of type integer: "string"',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(messages(widget(c.spec)), c.want);
    });
  }

  it('ignores metadata unless the schema restricts name/generateName', () => {
    const restricted = compileSchema({
      type: 'object',
      properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 3 } } } },
    });
    assert.deepEqual(restricted.validate({ metadata: { name: 'abc', labels: { x: 'y' } } }), []);
    assert.deepEqual(restricted.validate({ metadata: { name: 'abcd' } }).map(formatFieldIssue), [
      'metadata.name: Too long: may not be more than 3 bytes',
    ]);
    assert.deepEqual(schema.validate(widget({ image: 'x' }, { metadata: 5 })), []);
  });

  it('additionalProperties false forbids unknown keys', () => {
    const s = compileSchema({
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
      },
    });
    assert.deepEqual(
      s.validate({ apiVersion: 'x/v1', kind: 'X', spec: { a: 'b', c: 1 } }).map(formatFieldIssue),
      ['spec: Invalid value: "c": spec.c in body is a forbidden property'],
    );
  });

  it('oneOf and not', () => {
    const s = compileSchema({
      type: 'object',
      properties: {
        v: { type: 'integer', oneOf: [{ minimum: 0 }, { maximum: 10 }] },
        w: { type: 'string', not: { enum: ['bad'] } },
      },
    });
    assert.deepEqual(s.validate({ v: 5, w: 'bad' }).map(formatFieldIssue), [
      'v: Invalid value: "": "v" must validate one and only one schema (oneOf). Found 2 valid alternatives',
      'w: Invalid value: "": "w" must not validate the schema (not)',
    ]);
    assert.deepEqual(s.validate({ v: 20, w: 'ok' }), []);
  });
});

describe('compileSchema prune', () => {
  it('removes unknown fields and reports their paths', () => {
    const obj = widget(
      {
        image: 'x',
        foo: 1,
        ports: [{ name: 'a', extra: true, nested: [{ x: 1, y: 2 }] }],
        labels: { keep: 'me' },
        raw: { anything: { goes: 1 }, k: {} },
        embedded: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p' },
          spec: { n: 1, zap: 2 },
          other: 1,
        },
      },
      { status: { free: 'form' }, unknown: true },
    );
    const pruned = schema.prune(obj);
    assert.deepEqual(pruned, [
      'spec.foo',
      'spec.ports[0].extra',
      'spec.ports[0].nested[0].y',
      'spec.embedded.spec.zap',
      'spec.embedded.other',
      'unknown',
    ]);
    assert.deepEqual(obj, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'default', labels: { a: 'b' } },
      spec: {
        image: 'x',
        ports: [{ name: 'a', nested: [{ x: 1 }] }],
        labels: { keep: 'me' },
        raw: { anything: { goes: 1 }, k: {} },
        embedded: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { n: 1 } },
      },
      status: { free: 'form' },
    });
  });

  it('keeps metadata untouched even when the schema does not mention it', () => {
    const s = compileSchema({ type: 'object', properties: { spec: { type: 'object' } } });
    const obj: JsonObject = {
      apiVersion: 'a/v1',
      kind: 'A',
      metadata: { name: 'n', weird: 1 },
      spec: { x: 1 },
    };
    assert.deepEqual(s.prune(obj), ['spec.x']);
    assert.deepEqual(obj.metadata, { name: 'n', weird: 1 });
  });
});

describe('compileSchema applyDefaults', () => {
  it('fills defaults only where the parent exists, including in arrays', () => {
    const obj = widget({
      image: 'x',
      ports: [
        { name: 'a', nested: [{}, { x: 2 }] },
        { name: 'b', protocol: 'UDP' },
      ],
    });
    schema.applyDefaults(obj);
    assert.deepEqual(obj.spec, {
      image: 'x',
      replicas: 1,
      ports: [
        { name: 'a', protocol: 'TCP', nested: [{ x: 7 }, { x: 2 }] },
        { name: 'b', protocol: 'UDP' },
      ],
    });
    const noSpec = widget({});
    delete noSpec.spec;
    schema.applyDefaults(noSpec);
    assert.equal(noSpec.spec, undefined);
  });

  it('replaces non-nullable nulls with the default and drops the others', () => {
    const obj = widget({ image: 'x', replicas: null, mode: null, note: null });
    schema.applyDefaults(obj);
    assert.deepEqual(obj.spec, { image: 'x', replicas: 1, note: null });
  });

  it('applies defaults inside additionalProperties values and copies the default', () => {
    const s = compileSchema({
      type: 'object',
      properties: {
        m: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { d: { type: 'object', default: { k: 1 } } } },
        },
      },
    });
    const obj: JsonObject = { m: { a: {}, b: { d: { k: 2 } } } };
    s.applyDefaults(obj);
    assert.deepEqual(obj, { m: { a: { d: { k: 1 } }, b: { d: { k: 2 } } } });
    ((obj.m as JsonObject).a as JsonObject).d = 0;
    const again: JsonObject = { m: { c: {} } };
    s.applyDefaults(again);
    assert.deepEqual(again, { m: { c: { d: { k: 1 } } } });
  });
});

describe('compileSchema $ref', () => {
  const components: Record<string, JsonObject> = {
    Deployment: {
      type: 'object',
      properties: {
        spec: { allOf: [{ $ref: '#/components/schemas/DeploymentSpec' }], default: {}, description: 'spec' },
      },
    },
    DeploymentSpec: {
      type: 'object',
      required: ['selector'],
      properties: {
        replicas: { type: 'integer', format: 'int32' },
        selector: { $ref: '#/components/schemas/LabelSelector' },
        port: { $ref: '#/components/schemas/IntOrString' },
      },
    },
    LabelSelector: {
      type: 'object',
      properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } },
    },
    IntOrString: { type: 'string', format: 'int-or-string' },
    JSONSchemaProps: {
      type: 'object',
      properties: {
        properties: {
          type: 'object',
          additionalProperties: { $ref: '#/components/schemas/JSONSchemaProps' },
        },
        items: { $ref: '#/components/schemas/JSONSchemaProps' },
        type: { type: 'string' },
        default: { $ref: '#/components/schemas/JSON' },
      },
    },
    JSON: { description: 'any JSON' },
  };
  let calls = 0;
  const resolveRef = (ref: string): JsonObject | undefined => {
    calls++;
    return components[ref.replace('#/components/schemas/', '')];
  };

  it('validates and prunes through allOf-wrapped refs', () => {
    const s = compileSchema(components.Deployment!, { resolveRef, kind: 'Deployment' });
    const obj: JsonObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      spec: { replicas: 'x', port: 80, bogus: 1 },
    };
    assert.deepEqual(s.prune(obj), ['spec.bogus']);
    assert.deepEqual(s.validate(obj).map(formatFieldIssue), [
      'spec.selector: Required value',
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
    assert.deepEqual(s.validate({ spec: { selector: { matchLabels: { a: 'b' } }, port: 'http' } }), []);
  });

  it('skips top-level fields carried over from the replaced object by reference, and only those', () => {
    const s = compileSchema(components.Deployment!, { resolveRef, kind: 'Deployment' });
    const stored: JsonObject = { spec: { replicas: 'x', selector: {} }, status: { replicas: 1 } };
    const carried: JsonObject = { spec: stored['spec'] ?? null, status: { replicas: 2 } };
    assert.deepEqual(s.validate(carried, stored), []);
    const copied: JsonObject = { spec: { replicas: 'x', selector: {} }, status: { replicas: 2 } };
    assert.equal(s.validate(copied, stored).length, 1);
    assert.equal(s.validate(carried).length, 1);
  });

  it('compiles a self-referencing schema and validates deep values', () => {
    const s = compileSchema(components.JSONSchemaProps!, { resolveRef });
    const obj: JsonObject = {
      type: 'object',
      properties: { a: { type: 'array', items: { type: 1, default: { free: ['form'] } } } },
      junk: true,
    };
    assert.deepEqual(s.prune(obj), ['junk']);
    assert.deepEqual(s.validate(obj).map(formatFieldIssue), [
      'properties.a.items.type: Invalid value: "integer": properties.a.items.type in body must be of type string: "integer"',
    ]);
  });

  it('shares compiled definitions across kinds using one resolver', () => {
    compileSchema(components.Deployment!, { resolveRef });
    const before = calls;
    compileSchema(
      { type: 'object', properties: { s: { $ref: '#/components/schemas/DeploymentSpec' } } },
      { resolveRef },
    );
    assert.equal(calls, before);
  });

  it('throws SchemaRefError for a dangling ref at compile time', () => {
    assert.throws(
      () =>
        compileSchema(
          { type: 'object', properties: { x: { $ref: '#/components/schemas/Nope' } } },
          { resolveRef, kind: 'Thing' },
        ),
      (err: unknown) =>
        err instanceof SchemaRefError && err.message.includes('Thing') && err.ref.endsWith('Nope'),
    );
    assert.throws(() => compileSchema({ $ref: '#/x' }), SchemaRefError);
  });
});

describe('compileSchema properties', () => {
  const json = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<JsonValue>;
  const objects = fc.record(
    { spec: json, status: json, other: json },
    { requiredKeys: [] },
  ) as fc.Arbitrary<JsonObject>;

  it('validate, prune and applyDefaults never throw on arbitrary JSON', () => {
    fc.assert(
      fc.property(objects, (obj) => {
        schema.validate(obj);
        schema.prune(obj);
        schema.applyDefaults(obj);
        schema.validate(obj);
      }),
    );
  });

  it('prune is idempotent', () => {
    fc.assert(
      fc.property(objects, (obj) => {
        schema.prune(obj);
        const once = JSON.stringify(obj);
        assert.deepEqual(schema.prune(obj), []);
        assert.equal(JSON.stringify(obj), once);
      }),
    );
  });

  it('defaulting then pruning leaves nothing to prune from defaults', () => {
    fc.assert(
      fc.property(objects, (obj) => {
        schema.prune(obj);
        schema.applyDefaults(obj);
        assert.deepEqual(schema.prune(obj), []);
      }),
    );
  });
});
