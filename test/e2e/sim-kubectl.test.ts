/**
 * The simulated fleet as kubectl users meet it: the real `flotilla sim` binary (two clusters,
 * simulated time 10x) and the real kubectl 1.27 and 1.33, one cluster each. Deployments roll out,
 * update and roll back; pods that fit nowhere wait with FailedScheduling until capacity frees;
 * StatefulSet hostnames reach EndpointSlices; a dead node's pods move; a downed cluster refuses
 * connections and comes back with its state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  KUBECTL_VERSIONS,
  Kubectl,
  eventually,
  manifest,
  runFlotilla,
  startFlotillaProcess,
  tempFile,
} from './harness.js';
import type { Hub } from './harness.js';

const CLUSTERS = ['us-east-1', 'us-west-1'] as const;

const flotilla = (args: readonly string[]): ReturnType<typeof runFlotilla> => runFlotilla(args);

const deployment = (
  name: string,
  o: { replicas: number; cpu?: string; tolerationSeconds?: number },
): unknown => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: o.replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          { name: 'app', image: 'nginx:1.27', ...(o.cpu ? { resources: { requests: { cpu: o.cpu } } } : {}) },
        ],
        ...(o.tolerationSeconds !== undefined
          ? {
              tolerations: ['unreachable', 'not-ready'].map((t) => ({
                key: `node.kubernetes.io/${t}`,
                operator: 'Exists',
                effect: 'NoExecute',
                tolerationSeconds: o.tolerationSeconds,
              })),
            }
          : {}),
      },
    },
  },
});

describe('flotilla sim with kubectl', () => {
  let sim: Hub;
  before(async () => {
    // Two clusters of three 8-CPU nodes each: the capacity the assertions below count on.
    const fleet = CLUSTERS.map((name) => ({
      name,
      region: name.replace(/-1$/, ''),
      nodePools: [{ name: 'general', count: 3, cpu: '8', memory: '32Gi' }],
    }));
    sim = await startFlotillaProcess('sim', {
      args: [
        '--fleet',
        tempFile('fleet.yaml', JSON.stringify({ clusters: fleet })),
        '--storage',
        'memory',
        '--speed',
        '10',
      ],
    });
  });
  after(async () => {
    const died = sim.exitStatus();
    await sim.stop();
    assert.equal(died, undefined, `flotilla sim exited during the tests:\n${sim.logs()}`);
  });

  KUBECTL_VERSIONS.forEach((version, i) => {
    const cluster = CLUSTERS[i] ?? 'us-east-1';
    describe(`kubectl ${version} on ${cluster}`, () => {
      let k: Kubectl;
      const kc = (args: readonly string[], input?: string): Promise<string> =>
        k.ok(['--context', cluster, ...args], input === undefined ? {} : { input });
      before(() => {
        k = new Kubectl(version, sim.kubeconfig);
      });
      after(() => k.cleanup());

      it('shows Ready nodes with capacity', async () => {
        const out = await eventually(async () => {
          const text = await kc(['get', 'nodes', '--no-headers']);
          const lines = text.trim().split('\n');
          return lines.length === 3 && lines.every((l) => / Ready /.test(l)) && text;
        });
        assert.match(out, new RegExp(`^${cluster}-general-0 +Ready +<none> +\\S+ +v1\\.31\\.4`, 'm'));
        assert.equal(await kc(['get', 'nodes', '-o', 'jsonpath={.items[*].status.capacity.cpu}']), '8 8 8');
      });

      it('creates a Deployment that rolls out, then updates and rolls back its image', async () => {
        await kc(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
        assert.match(
          await kc(['rollout', 'status', 'deployment/web', '--timeout=90s']),
          /successfully rolled out/,
        );
        const pods = (await kc(['get', 'pods', '-l', 'app=web', '-o', 'wide', '--no-headers']))
          .trim()
          .split('\n');
        assert.equal(pods.length, 3);
        for (const line of pods)
          assert.match(line, /^web-\S+ +1\/1 +Running +0 +\S+ +10\.244\.\d+\.\d+ +\S+/);
        const nodes = new Set(pods.map((l) => l.split(/\s+/)[6]));
        assert.equal(nodes.size, 3, 'spread over the three nodes');
        await kc(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
        assert.match(
          await kc(['rollout', 'status', 'deployment/web', '--timeout=90s']),
          /successfully rolled out/,
        );
        assert.match(await kc(['rollout', 'history', 'deployment/web']), /^1 .*\n2 /m);
        await kc(['rollout', 'undo', 'deployment/web']);
        assert.match(
          await kc(['rollout', 'status', 'deployment/web', '--timeout=90s']),
          /successfully rolled out/,
        );
        assert.equal(
          await kc(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']),
          'nginx',
        );
        assert.match(await kc(['rollout', 'history', 'deployment/web']), /^2 .*\n3 /m);
      });

      it('keeps pods that fit nowhere Pending with FailedScheduling until capacity frees', async () => {
        await kc(['apply', '-f', '-'], manifest(deployment('filler', { replicas: 3, cpu: '5' })));
        await kc(['rollout', 'status', 'deployment/filler', '--timeout=90s']);
        await kc(['apply', '-f', '-'], manifest(deployment('big', { replicas: 1, cpu: '5' })));
        const pending = await eventually(async () => {
          const out = await kc(['get', 'pods', '-l', 'app=big', '--no-headers']);
          return /Pending/.test(out) && out.split(/\s+/)[0];
        });
        const described = await eventually(async () => {
          const out = await kc(['describe', 'pod', pending ?? '']);
          return /FailedScheduling/.test(out) && out;
        });
        assert.match(described, /0\/3 nodes are available: 3 Insufficient cpu/);
        await kc(['delete', 'deployment', 'filler']);
        assert.match(
          await kc(['rollout', 'status', 'deployment/big', '--timeout=90s']),
          /successfully rolled out/,
        );
        await kc(['delete', 'deployment', 'big']);
      });

      it('gives StatefulSet pods stable hostnames in the headless Service EndpointSlice', async () => {
        await kc(
          ['apply', '-f', '-'],
          manifest(
            {
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name: 'db' },
              spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
            },
            {
              apiVersion: 'apps/v1',
              kind: 'StatefulSet',
              metadata: { name: 'db' },
              spec: {
                serviceName: 'db',
                replicas: 2,
                selector: { matchLabels: { app: 'db' } },
                template: {
                  metadata: { labels: { app: 'db' } },
                  spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
                },
              },
            },
          ),
        );
        assert.match(
          await kc(['rollout', 'status', 'statefulset/db', '--timeout=90s']),
          /roll(ing update|ed out)|complete/,
        );
        const hostnames = await eventually(async () => {
          const out = await kc([
            'get',
            'endpointslices',
            '-l',
            'kubernetes.io/service-name=db',
            '-o',
            'jsonpath={.items[*].endpoints[*].hostname}',
          ]);
          return out.split(' ').sort().join(' ') === 'db-0 db-1' && out;
        });
        assert.ok(hostnames);
      });

      it('moves the pods of a node that went down, and takes the node back', async () => {
        await kc(['apply', '-f', '-'], manifest(deployment('ha', { replicas: 2, tolerationSeconds: 20 })));
        await kc(['rollout', 'status', 'deployment/ha', '--timeout=90s']);
        const node = (
          await kc(['get', 'pods', '-l', 'app=ha', '-o', 'jsonpath={.items[0].spec.nodeName}'])
        ).trim();
        const down = await flotilla(['sim', 'fault', cluster, 'node', node, 'down', '--data-dir', sim.dir]);
        assert.equal(down.code, 0, down.stderr);
        await eventually(async () => / NotReady /.test(await kc(['get', 'node', node, '--no-headers'])), {
          timeoutMs: 60_000,
          what: `${node} NotReady`,
        });
        await eventually(
          async () => {
            const out = await kc(['get', 'pods', '-l', 'app=ha', '-o', 'wide', '--no-headers']);
            const running = out
              .split('\n')
              .filter((l) => / Running /.test(l) && / 1\/1 /.test(l) && !l.includes(node));
            return running.length === 2;
          },
          { timeoutMs: 90_000, what: 'ha pods running elsewhere' },
        );
        const up = await flotilla(['sim', 'fault', cluster, 'node', node, 'up', '--data-dir', sim.dir]);
        assert.equal(up.code, 0, up.stderr);
        await eventually(async () => / Ready /.test(await kc(['get', 'node', node, '--no-headers'])), {
          timeoutMs: 60_000,
          what: `${node} Ready again`,
        });
      });

      it('refuses connections to a downed cluster and heals it with its state', async () => {
        const down = await flotilla(['sim', 'fault', cluster, 'down', '--data-dir', sim.dir]);
        assert.equal(down.code, 0, down.stderr);
        assert.equal(down.stdout, `cluster ${cluster}: down\n`);
        const failed = await k.run(['--context', cluster, 'get', 'deployments', '--request-timeout=5s']);
        assert.notEqual(failed.code, 0);
        assert.match(failed.stderr, /The connection to the server 127\.0\.0\.1:\d+ was refused/);
        const heal = await flotilla(['sim', 'fault', cluster, 'heal', '--data-dir', sim.dir]);
        assert.equal(heal.code, 0, heal.stderr);
        assert.match(await kc(['get', 'deployment', 'web', '--no-headers']), /^web +3\/3 /);
      });
    });
  });

  it('rejects bad fault commands with one line and exit code 2', async () => {
    const bad = await flotilla(['sim', 'fault', 'us-east-1', 'explode', '--data-dir', sim.dir]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'flotilla: unknown fault "explode": use down, partition, slow=MS or heal\n');
    const missing = await flotilla(['sim', 'fault', 'nowhere', 'down', '--data-dir', sim.dir]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^flotilla: clusters "nowhere" not found\n$/);
    const status = await flotilla(['sim', 'status', '--data-dir', sim.dir]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(
      status.stdout,
      /^CLUSTER +REGION +VERSION +NODES UP +FAULT +URL\nus-east-1 +us-east +v1\.31\.4 +3\/3 +healthy +https:\/\/127\.0\.0\.1:\d+\n/,
    );
  });
});
