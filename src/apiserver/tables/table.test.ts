import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../api/builtin-resources.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { toObjectTable, toTable } from './table.js';
import { makeObject, makePod, NOW, runningStatus } from './testing/fixtures.js';

function info(plural: string): ResourceInfo {
  const found = builtinResources().find((r) => r.plural === plural);
  if (!found) throw new Error(`no builtin ${plural}`);
  return found;
}

const widgets: ResourceInfo = {
  ...info('configmaps'),
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  listKind: 'WidgetList',
  plural: 'widgets',
  singular: 'widget',
  builtin: false,
  storagePrefix: 'example.com/widgets',
};

const pod = makePod('web-1', {
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [runningStatus('app')],
});
pod.metadata.labels = { app: 'web' };

describe('toTable', () => {
  it('renders a pod list with headers, list metadata and PartialObjectMetadata rows', () => {
    const t = toTable(info('pods'), [pod], {
      now: NOW,
      includeObject: 'Metadata',
      resourceVersion: '100',
      continue: 'tok',
      remainingItemCount: 5,
    });
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(t.metadata, { resourceVersion: '100', continue: 'tok', remainingItemCount: 5 });
    assert.deepEqual(
      t.columnDefinitions?.map((c) => c.name),
      ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'],
    );
    for (const c of t.columnDefinitions ?? [])
      assert.deepEqual(Object.keys(c), ['name', 'type', 'format', 'description', 'priority']);
    assert.deepEqual(t.rows[0]?.cells, [
      'web-1',
      '1/1',
      'Running',
      '0',
      '10m',
      '10.244.1.7',
      'node-1',
      '<none>',
      '<none>',
    ]);
    assert.deepEqual(t.rows[0]?.object, {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: pod.metadata,
    });
  });

  it('carries the full object with includeObject=Object and none with None', () => {
    const full = toTable(info('pods'), [pod], { now: NOW, includeObject: 'Object' });
    assert.equal(full.rows[0]?.object, pod);
    const none = toTable(info('pods'), [pod], { now: NOW, includeObject: 'None' });
    assert.equal('object' in (none.rows[0] ?? {}), false);
  });

  it('omits columnDefinitions with noHeaders and empty list metadata', () => {
    const t = toTable(info('pods'), [pod], {
      now: NOW,
      includeObject: 'None',
      noHeaders: true,
      continue: '',
    });
    assert.equal('columnDefinitions' in t, false);
    assert.deepEqual(t.metadata, {});
  });

  it('renders an empty list with columns and no rows', () => {
    const t = toTable(info('deployments'), [], { now: NOW, includeObject: 'Metadata' });
    assert.deepEqual(t.rows, []);
    assert.equal(t.columnDefinitions?.length, 8);
  });

  it('adds the Completed row condition for finished pods', () => {
    const done = makePod('done', { phase: 'Succeeded' });
    const t = toTable(info('pods'), [done], { now: NOW, includeObject: 'None' });
    assert.equal(t.rows[0]?.conditions?.[0]?.type, 'Completed');
  });

  it('uses a CRD version printer columns, Name + Age without them, and Created At for other kinds', () => {
    const w = makeObject(['example.com/v1', 'Widget'], { name: 'w1' }, { spec: { replicas: 2 } });
    const withCols = toTable(
      {
        ...widgets,
        printerColumns: [{ name: 'Replicas', type: 'integer', priority: 0, jsonPath: '.spec.replicas' }],
      },
      [w],
      { now: NOW, includeObject: 'Metadata' },
    );
    assert.deepEqual(
      withCols.columnDefinitions?.map((c) => c.name),
      ['Name', 'Replicas'],
    );
    assert.deepEqual(withCols.rows[0]?.cells, ['w1', 2]);

    const bare = toTable(widgets, [w], { now: NOW, includeObject: 'Metadata' });
    assert.deepEqual(
      bare.columnDefinitions?.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Age', 'date'],
      ],
    );
    assert.deepEqual(bare.rows[0]?.cells, ['w1', '10m']);

    const crd = makeObject(['apiextensions.k8s.io/v1', 'CustomResourceDefinition'], {
      name: 'widgets.example.com',
      creationTimestamp: '2024-04-30T08:00:00Z',
    });
    const crds = toTable(info('customresourcedefinitions'), [crd], { now: NOW, includeObject: 'None' });
    assert.deepEqual(
      crds.columnDefinitions?.map((c) => c.name),
      ['Name', 'Created At'],
    );
    assert.deepEqual(crds.rows[0]?.cells, ['widgets.example.com', '2024-04-30T08:00:00Z']);
  });

  it('prints every built-in kind with as many cells as columns', () => {
    for (const r of builtinResources()) {
      const obj = makeObject([r.group === '' ? r.version : `${r.group}/${r.version}`, r.kind], { name: 'x' });
      const t = toTable(r, [obj], { now: NOW, includeObject: 'None' });
      assert.equal(t.rows[0]?.cells.length, t.columnDefinitions?.length, r.plural);
      assert.equal(t.columnDefinitions?.filter((c) => c.format === 'name').length, 1, r.plural);
    }
  });
});

describe('toObjectTable', () => {
  it('renders one row and takes resourceVersion from the object', () => {
    const t = toObjectTable(info('pods'), pod, { now: NOW, includeObject: 'Metadata' });
    assert.equal(t.rows.length, 1);
    assert.deepEqual(t.metadata, { resourceVersion: '42' });
    assert.ok(t.columnDefinitions);
  });

  it('supports watch events after the first (noHeaders)', () => {
    const t = toObjectTable(info('pods'), pod, { now: NOW, includeObject: 'Metadata', noHeaders: true });
    assert.equal(t.columnDefinitions, undefined);
    assert.equal(t.rows[0]?.cells[0], 'web-1');
  });
});
