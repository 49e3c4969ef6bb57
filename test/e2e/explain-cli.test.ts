/**
 * `flotilla explain` as users run it: the real binary on clean input files, JSON as API.md
 * specifies it, exit 0 (scheduled), 1 (not schedulable) and 2 (bad input, one-line reason).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifest, runFlotilla, tempFile } from './harness.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const deployment = (replicas: number): unknown => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'd0a3c7a2-5f1e-4c57-9d47-1f0e6f0b8c11' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '500m' } } }] },
    },
  },
});
const policy = (placement: unknown): unknown => ({
  apiVersion: 'policy.flotilla.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name: 'web', namespace: 'default' },
  spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }], placement },
});
const cluster = (name: string, cpu: string, taints: unknown[] = []): unknown => ({
  apiVersion: 'cluster.flotilla.io/v1alpha1',
  kind: 'Cluster',
  metadata: { name },
  spec: { syncMode: 'Push', region: 'eu-west-1', taints },
  status: {
    conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady' }],
    resourceSummary: { allocatable: { cpu, memory: '64Gi', pods: '110' } },
  },
});
const DYNAMIC = {
  replicaScheduling: {
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    weightPreference: { dynamicWeight: 'AvailableReplicas' },
  },
};
const clusters = tempFile(
  'clusters.yaml',
  manifest(
    cluster('member1', '3'),
    cluster('member2', '6'),
    cluster('member3', '64', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]),
  ),
);

describe('flotilla explain', () => {
  it('prints what the README shows for the example files', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    // The README's console block: `$ npx flotilla explain …`, then exactly what it prints.
    const [, command = '', shown = ''] =
      /\n\$ (npx flotilla explain [^\n]+)\n([\s\S]*?)```\n/.exec(readme) ?? [];
    assert.ok(command && shown, 'the README has the explain walkthrough');
    const r = await runFlotilla(command.split(' ').slice(2), undefined, { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, shown);
  });

  it('prints the decision and every cluster as JSON, exit 0', async () => {
    const files = [
      '-f',
      tempFile('deploy.yaml', manifest(deployment(6))),
      '-f',
      tempFile('pp.yaml', manifest(policy(DYNAMIC))),
    ];
    const r = await runFlotilla(['explain', ...files, '--clusters', clusters, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      scheduled: true,
      reason: 'Success',
      message: 'Binding has been scheduled successfully to member1:2, member2:4.',
      clusters: [
        { name: 'member1', replicas: 2 },
        { name: 'member2', replicas: 4 },
      ],
      candidates: [
        { name: 'member1', feasible: true, filteredBy: null, reason: null, score: 0, availableReplicas: 6 },
        { name: 'member2', feasible: true, filteredBy: null, reason: null, score: 0, availableReplicas: 12 },
        {
          name: 'member3',
          feasible: false,
          filteredBy: 'TaintToleration',
          reason: 'cluster(s) had untolerated taint {dedicated=gpu:NoSchedule}',
          score: null,
          availableReplicas: null,
        },
      ],
    });
  });

  it('answers exit 1 with the reason when the replicas do not fit, and reads stdin', async () => {
    const input = manifest(deployment(40), policy(DYNAMIC));
    const r = await runFlotilla(['explain', '-f', '-', '--clusters', clusters, '-o', 'json'], input);
    assert.equal(r.code, 1, r.stderr);
    const answer = JSON.parse(r.stdout) as { scheduled: boolean; reason: string; message: string };
    assert.deepEqual(
      [answer.scheduled, answer.reason, answer.message],
      [false, 'Unschedulable', 'Clusters available replicas 18 are not enough to schedule.'],
    );
  });

  it('uses the previous decision of a binding for steady scale-up, and prints a text view', async () => {
    const binding = tempFile(
      'rb.yaml',
      manifest({
        apiVersion: 'work.flotilla.io/v1alpha1',
        kind: 'ResourceBinding',
        metadata: { name: 'web-deployment', namespace: 'default' },
        spec: {
          resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' },
          clusters: [{ name: 'member1', replicas: 3 }],
        },
      }),
    );
    const files = ['-f', tempFile('all.yaml', manifest(deployment(5), policy(DYNAMIC)))];
    const r = await runFlotilla(['explain', ...files, '--clusters', clusters, '--binding', binding]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Deployment default\/web \(5 replicas, DynamicWeight\) under PropagationPolicy default\/web\n/,
    );
    assert.match(r.stdout, /successfully to member1:4, member2:1\./);
    assert.match(r.stdout, /\nmember3 +no +TaintToleration +cluster\(s\) had untolerated taint/);
  });

  it('takes the priority from a PriorityClass in the files', async () => {
    const prioritized = {
      ...(policy(DYNAMIC) as { spec: object }),
      spec: {
        ...(policy(DYNAMIC) as { spec: object }).spec,
        schedulePriority: { priorityClassSource: 'KubePriorityClass', priorityClassName: 'critical' },
      },
    };
    const priorityClass = {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'critical' },
      value: 1000,
    };
    const withClass = tempFile('pc.yaml', manifest(deployment(2), prioritized, priorityClass));
    const r = await runFlotilla(['explain', '-f', withClass, '--clusters', clusters]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Deployment default\/web \(2 replicas, DynamicWeight, priority 1000\) under/);
    const without = tempFile('no-pc.yaml', manifest(deployment(2), prioritized));
    const bad = await runFlotilla(['explain', '-f', without, '--clusters', clusters]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /names PriorityClass critical, which is not in the files/);
  });

  it('rejects bad input with one line and exit 2', async () => {
    const good = tempFile('ok.yaml', manifest(deployment(1), policy(DYNAMIC)));
    const badWeight = tempFile(
      'w.yaml',
      manifest(
        deployment(1),
        policy({
          replicaScheduling: {
            replicaSchedulingType: 'Divided',
            weightPreference: {
              staticWeightList: [{ targetCluster: { clusterNames: ['member1'] }, weight: 0 }],
            },
          },
        }),
      ),
    );
    const cases: [string[], RegExp][] = [
      [['explain', '--clusters', clusters], /^flotilla: at least one -f FILE/],
      [
        ['explain', '-f', '/nonexistent.yaml', '--clusters', clusters],
        /^flotilla: cannot read \/nonexistent\.yaml: ENOENT/,
      ],
      [['explain', '-f', tempFile('bad.yaml', 'kind: [unclosed'), '--clusters', clusters], /not valid YAML/],
      [
        ['explain', '-f', tempFile('pp-only.yaml', manifest(policy(DYNAMIC))), '--clusters', clusters],
        /no template to explain/,
      ],
      [
        ['explain', '-f', tempFile('d-only.yaml', manifest(deployment(1))), '--clusters', clusters],
        /no PropagationPolicy or ClusterPropagationPolicy in the files selects Deployment default\/web/,
      ],
      [
        ['explain', '-f', badWeight, '--clusters', clusters],
        /staticWeightList\[0\]\.weight: Invalid value: 0: must be greater than or equal to 1/,
      ],
      [['explain', '-f', good, '--clusters', good], /is not a cluster\.flotilla\.io\/v1alpha1 Cluster/],
      [['explain', '-f', good, '--clusters', clusters, '-o', 'xml'], /--output must be text, json or yaml/],
      [['explain', '-f', good, '--clusters', clusters, '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, want] of cases) {
      const r = await runFlotilla(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, want);
      assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
      assert.equal(r.stdout, '');
    }
  });
});
