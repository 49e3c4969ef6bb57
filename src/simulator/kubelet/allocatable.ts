/**
 * Node capacity and allocatable as a kubelet reports them: memory and storage in `Ki`, CPU in
 * cores or millicores, and allocatable = capacity minus the reservations a managed node keeps
 * (GKE's published kube-reserved tiers for CPU and memory, plus the 100Mi memory and 10 %
 * nodefs hard-eviction thresholds), so the numbers look like a real cloud node's.
 */
import { milliCpu, parseQuantity } from '../../api/quantity.js';
import type { NodeSpec } from './kubelet-options.js';

const KI = 1024;
const MI = 1024 * KI;
const GI = 1024 * MI;

/** `status.capacity` of `spec`. */
export function nodeCapacity(spec: NodeSpec): Record<string, string> {
  const c = spec.capacity;
  return {
    ...stringValues(c),
    cpu: formatCpu(milliCpu(required(spec, 'cpu'))),
    'ephemeral-storage': formatKi(parseQuantity(c['ephemeral-storage'] ?? '100Gi')),
    'hugepages-1Gi': String(c['hugepages-1Gi'] ?? '0'),
    'hugepages-2Mi': String(c['hugepages-2Mi'] ?? '0'),
    memory: formatKi(parseQuantity(required(spec, 'memory'))),
    pods: String(required(spec, 'pods')),
  };
}

/** `status.allocatable` of `spec`: the caller's, or capacity minus reservations. */
export function nodeAllocatable(spec: NodeSpec): Record<string, string> {
  const capacity = nodeCapacity(spec);
  if (spec.allocatable) return { ...capacity, ...spec.allocatable };
  const cpu = milliCpu(required(spec, 'cpu'));
  const memory = parseQuantity(required(spec, 'memory'));
  const storage = parseQuantity(spec.capacity['ephemeral-storage'] ?? '100Gi');
  return {
    ...capacity,
    cpu: formatCpu(Math.max(0, cpu - reservedMilliCpu(cpu))),
    'ephemeral-storage': String(Math.floor(storage * 0.9)),
    memory: formatKi(Math.max(0, memory - reservedMemory(memory) - 100 * MI)),
  };
}

/** `capacity[name]`; throws when it is missing. */
function required(spec: NodeSpec, name: string): string | number {
  const v = spec.capacity[name];
  if (v === undefined) throw new Error(`node ${spec.name}: capacity.${name} is required`);
  return v;
}

function stringValues(o: Readonly<Record<string, string | number>>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
}

/** kube-reserved CPU: 6 % of the first core, 1 % of the second, 0.5 % of the next two, 0.25 % above. */
export function reservedMilliCpu(milli: number): number {
  const tiers: readonly [number, number][] = [
    [1000, 0.06],
    [1000, 0.01],
    [2000, 0.005],
    [Infinity, 0.0025],
  ];
  return Math.round(tiered(milli, tiers));
}

/** kube-reserved memory: 25 % of the first 4Gi, 20 % of the next 4Gi, 10 % of the next 8Gi, 6 % up to 128Gi, 2 % above. */
export function reservedMemory(bytes: number): number {
  const tiers: readonly [number, number][] = [
    [4 * GI, 0.25],
    [4 * GI, 0.2],
    [8 * GI, 0.1],
    [112 * GI, 0.06],
    [Infinity, 0.02],
  ];
  return Math.floor(tiered(bytes, tiers));
}

function tiered(amount: number, tiers: readonly (readonly [number, number])[]): number {
  let left = amount;
  let reserved = 0;
  for (const [size, share] of tiers) {
    const part = Math.min(left, size);
    reserved += part * share;
    left -= part;
    if (left <= 0) break;
  }
  return reserved;
}

/** `4` for 4000 millicores, `3920m` otherwise. */
export function formatCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes as kubelet prints memory: whole `Ki`. */
export function formatKi(bytes: number): string {
  return `${Math.floor(bytes / KI)}Ki`;
}
