import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noopLogger } from '../../src/base/logger.js';
import type { KubeObject } from '../../src/api/meta.js';
import { ApiClient } from '../../src/client/api-client.js';
import { HttpsTransport } from '../../src/client/https-transport.js';
import { startHub } from '../../src/cmd/hub.js';
import { eventually, exists } from './harness.js';

const CM = { apiVersion: 'v1', plural: 'configmaps', namespace: 'default' };

describe('startHub with controllers, over HTTPS', () => {
  it('collects a dependent after its owner is deleted and streams watch events', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-int-'));
    const hub = await startHub({
      dataDir: dir,
      host: '127.0.0.1',
      port: 0,
      storage: 'memory',
      log: noopLogger,
    });
    const stop = new AbortController();
    t.after(async () => {
      stop.abort(); // ends the watch first: the HTTPS server waits for open connections on close
      await hub.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const client = new ApiClient(new HttpsTransport({ server: hub.url, caPem: hub.caPem, token: hub.token }));
    const events = await client.watch(CM, { signal: stop.signal });
    const owner = await client.create(CM, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owner' },
    });
    const dependent: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'dep',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid ?? '' },
        ],
      },
    };
    await client.create(CM, dependent);
    const started = performance.now();
    await client.delete(CM, 'owner');
    await eventually(async () => !(await exists(client, CM, 'dep')), {
      timeoutMs: 10_000,
      what: 'dependent collected',
    });
    t.diagnostic(`collection through the hub took ${(performance.now() - started).toFixed(1)} ms`);
    const seen: string[] = [];
    for await (const ev of events) {
      seen.push(`${ev.type}:${(ev.object as KubeObject).metadata.name ?? ''}`);
      if (seen.length === 4) break;
    }
    assert.deepEqual(seen, ['ADDED:owner', 'ADDED:dep', 'DELETED:owner', 'DELETED:dep']);
  });
});
