/**
 * The fleet over real HTTPS: each cluster on its own endpoint and under /clusters/<name>, the
 * control API, and cluster faults as clients see them (refused or dropped connections, hanging
 * requests, added latency), with state intact.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { noopLogger } from '../../src/base/logger.js';
import { ApiClient } from '../../src/client/api-client.js';
import { HttpsTransport } from '../../src/client/https-transport.js';
import { startSim } from '../../src/cmd/sim.js';
import type { RunningSim } from '../../src/cmd/sim.js';
import { generatedFleet } from '../../src/simulator/fleet/fleet-spec.js';
import { eventually } from '../../src/base/testing/eventually.js';

/** Reads a stream to its end or its error. */
async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  try {
    for await (const _ of stream);
  } catch {
    // a cut connection ends the stream with an error
  }
}

const CM = { apiVersion: 'v1', plural: 'configmaps', namespace: 'default' };

describe('simulated fleet over HTTPS', () => {
  let sim: RunningSim;
  let dir: string;
  const clientOf = (name: string): ApiClient =>
    new ApiClient(new HttpsTransport({ server: sim.clusterUrl(name), caPem: sim.caPem, token: sim.token }));
  const pathClientOf = (name: string): ApiClient =>
    new ApiClient(
      new HttpsTransport({ server: sim.clusterPathUrl(name), caPem: sim.caPem, token: sim.token }),
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-sim-'));
    sim = await startSim({
      dataDir: dir,
      host: '127.0.0.1',
      port: 0,
      spec: generatedFleet(2, { nodesPerCluster: 1 }),
      storage: 'memory',
      log: noopLogger,
      events: false,
    });
  });
  after(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves each cluster on its own endpoint and under its own path, with its own identity and a kubeconfig context each', async () => {
    const a = clientOf('us-east-1');
    const b = clientOf('us-west-1');
    const uidA = (await a.get({ apiVersion: 'v1', plural: 'namespaces' }, 'kube-system')).metadata.uid;
    const uidB = (await b.get({ apiVersion: 'v1', plural: 'namespaces' }, 'kube-system')).metadata.uid;
    assert.ok(uidA && uidB && uidA !== uidB);
    await a.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'only-in-a' } });
    await assert.rejects(b.get(CM, 'only-in-a'), /not found/);
    assert.equal((await pathClientOf('us-east-1').get(CM, 'only-in-a')).metadata.name, 'only-in-a');
    assert.notEqual(new URL(sim.clusterUrl('us-east-1')).port, new URL(sim.url).port);
    const kubeconfig = parseYaml(readFileSync(sim.kubeconfigPath, 'utf8')) as {
      contexts: { name: string }[];
      clusters: { cluster: { server: string } }[];
    };
    assert.deepEqual(
      kubeconfig.contexts.map((c) => c.name),
      ['us-east-1', 'us-west-1'],
    );
    assert.equal(kubeconfig.clusters[0]?.cluster.server, sim.clusterUrl('us-east-1'));
    await assert.rejects(pathClientOf('nope').get(CM, 'x'), /clusters.*"nope" not found/);
  });

  it('refuses connections to a down cluster only (resets them on the shared port), and heals with its state intact', async () => {
    const a = clientOf('us-east-1');
    await a.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'survivor' } });
    const watch = await a.watch(CM, {});
    sim.fleet.clusterFault('us-east-1', 'down');
    const refused = (err: unknown): boolean => /ECONNREFUSED/.test(String((err as Error).cause ?? err));
    await eventually(() => a.get(CM, 'survivor').then(() => false, refused), { what: 'refused' });
    await assert.rejects(pathClientOf('us-east-1').get(CM, 'survivor'), /socket hang up|ECONNRESET/);
    await clientOf('us-west-1').list(CM);
    await drain(watch); // the open watch was cut: the stream ends instead of hanging
    sim.fleet.clusterFault('us-east-1', 'heal');
    await eventually(() => a.get(CM, 'survivor').then((cm) => cm.metadata.name === 'survivor'), {
      what: 'the healed cluster answering with its state',
    });
  });

  it('holds requests to a partitioned cluster until the client gives up', async () => {
    const a = clientOf('us-east-1');
    sim.fleet.clusterFault('us-east-1', 'partition');
    const started = Date.now();
    await assert.rejects(a.list(CM, { signal: AbortSignal.timeout(300) }));
    assert.ok(Date.now() - started >= 250, 'the request hung until the client timed out');
    const pending = a.get(CM, 'survivor');
    sim.fleet.clusterFault('us-east-1', 'heal');
    assert.equal((await pending).metadata.name, 'survivor', 'a held request proceeds once healed');
  });

  it('adds latency to a slow cluster', async () => {
    const a = clientOf('us-east-1');
    sim.fleet.clusterFault('us-east-1', 'slow=200');
    const started = Date.now();
    await a.list(CM);
    assert.ok(Date.now() - started >= 190);
    sim.fleet.clusterFault('us-east-1', 'heal');
  });

  it('answers the control API and rejects bad fault requests', async () => {
    const control = new HttpsTransport({ server: sim.url, caPem: sim.caPem, token: sim.token });
    const bad = await control.request({
      method: 'POST',
      path: '/fleet/v1/clusters/us-east-1/fault',
      body: JSON.stringify({ action: 'explode' }),
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body ?? '', /unknown fault \\"explode\\"/);
    const missing = await control.request({
      method: 'POST',
      path: '/fleet/v1/clusters/nope/fault',
      body: JSON.stringify({ action: 'down' }),
    });
    assert.equal(missing.status, 404);
    const ok = await control.request({
      method: 'POST',
      path: '/fleet/v1/clusters/us-west-1/fault',
      body: JSON.stringify({ action: 'slow=5' }),
    });
    assert.equal(ok.status, 200);
    const listed = JSON.parse(ok.body ?? '{}') as { clusters: { name: string; fault: string }[] };
    assert.deepEqual(
      listed.clusters.map((c) => `${c.name}:${c.fault}`),
      ['us-east-1:', 'us-west-1:slow=5'],
    );
    const anonymous = await new HttpsTransport({ server: sim.url, caPem: sim.caPem }).request({
      method: 'GET',
      path: '/fleet/v1/clusters',
    });
    assert.equal(anonymous.status, 401);
    sim.fleet.clusterFault('us-west-1', 'heal');
  });
});
