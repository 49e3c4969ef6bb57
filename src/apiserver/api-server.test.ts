import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/fake-clock.js';
import { noopLogger } from '../base/logger.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { ApiServer } from './api-server.js';
import { call } from './testing/call.js';

const NS = '/api/v1/namespaces/default/configmaps';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';

function cm(
  name: string,
  data: Record<string, string> = { a: '1' },
  labels?: Record<string, string>,
): object {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
}

function deployment(name: string, replicas = 1): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    },
  };
}

async function newServer(): Promise<ApiServer> {
  const server = new ApiServer({ store: new MemoryStore(), clock: new FakeClock(), log: noopLogger });
  await server.start();
  return server;
}

/** A namespaced CRD in group example.com with the given names and versions. */
function crdManifest(
  names: { plural: string; singular: string; kind: string; shortNames?: string[] },
  versions: object[],
): object {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.example.com` },
    spec: { group: 'example.com', scope: 'Namespaced', names, versions },
  };
}

async function readLines(
  stream: AsyncIterable<string>,
  n: number,
): Promise<{ type: string; object: Record<string, unknown> }[]> {
  const out: { type: string; object: Record<string, unknown> }[] = [];
  for await (const line of stream) {
    out.push(JSON.parse(line) as { type: string; object: Record<string, unknown> });
    if (out.length >= n) break;
  }
  return out;
}

describe('ApiServer CRUD', () => {
  let server: ApiServer;
  before(async () => {
    server = await newServer();
  });

  it('creates with server-owned metadata and reads it back', async () => {
    const created = await call(server, 'POST', NS, { body: cm('one') });
    assert.equal(created.status, 201);
    const meta = created.json.metadata ?? {};
    assert.match(String(meta['uid']), /^[0-9a-f-]{36}$/);
    assert.match(String(meta['creationTimestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(String(meta['resourceVersion']), /^\d+$/);
    const got = await call(server, 'GET', `${NS}/one`);
    assert.deepEqual(got.json, created.json);
  });

  it('answers NotFound, AlreadyExists and Conflict like kube-apiserver', async () => {
    const missing = await call(server, 'GET', `${NS}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json['reason'], 'NotFound');
    assert.equal(missing.json['message'], 'configmaps "nope" not found');
    await call(server, 'POST', NS, { body: cm('dup') });
    const dup = await call(server, 'POST', NS, { body: cm('dup') });
    assert.equal(dup.status, 409);
    assert.equal(dup.json['reason'], 'AlreadyExists');
    assert.equal(dup.json['message'], 'configmaps "dup" already exists');
    const stale = { ...cm('dup', { a: '2' }), metadata: { name: 'dup', resourceVersion: '1' } };
    const conflict = await call(server, 'PUT', `${NS}/dup`, { body: stale });
    assert.equal(conflict.status, 409);
    assert.equal(
      conflict.json['message'],
      'Operation cannot be fulfilled on configmaps "dup": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('rejects invalid objects with 422 and field causes', async () => {
    const bad = await call(server, 'POST', DEPLOYS, { body: deployment('Bad_Name', -1) });
    assert.equal(bad.status, 422);
    assert.equal(bad.json['reason'], 'Invalid');
    const causes = (bad.json['details'] as { causes: { field: string }[] }).causes.map((c) => c.field);
    assert.ok(causes.includes('metadata.name'));
    assert.ok(causes.includes('spec.replicas'));
  });

  it('does not bump the resourceVersion on a no-op update and bumps generation on spec changes', async () => {
    const created = await call(server, 'POST', DEPLOYS, { body: deployment('gen') });
    const rv = String(created.json.metadata?.['resourceVersion']);
    const same = await call(server, 'PUT', `${DEPLOYS}/gen`, { body: created.json });
    assert.equal(same.json.metadata?.['resourceVersion'], rv);
    const patched = await call(server, 'PATCH', `${DEPLOYS}/gen`, {
      body: { spec: { replicas: 3 } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.json.metadata?.['generation'], 2);
    const labelled = await call(server, 'PATCH', `${DEPLOYS}/gen`, {
      body: { metadata: { labels: { x: 'y' } } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(labelled.json.metadata?.['generation'], 2);
  });

  it('pages a list with limit and continue at one revision', async () => {
    for (let i = 0; i < 7; i++)
      await call(server, 'POST', '/api/v1/namespaces/kube-public/configmaps', { body: cm(`p${i}`) });
    const names: string[] = [];
    let token: string | undefined;
    let rv: string | undefined;
    do {
      const page = await call(server, 'GET', '/api/v1/namespaces/kube-public/configmaps', {
        query: { limit: '3', ...(token ? { continue: token } : {}) },
      });
      const meta = page.json.metadata ?? {};
      rv ??= String(meta['resourceVersion']);
      assert.equal(meta['resourceVersion'], rv);
      if (!token)
        await call(server, 'POST', '/api/v1/namespaces/kube-public/configmaps', { body: cm('late') });
      for (const item of page.json.items ?? []) names.push((item['metadata'] as { name: string }).name);
      token = meta['continue'] as string | undefined;
    } while (token);
    assert.deepEqual(names, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });

  it('filters by label and field selectors and rejects unsupported field labels', async () => {
    await call(server, 'POST', NS, { body: cm('sel-a', {}, { tier: 'fe' }) });
    await call(server, 'POST', NS, { body: cm('sel-b', {}, { tier: 'be' }) });
    const fe = await call(server, 'GET', NS, { query: { labelSelector: 'tier in (fe),!missing' } });
    assert.deepEqual(
      fe.json.items?.map((i) => (i['metadata'] as { name: string }).name),
      ['sel-a'],
    );
    const byName = await call(server, 'GET', NS, { query: { fieldSelector: 'metadata.name=sel-b' } });
    assert.equal(byName.json.items?.length, 1);
    const unsupported = await call(server, 'GET', NS, { query: { fieldSelector: 'spec.foo=1' } });
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.json['message'], 'field label not supported: spec.foo');
  });

  it('refuses unknown fields under fieldValidation=Strict and warns under Warn', async () => {
    const body = { ...cm('strict'), bogus: 1 };
    const strict = await call(server, 'POST', NS, { body, query: { fieldValidation: 'Strict' } });
    assert.equal(strict.status, 400);
    assert.match(String(strict.json['message']), /unknown field "bogus"/);
    const warn = await call(server, 'POST', NS, { body, query: { fieldValidation: 'Warn' } });
    assert.equal(warn.status, 201);
    assert.match(String(warn.headers['warning']), /unknown field/);
  });

  it('dry-runs without persisting', async () => {
    const dry = await call(server, 'POST', NS, { body: cm('dry'), query: { dryRun: 'All' } });
    assert.equal(dry.status, 201);
    assert.equal((await call(server, 'GET', `${NS}/dry`)).status, 404);
  });

  it('serves the scale subresource as autoscaling/v1 Scale', async () => {
    await call(server, 'POST', DEPLOYS, { body: deployment('sc', 2) });
    const scale = await call(server, 'GET', `${DEPLOYS}/sc/scale`);
    assert.equal(scale.json['kind'], 'Scale');
    assert.deepEqual(scale.json['spec'], { replicas: 2 });
    const patched = await call(server, 'PATCH', `${DEPLOYS}/sc/scale`, {
      body: { spec: { replicas: 4 } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.deepEqual(patched.json['spec'], { replicas: 4 });
    const d = await call(server, 'GET', `${DEPLOYS}/sc`);
    assert.equal((d.json['spec'] as { replicas: number }).replicas, 4);
  });

  it('keeps objects with finalizers until they are removed', async () => {
    await call(server, 'POST', NS, {
      body: { ...cm('fin'), metadata: { name: 'fin', finalizers: ['example.com/hold'] } },
    });
    const del = await call(server, 'DELETE', `${NS}/fin`);
    assert.equal(del.status, 200);
    assert.ok(del.json.metadata?.['deletionTimestamp']);
    const still = await call(server, 'GET', `${NS}/fin`);
    assert.equal(still.status, 200);
    await call(server, 'PATCH', `${NS}/fin`, {
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    assert.equal((await call(server, 'GET', `${NS}/fin`)).status, 404);
  });
});

describe('ApiServer watch', () => {
  it('sends synthetic ADDED, then changes, with the deletion revision on DELETED', async () => {
    const server = await newServer();
    await call(server, 'POST', NS, { body: cm('w1') });
    const abort = new AbortController();
    const res = await call(server, 'GET', NS, { query: { watch: 'true' }, signal: abort.signal });
    assert.ok(res.response.stream);
    const eventsP = readLines(res.response.stream, 3);
    await call(server, 'PATCH', `${NS}/w1`, {
      body: { data: { a: '2' } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    const del = await call(server, 'DELETE', `${NS}/w1`);
    assert.equal(del.status, 200);
    const events = await eventsP;
    abort.abort();
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'MODIFIED', 'DELETED'],
    );
    const modRv = Number((events[1]?.object['metadata'] as { resourceVersion: string }).resourceVersion);
    const delRv = Number((events[2]?.object['metadata'] as { resourceVersion: string }).resourceVersion);
    assert.ok(delRv > modRv, 'DELETED carries the revision of the deletion');
  });

  it('turns label transitions into ADDED and DELETED', async () => {
    const server = await newServer();
    await call(server, 'POST', NS, { body: cm('t1') });
    const abort = new AbortController();
    const res = await call(server, 'GET', NS, {
      query: { watch: 'true', labelSelector: 'on=yes' },
      signal: abort.signal,
    });
    assert.ok(res.response.stream);
    const eventsP = readLines(res.response.stream, 2);
    const merge = { 'content-type': 'application/merge-patch+json' };
    await call(server, 'PATCH', `${NS}/t1`, {
      body: { metadata: { labels: { on: 'yes' } } },
      headers: merge,
    });
    await call(server, 'PATCH', `${NS}/t1`, { body: { metadata: { labels: { on: 'no' } } }, headers: merge });
    const events = await eventsP;
    abort.abort();
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'DELETED'],
    );
  });
});

describe('ApiServer patch and apply', () => {
  it('merges containers by name with strategic merge patch', async () => {
    const server = await newServer();
    await call(server, 'POST', DEPLOYS, { body: deployment('smp') });
    const res = await call(server, 'PATCH', `${DEPLOYS}/smp`, {
      body: { spec: { template: { spec: { containers: [{ name: 'c', image: 'httpd' }] } } } },
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
    });
    assert.equal(res.status, 200);
    const containers = (
      res.json['spec'] as { template: { spec: { containers: { name: string; image: string }[] } } }
    ).template.spec.containers;
    assert.deepEqual(
      containers.map((c) => [c.name, c.image]),
      [['c', 'httpd']],
    );
  });

  it('creates on apply and reports conflicts between field managers', async () => {
    const server = await newServer();
    const apply = { 'content-type': 'application/apply-patch+yaml' };
    const first = await call(server, 'PATCH', `${DEPLOYS}/ssa`, {
      body: deployment('ssa', 1),
      headers: apply,
      query: { fieldManager: 'a' },
    });
    assert.equal(first.status, 201);
    const clash = await call(server, 'PATCH', `${DEPLOYS}/ssa`, {
      body: deployment('ssa', 5),
      headers: apply,
      query: { fieldManager: 'b' },
    });
    assert.equal(clash.status, 409);
    assert.equal(clash.json['message'], 'Apply failed with 1 conflict: conflict with "a": .spec.replicas');
    const forced = await call(server, 'PATCH', `${DEPLOYS}/ssa`, {
      body: deployment('ssa', 5),
      headers: apply,
      query: { fieldManager: 'b', force: 'true' },
    });
    assert.equal(forced.status, 200);
    assert.equal((forced.json['spec'] as { replicas: number }).replicas, 5);
    const missingManager = await call(server, 'PATCH', `${DEPLOYS}/ssa`, {
      body: deployment('ssa', 5),
      headers: apply,
    });
    assert.equal(missingManager.status, 422);
  });

  it('reads an apply body as JSON, YAML block or YAML flow style alike, and answers 400 for malformed ones', async () => {
    const server = await newServer();
    const apply = (name: string, body: string) =>
      call(server, 'PATCH', `${DEPLOYS}/${name}`, {
        body,
        headers: { 'content-type': 'application/apply-patch+yaml' },
        query: { fieldManager: 'm' },
      });
    const spec = (replicas: number) =>
      `spec: {replicas: ${replicas}, selector: {matchLabels: {app: x}}, template: {metadata: {labels: {app: x}}, spec: {containers: [{name: c, image: nginx}]}}}`;
    const json = await apply('as-json', JSON.stringify(deployment('as-json', 2)));
    assert.equal(json.status, 201);
    const block = await apply(
      'as-block',
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: as-block\n${spec(3)}\n`,
    );
    assert.equal(block.status, 201, JSON.stringify(block.json));
    const flow = await apply(
      'as-flow',
      `{apiVersion: apps/v1, kind: Deployment, metadata: {name: as-flow}, ${spec(4)}}`,
    );
    assert.equal(flow.status, 201, JSON.stringify(flow.json));
    assert.deepEqual(
      [json, block, flow].map((r) => (r.json['spec'] as { replicas: number }).replicas),
      [2, 3, 4],
    );
    const malformed = await apply('bad', '{"apiVersion": "apps/v1", "kind": ');
    assert.equal(malformed.status, 400);
    assert.match(String(malformed.json['message']), /^error decoding YAML: /);
    const twoDocs = await apply('bad', `${JSON.stringify(deployment('bad', 1))}\n---\n{}\n`);
    assert.equal(twoDocs.status, 400);
    assert.equal(
      twoDocs.json['message'],
      'error decoding YAML: apply patch must contain exactly one document',
    );
    const notObject = await apply('bad', '[1, 2]');
    assert.equal(notObject.status, 400);
    assert.equal(notObject.json['message'], 'error decoding YAML: apply patch must be an object');
    assert.equal((await call(server, 'GET', `${DEPLOYS}/bad`)).status, 404, 'nothing was created');
  });
});

describe('ApiServer CustomResourceDefinitions', () => {
  const crd = crdManifest({ plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] }, [
    {
      name: 'v1',
      served: true,
      storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              properties: {
                replicas: { type: 'integer', minimum: 0, default: 1 },
                image: { type: 'string' },
              },
              required: ['image'],
            },
            status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
      },
      subresources: { status: {} },
      additionalPrinterColumns: [{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }],
    },
  ]);
  const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';

  it('serves custom resources once established, with validation, defaulting and a 415 for SMP', async () => {
    const server = await newServer();
    const created = await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      body: crd,
    });
    assert.equal(created.status, 201);
    const got = await call(
      server,
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
    );
    const conds = (got.json['status'] as { conditions: { type: string; status: string }[] }).conditions;
    assert.ok(conds.some((c) => c.type === 'Established' && c.status === 'True'));
    const discovery = await call(server, 'GET', '/apis/example.com/v1');
    assert.equal(discovery.status, 200);
    const w = await call(server, 'POST', WIDGETS, {
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { image: 'x' } },
    });
    assert.equal(w.status, 201);
    assert.equal((w.json['spec'] as { replicas: number }).replicas, 1);
    const bad = await call(server, 'POST', WIDGETS, {
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w2' },
        spec: { image: 'x', replicas: -1 },
      },
    });
    assert.equal(bad.status, 422);
    assert.match(String(bad.json['message']), /spec\.replicas/);
    const smp = await call(server, 'PATCH', `${WIDGETS}/w1`, {
      body: { spec: { replicas: 2 } },
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
    });
    assert.equal(smp.status, 415);
    const table = await call(server, 'GET', WIDGETS, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    const columns = (table.json['columnDefinitions'] as { name: string }[]).map((c) => c.name);
    assert.deepEqual(columns.slice(0, 2), ['Name', 'Replicas']);
  });
});

describe('ApiServer CRD versions and scale', () => {
  const schema = {
    openAPIV3Schema: {
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { replicas: { type: 'integer' } } },
        status: {
          type: 'object',
          properties: { replicas: { type: 'integer' }, selector: { type: 'string' } },
        },
      },
    },
  };
  const subresources = {
    status: {},
    scale: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.status.selector',
    },
  };
  const crd = crdManifest({ plural: 'gadgets', singular: 'gadget', kind: 'Gadget' }, [
    { name: 'v1', served: true, storage: true, schema, subresources },
    { name: 'v1beta1', served: true, storage: false, schema, subresources },
  ]);

  it('serves one stored object at every served version and scales it through /scale', async () => {
    const server = await newServer();
    assert.equal(
      (await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd }))
        .status,
      201,
    );
    const made = await call(server, 'POST', '/apis/example.com/v1beta1/namespaces/default/gadgets', {
      body: {
        apiVersion: 'example.com/v1beta1',
        kind: 'Gadget',
        metadata: { name: 'g' },
        spec: { replicas: 1 },
      },
    });
    assert.equal(made.status, 201);
    const asV1 = await call(server, 'GET', '/apis/example.com/v1/namespaces/default/gadgets/g');
    assert.equal(asV1.json['apiVersion'], 'example.com/v1');
    assert.equal(asV1.json.metadata?.['uid'], made.json.metadata?.['uid']);
    const scaled = await call(server, 'PUT', '/apis/example.com/v1/namespaces/default/gadgets/g/scale', {
      body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'g' }, spec: { replicas: 3 } },
    });
    assert.equal(scaled.status, 200);
    assert.deepEqual(scaled.json['spec'], { replicas: 3 });
    const after = await call(server, 'GET', '/apis/example.com/v1beta1/namespaces/default/gadgets/g');
    assert.equal((after.json['spec'] as { replicas: number }).replicas, 3);
    const negative = await call(server, 'PUT', '/apis/example.com/v1/namespaces/default/gadgets/g/scale', {
      body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'g' }, spec: { replicas: -1 } },
    });
    assert.equal(negative.status, 422);
  });
});

describe('ApiServer discovery', () => {
  it('negotiates aggregated discovery v2 and v2beta1 with an ETag, and falls back to legacy', async () => {
    const server = await newServer();
    for (const v of ['v2', 'v2beta1']) {
      const accept = `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList,application/json`;
      const res = await call(server, 'GET', '/apis', { headers: { accept } });
      assert.equal(res.status, 200);
      assert.equal(
        res.headers['content-type'],
        `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`,
      );
      assert.equal(res.json['apiVersion'], `apidiscovery.k8s.io/${v}`);
      const etag = String(res.headers['etag']);
      const again = await call(server, 'GET', '/apis', { headers: { accept, 'if-none-match': etag } });
      assert.equal(again.status, 304);
    }
    const legacy = await call(server, 'GET', '/apis', { headers: { accept: 'application/json' } });
    assert.equal(legacy.json['kind'], 'APIGroupList');
    const core = await call(server, 'GET', '/api/v1');
    const names = (core.json['resources'] as { name: string }[]).map((r) => r.name);
    assert.ok(
      names.indexOf('pods') < names.indexOf('pods/status'),
      'main resources come before subresources',
    );
    assert.ok(names.includes('pods/log'));
  });
});

describe('ApiServer CRD deletion', () => {
  it('finalizes instances through their own finalizers before the CRD goes away', async () => {
    const clock = new FakeClock();
    const server = new ApiServer({ store: new MemoryStore(), clock, log: noopLogger });
    const stop = new AbortController();
    await server.start(stop.signal);
    const crd = crdManifest({ plural: 'things', singular: 'thing', kind: 'Thing' }, [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ]);
    const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
    const THINGS = '/apis/example.com/v1/namespaces/default/things';
    assert.equal((await call(server, 'POST', CRDS, { body: crd })).status, 201);
    const thing = (name: string, finalizers: string[] = []): object => ({
      apiVersion: 'example.com/v1',
      kind: 'Thing',
      metadata: { name, finalizers },
    });
    assert.equal((await call(server, 'POST', THINGS, { body: thing('free') })).status, 201);
    assert.equal(
      (await call(server, 'POST', THINGS, { body: thing('held', ['example.com/hold']) })).status,
      201,
    );

    assert.equal((await call(server, 'DELETE', `${CRDS}/things.example.com`)).status, 200);
    assert.equal((await call(server, 'GET', `${THINGS}/free`)).status, 404, 'unheld instances go at once');
    const held = await call(server, 'GET', `${THINGS}/held`);
    assert.ok(held.json.metadata?.['deletionTimestamp'], 'held instances are marked and still served');
    const refused = await call(server, 'POST', THINGS, { body: thing('late') });
    assert.equal(refused.status, 405);
    assert.equal(
      refused.json['message'],
      'create not allowed while custom resource definition is terminating',
    );
    assert.equal((await call(server, 'GET', `${CRDS}/things.example.com`)).status, 200, 'the CRD waits');

    const released = await call(server, 'PATCH', `${THINGS}/held`, {
      body: { metadata: { finalizers: null } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(released.status, 200);
    // The cleanup loop looks again every 2 s of the (fake) clock; step it until the CRD is gone.
    let status = 200;
    for (let i = 0; i < 10 && status !== 404; i++) {
      await clock.advance(2000);
      status = (await call(server, 'GET', `${CRDS}/things.example.com`)).status;
    }
    assert.equal(status, 404);
    assert.equal((await call(server, 'GET', '/apis/example.com/v1')).status, 404, 'no longer served');
    stop.abort();
  });
});
