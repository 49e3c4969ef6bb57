/**
 * The Node object a kubelet registers and the status it posts: the labels, annotations,
 * addresses, nodeInfo and conditions of a real kubelet (pkg/kubelet/nodestatus setters), so
 * nothing in the API tells a simulated node from a real one.
 */
import { createHash } from 'node:crypto';
import { rfc3339Seconds } from '../../base/clock.js';
import type { KubeObject } from '../../api/meta.js';
import { nodeAllocatable, nodeCapacity } from './allocatable.js';
import type { NodeSpec, NodeSystemInfo } from './kubelet-options.js';
import { minorVersion } from './kubelet-options.js';
import { cloneJson } from '../../base/json-clone.js';

/** A node condition as the API carries it. */
export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** What a node reports about itself besides its spec. */
export interface NodeIdentity {
  kubernetesVersion: string;
  clusterName: string;
  system: NodeSystemInfo;
}

/**
 * The healthy conditions a live kubelet posts, in kubelet's order. A condition whose status is
 * unchanged keeps its `lastTransitionTime` from `previous`; every one gets `now` as heartbeat.
 */
export function healthyConditions(
  previous: readonly NodeCondition[] | undefined,
  now: number,
): NodeCondition[] {
  const heartbeat = rfc3339Seconds(now);
  const wanted: [string, 'True' | 'False', string, string][] = [
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
  ];
  return wanted.map(([type, status, reason, message]) => {
    const before = previous?.find((c) => c.type === type);
    const kept = before?.status === status ? before.lastTransitionTime : undefined;
    return {
      type,
      status,
      lastHeartbeatTime: heartbeat,
      lastTransitionTime: kept ?? heartbeat,
      reason,
      message,
    };
  });
}

/** The event reason kubelet records when condition `type` becomes healthy (`NodeReady`…). */
export function healthyConditionEvent(type: string): string {
  const reasons: Record<string, string> = {
    MemoryPressure: 'NodeHasSufficientMemory',
    DiskPressure: 'NodeHasNoDiskPressure',
    PIDPressure: 'NodeHasSufficientPID',
    Ready: 'NodeReady',
  };
  return reasons[type] ?? type;
}

/** The Node to create when registering `spec` (status is posted separately). */
export function registrationNode(spec: NodeSpec): KubeObject {
  const nodeSpec: Record<string, unknown> = { podCIDR: spec.podCIDR, podCIDRs: [spec.podCIDR] };
  if (spec.providerID !== undefined) nodeSpec['providerID'] = spec.providerID;
  if (spec.taints && spec.taints.length > 0) nodeSpec['taints'] = cloneJson(spec.taints);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: nodeLabels(spec),
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: nodeSpec,
  };
}

/** The labels kubelet sets on registration, then the caller's. */
export function nodeLabels(spec: NodeSpec): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': spec.instanceType ?? defaultInstanceType(spec),
    ...spec.labels,
  };
}

function defaultInstanceType(spec: NodeSpec): string {
  const cpu = String(spec.capacity['cpu'] ?? '0');
  const memory = String(spec.capacity['memory'] ?? '0');
  return `sim.${cpu}cpu-${memory}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
}

/** The full `status` kubelet posts for `spec` with `conditions`. */
export function nodeStatus(
  spec: NodeSpec,
  identity: NodeIdentity,
  conditions: readonly NodeCondition[],
): Record<string, unknown> {
  const ids = machineIds(`${identity.clusterName}/${spec.name}`);
  const minor = minorVersion(identity.kubernetesVersion);
  const status: Record<string, unknown> = {
    addresses: [
      { type: 'InternalIP', address: spec.internalIP },
      { type: 'Hostname', address: spec.name },
    ],
    allocatable: nodeAllocatable(spec),
    capacity: nodeCapacity(spec),
    conditions: cloneJson(conditions),
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      architecture: 'amd64',
      bootID: ids.bootID,
      containerRuntimeVersion: identity.system.containerRuntimeVersion,
      kernelVersion: identity.system.kernelVersion,
      kubeProxyVersion: identity.kubernetesVersion,
      kubeletVersion: identity.kubernetesVersion,
      machineID: ids.machineID,
      operatingSystem: 'linux',
      osImage: identity.system.osImage,
      systemUUID: ids.systemUUID,
    },
  };
  // Runtime handlers are reported since 1.30 (recursive read-only mounts), user namespaces since 1.31.
  if (minor >= 30) {
    const features: Record<string, boolean> = { recursiveReadOnlyMounts: true };
    if (minor >= 31) features['userNamespaces'] = true;
    status['runtimeHandlers'] = ['', 'runc'].map((name) => ({ features: { ...features }, name }));
  }
  if (minor >= 33) status['features'] = { supplementalGroupsPolicy: true };
  return status;
}

/** Stable per-node ids derived from `seed` (machine-id is 32 hex digits, the others UUIDs). */
export function machineIds(seed: string): { machineID: string; systemUUID: string; bootID: string } {
  const hex = createHash('sha256').update(seed).digest('hex');
  const boot = createHash('sha256').update(`boot:${seed}`).digest('hex');
  return { machineID: hex.slice(0, 32), systemUUID: uuidOf(hex.slice(32, 64)), bootID: uuidOf(boot) };
}

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
