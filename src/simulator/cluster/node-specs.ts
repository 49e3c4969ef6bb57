/**
 * The nodes of a simulated cluster, from its node pools: names `<cluster>-<pool>-<i>`, zones
 * round-robin over the cluster's zones, well-known topology and instance labels, a /24 pod CIDR
 * per node (10.244.<n>.0/24) and an internal IP per node (10.0.<n / 250>.<n % 250 + 4>).
 */
import type { ClusterSpec, TaintSpec } from '../fleet/fleet-spec.js';

/** One node as the simulated kubelet registers it. */
export interface SimNodeSpec {
  name: string;
  capacity: Record<string, string>;
  labels: Record<string, string>;
  taints: TaintSpec[];
  podCIDR: string;
  internalIP: string;
}

/** Every node of `cluster`, in pool order. Throws when a cluster has more than 65,000 nodes. */
export function nodeSpecsOf(cluster: ClusterSpec): SimNodeSpec[] {
  const nodes: SimNodeSpec[] = [];
  for (const pool of cluster.nodePools) {
    for (let i = 0; i < pool.count; i++) {
      const n = nodes.length;
      if (n >= 65_000) throw new RangeError(`cluster ${cluster.name} has too many nodes (max 65000)`);
      const zone = cluster.zones[n % cluster.zones.length] ?? `${cluster.region}-a`;
      nodes.push({
        name: `${cluster.name}-${pool.name}-${i}`,
        capacity: {
          cpu: pool.cpu,
          memory: pool.memory,
          pods: String(pool.pods),
          'ephemeral-storage': '100Gi',
        },
        labels: {
          'topology.kubernetes.io/region': cluster.region,
          'topology.kubernetes.io/zone': zone,
          'node.kubernetes.io/instance-type': `sim.${pool.cpu}cpu-${pool.memory.toLowerCase()}`,
          'flotilla.io/node-pool': pool.name,
          ...pool.labels,
        },
        taints: pool.taints.map((t) => ({ ...t })),
        podCIDR: `10.${244 + Math.floor(n / 256)}.${n % 256}.0/24`,
        internalIP: `10.0.${Math.floor(n / 250)}.${(n % 250) + 4}`,
      });
    }
  }
  return nodes;
}
