import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../../api/meta.js';
import { builtinMergeSchema } from '../../api/builtin-merge-schemas.js';
import { StatusError } from '../../api/status.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { cloneJson } from '../../base/json-clone.js';

const deploymentSchema = builtinMergeSchema('apps', 'Deployment');
const serviceSchema = builtinMergeSchema('', 'Service');

function makeDeployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a', 'b'] },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'nginx',
              ports: [
                { containerPort: 80, protocol: 'TCP' },
                { containerPort: 443, protocol: 'TCP' },
              ],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
            },
            { name: 'sidecar', image: 'envoy' },
          ],
          volumes: [{ name: 'v', emptyDir: {} }],
          tolerations: [{ key: 'x', operator: 'Exists' }],
        },
      },
    },
  };
}

const podSpec = (o: JsonValue): JsonValue =>
  ((o as JsonObject)['spec'] as JsonObject)['template'] as JsonObject;
const containers = (o: JsonValue) => (podSpec(o) as { spec: { containers: JsonObject[] } }).spec.containers;
const tplSpec = (patch: JsonObject): JsonObject => ({ spec: { template: { spec: patch } } });

interface Case {
  name: string;
  patch: JsonObject;
  check: (out: JsonObject) => void;
}

const cases: Case[] = [
  {
    name: 'kubectl apply changes an image ($setElementOrder, partial element)',
    patch: tplSpec({ $setElementOrder_containers: 0 }), // replaced below
    check: () => undefined,
  },
  {
    name: 'kubectl apply adds a container at the end of $setElementOrder',
    patch: tplSpec({
      '$setElementOrder/containers': [{ name: 'c' }, { name: 'sidecar' }, { name: 'new' }],
      containers: [{ name: 'new', image: 'busybox' }],
    }),
    check: (out) => {
      assert.deepEqual(
        containers(out).map((c) => c['name']),
        ['c', 'sidecar', 'new'],
      );
    },
  },
  {
    name: 'kubectl patch without $setElementOrder puts a new container first (as kube does)',
    patch: tplSpec({ containers: [{ name: 'new', image: 'busybox' }] }),
    check: (out) => {
      assert.deepEqual(
        containers(out).map((c) => c['name']),
        ['new', 'c', 'sidecar'],
      );
    },
  },
  {
    name: 'kubectl apply removes a container with $patch: delete',
    patch: tplSpec({
      '$setElementOrder/containers': [{ name: 'c' }],
      containers: [{ $patch: 'delete', name: 'sidecar' }],
    }),
    check: (out) => {
      assert.deepEqual(
        containers(out).map((c) => c['name']),
        ['c'],
      );
    },
  },
  {
    name: '$setElementOrder reorders containers',
    patch: tplSpec({ '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'c' }] }),
    check: (out) => {
      assert.deepEqual(
        containers(out).map((c) => c['name']),
        ['sidecar', 'c'],
      );
    },
  },
  {
    name: 'change an env var by name',
    patch: tplSpec({
      '$setElementOrder/containers': [{ name: 'c' }, { name: 'sidecar' }],
      containers: [
        {
          name: 'c',
          '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }],
          env: [{ name: 'B', value: '3' }],
        },
      ],
    }),
    check: (out) => {
      assert.deepEqual(containers(out)[0]?.['env'], [
        { name: 'A', value: '1' },
        { name: 'B', value: '3' },
      ]);
    },
  },
  {
    name: 'remove a port by containerPort',
    patch: tplSpec({
      containers: [
        {
          name: 'c',
          '$setElementOrder/ports': [{ containerPort: 80 }],
          ports: [{ $patch: 'delete', containerPort: 443 }],
        },
      ],
    }),
    check: (out) => {
      assert.deepEqual(containers(out)[0]?.['ports'], [{ containerPort: 80, protocol: 'TCP' }]);
    },
  },
  {
    name: '$retainKeys switches the strategy RollingUpdate → Recreate',
    patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
    check: (out) => {
      assert.deepEqual((out['spec'] as JsonObject)['strategy'], { type: 'Recreate' });
    },
  },
  {
    name: '$retainKeys clears fields the patch does not mention',
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    check: (out) => {
      assert.deepEqual((out['spec'] as JsonObject)['strategy'], { type: 'Recreate' });
    },
  },
  {
    name: '$retainKeys on a volume switches its source',
    patch: tplSpec({
      volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }],
    }),
    check: (out) => {
      assert.deepEqual((podSpec(out) as { spec: JsonObject }).spec['volumes'], [
        { name: 'v', configMap: { name: 'cm' } },
      ]);
    },
  },
  {
    name: '{"$patch":"replace"} element replaces the whole list',
    patch: tplSpec({ containers: [{ $patch: 'replace' }, { name: 'z', image: 'z' }] }),
    check: (out) => {
      assert.deepEqual(containers(out), [{ name: 'z', image: 'z' }]);
    },
  },
  {
    name: '$patch: replace in a map replaces the map',
    patch: { metadata: { labels: { $patch: 'replace', tier: 'fe' } } },
    check: (out) => {
      assert.deepEqual((out['metadata'] as JsonObject)['labels'], { tier: 'fe' });
    },
  },
  {
    name: '$patch: delete in a map removes it',
    patch: { spec: { strategy: { $patch: 'delete' } } },
    check: (out) => {
      assert.equal(Object.hasOwn(out['spec'] as JsonObject, 'strategy'), false);
    },
  },
  {
    name: '$patch: merge in a map is the default',
    patch: { metadata: { labels: { $patch: 'merge', tier: 'fe' } } },
    check: (out) => {
      assert.deepEqual((out['metadata'] as JsonObject)['labels'], { app: 'web', tier: 'fe' });
    },
  },
  {
    name: '$deleteFromPrimitiveList/finalizers',
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
    check: (out) => {
      assert.deepEqual((out['metadata'] as JsonObject)['finalizers'], ['b']);
    },
  },
  {
    name: 'primitive merge list is a union; new values first without $setElementOrder (as kube)',
    patch: { metadata: { finalizers: ['c', 'a'] } },
    check: (out) => {
      assert.deepEqual((out['metadata'] as JsonObject)['finalizers'], ['c', 'a', 'b']);
    },
  },
  {
    name: 'primitive list add, delete and $setElementOrder together (kubectl apply)',
    patch: {
      metadata: {
        '$setElementOrder/finalizers': ['a', 'c'],
        finalizers: ['c'],
        '$deleteFromPrimitiveList/finalizers': ['b'],
      },
    },
    check: (out) => {
      assert.deepEqual((out['metadata'] as JsonObject)['finalizers'], ['a', 'c']);
    },
  },
  {
    name: 'atomic list (tolerations) is replaced',
    patch: tplSpec({ tolerations: [{ key: 'y', operator: 'Exists' }] }),
    check: (out) => {
      assert.deepEqual((podSpec(out) as { spec: JsonObject }).spec['tolerations'], [
        { key: 'y', operator: 'Exists' },
      ]);
    },
  },
  {
    name: 'null deletes a label; scalars replace',
    patch: { metadata: { labels: { app: null } }, spec: { replicas: 3 } },
    check: (out) => {
      assert.deepEqual((out['metadata'] as JsonObject)['labels'], {});
      assert.equal((out['spec'] as JsonObject)['replicas'], 3);
    },
  },
  {
    name: 'rollout restart adds an annotation to the template',
    patch: {
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } } },
    },
    check: (out) => {
      assert.deepEqual((podSpec(out) as { metadata: JsonObject }).metadata, {
        labels: { app: 'web' },
        annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' },
      });
    },
  },
  {
    name: 'directives inside a value that is new are resolved too',
    patch: {
      spec: {
        template: {
          spec: { initContainers: [{ name: 'i', image: 'x', env: [{ name: 'E', value: null }] }] },
        },
      },
    },
    check: (out) => {
      assert.deepEqual((podSpec(out) as { spec: JsonObject }).spec['initContainers'], [
        { name: 'i', image: 'x', env: [{ name: 'E' }] },
      ]);
    },
  },
];

// The brief's exact kubectl edit/apply body.
cases[0] = {
  name: 'kubectl apply changes an image ($setElementOrder, partial element)',
  patch: tplSpec({
    '$setElementOrder/containers': [{ name: 'c' }],
    containers: [{ image: 'httpd', name: 'c' }],
  }),
  check: (out) => {
    const [c, sidecar] = containers(out);
    assert.equal(c?.['image'], 'httpd');
    assert.deepEqual(c?.['ports'], (containers(makeDeployment())[0] as JsonObject)['ports']);
    assert.deepEqual(sidecar, { name: 'sidecar', image: 'envoy' });
  },
};

function hasDirective(v: JsonValue): boolean {
  if (Array.isArray(v)) return v.some(hasDirective);
  if (v === null || typeof v !== 'object') return false;
  return Object.entries(v).some(
    ([k, x]) =>
      k === '$patch' ||
      k === '$retainKeys' ||
      k.startsWith('$setElementOrder') ||
      k.startsWith('$deleteFromPrimitiveList') ||
      hasDirective(x),
  );
}

describe('applyStrategicMergePatch on a Deployment', () => {
  for (const c of cases) {
    it(c.name, () => {
      const doc = makeDeployment();
      const patch = cloneJson(c.patch);
      const out = applyStrategicMergePatch(doc, patch, deploymentSchema);
      c.check(out);
      assert.equal(hasDirective(out), false, 'no directive keys in the result');
      assert.deepEqual(doc, makeDeployment(), 'doc not mutated');
      assert.deepEqual(patch, c.patch, 'patch not mutated');
    });
  }

  it('Service ports merge by port', () => {
    const svc = {
      spec: {
        ports: [
          { port: 80, protocol: 'TCP', targetPort: 8080 },
          { port: 443, protocol: 'TCP' },
        ],
      },
    };
    const out = applyStrategicMergePatch(
      svc,
      { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
      serviceSchema,
    );
    assert.deepEqual((out['spec'] as JsonObject)['ports'], [
      { port: 80, protocol: 'TCP', targetPort: 9090 },
      { port: 443, protocol: 'TCP' },
    ]);
  });

  it('without a schema, lists are replaced and maps merged', () => {
    const out = applyStrategicMergePatch({ a: [1, 2], m: { x: 1 } }, { a: [3], m: { y: 2 } }, undefined);
    assert.deepEqual(out, { a: [3], m: { x: 1, y: 2 } });
  });

  it('a root $patch: delete yields {}', () => {
    assert.deepEqual(applyStrategicMergePatch(makeDeployment(), { $patch: 'delete' }, deploymentSchema), {});
  });
});

const invalid: { name: string; patch: JsonObject; code: number; message: string | RegExp }[] = [
  {
    name: 'unknown $patch in a map',
    patch: { spec: { $patch: 'frob' } },
    code: 400,
    message: 'unknown patch type: frob in map: map[$patch:frob]',
  },
  {
    name: 'list element without its merge key',
    patch: tplSpec({ containers: [{ image: 'x' }] }),
    code: 400,
    message: 'map: map[image:x] does not contain declared merge key: name',
  },
  {
    name: 'unknown $patch element',
    patch: tplSpec({ containers: [{ name: 'c', $patch: 'frob' }] }),
    code: 400,
    message: /unknown patch type: frob/,
  },
  {
    name: '$patch: merge element',
    patch: tplSpec({ containers: [{ name: 'c', $patch: 'merge' }] }),
    code: 400,
    message: 'merging lists cannot yet be specified in the patch',
  },
  {
    name: '$retainKeys not a list',
    patch: { spec: { strategy: { $retainKeys: 'type' } } },
    code: 400,
    message: 'invalid patch format of retainKeys',
  },
  {
    name: 'patch key missing from $retainKeys',
    patch: {
      spec: { strategy: { $retainKeys: ['type'], type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
    },
    code: 400,
    message: 'invalid patch format of retainKeys',
  },
  {
    name: '$setElementOrder not a list',
    patch: tplSpec({ '$setElementOrder/containers': 'c' }),
    code: 400,
    message: /expected a \[\]interface \{\}, but received a string/,
  },
  {
    name: 'patch order contradicts $setElementOrder',
    patch: tplSpec({
      '$setElementOrder/containers': [{ name: 'c' }, { name: 'sidecar' }],
      containers: [{ name: 'sidecar' }, { name: 'c' }],
    }),
    code: 400,
    message: /doesn't match \$setElementOrder list/,
  },
  {
    name: 'patch item missing from $setElementOrder',
    patch: tplSpec({ '$setElementOrder/containers': [{ name: 'c' }], containers: [{ name: 'other' }] }),
    code: 400,
    message: /doesn't match/,
  },
  {
    name: '$deleteFromPrimitiveList value not a list',
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } },
    code: 400,
    message: 'invalid patch format of primitive list',
  },
  {
    name: 'malformed $deleteFromPrimitiveList key',
    patch: { metadata: { $deleteFromPrimitiveListfinalizers: ['a'] } },
    code: 400,
    message: 'invalid patch format of primitive list',
  },
  {
    name: 'malformed $setElementOrder key',
    patch: { metadata: { $setElementOrderX: [] } },
    code: 400,
    message: 'invalid patch format of setElementOrder list',
  },
  {
    name: 'mixed element types in a merge list',
    patch: { metadata: { finalizers: [1] } },
    code: 400,
    message: /list element types are not identical/,
  },
  {
    name: 'lists of lists',
    patch: { metadata: { finalizers: [['x']] } },
    code: 422,
    message: 'the server rejected our request due to an error in our request',
  },
];

describe('applyStrategicMergePatch rejects malformed directives', () => {
  for (const c of invalid) {
    it(c.name, () => {
      assert.throws(
        () => applyStrategicMergePatch(makeDeployment(), c.patch, deploymentSchema),
        (err: unknown) => {
          assert.ok(err instanceof StatusError);
          assert.equal(err.code, c.code);
          if (typeof c.message === 'string') assert.equal(err.message, c.message);
          else assert.match(err.message, c.message);
          return true;
        },
      );
    });
  }
});

/** Sanitises generated JSON: plain prototypes, no `$` keys, no nulls inside arrays (merged away by SMP). */
function sanitize(v: JsonValue, inArray = false): JsonValue {
  if (Array.isArray(v)) return v.map((x) => (x === null ? 0 : sanitize(x, true)));
  if (v === null || typeof v !== 'object') return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$') || (inArray && x === null)) continue;
    Object.defineProperty(out, k, {
      value: sanitize(x, inArray),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
const jsonObject = fc
  .dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }))
  .map((d) => sanitize(d as JsonValue) as JsonObject);

const names = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 5 });
const containerList = names.chain((ns) =>
  fc
    .tuple(...ns.map((name) => fc.record({ name: fc.constant(name), image: fc.constantFrom('x', 'y', 'z') })))
    .map((list) => list.map((c) => ({ ...c }))),
);

describe('applyStrategicMergePatch properties', () => {
  it('without a schema and directives it is JSON merge patch', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (doc, patch) => {
        assert.deepEqual(applyStrategicMergePatch(doc, patch, undefined), applyMergePatch(doc, patch));
      }),
    );
  });

  it('an empty patch is the identity', () => {
    fc.assert(
      fc.property(jsonObject, (doc) => {
        assert.deepEqual(applyStrategicMergePatch(doc, {}, deploymentSchema), doc);
      }),
    );
    assert.deepEqual(applyStrategicMergePatch(makeDeployment(), {}, deploymentSchema), makeDeployment());
  });

  it('containers merge by name: union of names, patch images win, idempotent, inputs untouched', () => {
    fc.assert(
      fc.property(
        containerList,
        containerList,
        fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 2 }),
        (live, upd, dels) => {
          const doc = tplSpec({ containers: live });
          const patch = tplSpec({
            containers: [...upd, ...dels.map((name) => ({ name, $patch: 'delete' }))],
          });
          const [docBefore, patchBefore] = [cloneJson(doc), cloneJson(patch)];
          const out = applyStrategicMergePatch(doc, patch, deploymentSchema);
          assert.deepEqual(doc, docBefore);
          assert.deepEqual(patch, patchBefore);
          assert.equal(hasDirective(out), false);
          const got = containers(out);
          const want = new Set([
            ...live.map((c) => c.name).filter((n) => !dels.includes(n)),
            ...upd.map((c) => c.name),
          ]);
          assert.deepEqual(new Set(got.map((c) => c['name'])), want);
          assert.equal(got.length, want.size);
          for (const c of upd) assert.equal(got.find((g) => g['name'] === c.name)?.['image'], c.image);
          const noDeletes = tplSpec({ containers: upd });
          const once = applyStrategicMergePatch(doc, noDeletes, deploymentSchema);
          assert.deepEqual(applyStrategicMergePatch(once, noDeletes, deploymentSchema), once);
        },
      ),
    );
  });

  it('$setElementOrder listing every final name fixes the final order', () => {
    fc.assert(
      fc.property(containerList, containerList, (live, upd) => {
        const finalNames = [...new Set([...upd.map((c) => c.name), ...live.map((c) => c.name)])];
        const patch = tplSpec({
          '$setElementOrder/containers': finalNames.map((name) => ({ name })),
          containers: upd,
        });
        const out = applyStrategicMergePatch(tplSpec({ containers: live }), patch, deploymentSchema);
        assert.deepEqual(
          containers(out).map((c) => c['name']),
          finalNames,
        );
      }),
    );
  });
});
