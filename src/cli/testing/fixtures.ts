/**
 * Fixture builders for the printers' tests: a Ready cluster, a scheduled binding and an applied
 * Work, each a plain object to adjust with spread, and the fixed "now" they are printed at.
 */
import type { ResourceBinding } from '../../api/flotilla/binding.js';
import type { Cluster } from '../../api/flotilla/cluster.js';
import type { Work } from '../../api/flotilla/work.js';
import { PLAIN } from '../style.js';
import type { PrintContext } from '../style.js';

/** The time the fixtures are printed at: 2026-01-01T12:00:00Z. */
export const NOW = Date.parse('2026-01-01T12:00:00Z');

/** `seconds` before `NOW`, as RFC 3339. */
export function ago(seconds: number): string {
  return new Date(NOW - seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** Plain output at `NOW`. */
export const AT_NOW: PrintContext = { now: NOW, style: PLAIN };

/** A Ready push-mode cluster created an hour ago, with 3 of 3 nodes and 23 of 24 CPUs free. */
export function makeCluster(name: string, spec: Cluster['spec'] = {}): Cluster {
  return {
    apiVersion: 'cluster.flotilla.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name, creationTimestamp: ago(3600), uid: `uid-${name}` },
    spec: { syncMode: 'Push', region: 'us-east', zones: ['a', 'b'], provider: 'aws', ...spec },
    status: {
      kubernetesVersion: 'v1.31.4',
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'ClusterReady',
          message: 'ok',
          lastTransitionTime: ago(3000),
        },
      ],
      nodeSummary: { totalNum: 3, readyNum: 3 },
      resourceSummary: {
        allocatable: { cpu: '24', memory: '96Gi', pods: '330' },
        allocated: { cpu: '500m', memory: '1Gi', pods: '5' },
        available: { cpu: '23500m', memory: '95Gi', pods: '325' },
      },
    },
  };
}

/** The binding of Deployment default/web under PropagationPolicy default/web, scheduled to a:4, b:2. */
export function makeBinding(name = 'web-deployment'): ResourceBinding {
  return {
    apiVersion: 'work.flotilla.io/v1alpha1',
    kind: 'ResourceBinding',
    metadata: {
      name,
      namespace: 'default',
      uid: 'uid-rb',
      creationTimestamp: ago(300),
      labels: {
        'propagationpolicy.flotilla.io/name': 'web',
        'propagationpolicy.flotilla.io/namespace': 'default',
      },
    },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' },
      replicas: 6,
      replicaRequirements: { resourceRequest: { cpu: '100m' } },
      clusters: [
        { name: 'a', replicas: 4 },
        { name: 'b', replicas: 2 },
      ],
    },
    status: {
      conditions: [
        {
          type: 'Scheduled',
          status: 'True',
          reason: 'Success',
          message: 'to a:4, b:2',
          lastTransitionTime: ago(290),
        },
        {
          type: 'FullyApplied',
          status: 'False',
          reason: 'Pending',
          message: 'b pending',
          lastTransitionTime: ago(280),
        },
      ],
      aggregatedStatus: [
        { clusterName: 'a', applied: true, health: 'Healthy', status: { replicas: 4, readyReplicas: 4 } },
        { clusterName: 'b', applied: false, appliedMessage: 'member refused', health: 'Unknown' },
      ],
      schedulingHistory: [
        {
          time: ago(290),
          reason: 'Success',
          message: 'to a:4, b:2',
          clusters: [
            { name: 'a', replicas: 4 },
            { name: 'b', replicas: 2 },
          ],
          trigger: 'Initial',
        },
      ],
    },
  };
}

/** The Work of binding default/web-deployment in cluster `cluster`, applied and healthy. */
export function makeWork(cluster: string): Work {
  return {
    apiVersion: 'work.flotilla.io/v1alpha1',
    kind: 'Work',
    metadata: {
      name: 'web-deployment-5adc71e3',
      namespace: `flotilla-es-${cluster}`,
      creationTimestamp: ago(120),
    },
    spec: {
      workload: { manifests: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }] },
    },
    status: {
      conditions: [{ type: 'Applied', status: 'True', reason: 'AppliedSuccessful' }],
      manifestStatuses: [
        {
          identifier: { ordinal: 0, group: 'apps', version: 'v1', kind: 'Deployment', name: 'web' },
          health: 'Healthy',
        },
      ],
    },
  };
}
