import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mergeSchemaFromSpec } from '../../api/merge-schema.js';
import type { JsonObject, ManagedFieldsEntry } from '../../api/meta.js';
import { StatusError } from '../../api/status.js';
import { RESET_SPEC_AND_METADATA, RESET_STATUS, serverSideApply, trackUpdate } from './apply.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const T2 = '2026-01-01T00:02:00Z';

const deploymentSchema = mergeSchemaFromSpec({
  properties: {
    metadata: { properties: { finalizers: { list: { type: 'set' } } } },
    spec: {
      properties: {
        template: {
          properties: {
            spec: {
              properties: {
                containers: {
                  list: { type: 'map', keys: ['name'], mergeKey: 'name' },
                  items: {
                    properties: {
                      ports: {
                        list: { type: 'map', keys: ['containerPort', 'protocol'], mergeKey: 'containerPort' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
});

interface Container {
  name: string;
  image?: string;
}

/** Fixture builder for Deployment-shaped objects. */
function deployment(
  opts: { replicas?: number; containers?: Container[]; labels?: Record<string, string> } = {},
): JsonObject {
  const spec: JsonObject = {};
  if (opts.replicas !== undefined) spec['replicas'] = opts.replicas;
  if (opts.containers !== undefined) {
    spec['template'] = { spec: { containers: opts.containers.map((c) => ({ ...c })) } };
  }
  const metadata: JsonObject = { name: 'web', namespace: 'default' };
  if (opts.labels) metadata['labels'] = { ...opts.labels };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec };
}

function apply(
  live: JsonObject | undefined,
  config: JsonObject,
  opts: { manager?: string; force?: boolean; now?: string } = {},
): JsonObject {
  const { manager = 'kubectl', force = false, now = T1 } = opts;
  return serverSideApply({
    live,
    config,
    manager,
    force,
    apiVersion: 'apps/v1',
    schema: deploymentSchema,
    now,
  });
}

/** An object created by a plain write (Update) of `manager`, as kube stores it. */
function created(obj: JsonObject, manager = 'kubectl-client-side-apply'): JsonObject {
  const managedFields = trackUpdate({
    old: undefined,
    updated: obj,
    manager,
    apiVersion: 'apps/v1',
    schema: deploymentSchema,
    now: T0,
  });
  return {
    ...obj,
    metadata: { ...(obj['metadata'] as JsonObject), managedFields: managedFields as unknown as JsonObject[] },
  };
}

function managed(obj: JsonObject): ManagedFieldsEntry[] {
  return ((obj['metadata'] as JsonObject)['managedFields'] ?? []) as unknown as ManagedFieldsEntry[];
}

function entry(obj: JsonObject, manager: string): ManagedFieldsEntry | undefined {
  return managed(obj).find((e) => e.manager === manager);
}

function spec(obj: JsonObject): JsonObject {
  return obj['spec'] as JsonObject;
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError);
    return err;
  }
  assert.fail('expected a conflict');
}

describe('serverSideApply: conflicts with a client-side-apply owner', () => {
  const live = created(
    deployment({ replicas: 1, containers: [{ name: 'nginx', image: 'nginx:1' }], labels: { app: 'web' } }),
  );

  it('409 with the exact message and one cause when changing an owned field', () => {
    const err = conflictOf(() => apply(live, deployment({ replicas: 3 })));
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    assert.equal(
      err.message,
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    assert.deepEqual(err.status.details, {
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-client-side-apply" using apps/v1',
          field: '.spec.replicas',
        },
      ],
    });
  });

  it('groups several conflicts per manager', () => {
    const err = conflictOf(() =>
      apply(live, deployment({ replicas: 3, containers: [{ name: 'nginx', image: 'nginx:2' }] })),
    );
    assert.equal(
      err.message,
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
        '- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
    assert.deepEqual(
      err.status.details?.causes?.map((c) => c.field),
      ['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image'],
    );
  });

  it('force moves ownership to the applier', () => {
    const out = apply(live, deployment({ replicas: 3 }), { force: true });
    assert.equal(spec(out)['replicas'], 3);
    const mine = entry(out, 'kubectl');
    assert.deepEqual(mine, {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: T1,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    const theirs = entry(out, 'kubectl-client-side-apply');
    assert.ok(theirs);
    assert.equal((theirs.fieldsV1['f:spec'] as JsonObject)['f:replicas'], undefined);
    assert.deepEqual(
      managed(out).map((e) => e.operation),
      ['Apply', 'Update'],
    );
  });

  it('applying the same value is no conflict and both co-own it', () => {
    const out = apply(live, deployment({ replicas: 1 }));
    assert.deepEqual(entry(out, 'kubectl')?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.ok((entry(out, 'kubectl-client-side-apply')?.fieldsV1['f:spec'] as JsonObject)['f:replicas']);
    // Body unchanged: a no-op apply leaves the applier's entry without a new timestamp.
    assert.equal(entry(out, 'kubectl')?.time, undefined);
    assert.deepEqual(spec(out), spec(live));
  });
});

describe('serverSideApply: ownership and pruning', () => {
  const first = apply(
    undefined,
    deployment({ replicas: 2, containers: [{ name: 'nginx', image: 'nginx:1' }], labels: { app: 'web' } }),
    { now: T0 },
  );

  it('creates the object when there is no live one, owned by the applier', () => {
    assert.equal(spec(first)['replicas'], 2);
    assert.deepEqual(managed(first), [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:template': {
              'f:spec': {
                'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
              },
            },
          },
        },
      },
    ]);
  });

  it('re-applying the same config is a no-op (deep-equal, same managedFields)', () => {
    const again = apply(
      first,
      deployment({ replicas: 2, containers: [{ name: 'nginx', image: 'nginx:1' }], labels: { app: 'web' } }),
      { now: T2 },
    );
    assert.deepEqual(again, first);
  });

  it('removing a field from the config prunes it', () => {
    const out = apply(
      first,
      deployment({ containers: [{ name: 'nginx', image: 'nginx:1' }], labels: { app: 'web' } }),
    );
    assert.equal(spec(out)['replicas'], undefined);
    assert.equal(entry(out, 'kubectl')?.time, T1);
  });

  it('removing a field another manager also owns keeps it', () => {
    const withHpa = apply(
      first,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } },
      { manager: 'hpa' },
    );
    const out = apply(
      withHpa,
      deployment({ containers: [{ name: 'nginx', image: 'nginx:1' }], labels: { app: 'web' } }),
    );
    assert.equal(spec(out)['replicas'], 2);
    assert.deepEqual(entry(out, 'hpa')?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.equal((entry(out, 'kubectl')?.fieldsV1['f:spec'] as JsonObject)['f:replicas'], undefined);
  });

  it('dropping a list element prunes the element and an emptied label map', () => {
    const two = apply(
      first,
      deployment({
        replicas: 2,
        containers: [
          { name: 'nginx', image: 'nginx:1' },
          { name: 'side', image: 'busybox' },
        ],
      }),
    );
    const containers = () => ((spec(two)['template'] as JsonObject)['spec'] as JsonObject)['containers'];
    assert.equal((containers() as JsonObject[]).length, 2);
    assert.equal(
      (two['metadata'] as JsonObject)['labels'],
      undefined,
      'labels no longer applied and unowned',
    );
    const one = apply(two, deployment({ replicas: 2, containers: [{ name: 'side', image: 'busybox' }] }));
    assert.deepEqual(((spec(one)['template'] as JsonObject)['spec'] as JsonObject)['containers'], [
      { name: 'side', image: 'busybox' },
    ]);
  });

  it('two appliers owning different containers of a keyed list do not conflict', () => {
    const sidecar = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template: { spec: { containers: [{ name: 'log', image: 'fluent' }] } } },
    };
    const out = apply(first, sidecar, { manager: 'sidecar-injector' });
    const names = (
      ((spec(out)['template'] as JsonObject)['spec'] as JsonObject)['containers'] as JsonObject[]
    ).map((c) => c['name']);
    assert.deepEqual(names, ['nginx', 'log']);
    // The first applier re-applies its own container: still no conflict, and the sidecar stays.
    const again = apply(
      out,
      deployment({ replicas: 2, containers: [{ name: 'nginx', image: 'nginx:2' }], labels: { app: 'web' } }),
    );
    const after = ((spec(again)['template'] as JsonObject)['spec'] as JsonObject)[
      'containers'
    ] as JsonObject[];
    assert.deepEqual(after, [
      { name: 'nginx', image: 'nginx:2' },
      { name: 'log', image: 'fluent' },
    ]);
  });

  it('set lists merge as a union', () => {
    const a = apply(
      undefined,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', finalizers: ['a'] } },
      { manager: 'one', now: T0 },
    );
    const b = apply(
      a,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', finalizers: ['b'] } },
      { manager: 'two' },
    );
    assert.deepEqual((b['metadata'] as JsonObject)['finalizers'], ['a', 'b']);
    assert.deepEqual(entry(b, 'two')?.fieldsV1, { 'f:metadata': { 'f:finalizers': { 'v:"b"': {} } } });
  });
});

describe('serverSideApply: unknown schema', () => {
  const cr = (items: string[], extra: JsonObject = {}): JsonObject => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w' },
    spec: { items, ...extra },
  });
  const applyCr = (
    live: JsonObject | undefined,
    config: JsonObject,
    who: { manager: string; force?: boolean },
  ) =>
    serverSideApply({
      live,
      config,
      manager: who.manager,
      force: who.force ?? false,
      apiVersion: 'example.com/v1',
      schema: undefined,
      now: T1,
    });

  it('treats lists as atomic leaves and merges maps', () => {
    const a = applyCr(undefined, cr(['x', 'y'], { color: 'red' }), { manager: 'one' });
    assert.deepEqual(entry(a, 'one')?.fieldsV1, { 'f:spec': { 'f:color': {}, 'f:items': {} } });
    const err = conflictOf(() => applyCr(a, cr(['z']), { manager: 'two' }));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "one": .spec.items');
    const forced = applyCr(a, cr(['z']), { manager: 'two', force: true });
    assert.deepEqual(spec(forced), { items: ['z'], color: 'red' });
    assert.deepEqual(entry(forced, 'one')?.fieldsV1, { 'f:spec': { 'f:color': {} } });
  });
});

describe('serverSideApply: request checks and reset fields', () => {
  it('rejects managedFields in the config and a mismatched apiVersion with 400', () => {
    const bad = { ...deployment(), metadata: { name: 'web', managedFields: [] } };
    assert.throws(
      () => apply(undefined, bad),
      (e: unknown) =>
        e instanceof StatusError && e.code === 400 && e.message === 'metadata.managedFields must be nil',
    );
    const wrongVersion = { ...deployment(), apiVersion: 'apps/v1beta1' };
    assert.throws(
      () => apply(undefined, wrongVersion),
      (e: unknown) =>
        e instanceof StatusError &&
        e.message ===
          'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1',
    );
  });

  it('reports duplicate keys in the config as kube does', () => {
    const dup = deployment({ containers: [{ name: 'a' }, { name: 'a' }] });
    assert.throws(
      () => apply(undefined, dup),
      (e: unknown) =>
        e instanceof StatusError &&
        e.code === 500 &&
        e.message ===
          'failed to create typed patch object (apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="a"]',
    );
  });

  it('a main-resource apply neither writes nor owns status; a /status apply only status', () => {
    const live = { ...deployment({ replicas: 1 }), status: { readyReplicas: 1 } };
    const config = { ...deployment({ replicas: 1 }), status: { readyReplicas: 5 } };
    const main = serverSideApply({
      live,
      config,
      manager: 'm',
      force: false,
      apiVersion: 'apps/v1',
      schema: deploymentSchema,
      now: T1,
      resetFields: RESET_STATUS,
    });
    assert.deepEqual(main['status'], { readyReplicas: 1 });
    assert.deepEqual(entry(main, 'm')?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    const status = serverSideApply({
      live,
      config: { ...config, spec: { replicas: 9 } },
      manager: 'c',
      force: false,
      apiVersion: 'apps/v1',
      subresource: 'status',
      schema: deploymentSchema,
      now: T1,
      resetFields: RESET_SPEC_AND_METADATA,
    });
    assert.deepEqual(status['status'], { readyReplicas: 5 });
    assert.equal(spec(status)['replicas'], 1);
    assert.deepEqual(entry(status, 'c'), {
      manager: 'c',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: T1,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:readyReplicas': {} } },
      subresource: 'status',
    });
  });
});

describe('trackUpdate', () => {
  const base = created(
    deployment({ replicas: 1, containers: [{ name: 'nginx', image: 'nginx:1' }], labels: { app: 'web' } }),
  );

  it('records a create like kube does for an unstructured object', () => {
    assert.deepEqual(managed(base), [
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            '.': {},
            'f:replicas': {},
            'f:template': {
              '.': {},
              'f:spec': {
                '.': {},
                'f:containers': { '.': {}, 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
              },
            },
          },
        },
      },
    ]);
  });

  it('attributes changed leaves to the writer and removes them from others', () => {
    const updated = deployment({
      replicas: 1,
      containers: [{ name: 'nginx', image: 'nginx:2' }],
      labels: { app: 'web' },
    });
    const mf = trackUpdate({
      old: base,
      updated,
      manager: 'kubectl-set',
      apiVersion: 'apps/v1',
      schema: deploymentSchema,
      now: T1,
    });
    const setter = mf.find((e) => e.manager === 'kubectl-set');
    assert.deepEqual(setter?.fieldsV1, {
      'f:spec': {
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {} } } } },
      },
    });
    assert.equal(setter?.time, T1);
    const csa = mf.find((e) => e.manager === 'kubectl-client-side-apply');
    const c = (
      (((csa?.fieldsV1['f:spec'] as JsonObject)['f:template'] as JsonObject)['f:spec'] as JsonObject)[
        'f:containers'
      ] as JsonObject
    )['k:{"name":"nginx"}'];
    assert.deepEqual(c, { '.': {}, 'f:name': {} });
    assert.equal(csa?.time, T0);
  });

  it('drops removed fields from every manager and deletes empty entries', () => {
    const one = trackUpdate({
      old: base,
      updated: {
        ...deployment({ replicas: 1 }),
        metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'x' } },
      },
      manager: 'labeler',
      apiVersion: 'apps/v1',
      schema: deploymentSchema,
      now: T1,
    });
    const withLabeler = {
      ...base,
      metadata: {
        name: 'web',
        namespace: 'default',
        labels: { app: 'web', tier: 'x' },
        managedFields: one as unknown as JsonObject[],
      },
    };
    const mf = trackUpdate({
      old: withLabeler,
      updated: deployment({ replicas: 1, labels: { app: 'web' } }),
      manager: 'editor',
      apiVersion: 'apps/v1',
      schema: deploymentSchema,
      now: T2,
    });
    assert.equal(
      mf.find((e) => e.manager === 'labeler'),
      undefined,
      'labeler owned only the removed label',
    );
    assert.equal(
      mf.find((e) => e.manager === 'editor'),
      undefined,
      'removals alone give the writer nothing',
    );
  });

  it('honours managedFields the client set explicitly, and [{}] resets them', () => {
    const explicit: ManagedFieldsEntry[] = [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
    ];
    const body = deployment({
      replicas: 1,
      containers: [{ name: 'nginx', image: 'nginx:1' }],
      labels: { app: 'web' },
    });
    const migrated = {
      ...body,
      metadata: { ...(body['metadata'] as JsonObject), managedFields: explicit as unknown as JsonObject[] },
    };
    const mf = trackUpdate({
      old: base,
      updated: migrated,
      manager: 'kubectl',
      apiVersion: 'apps/v1',
      schema: deploymentSchema,
      now: T1,
    });
    assert.deepEqual(mf, explicit);
    const reset = { ...body, metadata: { ...(body['metadata'] as JsonObject), managedFields: [{}] } };
    assert.deepEqual(
      trackUpdate({
        old: base,
        updated: reset,
        manager: 'x',
        apiVersion: 'apps/v1',
        schema: deploymentSchema,
        now: T1,
      }),
      [],
    );
  });

  it('caps Update entries at 10, folding the oldest into ancient-changes', () => {
    let obj: JsonObject = created(deployment({ labels: { l0: 'v' } }), 'm00');
    for (let i = 1; i <= 11; i++) {
      const labels = {
        ...((obj['metadata'] as JsonObject)['labels'] as Record<string, string>),
        [`l${i}`]: 'v',
      };
      const updated = { ...obj, metadata: { ...(obj['metadata'] as JsonObject), labels } };
      const now = `2026-01-01T00:${String(i).padStart(2, '0')}:00Z`;
      const mf = trackUpdate({
        old: obj,
        updated,
        manager: `m${String(i).padStart(2, '0')}`,
        apiVersion: 'apps/v1',
        schema: deploymentSchema,
        now,
      });
      obj = {
        ...updated,
        metadata: { ...(updated['metadata'] as JsonObject), managedFields: mf as unknown as JsonObject[] },
      };
    }
    const entries = managed(obj);
    assert.equal(entries.length, 10);
    assert.deepEqual(entries[0]?.manager, 'ancient-changes');
    assert.deepEqual(entries[0]?.fieldsV1, {
      'f:metadata': { 'f:labels': { '.': {}, 'f:l0': {}, 'f:l1': {}, 'f:l2': {} } },
      'f:spec': {},
    });
    assert.deepEqual(
      entries.slice(1).map((e) => e.manager),
      ['m03', 'm04', 'm05', 'm06', 'm07', 'm08', 'm09', 'm10', 'm11'],
    );
    assert.equal(entries[0]?.time, '2026-01-01T00:02:00Z');
  });
});

describe('serverSideApply properties', () => {
  const arbContainer = fc.record({ name: fc.constantFrom('a', 'b', 'c'), image: fc.constantFrom('x', 'y') });
  const arbConfig = fc
    .record({
      replicas: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      containers: fc.option(fc.uniqueArray(arbContainer, { selector: (c) => c.name, maxLength: 3 }), {
        nil: undefined,
      }),
      labels: fc.option(fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('p', 'q')), {
        nil: undefined,
      }),
    })
    .map((o) => deployment(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))));

  it('applying a config twice gives the same object as applying it once', () => {
    fc.assert(
      fc.property(
        fc.option(arbConfig, { nil: undefined }),
        arbConfig,
        fc.boolean(),
        (start, config, force) => {
          const live = start === undefined ? undefined : created(start, 'other');
          let once: JsonObject;
          try {
            once = serverSideApply({
              live,
              config,
              manager: 'kubectl',
              force,
              apiVersion: 'apps/v1',
              schema: deploymentSchema,
              now: T1,
            });
          } catch (err) {
            assert.ok(err instanceof StatusError && err.code === 409);
            return;
          }
          const twice = serverSideApply({
            live: once,
            config,
            manager: 'kubectl',
            force,
            apiVersion: 'apps/v1',
            schema: deploymentSchema,
            now: T2,
          });
          assert.deepEqual(twice, once);
        },
      ),
    );
  });
});
