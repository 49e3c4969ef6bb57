/**
 * The member profile: builds one simulated cluster of a fleet — its admission plugins and the
 * components a real cluster runs — from its `ClusterSpec`.
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { Store } from '../../storage/store.js';
import type { FleetMember, NodeFaults } from '../fleet/fleet.js';
import type { ClusterSpec } from '../fleet/fleet-spec.js';
import { PodScheduler } from '../scheduler/pod-scheduler.js';
import { nodeSpecsOf } from './node-specs.js';
import { SimCluster } from './sim-cluster.js';

/** Timings of the simulated kubelets and controllers (all optional; defaults are realistic). */
export interface MemberTiming {
  /** Image pull + container start, ms (jittered). */
  podStartMs?: number;
  /** Running → Ready, ms (jittered). */
  podReadyMs?: number;
  /** Node lease renew interval, ms. */
  leaseRenewMs?: number;
  /** Node monitor grace period, ms. */
  nodeMonitorGraceMs?: number;
}

/** Options of `buildMember`. */
export interface MemberOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  events: boolean;
  timing?: MemberTiming;
}

/** One member of a fleet: the cluster and its node controls. */
export function buildMember(spec: ClusterSpec, options: MemberOptions): FleetMember {
  const nodes = nodeSpecsOf(spec);
  const down = new Set<string>();
  const cluster = new SimCluster({
    spec,
    store: options.store,
    clock: options.clock,
    log: options.log,
    events: options.events,
    components: (ctx) => [
      {
        name: 'scheduler',
        runnable: new PodScheduler({
          client: ctx.client,
          informers: ctx.informers,
          clock: ctx.clock,
          log: ctx.log,
          recorder: ctx.recorder('default-scheduler'),
        }),
      },
    ],
  });
  const faults: NodeFaults = {
    nodeNames: () => nodes.map((n) => n.name),
    isNodeDown: (name) => down.has(name),
    setNodeDown: (name, isDown) => {
      if (isDown) down.add(name);
      else down.delete(name);
    },
  };
  return { cluster, nodes: faults };
}
