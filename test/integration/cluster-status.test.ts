/**
 * The cluster-status controller against an in-process member: it probes a member once per probe
 * interval, while the member's node and pod changes reach the Cluster's summaries within about a
 * second without probing it again.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../src/api/flotilla/cluster.js';
import { FLOTILLA_VALIDATORS, flotillaCrds } from '../../src/api/flotilla/crds/index.js';
import { compiledInResources } from '../../src/apiserver/crd.js';
import type { CrdObject } from '../../src/apiserver/crd.js';
import { noopLogger } from '../../src/base/logger.js';
import { CLUSTERS } from '../../src/client/flotilla-resources.js';
import { SharedInformers } from '../../src/client/shared-informers.js';
import { ClusterStatusController } from '../../src/controllers/cluster-status/cluster-status-controller.js';
import { eventually, newEnv, newMember } from './harness.js';

const NODES = { apiVersion: 'v1', plural: 'nodes' };
const PODS = { apiVersion: 'v1', plural: 'pods', namespace: 'default' };

function readyOf(c: Cluster): string | undefined {
  return c.status?.conditions?.find((x) => x.type === 'Ready')?.status;
}

describe('ClusterStatusController', () => {
  it('probes a member once per interval; pod changes refresh the summaries in between without probing', async (t) => {
    const hub = await newEnv(t, {
      resources: compiledInResources(flotillaCrds() as unknown as CrdObject[], FLOTILLA_VALIDATORS),
    });
    let probes = 0;
    const { client: member, members } = await newMember((req) => {
      if (req.path === '/readyz') probes++;
    });
    const node = await member.create(NODES, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
    });
    await member.updateStatus(NODES, {
      ...node,
      status: {
        allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
    const informers = new SharedInformers({ client: hub.client, clock: hub.clock, log: noopLogger });
    void informers.start(hub.signal);
    void new ClusterStatusController({
      client: hub.client,
      informers,
      members,
      clock: hub.clock,
      log: noopLogger,
      probeIntervalMs: 60_000,
    }).start(hub.signal);
    await hub.client.create<Cluster>(CLUSTERS, {
      apiVersion: 'cluster.flotilla.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'm1' },
      spec: { syncMode: 'Push', secretRef: { namespace: 'flotilla-system', name: 'm1' } },
    });
    const start = hub.clock.now();
    const cluster = async (): Promise<Cluster> => hub.client.get<Cluster>(CLUSTERS, 'm1');
    await eventually(async () => {
      const c = await cluster();
      return readyOf(c) === 'True' && c.status?.resourceSummary?.available?.['pods'] === '110';
    });
    assert.equal(probes, 1);

    for (let i = 1; i <= 3; i++) {
      await member.create(PODS, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${i}`, namespace: 'default' },
        spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '1' } } }] },
      });
      await eventually(
        async () => (await cluster()).status?.resourceSummary?.available?.['pods'] === String(110 - i),
        { clock: hub.clock, stepMs: 1000 },
      );
    }
    assert.equal(probes, 1, 'the summaries came from the informers, not new probes');

    assert.ok(hub.clock.now() - start < 60_000, 'the summaries took seconds of clock time, not an interval');
    await eventually(() => probes === 2, { clock: hub.clock, stepMs: 1000 });
    assert.ok(hub.clock.now() - start >= 60_000, 'the next probe waited for the interval');
  });
});
