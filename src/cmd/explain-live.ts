/**
 * What `flotilla explain` learns from a running hub when no `--clusters` file is given: the
 * clusters, the policies (when the files hold none), the binding's previous decision, where the
 * workload's groups run, and the other bindings (possible victims of preemption).
 */
import type { ResourceBinding } from '../api/flotilla/binding.js';
import { bindingName } from '../api/flotilla/binding-for.js';
import type { Cluster } from '../api/flotilla/cluster.js';
import { POLICY_API_VERSION } from '../api/flotilla/policy.js';
import type { PolicyObject } from '../api/flotilla/policy-match.js';
import type { KubeObject } from '../api/meta.js';
import { StatusError } from '../api/status.js';
import { ApiClient } from '../client/api-client.js';
import { HttpsTransport } from '../client/https-transport.js';
import { KubeconfigError, kubeconfigTransport } from '../client/kubeconfig.js';
import {
  CLUSTER_PROPAGATION_POLICIES,
  PRIORITY_CLASSES,
  PROPAGATION_POLICIES,
} from '../client/flotilla-resources.js';
import type { PreemptionCandidate } from '../scheduler/core/preempt.js';
import type { SchedulingUnit } from '../scheduler/framework/interface.js';
import { CLUSTERS, CLUSTER_RESOURCE_BINDINGS, RESOURCE_BINDINGS, keyOf } from '../scheduler/binding-refs.js';
import { preemptionCandidate } from '../scheduler/preemption.js';
import { WorkloadGroups } from '../scheduler/workload-groups.js';
import { UsageError } from './flags.js';

export interface HubView {
  /** The hub's URL. */
  server: string;
  clusters: Cluster[];
  policies: PolicyObject[];
  /** The template's binding, if the hub has one: its decision is the previous one. */
  previous?: ResourceBinding;
  /** The workload groups of the template's binding and where their other members run. */
  peers: (binding: ResourceBinding) => SchedulingUnit['workloadGroups'];
  /** The other bindings, as possible victims of preemption. */
  others: PreemptionCandidate[];
  /** PriorityClass values by name. */
  priorityClasses: Map<string, number>;
}

const PP = PROPAGATION_POLICIES;
const CPP = CLUSTER_PROPAGATION_POLICIES;

/** Reads the hub the kubeconfig's `context` points at, as it concerns `template`. */
export async function readHub(
  kubeconfig: string,
  context: string | undefined,
  template: KubeObject,
): Promise<HubView> {
  let options;
  try {
    options = await kubeconfigTransport(kubeconfig, context);
  } catch (err) {
    if (err instanceof KubeconfigError)
      throw new UsageError(`${err.message} (give --clusters FILE to explain without a hub)`);
    throw err;
  }
  const client = new ApiClient(new HttpsTransport(options));
  const namespace = template.metadata.namespace;
  let lists;
  try {
    lists = await Promise.all([
      client.list<Cluster>(CLUSTERS),
      namespace ? client.list<PolicyObject>({ ...PP, namespace }) : undefined,
      client.list<PolicyObject>(CPP),
      client.list<ResourceBinding>(RESOURCE_BINDINGS),
      client.list<ResourceBinding>(CLUSTER_RESOURCE_BINDINGS),
      client.list<KubeObject & { value?: number }>(PRIORITY_CLASSES),
    ]);
  } catch (err) {
    if (err instanceof StatusError)
      throw new UsageError(`the hub at ${options.server} answered: ${err.message}`);
    throw new UsageError(`cannot reach the hub at ${options.server}: ${(err as Error).message}`);
  }
  const [clusters, pps, cpps, rbs, crbs, pcs] = lists;
  const selfKey = `${namespace ? 'rb' : 'crb'}/${namespace ?? ''}/${bindingName(template)}`;
  const groups = new WorkloadGroups();
  const others: PreemptionCandidate[] = [];
  let previous: ResourceBinding | undefined;
  for (const [prefix, list] of [
    ['rb', rbs.items],
    ['crb', crbs.items],
  ] as const)
    for (const b of list) {
      const key = keyOf(prefix, b);
      if (key === selfKey) {
        previous = b;
        continue;
      }
      groups.set(key, b);
      if (!b.metadata.deletionTimestamp && (b.spec.replicas ?? 0) > 0)
        others.push(preemptionCandidate(key, b));
    }
  const policies = [
    ...(pps?.items ?? []).map((p) => ({ ...p, apiVersion: POLICY_API_VERSION, kind: 'PropagationPolicy' })),
    ...cpps.items.map((p) => ({ ...p, apiVersion: POLICY_API_VERSION, kind: 'ClusterPropagationPolicy' })),
  ];
  return {
    server: options.server,
    clusters: clusters.items,
    policies,
    ...(previous ? { previous } : {}),
    peers: (binding) => groups.of(selfKey, binding),
    others,
    priorityClasses: new Map(pcs.items.map((pc) => [pc.metadata.name ?? '', pc.value ?? 0])),
  };
}
