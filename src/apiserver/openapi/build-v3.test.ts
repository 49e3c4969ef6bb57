import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinOpenAPISchemas } from '../../api/builtin-schemas/builtin-openapi-schemas.js';
import { builtinResources } from '../../api/builtin-resources.js';
import type { JsonObject } from '../../api/meta.js';
import { ALL_VERBS } from '../../api/resource-info.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { buildOpenAPIV3, contentHash, groupVersionPath } from './build-v3.js';
import { cloneJson } from '../../base/json-clone.js';

function makeCRD(overrides: Partial<ResourceInfo> = {}): ResourceInfo {
  return {
    group: 'example.com',
    version: 'v1',
    kind: 'Widget',
    listKind: 'WidgetList',
    plural: 'widgets',
    singular: 'widget',
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: { status: true },
    builtin: false,
    storagePrefix: 'example.com/widgets',
    generation: true,
    openapi: {
      type: 'object',
      description: 'A widget.',
      properties: {
        spec: {
          type: 'object',
          properties: { size: { type: 'integer', description: 'How big the widget is.' } },
        },
      },
    },
    ...overrides,
  };
}

const components = builtinOpenAPISchemas().schemas;
const builtins = builtinResources();
const built = buildOpenAPIV3([...builtins, makeCRD()], components);

interface Doc {
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: Record<string, JsonObject> };
}

function doc(key: string): Doc {
  const d = built.documents.get(key);
  assert.ok(d, key);
  return JSON.parse(d.body) as Doc;
}

describe('buildOpenAPIV3', () => {
  it('indexes every served group-version with a hash of its document', () => {
    const paths = built.index['paths'] as Record<string, { serverRelativeURL: string }>;
    const want = new Set([...builtins, makeCRD()].map((r) => groupVersionPath(r.group, r.version)));
    assert.deepEqual(Object.keys(paths).sort(), [...want].sort());
    assert.ok(paths['api/v1'] && paths['apis/apps/v1'] && paths['apis/example.com/v1']);
    for (const [key, entry] of Object.entries(paths)) {
      const d = built.documents.get(key);
      assert.ok(d);
      assert.equal(d.hash, contentHash(d.body));
      assert.match(d.hash, /^[0-9A-F]{128}$/);
      assert.equal(entry.serverRelativeURL, `/openapi/v3/${key}?hash=${d.hash}`);
    }
  });

  it('is deterministic and changes only the affected document when a CRD is added', () => {
    const before = buildOpenAPIV3(builtins, components);
    const again = buildOpenAPIV3(builtins, components);
    assert.deepEqual([...again.documents], [...before.documents]);
    const gadget = makeCRD({ kind: 'Gadget', listKind: 'GadgetList', plural: 'gadgets', singular: 'gadget' });
    const withOne = buildOpenAPIV3([...builtins, makeCRD()], components);
    const withTwo = buildOpenAPIV3([...builtins, makeCRD(), gadget], components);
    assert.equal(before.documents.get('apis/example.com/v1'), undefined);
    const h1 = withOne.documents.get('apis/example.com/v1')?.hash;
    const h2 = withTwo.documents.get('apis/example.com/v1')?.hash;
    assert.ok(h1 && h2 && h1 !== h2);
    assert.notDeepEqual(withOne.index, withTwo.index);
    assert.equal(withTwo.documents.get('apis/apps/v1')?.hash, before.documents.get('apis/apps/v1')?.hash);
  });

  it('has collection, item, all-namespaces and subresource paths with GVK-tagged operations', () => {
    const apps = doc('apis/apps/v1');
    const gvk = { group: 'apps', kind: 'Deployment', version: 'v1' };
    const table: [path: string, method: string, action: string][] = [
      ['/apis/apps/v1/deployments', 'get', 'list'],
      ['/apis/apps/v1/namespaces/{namespace}/deployments', 'get', 'list'],
      ['/apis/apps/v1/namespaces/{namespace}/deployments', 'post', 'post'],
      ['/apis/apps/v1/namespaces/{namespace}/deployments', 'delete', 'deletecollection'],
      ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'get', 'get'],
      ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'put', 'put'],
      ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'patch', 'patch'],
      ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'delete', 'delete'],
      ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status', 'patch', 'patch'],
    ];
    for (const [path, method, action] of table) {
      const op = apps.paths[path]?.[method];
      assert.ok(op, `${method} ${path}`);
      assert.equal(op['x-kubernetes-action'], action, `${method} ${path}`);
      assert.deepEqual(op['x-kubernetes-group-version-kind'], gvk, `${method} ${path}`);
    }
    const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']?.['patch'];
    assert.deepEqual(scale?.['x-kubernetes-group-version-kind'], {
      group: 'autoscaling',
      kind: 'Scale',
      version: 'v1',
    });
    assert.ok(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
    const cluster = doc('api/v1');
    assert.ok(cluster.paths['/api/v1/namespaces/{name}']?.['patch'], 'cluster-scoped item path');
    assert.ok(cluster.paths['/api/v1/namespaces/{namespace}/pods/{name}/log']?.['get']);
    assert.ok(cluster.paths['/api/v1/pods']?.['get'], 'all-namespaces list for pods');
  });

  it('offers fieldValidation on writes and strategic merge patch only for built-in kinds', () => {
    const table: [key: string, path: string, smp: boolean][] = [
      ['apis/apps/v1', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}', true],
      ['api/v1', '/api/v1/namespaces/{name}', true],
      ['apis/example.com/v1', '/apis/example.com/v1/namespaces/{namespace}/widgets/{name}', false],
      ['apis/example.com/v1', '/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status', false],
    ];
    for (const [key, path, smp] of table) {
      const patch = doc(key).paths[path]?.['patch'] as {
        parameters: { name: string }[];
        requestBody: { content: JsonObject };
      };
      assert.ok(patch, path);
      assert.ok(
        patch.parameters.some((p) => p.name === 'fieldValidation'),
        path,
      );
      const types = Object.keys(patch.requestBody.content);
      for (const t of [
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/apply-patch+yaml',
      ]) {
        assert.ok(types.includes(t), `${path} ${t}`);
      }
      assert.equal(types.includes('application/strategic-merge-patch+json'), smp, path);
      const post = doc(key).paths[path.replace(/\/\{name\}(\/status)?$/, '')]?.['post'] as {
        parameters: { name: string }[];
      };
      assert.ok(
        post.parameters.some((p) => p.name === 'fieldValidation'),
        `${path} post`,
      );
    }
  });

  it('includes reachable built-in components with their descriptions', () => {
    const schemas = doc('apis/apps/v1').components.schemas;
    const spec = schemas['io.k8s.api.apps.v1.DeploymentSpec'];
    const replicas = (spec?.['properties'] as Record<string, JsonObject> | undefined)?.['replicas'];
    assert.equal(typeof replicas?.['description'], 'string');
    assert.match(replicas?.['description'] as string, /Number of desired pods/);
    for (const name of [
      'io.k8s.api.apps.v1.Deployment',
      'io.k8s.api.apps.v1.DeploymentList',
      'io.k8s.api.core.v1.PodTemplateSpec',
      'io.k8s.api.core.v1.Container',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
    ]) {
      assert.ok(schemas[name], name);
    }
    assert.equal(schemas['io.k8s.api.batch.v1.Job'], undefined, 'no unrelated kinds');
    for (const body of [...built.documents.values()].map((d) => d.body)) {
      const d = JSON.parse(body) as Doc;
      for (const ref of body.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
        assert.ok(d.components.schemas[ref[1] ?? ''], `dangling ${ref[1]}`);
      }
    }
  });

  it('generates CRD components with apiVersion, kind, ObjectMeta and the GVK', () => {
    const d = doc('apis/example.com/v1');
    const widget = d.components.schemas['com.example.v1.Widget'];
    assert.ok(widget);
    assert.deepEqual(widget['x-kubernetes-group-version-kind'], [
      { group: 'example.com', kind: 'Widget', version: 'v1' },
    ]);
    assert.equal(widget['description'], 'A widget.');
    const props = widget['properties'] as Record<string, JsonObject>;
    assert.deepEqual(props['metadata']?.['allOf'], [
      { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
    ]);
    assert.equal(props['kind']?.['type'], 'string');
    assert.equal(props['apiVersion']?.['type'], 'string');
    assert.deepEqual(
      props['spec'],
      makeCRD().openapi?.['properties'] && (makeCRD().openapi?.['properties'] as JsonObject)['spec'],
    );
    const list = d.components.schemas['com.example.v1.WidgetList'];
    assert.deepEqual(list?.['x-kubernetes-group-version-kind'], [
      { group: 'example.com', kind: 'WidgetList', version: 'v1' },
    ]);
    assert.ok(d.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
    const get = d.paths['/apis/example.com/v1/widgets']?.['get'];
    assert.deepEqual(get?.['x-kubernetes-group-version-kind'], {
      group: 'example.com',
      kind: 'Widget',
      version: 'v1',
    });
  });

  it('serves a CRD without a schema and does not mutate its input', () => {
    const bare = makeCRD({ group: 'bare.io', storagePrefix: 'bare.io/widgets' });
    delete bare.openapi;
    const withSchema = makeCRD();
    const copy = cloneJson(withSchema.openapi);
    const out = buildOpenAPIV3([bare, withSchema], components);
    const d = JSON.parse(out.documents.get('apis/bare.io/v1')?.body ?? '{}') as Doc;
    assert.equal(d.components.schemas['io.bare.v1.Widget']?.['x-kubernetes-preserve-unknown-fields'], true);
    assert.deepEqual(withSchema.openapi, copy);
  });
});
