/**
 * Joining simulated members to a hub with `flotilla join`, as a user does: the hub probes each
 * member and reports it Ready with its version, APIs and capacity (kubectl 1.27 and 1.33 see it);
 * a member made `down` with `flotilla sim fault` turns Unknown after the grace period and gets the
 * unreachable taint, and comes back when healed; `flotilla unjoin` removes it. Bad input is one
 * line with exit 2; an unreachable member is one line with exit 1.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Cluster } from '../../src/api/flotilla/cluster.js';
import {
  KUBECTL_VERSIONS,
  Kubectl,
  eventually,
  manifest,
  runFlotilla,
  startFlotillaProcess,
  startHubProcess,
  tempFile,
} from './harness.js';
import type { Hub } from './harness.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('flotilla join', () => {
  let hub: Hub;
  let sim: Hub;
  before(async () => {
    [hub, sim] = await Promise.all([
      startHubProcess({ args: ['--cluster-probe-interval', '1', '--cluster-grace-period', '3'] }),
      startFlotillaProcess('sim', { args: ['--clusters', '3', '--storage', 'memory'] }),
    ]);
  });
  after(async () => {
    const died = [hub.exitStatus(), sim.exitStatus()];
    await Promise.all([hub.stop(), sim.stop()]);
    assert.deepEqual(died, [undefined, undefined], `${hub.logs()}\n${sim.logs()}`);
  });

  const joinCluster = (name: string, context: string, ...extra: string[]) =>
    runFlotilla([
      'join',
      name,
      '--kubeconfig',
      sim.kubeconfig,
      '--context',
      context,
      '--hub-kubeconfig',
      hub.kubeconfig,
      ...extra,
    ]);

  it('registers members that the hub reports Ready, with version, APIs and capacity', async () => {
    const a = await joinCluster(
      'us-east',
      'us-east-1',
      '--region',
      'us-east',
      '--zone',
      'us-east-1a',
      '--provider',
      'sim',
    );
    assert.equal(a.code, 0, a.stderr);
    assert.match(
      a.stdout,
      /^cluster us-east joined \(https:\/\/127\.0\.0\.1:\d+, Kubernetes v1\.\d+\.\d+\S*, ID [0-9a-f-]{36}\)\n$/,
    );
    assert.equal((await joinCluster('us-west', 'us-west-1', '--region', 'us-west')).code, 0);
    assert.equal((await joinCluster('eu-west', 'eu-west-1', '--region', 'eu-west')).code, 0);
    const again = await joinCluster('us-east', 'us-east-1', '--region', 'us-east');
    assert.equal(again.code, 0, 'joining the same member again refreshes it');
    const taken = await joinCluster('us-east', 'us-west-1');
    assert.equal(taken.code, 1);
    assert.match(
      taken.stderr,
      /^flotilla: cluster us-east is already joined with another member \(ID [0-9a-f-]+\)\n$/,
    );

    for (const version of KUBECTL_VERSIONS) {
      const k = new Kubectl(version, hub.kubeconfig);
      try {
        const table = await eventually(
          async () => {
            const out = await k.ok(['get', 'clusters']);
            return (
              /\nus-east\s+v1\.\d+\.\d+\S*\s+Push\s+True\s+us-east\s/.test(out) &&
              /\nus-west\s+\S+\s+Push\s+True\s/.test(out) &&
              out
            );
          },
          { what: `both clusters Ready (kubectl ${version})`, timeoutMs: 30_000 },
        );
        assert.match(table, /^NAME\s+VERSION\s+MODE\s+READY\s+REGION\s+AGE\n/);
      } finally {
        k.cleanup();
      }
    }
    const k = new Kubectl('1.33', hub.kubeconfig);
    try {
      const east = JSON.parse(await k.ok(['get', 'cluster', 'us-east', '-o', 'json'])) as Cluster;
      assert.equal(east.spec?.secretRef?.namespace, 'flotilla-system');
      assert.equal(east.spec?.provider, 'sim');
      assert.deepEqual(east.spec?.zones, ['us-east-1a']);
      assert.ok((east.status?.nodeSummary?.readyNum ?? 0) > 0, 'ready nodes counted');
      assert.ok(Number(east.status?.resourceSummary?.allocatable?.['pods'] ?? 0) > 0, 'allocatable pods');
      assert.ok(east.status?.resourceSummary?.continuous?.['cpu'], 'continuous cpu');
      const apps = east.status?.apiEnablements?.find((e) => e.groupVersion === 'apps/v1');
      assert.ok(
        apps?.resources?.some((r) => r.kind === 'Deployment'),
        'serves Deployments',
      );
      assert.match(
        await k.ok(['get', 'secret', 'us-east', '-n', 'flotilla-system', '-o', 'name']),
        /^secret\/us-east\n$/,
      );
    } finally {
      k.cleanup();
    }
  });

  it('turns a member that went down Unknown with the unreachable taint after the grace period, and back', async () => {
    const k = new Kubectl('1.33', hub.kubeconfig);
    const cluster = async (): Promise<Cluster> =>
      JSON.parse(await k.ok(['get', 'cluster', 'us-west', '-o', 'json'])) as Cluster;
    const ready = (c: Cluster): string | undefined =>
      c.status?.conditions?.find((x) => x.type === 'Ready')?.status;
    try {
      await eventually(async () => ready(await cluster()) === 'True', {
        what: 'us-west Ready',
        timeoutMs: 30_000,
      });
      const down = await runFlotilla(['sim', 'fault', 'us-west-1', 'down', '--data-dir', sim.dir]);
      assert.equal(down.code, 0, down.stderr);
      const gone = await eventually(
        async () => {
          const c = await cluster();
          return ready(c) === 'Unknown' && c;
        },
        { what: 'us-west Unknown', timeoutMs: 30_000 },
      );
      assert.equal(gone.status?.conditions?.find((x) => x.type === 'Ready')?.reason, 'ClusterNotReachable');
      assert.deepEqual(
        gone.spec?.taints?.map((t) => `${t.key}:${t.effect}`),
        ['cluster.flotilla.io/unreachable:NoSchedule'],
      );
      // A workload applied now goes to the healthy members only, and they keep being served.
      await k.ok([
        'apply',
        '-f',
        tempFile(
          'everywhere.yaml',
          manifest(
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: 'everywhere', namespace: 'default' },
              data: { a: '1' },
            },
            {
              apiVersion: 'policy.flotilla.io/v1alpha1',
              kind: 'PropagationPolicy',
              metadata: { name: 'everywhere', namespace: 'default' },
              spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'everywhere' }] },
            },
          ),
        ),
      ]);
      await eventually(
        async () =>
          /\neverywhere-configmap\s+True\s+eu-west,us-east\s/.test(
            await k.ok(['get', 'rb', 'everywhere-configmap']),
          ),
        {
          what: 'placed on the healthy members only',
          timeoutMs: 30_000,
        },
      );
      const member = new Kubectl('1.33', sim.kubeconfig);
      try {
        await eventually(
          async () =>
            (await member.run(['--context', 'eu-west-1', 'get', 'configmap', 'everywhere'])).code === 0,
          {
            what: 'eu-west-1 served while us-west-1 is down',
            timeoutMs: 30_000,
          },
        );
      } finally {
        member.cleanup();
      }
      const heal = await runFlotilla(['sim', 'fault', 'us-west-1', 'heal', '--data-dir', sim.dir]);
      assert.equal(heal.code, 0, heal.stderr);
      const back = await eventually(
        async () => {
          const c = await cluster();
          return ready(c) === 'True' && c;
        },
        { what: 'us-west Ready again', timeoutMs: 30_000 },
      );
      assert.deepEqual(back.spec?.taints ?? [], []);
      await eventually(
        async () =>
          /\neverywhere-configmap\s+True\s+eu-west,us-east,us-west\s/.test(
            await k.ok(['get', 'rb', 'everywhere-configmap']),
          ),
        {
          what: 'the healed member gets the duplicated object',
          timeoutMs: 30_000,
        },
      );
      await k.ok(['delete', 'configmap', 'everywhere']);
    } finally {
      k.cleanup();
    }
  });

  it('propagates the README example: 4:2 over the members, the override in one, fleet status on the hub, removed with the template', async () => {
    const k = new Kubectl('1.27', hub.kubeconfig);
    const member = new Kubectl('1.33', sim.kubeconfig);
    try {
      await k.ok(['apply', '-f', join(root, 'examples', 'propagation', 'web.yaml')]);
      const row = await eventually(
        async () => {
          const out = await k.ok(['get', 'rb', 'web-deployment']);
          return /\nweb-deployment\s+True\s+us-east:4,us-west:2\s/.test(out) && out;
        },
        { what: 'web-deployment scheduled 4:2', timeoutMs: 30_000 },
      );
      assert.match(row, /^NAME\s+SCHEDULED\s+CLUSTERS\s+/);
      const labels = await k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.labels}']);
      assert.match(labels, /"propagationpolicy.flotilla.io\/name":"web"/);

      // The members get the Deployment with their share, the override only where it targets.
      const inMember = async (context: string): Promise<string> =>
        member.ok([
          '--context',
          context,
          'get',
          'deployment',
          'web',
          '-o',
          'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.labels.mirror} {.metadata.labels.flotilla\\.io/managed}',
        ]);
      await eventually(
        async () => (await inMember('us-east-1')) === '4 mirror.us-east.example/nginx us-east true',
        {
          what: 'us-east has 4 replicas, the mirror image and the label',
          timeoutMs: 30_000,
        },
      );
      await eventually(async () => (await inMember('us-west-1')) === '2 nginx  true', {
        what: 'us-west has 2 replicas, untouched',
        timeoutMs: 30_000,
      });

      // The hub's Deployment shows the fleet: rollout status completes, the binding is applied.
      await eventually(
        async () =>
          (await k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}'])) === '6',
        { what: 'the hub Deployment has 6 ready replicas', timeoutMs: 60_000 },
      );
      assert.match(
        await k.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']),
        /successfully rolled out/,
      );
      const rb = JSON.parse(await k.ok(['get', 'rb', 'web-deployment', '-o', 'json'])) as {
        status: {
          aggregatedStatus: { clusterName: string; applied: boolean; health: string; healthSince: string }[];
          conditions: { type: string; status: string }[];
        };
      };
      assert.deepEqual(
        rb.status.aggregatedStatus.map((a) => [a.clusterName, a.applied, a.health]),
        [
          ['us-east', true, 'Healthy'],
          ['us-west', true, 'Healthy'],
        ],
      );
      assert.equal(rb.status.conditions.find((c) => c.type === 'FullyApplied')?.status, 'True');
      for (const a of rb.status.aggregatedStatus)
        assert.ok(Date.parse(a.healthSince) <= Date.now(), `${a.clusterName}: healthSince ${a.healthSince}`);

      // A member object someone changed (its generation moved) or deleted is put back as placed.
      await member.ok(['--context', 'us-west-1', 'scale', 'deployment', 'web', '--replicas=5']);
      await eventually(async () => (await inMember('us-west-1')) === '2 nginx  true', {
        what: 'us-west scaled back to its share of 2',
        timeoutMs: 30_000,
      });
      await member.ok(['--context', 'us-west-1', 'delete', 'deployment', 'web', '--wait=false']);
      await eventually(
        async () =>
          (await member.run(['--context', 'us-west-1', 'get', 'deployment', 'web'])).code === 0 &&
          (await inMember('us-west-1')) === '2 nginx  true',
        { what: 'web created again in us-west', timeoutMs: 30_000 },
      );

      // Changing the policy's weights moves replicas.
      await k.ok([
        'patch',
        'propagationpolicy',
        'web',
        '--type=json',
        '-p',
        JSON.stringify([
          {
            op: 'replace',
            path: '/spec/placement/replicaScheduling/weightPreference/staticWeightList/0/weight',
            value: 1,
          },
        ]),
      ]);
      await eventually(async () => (await inMember('us-west-1')).startsWith('3 '), {
        what: 'us-west scaled to 3 after the weights became 1:1',
        timeoutMs: 30_000,
      });
      assert.match(
        await k.ok(['get', 'rb', 'web-deployment']),
        /\nweb-deployment\s+True\s+us-east:3,us-west:3\s/,
      );

      // Deleting the template removes the member objects.
      await k.ok(['delete', 'deployment', 'web']);
      for (const context of ['us-east-1', 'us-west-1'])
        await eventually(
          async () => (await member.run(['--context', context, 'get', 'deployment', 'web'])).code === 1,
          {
            what: `web gone from ${context}`,
            timeoutMs: 30_000,
          },
        );
    } finally {
      k.cleanup();
      member.cleanup();
    }
  });

  it('propagates a workload with its ConfigMap and Secret, which reach each member first', async () => {
    const k = new Kubectl('1.33', hub.kubeconfig);
    const member = new Kubectl('1.33', sim.kubeconfig);
    try {
      await k.ok(['apply', '-f', join(root, 'examples', 'propagation', 'with-deps.yaml')]);
      for (const context of ['eu-west-1', 'us-east-1', 'us-west-1'])
        await eventually(
          async () => {
            const out = await member.ok([
              '--context',
              context,
              'get',
              'deployment/api',
              'configmap/api-config',
              'secret/api-token',
              '-o',
              'name',
            ]);
            return out === 'deployment.apps/api\nconfigmap/api-config\nsecret/api-token\n';
          },
          { what: `api and its dependencies in ${context}`, timeoutMs: 30_000 },
        );
      const dep = JSON.parse(await k.ok(['get', 'rb', 'api-config-configmap', '-o', 'json'])) as {
        spec: { requiredBy: { name: string; clusters: { name: string }[] }[]; clusters: { name: string }[] };
      };
      assert.deepEqual(
        dep.spec.requiredBy.map((r) => r.name),
        ['api-deployment'],
      );
      assert.deepEqual(
        dep.spec.clusters.map((c) => c.name),
        ['eu-west', 'us-east', 'us-west'],
      );
      // kubectl get rb shows the dependency Scheduled, like the workload it follows.
      await eventually(
        async () =>
          /^api-config-configmap +True +eu-west,us-east,us-west +True/m.test(await k.ok(['get', 'rb'])),
        { what: 'the dependency binding Scheduled', timeoutMs: 30_000 },
      );
      // Each member's Deployment Work was written only after its dependencies were applied there
      // (creationTimestamp has whole seconds).
      const works = JSON.parse(await k.ok(['get', 'works', '-A', '-o', 'json'])) as {
        items: {
          metadata: { namespace: string; name: string; creationTimestamp: string };
          status?: { conditions?: { type: string; lastTransitionTime: string }[] };
        }[];
      };
      for (const ns of ['flotilla-es-eu-west', 'flotilla-es-us-east', 'flotilla-es-us-west']) {
        const inNs = works.items.filter((w) => w.metadata.namespace === ns);
        const api = inNs.find((w) => w.metadata.name.startsWith('api-deployment-'));
        const config = inNs.find((w) => w.metadata.name.startsWith('api-config-configmap-'));
        const applied =
          config?.status?.conditions?.find((c) => c.type === 'Applied')?.lastTransitionTime ?? '';
        assert.ok(
          api &&
            applied &&
            Date.parse(api.metadata.creationTimestamp) >= Math.floor(Date.parse(applied) / 1000) * 1000,
          `${ns}: ${JSON.stringify(inNs)}`,
        );
      }
      await k.ok(['delete', '-f', join(root, 'examples', 'propagation', 'with-deps.yaml')]);
      await eventually(
        async () =>
          (await member.run(['--context', 'us-east-1', 'get', 'configmap', 'api-config'])).code === 1,
        {
          what: 'api-config removed from us-east-1',
          timeoutMs: 30_000,
        },
      );
    } finally {
      k.cleanup();
      member.cleanup();
    }
  });

  it('leaves a member object it does not manage alone under Abort, and adopts it under Overwrite', async () => {
    const k = new Kubectl('1.33', hub.kubeconfig);
    const member = new Kubectl('1.33', sim.kubeconfig);
    const configMap = (data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'legacy', namespace: 'default' },
      data,
    });
    const policy = (conflictResolution: string) => ({
      apiVersion: 'policy.flotilla.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: 'legacy', namespace: 'default' },
      spec: {
        resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'legacy' }],
        placement: { clusterAffinity: { clusterNames: ['eu-west'] } },
        conflictResolution,
      },
    });
    try {
      await member.ok([
        '--context',
        'eu-west-1',
        'apply',
        '-f',
        tempFile('own.yaml', manifest(configMap({ owner: 'team' }))),
      ]);
      await k.ok([
        'apply',
        '-f',
        tempFile('legacy.yaml', manifest(configMap({ owner: 'flotilla' }), policy('Abort'))),
      ]);
      const work = async (): Promise<string> =>
        k.ok([
          'get',
          'works',
          '-n',
          'flotilla-es-eu-west',
          '-o',
          'jsonpath={.items[?(@.metadata.labels.work\\.flotilla\\.io/binding-name=="legacy-configmap")].status.conditions[0].message}',
        ]);
      await eventually(
        async () =>
          /already exists in eu-west and is not managed by Flotilla \(conflictResolution: Abort\)/.test(
            await work(),
          ),
        {
          what: 'the conflict reported on the Work',
          timeoutMs: 30_000,
        },
      );
      const untouched = await member.ok([
        '--context',
        'eu-west-1',
        'get',
        'configmap',
        'legacy',
        '-o',
        'jsonpath={.data.owner}',
      ]);
      assert.equal(untouched, 'team');
      await k.ok(['apply', '-f', tempFile('legacy2.yaml', manifest(policy('Overwrite')))]);
      await eventually(
        async () =>
          (await member.ok([
            '--context',
            'eu-west-1',
            'get',
            'configmap',
            'legacy',
            '-o',
            'jsonpath={.data.owner} {.metadata.labels.flotilla\\.io/managed}',
          ])) === 'flotilla true',
        { what: 'adopted under Overwrite', timeoutMs: 30_000 },
      ).catch(async (err: unknown) => {
        throw new Error(
          `${(err as Error).message}; work: ${await work()}; rb: ${await k.ok(['get', 'rb', 'legacy-configmap', '-o', 'yaml'])}; works: ${await k.ok(['get', 'works', '-n', 'flotilla-es-eu-west', '-o', 'yaml'])}`,
        );
      });
      await k.ok(['delete', 'configmap', 'legacy']);
    } finally {
      k.cleanup();
      member.cleanup();
    }
  });

  it('unjoins a member (with --purge, removing what Flotilla put there), and rejects bad input', async () => {
    const k = new Kubectl('1.33', hub.kubeconfig);
    const member = new Kubectl('1.33', sim.kubeconfig);
    try {
      await k.ok([
        'apply',
        '-f',
        tempFile(
          'west-only.yaml',
          manifest(
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: 'west-only', namespace: 'default' },
              data: { a: '1' },
            },
            {
              apiVersion: 'policy.flotilla.io/v1alpha1',
              kind: 'PropagationPolicy',
              metadata: { name: 'west-only', namespace: 'default' },
              spec: {
                resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'west-only' }],
                placement: { clusterAffinity: { clusterNames: ['us-west'] } },
              },
            },
          ),
        ),
      ]);
      await eventually(
        async () =>
          (await member.run(['--context', 'us-west-1', 'get', 'configmap', 'west-only'])).code === 0,
        {
          what: 'west-only in us-west-1',
          timeoutMs: 30_000,
        },
      );
      const out = await runFlotilla(['unjoin', 'us-west', '--purge', '--hub-kubeconfig', hub.kubeconfig]);
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stdout, 'cluster us-west unjoined; 1 object(s) Flotilla had put there deleted\n');
      assert.equal((await member.run(['--context', 'us-west-1', 'get', 'configmap', 'west-only'])).code, 1);
      assert.equal((await k.run(['get', 'cluster', 'us-west'])).code, 1);
      assert.equal((await k.run(['get', 'secret', 'us-west', '-n', 'flotilla-system'])).code, 1);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(
        (await member.run(['--context', 'us-west-1', 'get', 'configmap', 'west-only'])).code,
        1,
        'nothing puts it back',
      );
    } finally {
      k.cleanup();
      member.cleanup();
    }
    const closed = readFileSync(sim.kubeconfig, 'utf8').replace(
      /server: https:\/\/127\.0\.0\.1:\d+/g,
      'server: https://127.0.0.1:1',
    );
    const cases: [string[], number, RegExp][] = [
      [
        ['join', 'x', '--hub-kubeconfig', hub.kubeconfig],
        2,
        /^flotilla: --kubeconfig FILE \(the member cluster\) is required\n$/,
      ],
      [
        ['join', 'Bad_Name', '--kubeconfig', sim.kubeconfig],
        2,
        /^flotilla: invalid cluster name "Bad_Name": /,
      ],
      [
        ['join', 'x', '--kubeconfig', sim.kubeconfig, '--context', 'nope'],
        2,
        /^flotilla: member kubeconfig: .* has no context named "nope"\n$/,
      ],
      [
        ['unjoin', 'nowhere', '--hub-kubeconfig', hub.kubeconfig],
        2,
        /^flotilla: cluster nowhere is not joined\n$/,
      ],
      [
        [
          'join',
          'x',
          '--kubeconfig',
          tempFile('closed.kubeconfig', closed),
          '--context',
          'us-east-1',
          '--hub-kubeconfig',
          hub.kubeconfig,
        ],
        1,
        /^flotilla: cannot reach the member at https:\/\/127\.0\.0\.1:1: .*\n$/,
      ],
    ];
    for (const [args, code, want] of cases) {
      const r = await runFlotilla(args);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, want);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    }
  });
});
