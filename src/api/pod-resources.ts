/**
 * Pod resource requests as Kubernetes computes them (k8s.io/component-helpers `resource.PodRequests`,
 * which the scheduler, the kubelet's admission and quota share), so a simulated cluster, the hub's
 * capacity view and a real cluster agree on what a pod takes from a node.
 *
 * Amounts are plain numbers keyed by resource name: `cpu` in whole millicores (each quantity
 * rounded up, as `MilliValue()` does), every other resource in whole base units (bytes for memory,
 * ephemeral-storage and hugepages, devices for extended resources). Pure functions; malformed
 * quantities count as absent rather than throwing, because a pod the API server accepted must
 * never break the code that sums it.
 */
import type { KubeObject } from './meta.js';
import { quantityOrUndefined } from './quantity.js';

/** Resource name → amount (`cpu` in millicores, everything else in base units). */
export type ResourceAmounts = Record<string, number>;

/** A ResourceList on the wire: `{ cpu: '500m', memory: '1Gi' }`. */
export type ResourceList = Readonly<Record<string, string | number>>;

/** The resource fields of a container that count. */
export interface ContainerResourcesLike {
  resources?: { requests?: ResourceList; limits?: ResourceList };
  /** `Always` on an init container makes it a sidecar that runs beside the app containers. */
  restartPolicy?: string;
}

/** The resource fields of a PodSpec that count. */
export interface PodSpecResourcesLike {
  containers?: readonly ContainerResourcesLike[];
  initContainers?: readonly ContainerResourcesLike[];
  overhead?: ResourceList;
  /** Pod-level resources (PodLevelResources): they override the container sum for cpu and memory. */
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

/** Options of `podRequests`. */
export interface PodRequestsOptions {
  /**
   * Amounts used for a container that requests none of a resource (kube's
   * `NonMissingContainerRequests`); the scheduler scores with `NON_ZERO_DEFAULTS`.
   */
  nonMissing?: Readonly<ResourceAmounts>;
  /** Leave `spec.overhead` out (default: included, as the scheduler counts it). */
  excludeOverhead?: boolean;
}

/** The scheduler's stand-ins for unset cpu and memory requests when it scores nodes (100m, 200Mi). */
export const NON_ZERO_DEFAULTS: Readonly<ResourceAmounts> = Object.freeze({
  cpu: 100,
  memory: 200 * 2 ** 20,
});

/** The amount of one quantity: millicores for `cpu`, whole base units otherwise; undefined when malformed. */
export function resourceAmount(name: string, quantity: string | number): number | undefined {
  const value = quantityOrUndefined(quantity);
  if (value === undefined) return undefined;
  // The epsilon absorbs binary floating-point noise ("0.1" * 1000) before rounding up.
  return name === 'cpu' ? Math.ceil(value * 1000 - 1e-9) : Math.ceil(value - 1e-9);
}

/** A parsed ResourceList (e.g. a node's `status.allocatable`); malformed entries are left out. */
export function resourceAmounts(list: ResourceList | undefined): ResourceAmounts {
  const out: ResourceAmounts = {};
  if (!list) return out;
  for (const [name, quantity] of Object.entries(list)) {
    const value = resourceAmount(name, quantity);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Adds `delta` (times `sign`) into `into`, resource by resource. */
export function addResourceAmounts(into: ResourceAmounts, delta: Readonly<ResourceAmounts>, sign = 1): void {
  for (const name in delta) into[name] = (into[name] ?? 0) + sign * (delta[name] ?? 0);
}

/**
 * What `pod` requests of a node: the larger, per resource, of the app containers (plus sidecars)
 * and the busiest init step; plus `spec.overhead`; plus `pods: 1`.
 *
 * - App containers are summed. A container's request falls back to its limit when only the limit
 *   is set, as the API server defaults it.
 * - Init containers run one at a time; while init container i runs, the sidecars (init containers
 *   with `restartPolicy: Always`) declared before it run too. Sidecars also run for the pod's whole
 *   life, so they are added to the app containers' sum.
 * - Pod-level `spec.resources.requests` (cpu, memory) replace the container totals.
 */
export function podRequests(
  pod: KubeObject | { spec?: PodSpecResourcesLike },
  options: PodRequestsOptions = {},
): ResourceAmounts {
  const spec = (pod as { spec?: PodSpecResourcesLike }).spec ?? {};
  const total: ResourceAmounts = {};
  for (const container of spec.containers ?? []) {
    addResourceAmounts(total, containerRequests(container, options.nonMissing));
  }
  const sidecars: ResourceAmounts = {};
  const initPeak: ResourceAmounts = {};
  for (const container of spec.initContainers ?? []) {
    const requests = containerRequests(container, options.nonMissing);
    let running: ResourceAmounts;
    if (container.restartPolicy === 'Always') {
      addResourceAmounts(total, requests);
      addResourceAmounts(sidecars, requests);
      running = sidecars;
    } else {
      running = { ...sidecars };
      addResourceAmounts(running, requests);
    }
    maxInto(initPeak, running);
  }
  maxInto(total, initPeak);
  for (const [name, value] of Object.entries(podLevelRequests(spec))) total[name] = value;
  if (!options.excludeOverhead) addResourceAmounts(total, resourceAmounts(spec.overhead));
  total['pods'] = 1;
  return total;
}

function containerRequests(
  container: ContainerResourcesLike,
  nonMissing: Readonly<ResourceAmounts> | undefined,
): ResourceAmounts {
  const requests = resourceAmounts(container.resources?.requests);
  for (const [name, value] of Object.entries(resourceAmounts(container.resources?.limits))) {
    if (!(name in requests)) requests[name] = value;
  }
  if (nonMissing)
    for (const name in nonMissing) if (!(name in requests)) requests[name] = nonMissing[name] ?? 0;
  return requests;
}

/** Pod-level requests of the resources kube supports there (cpu, memory), defaulted from pod-level limits. */
function podLevelRequests(spec: PodSpecResourcesLike): ResourceAmounts {
  const out: ResourceAmounts = {};
  if (!spec.resources) return out;
  const limits = resourceAmounts(spec.resources.limits);
  const requests = resourceAmounts(spec.resources.requests);
  for (const name of ['cpu', 'memory']) {
    const value = requests[name] ?? limits[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function maxInto(into: ResourceAmounts, other: Readonly<ResourceAmounts>): void {
  for (const name in other) into[name] = Math.max(into[name] ?? 0, other[name] ?? 0);
}

const BINARY_SUFFIXES: readonly [string, number][] = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

/**
 * Amounts back on the wire: cpu as whole cores or millicores (`"4"`, `"3500m"`), byte-sized
 * resources with the largest binary suffix that divides them (`"16Gi"`), counts as integers.
 */
export function formatResourceAmounts(amounts: Readonly<ResourceAmounts>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(amounts).sort()) {
    const value = Math.max(0, Math.round(amounts[name] ?? 0));
    if (name === 'cpu') out[name] = value % 1000 === 0 ? String(value / 1000) : `${value}m`;
    else {
      const suffix = BINARY_SUFFIXES.find(([, unit]) => value >= unit && value % unit === 0);
      out[name] = suffix ? `${value / suffix[1]}${suffix[0]}` : String(value);
    }
  }
  return out;
}
