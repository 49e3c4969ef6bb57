import { isNotFound } from '../../src/api/status.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { noopLogger } from '../../src/base/logger.js';
import type { KubeObject } from '../../src/api/meta.js';
import { NamespaceController } from '../../src/controllers/namespace/namespace-controller.js';
import { eventually, exists, newEnv } from './harness.js';

const NAMESPACES = { apiVersion: 'v1', plural: 'namespaces' };

/** Waits (stepping the fake clock) until the namespace has been finalized and removed. */
async function untilNamespaceGone(
  client: Awaited<ReturnType<typeof newEnv>>['client'],
  clock: Awaited<ReturnType<typeof newEnv>>['clock'],
  name: string,
): Promise<void> {
  await eventually(
    async () => {
      try {
        await client.get(NAMESPACES, name);
        return false;
      } catch (err) {
        if (isNotFound(err)) return true;
        throw err;
      }
    },
    { clock, stepMs: 1000, what: `namespace ${name} finalized once its last object is released` },
  );
}

interface Condition {
  type: string;
  status: string;
}

describe('NamespaceController', () => {
  it('empties a deleted namespace, reports what remains, then finalizes it', async (t) => {
    const { client, clock } = await newEnv(t);
    const stop = new AbortController();
    const controller = new NamespaceController({ client, clock, log: noopLogger, recheckMs: 1000 });
    const running = controller.start(stop.signal);
    t.after(async () => {
      stop.abort();
      await running;
    });
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept' } });
    const cms = { apiVersion: 'v1', plural: 'configmaps', namespace: 'doomed' };
    const secrets = { apiVersion: 'v1', plural: 'secrets', namespace: 'doomed' };
    const deployments = { apiVersion: 'apps/v1', plural: 'deployments', namespace: 'doomed' };
    for (let i = 0; i < 5; i++)
      await client.create(cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } });
    await client.create(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', finalizers: ['example.com/hold'] },
    });
    await client.create(deployments, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    });
    const keptCm = { apiVersion: 'v1', plural: 'configmaps', namespace: 'kept' };
    await client.create(keptCm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stays' } });

    const started = performance.now();
    await client.delete(NAMESPACES, 'doomed');
    await eventually(
      async () => (await client.list(cms)).items.length === 0 && !(await exists(client, deployments, 'd')),
      {
        clock,
        stepMs: 1000,
        what: 'content deleted',
      },
    );
    await eventually(
      async () => {
        const ns = await client.get<KubeObject & { status?: { conditions?: Condition[] } }>(
          NAMESPACES,
          'doomed',
        );
        const c = ns.status?.conditions?.find((x) => x.type === 'NamespaceFinalizersRemaining');
        return c?.status === 'True';
      },
      { clock, stepMs: 1000, what: 'finalizers-remaining condition' },
    );
    const ns = await client.get<KubeObject & { status?: { phase?: string } }>(NAMESPACES, 'doomed');
    assert.equal(ns.status?.phase, 'Terminating', 'a held object keeps the namespace');
    const held = await client.get(secrets, 's');
    assert.ok(held.metadata.deletionTimestamp, 'the held object is marked for deletion');
    await client.update(secrets, { ...held, metadata: { ...held.metadata, finalizers: [] } });
    await untilNamespaceGone(client, clock, 'doomed');
    t.diagnostic(`namespace deletion took ${(performance.now() - started).toFixed(1)} ms`);
  });
});
