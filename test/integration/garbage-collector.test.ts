import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { noopLogger } from '../../src/base/logger.js';
import type { KubeObject, OwnerReference } from '../../src/api/meta.js';
import type { ApiClient } from '../../src/client/api-client.js';
import { SharedInformers } from '../../src/client/shared-informers.js';
import { GarbageCollector } from '../../src/controllers/garbage-collector/garbage-collector.js';
import type { Env } from './harness.js';
import { eventually, exists, newEnv } from './harness.js';

const CM = { apiVersion: 'v1', plural: 'configmaps', namespace: 'default' };
const ROLES = { apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'clusterroles' };

function cm(name: string, owners: OwnerReference[] = [], finalizers?: string[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      ...(owners.length > 0 ? { ownerReferences: owners } : {}),
      ...(finalizers ? { finalizers } : {}),
    },
    data: { a: '1' },
  };
}

function ownerRef(owner: KubeObject, block = false): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    ...(block ? { blockOwnerDeletion: true } : {}),
  };
}

/** Starts a collector; with `shared`, configmaps come from a shared informer another reader made. */
function startGc(t: { after: (fn: () => Promise<void>) => void }, env: Env, shared: boolean): void {
  const stop = new AbortController();
  const informers = shared
    ? new SharedInformers({ client: env.client, clock: env.clock, log: noopLogger })
    : undefined;
  informers?.informer({ apiVersion: 'v1', plural: 'configmaps' });
  const gc = new GarbageCollector({
    client: env.client,
    clock: env.clock,
    log: noopLogger,
    resyncMs: 30_000,
    ...(informers ? { informers } : {}),
  });
  const running = Promise.all([gc.start(stop.signal), informers?.start(stop.signal)]);
  t.after(async () => {
    stop.abort();
    await running;
  });
}

async function gone(client: ApiClient, name: string): Promise<boolean> {
  return !(await exists(client, CM, name));
}

for (const shared of [false, true])
  describe(`GarbageCollector${shared ? ' (configmaps read through a shared informer)' : ''}`, () => {
    it('background: deletes dependents (namespaced and with a cluster-scoped owner) once the owner is gone', async (t) => {
      const env = await newEnv(t);
      const { client } = env;
      startGc(t, env, shared);
      const owner = await client.create(CM, cm('owner'));
      const role = await client.create(ROLES, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'r' },
        rules: [],
      });
      await client.create(CM, cm('dep', [ownerRef(owner)]));
      await client.create(CM, cm('dep-of-role', [ownerRef(role)]));
      await client.create(CM, cm('two-owners', [ownerRef(owner), ownerRef(role)]));
      const started = performance.now();
      await client.delete(CM, 'owner');
      await eventually(() => gone(client, 'dep'), { what: 'dep deleted' });
      const ms = performance.now() - started;
      assert.ok(await exists(client, CM, 'dep-of-role'), 'a dependent whose owner exists stays');
      const survivor = await client.get(CM, 'two-owners');
      assert.deepEqual(
        survivor.metadata.ownerReferences?.map((r) => r.name),
        ['r'],
        'the dangling reference is removed',
      );
      await client.delete(ROLES, 'r');
      await eventually(
        async () => (await gone(client, 'dep-of-role')) && (await gone(client, 'two-owners')),
        {
          what: 'role dependents deleted',
        },
      );
      t.diagnostic(`background collection took ${ms.toFixed(1)} ms`);
    });

    it('deletes a dependent whose owner UID never existed', async (t) => {
      const env = await newEnv(t);
      startGc(t, env, shared);
      await env.client.create(
        CM,
        cm('dangling', [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' },
        ]),
      );
      await eventually(() => gone(env.client, 'dangling'), { what: 'dangling dependent deleted' });
    });

    it('does not treat a same-named replacement owner as the owner (matches by UID)', async (t) => {
      const env = await newEnv(t);
      const { client } = env;
      startGc(t, env, shared);
      const first = await client.create(CM, cm('owner'));
      await client.delete(CM, 'owner');
      await client.create(CM, cm('owner'));
      await client.create(CM, cm('dep', [ownerRef(first)]));
      await eventually(() => gone(client, 'dep'), { what: 'dependent of the old UID deleted' });
      assert.ok(await exists(client, CM, 'owner'));
    });

    it('orphan: strips the ownerReference from dependents, then lets the owner go', async (t) => {
      const env = await newEnv(t);
      const { client } = env;
      startGc(t, env, shared);
      const owner = await client.create(CM, cm('owner'));
      const other = await client.create(CM, cm('other'));
      await client.create(CM, cm('dep', [ownerRef(owner, true), ownerRef(other)]));
      await client.create(CM, cm('dep2', [ownerRef(owner)]));
      const started = performance.now();
      const marked = (await client.delete(CM, 'owner', { propagationPolicy: 'Orphan' })) as KubeObject;
      assert.deepEqual(marked.metadata.finalizers, ['orphan']);
      await eventually(() => gone(client, 'owner'), { what: 'owner finalized' });
      t.diagnostic(`orphan finalization took ${(performance.now() - started).toFixed(1)} ms`);
      assert.deepEqual(
        (await client.get(CM, 'dep')).metadata.ownerReferences?.map((r) => r.name),
        ['other'],
      );
      assert.equal((await client.get(CM, 'dep2')).metadata.ownerReferences, undefined);
    });

    it('foreground: the owner stays with deletionTimestamp until blocking dependents are gone, recursively', async (t) => {
      const env = await newEnv(t);
      const { client } = env;
      startGc(t, env, shared);
      const owner = await client.create(CM, cm('owner'));
      const child = await client.create(CM, cm('child', [ownerRef(owner, true)]));
      await client.create(CM, cm('grandchild', [ownerRef(child, true)], ['example.com/hold']));
      const started = performance.now();
      await client.delete(CM, 'owner', { propagationPolicy: 'Foreground' });
      await eventually(
        async () => (await client.get(CM, 'grandchild')).metadata.deletionTimestamp !== undefined,
        {
          what: 'grandchild marked for deletion',
        },
      );
      const held = await client.get(CM, 'owner');
      assert.ok(held.metadata.deletionTimestamp, 'owner visible while dependents remain');
      assert.deepEqual(held.metadata.finalizers, ['foregroundDeletion']);
      assert.ok(
        (await client.get(CM, 'child')).metadata.deletionTimestamp,
        'child is being deleted in the foreground too',
      );
      const gc = await client.get(CM, 'grandchild');
      const released = (gc.metadata.finalizers ?? []).filter((f) => f !== 'example.com/hold');
      await client.update(CM, { ...gc, metadata: { ...gc.metadata, finalizers: released } });
      await eventually(() => gone(client, 'owner'), { what: 'owner deleted' });
      t.diagnostic(`foreground cascade took ${(performance.now() - started).toFixed(1)} ms`);
      assert.ok(await gone(client, 'child'));
      assert.ok(await gone(client, 'grandchild'));
    });

    it('picks up custom resources after re-discovery', async (t) => {
      const env = await newEnv(t);
      const { client, clock } = env;
      startGc(t, env, shared);
      const crds = { apiVersion: 'apiextensions.k8s.io/v1', plural: 'customresourcedefinitions' };
      await client.create(crds, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      });
      const widgets = { apiVersion: 'example.com/v1', plural: 'widgets', namespace: 'default' };
      await eventually(
        () =>
          client.list(widgets).then(
            () => true,
            () => false,
          ),
        { what: 'CRD served' },
      );
      const owner = await client.create(CM, cm('owner'));
      await client.create(widgets, {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w', ownerReferences: [ownerRef(owner)] },
      });
      const widgetOwner = await client.create(widgets, {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'boss' },
      });
      await client.create(CM, cm('dep-of-widget', [ownerRef(widgetOwner)]));
      await clock.advance(30_000);
      await client.delete(CM, 'owner');
      await eventually(async () => !(await exists(client, widgets, 'w')), {
        clock,
        stepMs: 1000,
        what: 'widget collected',
      });
      await client.delete(widgets, 'boss');
      await eventually(() => gone(client, 'dep-of-widget'), { what: 'dependent of a widget collected' });
    });
  });
