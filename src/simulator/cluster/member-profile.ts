/**
 * The member profile: builds one simulated cluster of a fleet from its `ClusterSpec` — the
 * admission plugins of its API server and the components a real cluster runs:
 * kube-controller-manager's controllers (workloads, endpoints, service accounts, node lifecycle,
 * plus the garbage collector and namespace controller SimCluster always runs), a cloud
 * load-balancer controller, the pod scheduler and the kubelet of every node.
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { Store } from '../../storage/store.js';
import { defaultPodAdmission } from '../admission/default-pod-admission.js';
import { KubernetesServiceBootstrap } from '../admission/kubernetes-service.js';
import { ServiceIpAllocator } from '../admission/service-ip-allocator.js';
import { DaemonSetController } from '../controllers/daemonset/daemonset-controller.js';
import { daemonSetTemplateGeneration } from '../controllers/daemonset/template-generation-admission.js';
import { DeploymentController } from '../controllers/deployment/deployment-controller.js';
import { EndpointsController } from '../controllers/endpoints/endpoints-controller.js';
import { EndpointSliceController } from '../controllers/endpointslice/endpointslice-controller.js';
import { JobController } from '../controllers/job/job-controller.js';
import { jobSelectorGeneration } from '../controllers/job/job-selector-admission.js';
import { NodeLifecycleController } from '../controllers/node-lifecycle/node-lifecycle-controller.js';
import { ReplicaSetController } from '../controllers/replicaset/replicaset-controller.js';
import { ServiceLoadBalancerController } from '../controllers/service-lb/service-lb-controller.js';
import { ServiceAccountController } from '../controllers/serviceaccount/serviceaccount-controller.js';
import { StatefulSetController } from '../controllers/statefulset/statefulset-controller.js';
import type { FleetMember } from '../fleet/fleet.js';
import type { ClusterSpec } from '../fleet/fleet-spec.js';
import type { KubeletTiming } from '../kubelet/kubelet-options.js';
import { SimKubelet } from '../kubelet/sim-kubelet.js';
import { PodScheduler } from '../scheduler/pod-scheduler.js';
import { nodeSpecsOf } from './node-specs.js';
import { SimCluster } from './sim-cluster.js';
import type { MemberContext } from './sim-cluster.js';

/** Timings of the simulated kubelets and controllers (all optional; defaults are realistic). */
export interface MemberTiming {
  kubelet?: Partial<KubeletTiming>;
  /** Node monitor grace period, ms (kube: 40 s). */
  nodeMonitorGraceMs?: number;
  /** Endpoint controllers batch pod changes for this long (kube: 0; large fleets: ~1000). */
  endpointBatchMs?: number;
}

/** Options of `buildMember`. */
export interface MemberOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  events: boolean;
  timing?: MemberTiming;
  /** Position of the cluster in its fleet: picks its public (load-balancer) address range. */
  index?: number;
  /** Jitter source of the kubelet (default `Math.random`). */
  random?: () => number;
}

/** The address the `kubernetes` Service's endpoint names (the simulated control plane). */
const CONTROL_PLANE_IP = '172.18.0.2';

/** Cluster `i`'s load-balancer range: 100.64.0.0/24, 100.64.1.0/24, … (shared address space). */
export function publicCidrOf(i: number): string {
  return `100.${64 + Math.floor(i / 256)}.${i % 256}.0/24`;
}

type Base = Pick<MemberContext, 'client' | 'informers' | 'clock' | 'log'>;

/** One member of a fleet: the cluster with every component, and its node controls (the kubelet). */
export function buildMember(spec: ClusterSpec, options: MemberOptions): FleetMember {
  const timing = options.timing ?? {};
  const allocator = new ServiceIpAllocator();
  const cluster = new SimCluster({
    spec,
    store: options.store,
    clock: options.clock,
    log: options.log,
    events: options.events,
    admission: [allocator, defaultPodAdmission(), jobSelectorGeneration, daemonSetTemplateGeneration],
  });
  const ctx = cluster.context;
  const base: Base = { client: ctx.client, informers: ctx.informers, clock: ctx.clock, log: ctx.log };
  const recorded = (component: string): Base & { recorder: ReturnType<MemberContext['recorder']> } => ({
    ...base,
    recorder: ctx.recorder(component),
  });
  const kubelet = new SimKubelet({
    ...base,
    nodes: nodeSpecsOf(spec),
    kubernetesVersion: spec.kubernetesVersion,
    clusterName: spec.name,
    events: options.events,
    recorderFor: (node) => ctx.recorder('kubelet', node),
    ...(timing.kubelet ? { timing: timing.kubelet } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const batch = { podBatchMs: timing.endpointBatchMs ?? 0 };
  cluster
    .use('service-ip-allocator', allocator.connect(recorded('ipallocator-repair-controller')))
    .use(
      'kubernetes-service',
      new KubernetesServiceBootstrap({
        ...base,
        endpointIP: CONTROL_PLANE_IP,
        clusterIP: allocator.firstAddress,
        waitUntilReady: (signal) => allocator.waitForSync(signal),
      }),
    )
    .use('scheduler', new PodScheduler(recorded('default-scheduler')))
    .use('replicaset-controller', new ReplicaSetController(recorded('replicaset-controller')))
    .use('deployment-controller', new DeploymentController(recorded('deployment-controller')))
    .use('statefulset-controller', new StatefulSetController(recorded('statefulset-controller')))
    .use('daemonset-controller', new DaemonSetController(recorded('daemonset-controller')))
    .use('job-controller', new JobController(recorded('job-controller')))
    .use(
      'endpointslice-controller',
      new EndpointSliceController({ ...recorded('endpoint-slice-controller'), ...batch }),
    )
    .use('endpoints-controller', new EndpointsController({ ...recorded('endpoint-controller'), ...batch }))
    .use(
      'service-lb-controller',
      new ServiceLoadBalancerController({
        ...recorded('service-controller'),
        publicCidr: publicCidrOf(options.index ?? 0),
      }),
    )
    .use('serviceaccount-controller', new ServiceAccountController(base))
    .use(
      'node-lifecycle-controller',
      new NodeLifecycleController({
        ...recorded('node-controller'),
        evictionRecorder: ctx.recorder('taint-eviction-controller'),
        ...(timing.nodeMonitorGraceMs !== undefined
          ? { nodeMonitorGracePeriodMs: timing.nodeMonitorGraceMs }
          : {}),
      }),
    )
    .use('kubelet', kubelet);
  return { cluster, nodes: kubelet };
}
