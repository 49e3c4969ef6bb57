/**
 * Cluster failover end to end, on `flotilla up`'s fleet with short delays (probe 1 s, grace 2 s,
 * eviction 2 s) and the real kubectl: a Deployment of 6 replicas split 2:2:2 over three clusters;
 * one cluster goes down; all 6 replicas run Ready on the two others, the binding records the
 * failover, and the hub never reports fewer ready replicas than the survivors held; after `heal`
 * the stale copy in the recovered cluster is removed. With every other cluster down and no room
 * left, nothing is deleted and the binding says why.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kubectl, eventually, manifest, runFlotilla } from './harness.js';
import { startUp } from './up-process.js';
import type { Up } from './up-process.js';

const CLUSTERS = ['eu-west-1', 'us-east-1', 'us-west-1'];

function evenlySplit(name: string, replicas: number, failover?: { rebalanceOnRecovery: boolean }): string {
  return manifest(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name, image: 'nginx', resources: { requests: { cpu: '100m' } } }] },
        },
      },
    },
    {
      apiVersion: 'policy.flotilla.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name, namespace: 'default' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name }],
        placement: {
          replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
        },
        ...(failover ? { failover } : {}),
      },
    },
  );
}

describe('cluster failover', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-e2e-failover-'));
  let up: Up;
  let k: Kubectl;
  const fault = async (cluster: string, what: string): Promise<void> => {
    const r = await runFlotilla(['sim', 'fault', cluster, what, '--data-dir', join(dir, 'sim')]);
    assert.equal(r.code, 0, r.stderr);
  };
  /** Ready replicas of Deployment `name` per cluster (clusters that do not answer are left out). */
  const readyIn = async (name: string, clusters: readonly string[]): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const c of clusters) {
      const r = await k.run([
        '--context',
        c,
        'get',
        'deploy',
        name,
        '-o',
        'jsonpath={.status.readyReplicas}',
        '--request-timeout=2s',
      ]);
      if (r.code === 0) out[c] = Number(r.stdout || 0);
    }
    return out;
  };
  const hubReady = async (name: string): Promise<number> =>
    Number((await k.ok(['get', 'deploy', name, '-o', 'jsonpath={.status.readyReplicas}'])) || 0);

  before(async () => {
    up = startUp(dir, {
      tty: false,
      args: [
        '--cluster-probe-interval',
        '1',
        '--cluster-grace-period',
        '2',
        '--cluster-eviction-delay',
        '2',
        '--rebalance-delay',
        '2',
      ],
    });
    await up.until('resume this fleet.');
    k = new Kubectl('1.33', join(dir, 'kubeconfig'));
  });
  after(async () => {
    k.cleanup();
    up.proc.kill('SIGTERM');
    await up.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves a down cluster’s replicas to the others, then removes the stale copy after heal', async () => {
    await k.ok(['apply', '-f', '-'], { input: evenlySplit('web', 6) });
    await eventually(async () => (await hubReady('web')) === 6, { what: 'web 6/6 ready', timeoutMs: 60_000 });
    assert.deepEqual(await readyIn('web', CLUSTERS), { 'eu-west-1': 2, 'us-east-1': 2, 'us-west-1': 2 });

    await fault('us-east-1', 'down');
    const survivors = ['eu-west-1', 'us-west-1'];
    let lowest = Infinity;
    await eventually(
      async () => {
        lowest = Math.min(lowest, await hubReady('web'));
        const ready = await readyIn('web', survivors);
        return ready['eu-west-1'] === 3 && ready['us-west-1'] === 3;
      },
      { what: 'all 6 replicas Ready on the two others', timeoutMs: 90_000 },
    );
    assert.ok(lowest >= 4, `the hub reported ${lowest} ready, fewer than the survivors' 4`);
    await eventually(async () => (await hubReady('web')) === 6, {
      what: 'the hub says 6/6 again',
      timeoutMs: 30_000,
    });
    const rb = JSON.parse(await k.ok(['get', 'rb', 'web-deployment', '-o', 'json'])) as {
      spec: { clusters: { name: string; replicas: number }[] };
      status: { schedulingHistory: { trigger: string; clusters: { name: string; replicas: number }[] }[] };
    };
    assert.deepEqual(rb.spec.clusters, [
      { name: 'eu-west-1', replicas: 3 },
      { name: 'us-west-1', replicas: 3 },
    ]);
    assert.equal(rb.status.schedulingHistory[0]?.trigger, 'ClusterFailover');
    const events = await k.ok([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=web-deployment',
      '-o',
      'jsonpath={.items[*].reason}',
    ]);
    assert.match(events, /EvictWorkloadFromCluster/);

    await fault('us-east-1', 'heal');
    await eventually(
      async () =>
        (
          await k.run(['--context', 'us-east-1', 'get', 'deploy', 'web', '--request-timeout=2s'])
        ).stderr.includes('NotFound'),
      { what: 'the stale copy removed from us-east-1', timeoutMs: 60_000 },
    );
    assert.equal(await hubReady('web'), 6);
  });

  it('with rebalanceOnRecovery, moves back to a healed cluster, new copies first: never below 6 ready', async () => {
    await k.ok(['apply', '-f', '-'], { input: evenlySplit('back', 6, { rebalanceOnRecovery: true }) });
    await eventually(async () => (await hubReady('back')) === 6, { what: 'back 6/6', timeoutMs: 60_000 });
    await fault('us-west-1', 'down');
    await eventually(
      async () => {
        const ready = await readyIn('back', ['eu-west-1', 'us-east-1']);
        return ready['eu-west-1'] === 3 && ready['us-east-1'] === 3;
      },
      { what: 'back 3:3 on the two others', timeoutMs: 90_000 },
    );
    const decision = (): Promise<string> =>
      k.ok([
        'get',
        'rb',
        'back-deployment',
        '-o',
        'jsonpath={range .spec.clusters[*]}{.name}:{.replicas} {end}{.spec.rebalance.startedAt}',
      ]);
    await fault('us-west-1', 'heal');
    // Read the clusters that shrink before the one that grows: a dip cannot hide between reads.
    let lowestFleet = Infinity;
    let lowestHub = Infinity;
    await eventually(
      async () => {
        const ready = await readyIn('back', CLUSTERS);
        lowestFleet = Math.min(
          lowestFleet,
          Object.values(ready).reduce((a, b) => a + b, 0),
        );
        lowestHub = Math.min(lowestHub, await hubReady('back'));
        return (
          (await decision()) === 'eu-west-1:2 us-east-1:2 us-west-1:2 ' &&
          ready['eu-west-1'] === 2 &&
          ready['us-east-1'] === 2 &&
          ready['us-west-1'] === 2
        );
      },
      { what: 'the 2:2:2 split back, old copies gone', timeoutMs: 90_000 },
    );
    assert.ok(lowestFleet >= 6, `${lowestFleet} replicas ready fleet-wide at one point`);
    assert.ok(lowestHub >= 6, `the hub reported ${lowestHub} ready at one point`);
    const triggers = await k.ok([
      'get',
      'rb',
      'back-deployment',
      '-o',
      'jsonpath={.status.schedulingHistory[*].trigger}',
    ]);
    assert.match(triggers, /^Rebalance ClusterFailover/);
    const events = await k.ok([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=back-deployment',
      '-o',
      'jsonpath={.items[*].reason}',
    ]);
    assert.match(events, /Rebalancing/);
    assert.match(events, /RebalanceDone/);

    // By hand: the same fresh decision, recorded as a rebalance, changes nothing here.
    const r = await runFlotilla(['rebalance', 'back-deployment', '--kubeconfig', join(dir, 'kubeconfig')]);
    assert.deepEqual(
      [r.code, r.stdout, r.stderr],
      [0, 'binding default/back-deployment rebalance requested\n', ''],
    );
    await eventually(
      async () =>
        (
          await k.ok([
            'get',
            'rb',
            'back-deployment',
            '-o',
            'jsonpath={.status.schedulingHistory[*].trigger}',
          ])
        ).startsWith('Rebalance Rebalance'),
      { what: 'the second rebalance recorded' },
    );
    assert.equal(await decision(), 'eu-west-1:2 us-east-1:2 us-west-1:2 ');
  });

  it('handles a partitioned cluster (requests hang) like a down one, without stalling the others', async () => {
    await k.ok(['apply', '-f', '-'], { input: evenlySplit('part', 6) });
    await eventually(async () => (await hubReady('part')) === 6, {
      what: 'part 6/6 ready',
      timeoutMs: 60_000,
    });
    await fault('eu-west-1', 'partition');
    try {
      // The hub's work for the healthy clusters goes on while eu-west-1 hangs.
      await eventually(
        async () =>
          /eu-west-1/.test(
            await k.ok([
              'get',
              'rb',
              'part-deployment',
              '-o',
              'jsonpath={.spec.gracefulEvictionTasks[*].fromCluster}',
            ]),
          ),
        { what: 'part evicted from the partitioned cluster', timeoutMs: 60_000 },
      );
      await eventually(
        async () => {
          const ready = await readyIn('part', ['us-east-1', 'us-west-1']);
          return ready['us-east-1'] === 3 && ready['us-west-1'] === 3;
        },
        { what: 'part 3:3 on the healthy clusters', timeoutMs: 60_000 },
      );
    } finally {
      await fault('eu-west-1', 'heal');
    }
    await eventually(
      async () =>
        (
          await k.run(['--context', 'eu-west-1', 'get', 'deploy', 'part', '--request-timeout=2s'])
        ).stderr.includes('NotFound'),
      { what: 'the stale copy removed from eu-west-1', timeoutMs: 60_000 },
    );
  });

  it('fails a crash-looping copy over by application failover, and leaves a healthy one alone', async () => {
    const policy = (name: string, propagateDeps = false): unknown => ({
      apiVersion: 'policy.flotilla.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name, namespace: 'default' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name }],
        placement: {
          clusterAffinity: { clusterNames: ['us-east-1', 'us-west-1'] },
          replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
        },
        failover: { application: { decisionConditions: { tolerationSeconds: 8 } } },
        propagateDeps,
      },
    });
    const deployment = (name: string, configMap?: string): unknown => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name,
                image: 'nginx',
                ...(configMap ? { envFrom: [{ configMapRef: { name: configMap } }] } : {}),
              },
            ],
          },
        },
      },
    });
    // shaky's ConfigMap is a dependency (propagateDeps): it goes where shaky goes.
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shaky-config', namespace: 'default' },
      data: { MODE: 'shaky' },
    };
    // In us-east-1 only, shaky's pods crash-loop (the simulator's flotilla/crashloop image).
    const crashInEast = {
      apiVersion: 'policy.flotilla.io/v1alpha1',
      kind: 'OverridePolicy',
      metadata: { name: 'shaky-crash-in-east', namespace: 'default' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'shaky' }],
        overrideRules: [
          {
            targetCluster: { clusterNames: ['us-east-1'] },
            overriders: {
              plaintext: [
                {
                  path: '/spec/template/spec/containers/0/image',
                  operator: 'replace',
                  value: 'flotilla/crashloop',
                },
              ],
            },
          },
        ],
      },
    };
    await k.ok(['apply', '-f', '-'], {
      input: manifest(
        crashInEast,
        config,
        deployment('shaky', 'shaky-config'),
        policy('shaky', true),
        deployment('steady'),
        policy('steady'),
      ),
    });
    const decision = async (name: string): Promise<string> =>
      k.ok([
        'get',
        'rb',
        `${name}-deployment`,
        '-o',
        'jsonpath={range .spec.clusters[*]}{.name}:{.replicas} {end}',
      ]);
    await eventually(async () => (await decision('shaky')) === 'us-west-1:4 ', {
      what: 'shaky moved off us-east-1',
      timeoutMs: 90_000,
    });
    await eventually(async () => (await readyIn('shaky', ['us-west-1']))['us-west-1'] === 4, {
      what: 'shaky 4/4 on us-west-1',
      timeoutMs: 60_000,
    });
    const history = await k.ok([
      'get',
      'rb',
      'shaky-deployment',
      '-o',
      'jsonpath={.status.schedulingHistory[0].trigger}',
    ]);
    assert.equal(history, 'ApplicationFailover');
    await eventually(
      async () =>
        (await k.run(['--context', 'us-east-1', 'get', 'deploy', 'shaky'])).stderr.includes('NotFound'),
      { what: 'the crash-looping copy removed', timeoutMs: 60_000 },
    );
    await eventually(
      async () =>
        (await k.run(['--context', 'us-east-1', 'get', 'configmap', 'shaky-config'])).stderr.includes(
          'NotFound',
        ),
      { what: 'its dependency removed from us-east-1 with it', timeoutMs: 60_000 },
    );
    assert.match(await k.ok(['--context', 'us-west-1', 'get', 'configmap', 'shaky-config']), /shaky-config/);
    assert.equal(
      await k.ok(['get', 'rb', 'shaky-config-configmap', '-o', 'jsonpath={.spec.clusters[*].name}']),
      'us-west-1',
      'the dependency binding follows the workload',
    );
    assert.equal(
      await decision('steady'),
      'us-east-1:2 us-west-1:2 ',
      'the healthy workload stays where it is',
    );
  });

  it('keeps the last copy when no other cluster can take it, and says why', async () => {
    // Only us-west-1 may hold it; when us-west-1 goes down there is nowhere else to go.
    await k.ok(['apply', '-f', '-'], {
      input: manifest(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'solo', namespace: 'default' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'solo' } },
            template: {
              metadata: { labels: { app: 'solo' } },
              spec: { containers: [{ name: 'solo', image: 'nginx' }] },
            },
          },
        },
        {
          apiVersion: 'policy.flotilla.io/v1alpha1',
          kind: 'PropagationPolicy',
          metadata: { name: 'solo', namespace: 'default' },
          spec: {
            resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'solo' }],
            placement: {
              clusterAffinity: { clusterNames: ['us-west-1'] },
              replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
            },
          },
        },
      ),
    });
    await eventually(async () => (await hubReady('solo')) === 2, { what: 'solo ready', timeoutMs: 60_000 });
    await fault('us-west-1', 'down');
    try {
      await eventually(
        async () =>
          /EvictionBlocked/.test(
            await k.ok([
              'get',
              'events',
              '--field-selector',
              'involvedObject.name=solo-deployment',
              '-o',
              'jsonpath={.items[*].reason}',
            ]),
          ),
        { what: 'the eviction reported as blocked', timeoutMs: 90_000 },
      );
      const rb = JSON.parse(await k.ok(['get', 'rb', 'solo-deployment', '-o', 'json'])) as {
        spec: { gracefulEvictionTasks?: { fromCluster: string }[] };
        status: { conditions: { type: string; status: string; message: string }[] };
      };
      assert.deepEqual(
        rb.spec.gracefulEvictionTasks?.map((t) => t.fromCluster),
        ['us-west-1'],
      );
      const scheduled = rb.status.conditions.find((c) => c.type === 'Scheduled');
      assert.equal(scheduled?.status, 'False');
      assert.match(scheduled?.message ?? '', /eviction|affinity/);
      // The Work, and so the member's copy, is still there.
      assert.match(
        await k.ok(['get', 'works', '-n', 'flotilla-es-us-west-1', '-o', 'name']),
        /solo-deployment/,
      );
    } finally {
      await fault('us-west-1', 'heal');
    }
    await eventually(async () => (await hubReady('solo')) === 2, {
      what: 'solo ready after heal',
      timeoutMs: 60_000,
    });
  });
});
