/**
 * Two hubs on one SQLite data directory: the second stands by (it neither serves nor runs
 * controllers) until the first dies, even by SIGKILL; then it takes over with the same state and
 * its controllers act.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kubectl, eventually, manifest, startHubProcess, tempFile } from './harness.js';
import type { Hub } from './harness.js';

const deployment = (name: string): unknown => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});
const policy = {
  apiVersion: 'policy.flotilla.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name: 'all', namespace: 'default' },
  spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }] },
};

describe('hubs sharing a data directory', () => {
  it('has one active hub; a standby takes over when it dies', async () => {
    const first = await startHubProcess();
    let second: Hub | undefined;
    const k = new Kubectl('1.33', first.kubeconfig);
    try {
      let serving = false;
      const standby = startHubProcess({ dir: first.dir }).then((h) => {
        serving = true;
        second = h;
        return h;
      });
      await k.ok(['apply', '-f', tempFile('a.yaml', manifest(policy, deployment('before')))]);
      await eventually(async () => (await k.run(['get', 'rb', 'before-deployment'])).code === 0, {
        what: 'the active hub binds',
      });
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(serving, false, 'the second hub stands by while the first is active');

      first.proc.kill('SIGKILL');
      const hub = await standby;
      const k2 = new Kubectl('1.33', hub.kubeconfig); // the new active hub rewrote the kubeconfig
      try {
        assert.notEqual(hub.url, first.url);
        assert.equal((await k2.run(['get', 'rb', 'before-deployment'])).code, 0, 'state kept');
        await k2.ok(['apply', '-f', tempFile('b.yaml', manifest(deployment('after')))]);
        await eventually(async () => (await k2.run(['get', 'rb', 'after-deployment'])).code === 0, {
          what: 'the new active hub binds',
        });
      } finally {
        k2.cleanup();
      }
    } finally {
      k.cleanup();
      await first.stop();
      await second?.stop();
    }
  });
});
