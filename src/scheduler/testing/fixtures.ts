/**
 * Fixture builders for scheduler tests: `makeCluster('m1').region('eu').free({pods: 10}).obj()`
 * is a Ready cluster serving Deployments, ConfigMaps and Services with room for 10 pods.
 */
import type { ReplicaRequirements, TargetCluster } from '../../api/flotilla/binding.js';
import type { Cluster } from '../../api/flotilla/cluster.js';
import { CLUSTER_API_VERSION } from '../../api/flotilla/cluster.js';
import type { Placement } from '../../api/flotilla/policy.js';
import type { ResourceList } from '../../api/pod-resources.js';
import type { Taint } from '../../api/taints.js';
import type { SchedulingUnit } from '../framework/interface.js';
import { cloneJson } from '../../base/json-clone.js';

export class ClusterBuilder {
  readonly #c: Cluster;

  constructor(name: string) {
    this.#c = {
      apiVersion: CLUSTER_API_VERSION,
      kind: 'Cluster',
      metadata: { name, labels: {} },
      spec: { syncMode: 'Push' },
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady' }],
        apiEnablements: [
          { groupVersion: 'apps/v1', resources: [{ name: 'deployments', kind: 'Deployment' }] },
          {
            groupVersion: 'v1',
            resources: [
              { name: 'configmaps', kind: 'ConfigMap' },
              { name: 'services', kind: 'Service' },
            ],
          },
        ],
        resourceSummary: { allocatable: { cpu: '100', memory: '400Gi', pods: '1000' } },
      },
    };
  }

  region(region: string): this {
    (this.#c.spec ??= {}).region = region;
    return this;
  }

  zones(...zones: string[]): this {
    (this.#c.spec ??= {}).zones = zones;
    return this;
  }

  provider(provider: string): this {
    (this.#c.spec ??= {}).provider = provider;
    return this;
  }

  labels(labels: Record<string, string>): this {
    this.#c.metadata.labels = { ...this.#c.metadata.labels, ...labels };
    return this;
  }

  taint(taint: Taint): this {
    ((this.#c.spec ??= {}).taints ??= []).push(taint);
    return this;
  }

  allowedNamespaces(...namespaces: string[]): this {
    (this.#c.spec ??= {}).allowedNamespaces = namespaces;
    return this;
  }

  notReady(reason = 'ClusterNotReady'): this {
    (this.#c.status ??= {}).conditions = [{ type: 'Ready', status: 'False', reason }];
    return this;
  }

  apis(...enablements: { groupVersion: string; kinds: string[] }[]): this {
    (this.#c.status ??= {}).apiEnablements = enablements.map((e) => ({
      groupVersion: e.groupVersion,
      resources: e.kinds.map((kind) => ({ name: `${kind.toLowerCase()}s`, kind })),
    }));
    return this;
  }

  /** Sets allocatable (and clears allocated/allocating): `free({pods: 10})` = room for 10 pods. */
  free(allocatable: ResourceList, extra: { allocated?: ResourceList; continuous?: ResourceList } = {}): this {
    (this.#c.status ??= {}).resourceSummary = { allocatable, ...extra };
    return this;
  }

  obj(): Cluster {
    return cloneJson(this.#c);
  }
}

/** A builder for a Ready cluster named `name`. */
export function makeCluster(name: string): ClusterBuilder {
  return new ClusterBuilder(name);
}

/** A Deployment-shaped scheduling unit with `replicas` and `placement`. */
export function makeUnit(
  replicas: number,
  placement: Placement,
  extra: Partial<SchedulingUnit> & { requirements?: ReplicaRequirements; previous?: TargetCluster[] } = {},
): SchedulingUnit {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'default',
    uid: '',
    replicas,
    placement,
    previous: [],
    ...extra,
  };
}

/** `Divided` + `Weighted` + dynamic weights. */
export const DYNAMIC: Placement = {
  replicaScheduling: {
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    weightPreference: { dynamicWeight: 'AvailableReplicas' },
  },
};

/** `Divided` + `Aggregated`. */
export const AGGREGATED: Placement = {
  replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' },
};
