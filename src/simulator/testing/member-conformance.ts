/**
 * The member-cluster conformance suite: what a simulated cluster must do, checked only through
 * its Kubernetes API, so the same checks run against a cluster in-process (fake clock) and over
 * real HTTPS (fast clock). Each implementation registers it from its own test file with
 * `describeMemberConformance('in-process', factory)`.
 *
 * The cluster under test has three Ready nodes of 4 CPUs / 16Gi, no other workloads, and the
 * default timings (kubelet, node monitor grace period 40 s).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import type { ApiClient } from '../../client/api-client.js';

/** A cluster under test. */
export interface MemberTarget {
  client: ApiClient;
  /** Lets `ms` of the cluster's time pass (steps a fake clock, or waits on a fast one). */
  pass(ms: number): Promise<void>;
  /** Stops or restarts node `name`'s kubelet. */
  setNodeDown(name: string, down: boolean): Promise<void>;
  close(): Promise<void>;
}

const NODES = { apiVersion: 'v1', plural: 'nodes' };
const LEASES = { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespace: 'kube-node-lease' };
const PODS = { apiVersion: 'v1', plural: 'pods', namespace: 'default' };
const DEPLOYMENTS = { apiVersion: 'apps/v1', plural: 'deployments', namespace: 'default' };
const REPLICASETS = { apiVersion: 'apps/v1', plural: 'replicasets', namespace: 'default' };
const STATEFULSETS = { apiVersion: 'apps/v1', plural: 'statefulsets', namespace: 'default' };
const DAEMONSETS = { apiVersion: 'apps/v1', plural: 'daemonsets', namespace: 'default' };
const JOBS = { apiVersion: 'batch/v1', plural: 'jobs', namespace: 'default' };
const SERVICES = { apiVersion: 'v1', plural: 'services', namespace: 'default' };
const SLICES = { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', namespace: 'default' };
const EVENTS = { apiVersion: 'v1', plural: 'events', namespace: 'default' };

type Json = Record<string, unknown>;
const get = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Json)[k] : undefined), o);

function condition(obj: unknown, type: string): Json | undefined {
  const conditions = get(obj, 'status', 'conditions');
  return Array.isArray(conditions) ? (conditions as Json[]).find((c) => c['type'] === type) : undefined;
}

const isReady = (pod: KubeObject): boolean =>
  get(pod, 'status', 'phase') === 'Running' && condition(pod, 'Ready')?.['status'] === 'True';

function deployment(
  name: string,
  o: { replicas: number; image?: string; cpu?: string; spec?: Json },
): KubeObject {
  const container: Json = { name: 'app', image: o.image ?? 'nginx:1.27' };
  if (o.cpu) container['resources'] = { requests: { cpu: o.cpu } };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container], ...o.spec } },
    },
  };
}

/** Registers the suite; `factory` makes a fresh cluster for it (shared by its checks, in order). */
export function describeMemberConformance(name: string, factory: () => Promise<MemberTarget>): void {
  void describe(`member cluster conformance: ${name}`, () => {
    let target: MemberTarget;
    const client = (): ApiClient => target.client;
    /** Polls `check`, letting `stepMs` of cluster time pass between tries, for up to `simMs`. */
    const until = async <T>(
      what: string,
      check: () => Promise<T | undefined | false>,
      o: { simMs?: number; stepMs?: number } = {},
    ): Promise<T> => {
      const step = o.stepMs ?? 250;
      let last: unknown;
      // The budget is cluster time; on a loaded machine a fast real clock may need longer, so at
      // least 30 s of real time are allowed too.
      const realDeadline = performance.now() + 30_000;
      for (
        let waited = 0;
        waited <= (o.simMs ?? 60_000) || performance.now() < realDeadline;
        waited += step
      ) {
        try {
          const v = await check();
          if (v) return v;
        } catch (err) {
          last = err;
        }
        await target.pass(step);
      }
      throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    };
    const pods = async (app: string): Promise<KubeObject[]> =>
      (await client().list(PODS, { labelSelector: `app=${app}` })).items.filter(
        (p) => p.metadata.deletionTimestamp === undefined,
      );
    const rolledOut = (deploy: string, replicas: number) => async (): Promise<KubeObject | false> => {
      const d = await client().get(DEPLOYMENTS, deploy);
      const s = (d['status'] ?? {}) as Json;
      return s['observedGeneration'] === d.metadata.generation &&
        s['updatedReplicas'] === replicas &&
        s['availableReplicas'] === replicas &&
        (s['replicas'] ?? 0) === replicas &&
        condition(d, 'Progressing')?.['reason'] === 'NewReplicaSetAvailable'
        ? d
        : false;
    };

    before(async () => {
      target = await factory();
    });
    after(async () => {
      await target.close();
    });

    void it('registers Ready nodes with capacity and heartbeating Leases', async () => {
      const nodes = await until('3 Ready nodes', async () => {
        const items = (await client().list(NODES)).items;
        return (
          items.length === 3 && items.every((n) => condition(n, 'Ready')?.['status'] === 'True') && items
        );
      });
      for (const n of nodes) {
        assert.equal(get(n, 'status', 'capacity', 'cpu'), '4');
        assert.ok(get(n, 'status', 'allocatable', 'memory'));
      }
      const renewed = async (): Promise<Map<string, string>> =>
        new Map(
          (await client().list(LEASES)).items.map((l) => [
            l.metadata.name ?? '',
            String(get(l, 'spec', 'renewTime')),
          ]),
        );
      const first = await renewed();
      assert.equal(first.size, 3);
      await target.pass(15_000);
      const second = await renewed();
      for (const [node, t] of first) assert.notEqual(second.get(node), t, `lease of ${node} renewed`);
    });

    void it('rolls out a Deployment: pods Running and Ready with IPs, spread over the nodes', async () => {
      await client().create(DEPLOYMENTS, deployment('web', { replicas: 3 }));
      await until('web rolled out', rolledOut('web', 3));
      const running = await pods('web');
      assert.equal(running.length, 3);
      assert.ok(running.every(isReady));
      const ips = new Set(running.map((p) => get(p, 'status', 'podIP')));
      const nodes = new Set(running.map((p) => get(p, 'spec', 'nodeName')));
      assert.equal(ips.size, 3, 'distinct pod IPs');
      assert.equal(nodes.size, 3, 'one pod per node');
    });

    void it('updates the image with a rolling update and rolls back to the old ReplicaSet', async () => {
      const d = await client().get(DEPLOYMENTS, 'web');
      const template = get(d, 'spec', 'template') as Json;
      await client().patch(DEPLOYMENTS, 'web', {
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } } },
        options: { type: 'strategic' },
      });
      await until('web updated', rolledOut('web', 3));
      const sets = (await client().list(REPLICASETS, { labelSelector: 'app=web' })).items;
      assert.equal(sets.length, 2);
      const byRevision = (rs: KubeObject): string =>
        rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '';
      const old = sets.find((rs) => byRevision(rs) === '1');
      assert.equal(get(old, 'spec', 'replicas'), 0);
      // What `kubectl rollout undo` does: copy the old ReplicaSet's template into the Deployment.
      await client().patch(DEPLOYMENTS, 'web', {
        body: [{ op: 'replace', path: '/spec/template', value: template }],
        options: { type: 'json' },
      });
      await until('web rolled back', rolledOut('web', 3));
      const after = (await client().list(REPLICASETS, { labelSelector: 'app=web' })).items;
      assert.equal(after.length, 2, 'no third ReplicaSet');
      const reused = after.find((rs) => rs.metadata.name === old?.metadata.name);
      assert.equal(byRevision(reused as KubeObject), '3');
      for (const p of await pods('web'))
        assert.equal(get(p, 'spec', 'containers', '0', 'image'), 'nginx:1.27');
    });

    void it('leaves pods that fit nowhere Pending with FailedScheduling, and runs them once capacity frees', async () => {
      await client().create(DEPLOYMENTS, deployment('hog', { replicas: 3, cpu: '2' }));
      await until('hog rolled out', rolledOut('hog', 3));
      await client().create(DEPLOYMENTS, deployment('big', { replicas: 2, cpu: '3' }));
      const pending = await until('big pods unschedulable', async () => {
        const ps = await pods('big');
        return (
          ps.length === 2 &&
          ps.every((p) => condition(p, 'PodScheduled')?.['reason'] === 'Unschedulable') &&
          ps
        );
      });
      assert.match(
        String(condition(pending[0], 'PodScheduled')?.['message']),
        /^0\/3 nodes are available: 3 Insufficient cpu\./,
      );
      await until('a FailedScheduling event', async () =>
        (await client().list(EVENTS)).items.some(
          (e) =>
            e['reason'] === 'FailedScheduling' &&
            get(e, 'involvedObject', 'name') === pending[0]?.metadata.name,
        ),
      );
      await client().delete(DEPLOYMENTS, 'hog');
      await until('big rolled out', rolledOut('big', 2), { simMs: 120_000 });
      await client().delete(DEPLOYMENTS, 'big');
    });

    void it('gives a Service a ClusterIP and EndpointSlices that track its ready pods', async () => {
      const svc = await client().create(SERVICES, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'default' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] },
      });
      assert.match(String(get(svc, 'spec', 'clusterIP')), /^10\.96\.\d+\.\d+$/);
      const readyIps = async (): Promise<string[]> =>
        (await client().list(SLICES, { labelSelector: 'kubernetes.io/service-name=web' })).items
          .flatMap((s) => (get(s, 'endpoints') as Json[] | undefined) ?? [])
          .filter((e) => get(e, 'conditions', 'ready') === true)
          .flatMap((e) => e['addresses'] as string[])
          .sort();
      const podIps = async (): Promise<string[]> =>
        (await pods('web')).map((p) => String(get(p, 'status', 'podIP'))).sort();
      await until('3 ready endpoints', async () => {
        const [a, b] = [await readyIps(), await podIps()];
        return a.length === 3 && a.join() === b.join();
      });
      await client().patch(DEPLOYMENTS, 'web', {
        body: { spec: { replicas: 1 } },
        options: { type: 'merge' },
      });
      await until('1 ready endpoint', async () => (await readyIps()).length === 1);
    });

    void it('runs a StatefulSet with ordinal pods whose hostnames reach the headless Service EndpointSlice', async () => {
      await client().create(SERVICES, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'db', namespace: 'default' },
        spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
      });
      await client().create(STATEFULSETS, {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db', namespace: 'default' },
        spec: {
          serviceName: 'db',
          replicas: 2,
          selector: { matchLabels: { app: 'db' } },
          template: {
            metadata: { labels: { app: 'db' } },
            spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
          },
        },
      });
      const hostnames = await until('db-0 and db-1 in the slice', async () => {
        const names = (await client().list(SLICES, { labelSelector: 'kubernetes.io/service-name=db' })).items
          .flatMap((s) => (get(s, 'endpoints') as Json[] | undefined) ?? [])
          .filter((e) => get(e, 'conditions', 'ready') === true)
          .map((e) => String(e['hostname']))
          .sort();
        return names.join() === 'db-0,db-1' && names;
      });
      assert.deepEqual(hostnames, ['db-0', 'db-1']);
      const db0 = await client().get(PODS, 'db-0');
      assert.equal(get(db0, 'spec', 'hostname'), 'db-0');
      assert.equal(get(db0, 'spec', 'subdomain'), 'db');
    });

    void it('runs a DaemonSet pod on every node and a Job to completion', async () => {
      await client().create(DAEMONSETS, {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: 'default' },
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: {
            metadata: { labels: { app: 'agent' } },
            spec: { containers: [{ name: 'a', image: 'agent:1' }] },
          },
        },
      });
      await client().create(JOBS, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'once', namespace: 'default' },
        spec: {
          completions: 2,
          parallelism: 2,
          template: {
            metadata: { annotations: { 'sim.flotilla.io/run-seconds': '3' } },
            spec: { restartPolicy: 'Never', containers: [{ name: 'w', image: 'busybox' }] },
          },
        },
      });
      await until('agent on 3 nodes', async () => {
        const ds = await client().get(DAEMONSETS, 'agent');
        return get(ds, 'status', 'numberReady') === 3 && get(ds, 'status', 'desiredNumberScheduled') === 3;
      });
      await until(
        'job complete',
        async () => condition(await client().get(JOBS, 'once'), 'Complete')?.['status'] === 'True',
      );
      assert.equal(get(await client().get(JOBS, 'once'), 'status', 'succeeded'), 2);
    });

    void it('marks a node that stops heartbeating NotReady and recreates its pods elsewhere after their toleration', async () => {
      await client().create(
        DEPLOYMENTS,
        deployment('ha', {
          replicas: 2,
          spec: {
            tolerations: [
              {
                key: 'node.kubernetes.io/unreachable',
                operator: 'Exists',
                effect: 'NoExecute',
                tolerationSeconds: 20,
              },
              {
                key: 'node.kubernetes.io/not-ready',
                operator: 'Exists',
                effect: 'NoExecute',
                tolerationSeconds: 20,
              },
            ],
          },
        }),
      );
      await until('ha rolled out', rolledOut('ha', 2));
      const victim = String(get((await pods('ha'))[0], 'spec', 'nodeName'));
      await target.setNodeDown(victim, true);
      await until(
        `${victim} NotReady and tainted`,
        async () => {
          const n = await client().get(NODES, victim);
          const taints = ((get(n, 'spec', 'taints') as Json[] | undefined) ?? []).map(
            (t) => `${String(t['key'])}:${String(t['effect'])}`,
          );
          return (
            condition(n, 'Ready')?.['status'] === 'Unknown' &&
            taints.includes('node.kubernetes.io/unreachable:NoExecute')
          );
        },
        { simMs: 90_000 },
      );
      await until(
        'ha running on other nodes',
        async () => {
          const live = (await pods('ha')).filter(isReady);
          return live.length === 2 && live.every((p) => get(p, 'spec', 'nodeName') !== victim);
        },
        { simMs: 120_000 },
      );
      await target.setNodeDown(victim, false);
      await until('node back and Terminating pods cleaned up', async () => {
        const n = await client().get(NODES, victim);
        const taints = (get(n, 'spec', 'taints') as Json[] | undefined) ?? [];
        const leftovers = (await client().list(PODS, { labelSelector: 'app=ha' })).items.filter(
          (p) => get(p, 'spec', 'nodeName') === victim,
        );
        return condition(n, 'Ready')?.['status'] === 'True' && taints.length === 0 && leftovers.length === 0;
      });
    });
  });
}
