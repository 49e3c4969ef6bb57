import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { builtinResources } from '../builtin-resources.js';
import type { JsonObject, JsonValue } from '../meta.js';
import { isJsonObject } from '../meta.js';
import {
  builtinComponent,
  builtinComponentName,
  builtinOpenAPISchemas,
  builtinSchemaSource,
} from './builtin-openapi-schemas.js';

function refsOf(v: JsonValue, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refsOf(x, out);
  else if (isJsonObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x);
      else refsOf(x, out);
    }
  }
  return out;
}

/** Follows `path` (property names; `[]` = items) through properties, allOf $refs and items. */
function walk(schema: JsonObject, path: readonly string[]): JsonObject | undefined {
  let cur: JsonObject | undefined = schema;
  for (const step of path) {
    if (!cur) return undefined;
    cur = deref(cur);
    const next: JsonValue | undefined =
      step === '[]' ? cur['items'] : isJsonObject(cur['properties']) ? cur['properties'][step] : undefined;
    cur = isJsonObject(next) ? next : undefined;
  }
  return cur;
}

function deref(s: JsonObject): JsonObject {
  const allOf = s['allOf'];
  const inner = Array.isArray(allOf) && isJsonObject(allOf[0]) ? allOf[0] : s;
  const ref = inner['$ref'];
  return typeof ref === 'string' ? (builtinComponent(ref) ?? s) : s;
}

describe('builtinOpenAPISchemas', () => {
  it('has a GVK-stamped component for every built-in kind and its list', () => {
    for (const r of builtinResources()) {
      for (const kind of [r.kind, r.listKind]) {
        const name = builtinComponentName(r.group, r.version, kind);
        assert.ok(name, `${r.group}/${r.version} ${kind}`);
        const schema = builtinComponent(name);
        assert.ok(schema, name);
        assert.deepEqual(schema['x-kubernetes-group-version-kind'], [
          { group: r.group, kind, version: r.version },
        ]);
        assert.equal(builtinOpenAPISchemas().byGVK(r.group, r.version, kind), name);
      }
    }
  });

  it('names components as upstream does', () => {
    const table: [string, string, string, string][] = [
      ['apps', 'v1', 'Deployment', 'io.k8s.api.apps.v1.Deployment'],
      ['', 'v1', 'Pod', 'io.k8s.api.core.v1.Pod'],
      ['', 'v1', 'Event', 'io.k8s.api.core.v1.Event'],
      ['events.k8s.io', 'v1', 'Event', 'io.k8s.api.events.v1.Event'],
      ['networking.k8s.io', 'v1', 'Ingress', 'io.k8s.api.networking.v1.Ingress'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'io.k8s.api.rbac.v1.ClusterRole'],
      ['autoscaling', 'v2', 'HorizontalPodAutoscaler', 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler'],
      ['autoscaling', 'v1', 'Scale', 'io.k8s.api.autoscaling.v1.Scale'],
      [
        'apiextensions.k8s.io',
        'v1',
        'CustomResourceDefinition',
        'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
      ],
    ];
    for (const [g, v, k, want] of table) assert.equal(builtinComponentName(g, v, k), want);
  });

  it('returns undefined for unknown kinds and components', () => {
    assert.equal(builtinComponentName('example.com', 'v1', 'Widget'), undefined);
    assert.equal(builtinComponentName('apps', 'v1beta1', 'Deployment'), undefined);
    assert.equal(builtinComponent('io.k8s.api.apps.v1.NoSuchThing'), undefined);
    assert.equal(builtinComponent('io.example.v1.Widget'), undefined);
  });

  it('resolves every $ref to a component', () => {
    const { schemas } = builtinOpenAPISchemas();
    assert.ok(Object.keys(schemas).length > 100);
    for (const [name, schema] of Object.entries(schemas)) {
      for (const ref of refsOf(schema)) {
        assert.match(ref, /^#\/components\/schemas\//, name);
        assert.ok(builtinComponent(ref), `${name} -> ${ref}`);
      }
    }
  });

  it('carries upstream descriptions, types and formats', () => {
    const deployment = builtinComponent('io.k8s.api.apps.v1.Deployment');
    assert.ok(deployment);
    const table: { path: string[]; type?: string; format?: string; description: RegExp }[] = [
      { path: ['spec', 'replicas'], type: 'integer', format: 'int32', description: /Number of desired pods/ },
      { path: ['spec', 'paused'], type: 'boolean', description: /paused/ },
      { path: ['spec', 'template', 'spec', 'containers'], type: 'array', description: /containers/i },
      {
        path: ['spec', 'template', 'spec', 'containers', '[]', 'image'],
        type: 'string',
        description: /image/i,
      },
      { path: ['metadata', 'creationTimestamp'], description: /CreationTimestamp/ },
      { path: ['kind'], type: 'string', description: /REST resource/ },
    ];
    for (const { path, type, format, description } of table) {
      const s = walk(deployment, path);
      assert.ok(s, path.join('.'));
      if (type !== undefined) assert.equal(s['type'], type, path.join('.'));
      if (format !== undefined) assert.equal(s['format'], format, path.join('.'));
      assert.match(typeof s['description'] === 'string' ? s['description'] : '', description, path.join('.'));
    }
    const port = builtinComponent('io.k8s.api.core.v1.ContainerPort');
    assert.deepEqual(port?.['required'], ['containerPort']);
    assert.deepEqual(walk(port ?? {}, ['protocol'])?.['enum'], ['SCTP', 'TCP', 'UDP']);
  });

  it('keeps Quantity, IntOrString and opaque JSON lenient', () => {
    const quantity = builtinComponent('io.k8s.apimachinery.pkg.api.resource.Quantity');
    assert.deepEqual(quantity?.['oneOf'], [{ type: 'string' }, { type: 'number' }]);
    const ios = builtinComponent('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    assert.equal(ios?.['x-kubernetes-int-or-string'], true);
    const fields = builtinComponent('io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1');
    assert.equal(fields?.['x-kubernetes-preserve-unknown-fields'], true);
  });

  it('adds strategic-merge patch metadata', () => {
    const podSpec = builtinComponent('io.k8s.api.core.v1.PodSpec') ?? {};
    const containers = walk(podSpec, ['containers']);
    assert.equal(containers?.['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(containers?.['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(walk(podSpec, ['volumes'])?.['x-kubernetes-patch-strategy'], 'merge,retainKeys');
    assert.equal(walk(podSpec, ['tolerations'])?.['x-kubernetes-patch-strategy'], undefined);
    const strategy = walk(builtinComponent('io.k8s.api.apps.v1.DeploymentSpec') ?? {}, ['strategy']);
    assert.equal(strategy?.['x-kubernetes-patch-strategy'], 'retainKeys');
  });

  it('was generated from the installed kubernetes-models version', () => {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(require.resolve('kubernetes-models/package.json'), 'utf8')) as {
      version: string;
    };
    assert.deepEqual(builtinSchemaSource(), { package: 'kubernetes-models', version: pkg.version });
  });
});
