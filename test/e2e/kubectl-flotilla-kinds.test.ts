/**
 * Flotilla's own kinds through kubectl 1.27 and 1.33: discovery with short names, Clusters and
 * ResourceBindings with their printer columns (a binding scheduled by the hub), status written
 * only through /status, cross-field policy validation answered with 422 and field paths, and
 * `kubectl explain` of policy fields.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { namespace, slug } from './fixtures.js';
import { KUBECTL_VERSIONS, Kubectl, eventually, manifest, tempFile, useHubProcess } from './harness.js';

describe('kubectl with Flotilla kinds', { concurrency: true }, () => {
  const hub = useHubProcess();

  for (const version of KUBECTL_VERSIONS) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      const ns = `fk-${slug(version)}`;
      const member = `member-${slug(version)}`;
      let k: Kubectl;

      before(async () => {
        k = new Kubectl(version, hub().kubeconfig);
        await k.ok(['apply', '-f', tempFile('ns.yaml', manifest(namespace(ns)))]);
      });
      after(() => k?.cleanup());

      it('discovers the kinds with their short names', async () => {
        const out = await k.ok(['api-resources', '--api-group', 'policy.flotilla.io']);
        assert.match(
          out,
          /^propagationpolicies\s+pp\s+policy\.flotilla\.io\/v1alpha1\s+true\s+PropagationPolicy/m,
        );
        assert.match(out, /^clusterpropagationpolicies\s+cpp\s+policy\.flotilla\.io\/v1alpha1\s+false/m);
        assert.match(out, /^clustertaintpolicies\s+ctp\s+policy\.flotilla\.io\/v1alpha1\s+false/m);
        const work = await k.ok(['api-resources', '--api-group', 'work.flotilla.io']);
        assert.match(work, /^resourcebindings\s+rb\s+work\.flotilla\.io\/v1alpha1\s+true\s+ResourceBinding/m);
      });

      it('shows clusters with version, mode, readiness and region; status only through /status', async () => {
        const cluster = {
          apiVersion: 'cluster.flotilla.io/v1alpha1',
          kind: 'Cluster',
          metadata: { name: member },
          spec: { syncMode: 'Push', region: 'eu-west-1', provider: 'aws', zones: ['eu-west-1a'] },
          status: { kubernetesVersion: 'ignored' },
        };
        await k.ok(['create', '-f', tempFile('c.yaml', manifest(cluster))]);
        assert.match(
          await k.ok(['get', 'cluster', member]),
          new RegExp(
            `^NAME\\s+VERSION\\s+MODE\\s+READY\\s+REGION\\s+AGE\\n${member}\\s+Push\\s+Unknown\\s+eu-west-1\\s+\\S+\\n$`,
          ),
        );
        const status = {
          status: {
            kubernetesVersion: 'v1.31.4',
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'ClusterReady',
                lastTransitionTime: '2026-01-01T00:00:00Z',
              },
            ],
          },
        };
        await k.ok([
          'patch',
          'cluster',
          member,
          '--subresource=status',
          '--type=merge',
          '-p',
          JSON.stringify(status),
        ]);
        assert.match(
          await k.ok(['get', 'cluster', member, '-o', 'wide']),
          new RegExp(
            `\\n${member}\\s+v1\\.31\\.4\\s+Push\\s+True\\s+eu-west-1\\s+\\S+\\s+aws\\s+eu-west-1a\\n$`,
          ),
        );
      });

      it('rejects an unsound policy with 422 and the field paths', async () => {
        const bad = {
          apiVersion: 'policy.flotilla.io/v1alpha1',
          kind: 'PropagationPolicy',
          metadata: { name: 'bad', namespace: ns },
          spec: {
            resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }],
            placement: {
              spreadConstraints: [{ spreadByField: 'region', minGroups: 3, maxGroups: 2 }],
              replicaScheduling: {
                replicaSchedulingType: 'Divided',
                weightPreference: {
                  dynamicWeight: 'AvailableReplicas',
                  staticWeightList: [{ targetCluster: { clusterNames: ['a'] }, weight: 0 }],
                },
              },
            },
          },
        };
        const r = await k.run(['apply', '-f', tempFile('bad.yaml', manifest(bad))]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /The PropagationPolicy "bad" is invalid/);
        assert.match(
          r.stderr,
          /spec\.placement\.spreadConstraints\[0\]\.maxGroups: Invalid value: 2: maxGroups lower than minGroups is not allowed/,
        );
        assert.match(
          r.stderr,
          /spec\.placement\.replicaScheduling\.weightPreference: Forbidden: staticWeightList and dynamicWeight are mutually exclusive/,
        );
        assert.match(
          r.stderr,
          /staticWeightList\[0\]\.weight: Invalid value: 0: must be greater than or equal to 1/,
        );
        const missing = await k.run(['get', 'pp', 'bad', '-n', ns]);
        assert.equal(missing.code, 1, 'nothing was stored');
      });

      it('ClusterTaintPolicy: refuses an unsound one with the field paths, lists one with its taints', async () => {
        const name = `ctp-${slug(version)}`;
        const ctp = (effect: string, statusValues: string[]): unknown => ({
          apiVersion: 'policy.flotilla.io/v1alpha1',
          kind: 'ClusterTaintPolicy',
          metadata: { name },
          spec: {
            // A condition no cluster reports: the policy taints nothing on this shared hub.
            addOnConditions: [{ conditionType: 'E2ENeverReported', operator: 'In', statusValues }],
            taints: [{ key: 'e2e-check', effect }],
          },
        });
        const r = await k.run(['apply', '-f', tempFile('bad-ctp.yaml', manifest(ctp('Sometimes', [])))]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, new RegExp(`The ClusterTaintPolicy "${name}" is invalid`));
        assert.match(r.stderr, /spec\.taints\[0\]\.effect: Unsupported value: "Sometimes"/);
        assert.match(r.stderr, /spec\.addOnConditions\[0\]\.statusValues: Required value/);
        assert.equal((await k.run(['get', 'ctp', name])).code, 1, 'nothing was stored');
        await k.ok(['apply', '-f', tempFile('ctp.yaml', manifest(ctp('NoSchedule', ['True'])))]);
        assert.match(
          await k.ok(['get', 'ctp', name]),
          new RegExp(`^NAME\\s+TAINTS\\s+AGE\\n${name}\\s+e2e-check\\s+\\S+\\n$`),
        );
        await k.ok(['delete', 'ctp', name]);
      });

      it('defaults a policy and lists it with its columns', async () => {
        const pp = {
          apiVersion: 'policy.flotilla.io/v1alpha1',
          kind: 'PropagationPolicy',
          metadata: { name: 'web', namespace: ns },
          spec: {
            resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
            placement: { replicaScheduling: { replicaDivisionPreference: 'Weighted' } },
          },
        };
        await k.ok(['apply', '-f', tempFile('pp.yaml', manifest(pp))]);
        const got = JSON.parse(await k.ok(['get', 'pp', 'web', '-n', ns, '-o', 'json'])) as {
          spec: {
            conflictResolution: string;
            preemption: string;
            placement: { replicaScheduling: { replicaSchedulingType: string } };
          };
        };
        assert.equal(got.spec.conflictResolution, 'Abort');
        assert.equal(got.spec.preemption, 'Never');
        assert.equal(got.spec.placement.replicaScheduling.replicaSchedulingType, 'Divided');
        assert.match(
          await k.ok(['get', 'pp', '-n', ns]),
          /^NAME\s+CONFLICT-RESOLUTION\s+PRIORITY\s+AGE\nweb\s+Abort\s+0\s+\S+\n$/,
        );
        assert.match(
          await k.ok(['explain', 'pp.spec.placement.replicaScheduling']),
          /Aggregated \(fewest clusters\) or Weighted/,
        );
      });

      it('schedules a binding and shows its decision', async () => {
        const rb = {
          apiVersion: 'work.flotilla.io/v1alpha1',
          kind: 'ResourceBinding',
          metadata: { name: 'web-deployment', namespace: ns },
          spec: {
            resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns },
            replicas: 10,
            placement: { clusterAffinity: { clusterNames: [member] } },
          },
        };
        await k.ok(['create', '-f', tempFile('rb.yaml', manifest(rb))]);
        const row = new RegExp(
          `^NAME\\s+SCHEDULED\\s+CLUSTERS\\s+FULLYAPPLIED\\s+AGE\\nweb-deployment\\s+True\\s+${member}:10\\s+Unknown\\s+\\S+\\n$`,
        );
        await eventually(async () => row.test(await k.ok(['get', 'rb', '-n', ns])), { what: 'the decision' });
        const wide = await k.ok(['get', 'rb', 'web-deployment', '-n', ns, '-o', 'wide']);
        assert.match(wide, /\sSuccess\n$/);
      });
    });
  }
});
