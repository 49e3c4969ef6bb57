import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../api/flotilla/cluster.js';
import { ApiClient } from '../client/api-client.js';
import type { TransportRequest, TransportResponse } from '../client/transport.js';
import { requestText } from '../client/transport.js';
import { updateTaints } from './cluster-commands.js';
import { CommandError } from './flags.js';

const DEDICATED = { key: 'dedicated', effect: 'NoSchedule' };
const HEALTH = { key: 'cluster.flotilla.io/not-ready', effect: 'NoSchedule' };

/**
 * A hub holding one cluster whose taints another writer changes between our read and our
 * first `conflicts` writes (as the cluster-status controller does).
 */
function racingHub(conflicts: number): { hub: Parameters<typeof updateTaints>[0]; patches: unknown[] } {
  let rv = 1;
  let taints: object[] = [];
  const patches: unknown[] = [];
  const json = (status: number, body: unknown): TransportResponse => ({
    status,
    headers: {},
    body: JSON.stringify(body),
  });
  const request = (req: TransportRequest): Promise<TransportResponse> => {
    if (!req.path.endsWith('/clusters/c1'))
      return Promise.resolve(json(404, { kind: 'Status', code: 404, reason: 'NotFound' }));
    if (req.method === 'GET') {
      const cluster: Cluster = {
        apiVersion: 'x',
        kind: 'Cluster',
        metadata: { name: 'c1', resourceVersion: String(rv) },
        spec: { taints: taints as never },
      };
      return Promise.resolve(json(200, cluster));
    }
    const body = JSON.parse(requestText(req) ?? '{}') as {
      metadata: { resourceVersion: string };
      spec: { taints: object[] | null };
    };
    patches.push(body);
    if (conflicts > 0) {
      conflicts--;
      taints = [...taints, HEALTH]; // the other writer wins the race
      rv++;
      return Promise.resolve(
        json(409, { kind: 'Status', code: 409, reason: 'Conflict', message: 'modified' }),
      );
    }
    assert.equal(body.metadata.resourceVersion, String(rv), 'the patch is guarded by what it read');
    taints = body.spec.taints ?? [];
    rv++;
    return Promise.resolve(json(200, {}));
  };
  return {
    hub: { client: new ApiClient({ request }), server: 'https://hub', signal: new AbortController().signal },
    patches,
  };
}

describe('updateTaints', () => {
  it("recomputes from a fresh read after a conflict, keeping the other writer's taints", async () => {
    const { hub, patches } = racingHub(2);
    assert.equal(await updateTaints(hub, 'c1', (t) => [...t, DEDICATED]), true);
    assert.equal(patches.length, 3);
    assert.deepEqual(patches[2], {
      metadata: { resourceVersion: '3' },
      spec: { taints: [HEALTH, HEALTH, DEDICATED] },
    });
  });

  it('writes nothing when the taints would not change, and null for no taints', async () => {
    const { hub, patches } = racingHub(0);
    assert.equal(await updateTaints(hub, 'c1', (t) => t), false);
    assert.equal(patches.length, 0);
    assert.equal(await updateTaints(hub, 'c1', () => [DEDICATED]), true);
    assert.equal(await updateTaints(hub, 'c1', () => []), true);
    assert.deepEqual(patches[1], { metadata: { resourceVersion: '2' }, spec: { taints: null } });
  });

  it('gives up after ten conflicts, and reports a missing cluster in one line', async () => {
    await assert.rejects(
      updateTaints(racingHub(100).hub, 'c1', (t) => [...t, DEDICATED]),
      /modified/,
    );
    await assert.rejects(
      updateTaints(racingHub(0).hub, 'nope', (t) => t),
      (err: unknown) => err instanceof CommandError && err.message === 'clusters "nope" not found',
    );
  });
});
