/**
 * `flotilla explain` against a running hub (no `--clusters`): the hub's clusters, its policies
 * when the files hold none, and the lower-priority bindings it would preempt; an unreachable hub
 * or a missing kubeconfig is a one-line error with exit 2.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { hubRequest, manifest, readCredentials, runFlotilla, tempFile, useHubProcess } from './harness.js';

const DYNAMIC = {
  replicaScheduling: {
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    weightPreference: { dynamicWeight: 'AvailableReplicas' },
  },
};
const web = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '1' } } }] },
    },
  },
};
const policy = {
  apiVersion: 'policy.flotilla.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
    placement: DYNAMIC,
    schedulePriority: { priority: 100 },
  },
};

describe('flotilla explain against the live hub', () => {
  const hub = useHubProcess();

  async function send(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const r = await hubRequest(readCredentials(hub().kubeconfig), { method, path, body });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as Record<string, unknown>;
  }

  it('weighs the hub clusters and names the bindings it would preempt', async () => {
    const clusters = '/apis/cluster.flotilla.io/v1alpha1/clusters';
    const created = await send('POST', clusters, {
      apiVersion: 'cluster.flotilla.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'member1' },
      spec: { syncMode: 'Push', region: 'eu-west-1' },
    });
    await send('PUT', `${clusters}/member1/status`, {
      ...created,
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'ClusterReady',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
        ],
        resourceSummary: { allocatable: { cpu: '10', pods: '110' }, allocated: { cpu: '10', pods: '6' } },
      },
    });
    await send('POST', '/apis/work.flotilla.io/v1alpha1/namespaces/default/resourcebindings', {
      apiVersion: 'work.flotilla.io/v1alpha1',
      kind: 'ResourceBinding',
      metadata: { name: 'batch-deployment', namespace: 'default' },
      spec: {
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'batch' },
        replicas: 6,
        replicaRequirements: { resourceRequest: { cpu: '1' } },
        placement: DYNAMIC,
        clusters: [{ name: 'member1', replicas: 6 }],
      },
    });
    const files = tempFile('web.yaml', manifest(web, policy));
    const r = await runFlotilla(['explain', '-f', files, '--kubeconfig', hub().kubeconfig, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(answer['clusters'], [{ name: 'member1', replicas: 3 }]);
    assert.deepEqual(answer['preemptions'], [
      {
        binding: { kind: 'ResourceBinding', namespace: 'default', name: 'batch-deployment' },
        cluster: 'member1',
        replicas: 3,
        remaining: 3,
      },
    ]);

    // The policy can come from the hub too; the text view says what would be preempted.
    await send('POST', '/apis/policy.flotilla.io/v1alpha1/namespaces/default/propagationpolicies', policy);
    const text = await runFlotilla([
      'explain',
      '-f',
      tempFile('web-only.yaml', manifest(web)),
      '--kubeconfig',
      hub().kubeconfig,
    ]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^Deployment default\/web \(3 replicas, DynamicWeight, priority 100\) under PropagationPolicy default\/web\n/,
    );
    assert.match(
      text.stdout,
      /\nAfter preemption: Preempted lower-priority default\/batch-deployment: 3 replica\(s\) on member1\.\n/,
    );
  });

  it('fails in one line with exit 2 when there is no hub to ask', async () => {
    const files = tempFile('web2.yaml', manifest(web, policy));
    const missing = await runFlotilla(['explain', '-f', files, '--kubeconfig', '/nonexistent/kubeconfig']);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^flotilla: cannot read kubeconfig \/nonexistent\/kubeconfig: ENOENT.*--clusters FILE/,
    );
    const closed = readFileSync(hub().kubeconfig, 'utf8').replace(
      /server: https:\/\/127\.0\.0\.1:\d+/g,
      'server: https://127.0.0.1:1',
    );
    const down = await runFlotilla([
      'explain',
      '-f',
      files,
      '--kubeconfig',
      tempFile('down.kubeconfig', closed),
    ]);
    assert.equal(down.code, 2);
    assert.match(down.stderr, /^flotilla: cannot reach the hub at https:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    assert.equal(down.stderr.split('\n').length, 2, down.stderr);
  });
});
