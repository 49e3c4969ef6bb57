/**
 * Configuration of the simulated kubelet: the nodes it plays, the Kubernetes version it claims,
 * and its timing. Every duration has a default close to what a real kubelet and container
 * runtime show, so a simulated cluster feels like a small real one; benchmarks and tests shrink
 * them. Durations are milliseconds of the injected `Clock` unless the name says seconds.
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/api-client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { SharedInformers } from '../../client/shared-informers.js';

/** A node taint, as it appears in `spec.taints`. */
export interface NodeTaint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** One node the kubelet registers and runs pods on. */
export interface NodeSpec {
  name: string;
  /**
   * Quantities as in `status.capacity`: `cpu`, `memory` and `pods` are required,
   * `ephemeral-storage` defaults to 100Gi; other resources are reported as given.
   */
  capacity: Readonly<Record<string, string | number>>;
  /** `status.allocatable`; by default capacity minus the reservations a managed node keeps. */
  allocatable?: Record<string, string>;
  /** Extra labels (topology, node pool…); they win over the kubelet's own. */
  labels?: Record<string, string>;
  taints?: NodeTaint[];
  /** The node's pod range, e.g. `10.244.3.0/24`; pod IPs are allocated from it. */
  podCIDR: string;
  internalIP: string;
  /** `node.kubernetes.io/instance-type` (default derived from cpu and memory). */
  instanceType?: string;
  /** `spec.providerID`, e.g. `aws:///eu-west-1a/i-0abc`. */
  providerID?: string;
}

/** Timing of the simulated kubelet and container runtime. */
export interface KubeletTiming {
  /** Resolution of the one timer loop that drives every node and pod (default 100). */
  tickMs: number;
  /** `spec.leaseDurationSeconds` of node leases (default 40). */
  leaseDurationSeconds: number;
  /** Lease renew interval (default 10 000). */
  leaseRenewMs: number;
  /**
   * Node status is re-posted this often even when nothing changed (default 300 000: the
   * kubelet's nodeStatusReportFrequency of 5m; the Lease is the heartbeat).
   */
  statusReportMs: number;
  /**
   * Sandbox + image pull + container start, drawn uniformly from [min, max] (default [1000, 2000]);
   * a single number n means [n/2, 3n/2]. 0 starts pods within the sync that first sees them, so
   * they skip the Pending status write (benchmarks).
   */
  podStartMs: number | readonly [number, number];
  /**
   * Running → Ready of a container, jittered ±50 % (default 1000); a readinessProbe's
   * initialDelaySeconds can only make it longer. 0 makes probe-less containers Ready with the
   * Running status, as a real kubelet does, saving one status write per pod.
   */
  readinessDelayMs: number;
  /** Run time of each (non-sidecar) init container (default 1000). */
  initContainerRunMs: number;
  /** Run time of run-to-completion pods without `sim.flotilla.io/run-seconds` (default 5). */
  jobRunSeconds: number;
  /** How long a crash-looping container runs before it exits 1 (default 3000). */
  crashRunMs: number;
  /** Kubelet's restart back-off: first delay and cap (default 10 000 and 300 000). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Time containers take to stop on graceful deletion, capped by the grace period (default 1000). */
  terminationDelayMs: number;
}

/** Defaults of `KubeletTiming`. */
export const DEFAULT_KUBELET_TIMING: Readonly<KubeletTiming> = Object.freeze({
  tickMs: 100,
  leaseDurationSeconds: 40,
  leaseRenewMs: 10_000,
  statusReportMs: 300_000,
  podStartMs: [1000, 2000] as const,
  readinessDelayMs: 1000,
  initContainerRunMs: 1000,
  jobRunSeconds: 5,
  crashRunMs: 3000,
  backoffBaseMs: 10_000,
  backoffMaxMs: 300_000,
  terminationDelayMs: 1000,
});

/** What the node reports in `status.nodeInfo` besides versions and ids. */
export interface NodeSystemInfo {
  osImage: string;
  kernelVersion: string;
  containerRuntimeVersion: string;
}

/** Defaults of `NodeSystemInfo`. */
export const DEFAULT_NODE_SYSTEM_INFO: Readonly<NodeSystemInfo> = Object.freeze({
  osImage: 'Ubuntu 22.04.5 LTS',
  kernelVersion: '6.8.0-1016-aws',
  containerRuntimeVersion: 'containerd://1.7.22',
});

/** Options of `SimKubelet`. */
export interface SimKubeletOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  nodes: readonly NodeSpec[];
  /** e.g. `v1.31.2`: `nodeInfo.kubeletVersion` and `kubeProxyVersion`. */
  kubernetesVersion: string;
  /** Seeds the stable machine ids, so equal node names in two clusters differ (default ''). */
  clusterName?: string;
  /** Record kubelet Events (default true; benchmarks turn them off). */
  events?: boolean;
  /** The recorder for events about `node` and its pods (default: component `kubelet`, host `node`). */
  recorderFor?: (node: string) => EventRecorder;
  timing?: Partial<KubeletTiming>;
  nodeInfo?: Partial<NodeSystemInfo>;
  /** Uniform random numbers in [0, 1) for jitter (default `Math.random`); inject for determinism. */
  random?: () => number;
  /** Concurrent pod syncs (default 8). */
  workers?: number;
}

/** `timing` with defaults filled in; throws on nonsensical values. */
export function resolveTiming(timing: Partial<KubeletTiming> = {}): KubeletTiming & {
  podStartMs: readonly [number, number];
} {
  const t = { ...DEFAULT_KUBELET_TIMING, ...definedOnly(timing) };
  const start = t.podStartMs;
  const podStartMs: readonly [number, number] =
    typeof start === 'number' ? [start / 2, (start * 3) / 2] : start;
  const [min, max] = podStartMs;
  if (!(min >= 0 && max >= min)) throw new Error(`podStartMs must be [min, max] with 0 <= min <= max`);
  if (!(t.tickMs > 0)) throw new Error('tickMs must be positive');
  return { ...t, podStartMs };
}

function definedOnly<T extends object>(o: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The minor version of `v1.31.2` (31); 0 when unparsable. */
export function minorVersion(version: string): number {
  const m = /^v?\d+\.(\d+)/.exec(version);
  return m ? Number(m[1]) : 0;
}
