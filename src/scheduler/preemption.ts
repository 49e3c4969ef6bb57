/**
 * The hub side of preemption (the planning is core/preempt.ts): bindings as possible victims,
 * a victim's decision after it gave way, and the messages its owner and the preemptor see.
 */
import type { ResourceBinding, TargetCluster } from '../api/flotilla/binding.js';
import type { Preemption, PreemptionCandidate } from './core/preempt.js';
import { divisionStrategy } from './division/strategy.js';

/** `binding` as a possible victim named `key`. */
export function preemptionCandidate(key: string, binding: ResourceBinding): PreemptionCandidate {
  const { spec } = binding;
  const request = spec.replicaRequirements?.resourceRequest;
  return {
    key,
    priority: spec.schedulePriority?.priority ?? 0,
    created: binding.metadata.creationTimestamp ?? '',
    clusters: spec.clusters ?? [],
    ...(request ? { request } : {}),
    divisible: divisionStrategy(spec.placement?.replicaScheduling) !== 'Duplicated',
  };
}

/** `clusters` after the `taken` replicas gave way (clusters left with none are dropped). */
export function shrunkDecision(
  clusters: readonly TargetCluster[],
  taken: readonly Preemption[],
): TargetCluster[] {
  const left = new Map(taken.map((p) => [p.cluster, p.remaining]));
  return clusters
    .map((t) => (left.has(t.name) ? { ...t, replicas: left.get(t.name) ?? 0 } : { ...t }))
    .filter((t) => !left.has(t.name) || (t.replicas ?? 0) > 0);
}

/** What the victim is told: who preempted it and what it gave up. */
export function preemptedMessage(preemptor: ResourceBinding, taken: readonly Preemption[]): string {
  const { namespace, name } = preemptor.metadata;
  const priority = preemptor.spec.schedulePriority?.priority ?? 0;
  return `Preempted by ${namespace ? `${namespace}/` : ''}${name ?? ''} (priority ${priority}): gave up ${replicaList(taken)}.`;
}

/** What the preemptor is told: whose replicas made room. */
export function preemptionSummary(preemptions: readonly Preemption[]): string {
  const victims = [...new Set(preemptions.map((p) => p.key.split('/').slice(1).filter(Boolean).join('/')))];
  return `Preempted lower-priority ${victims.join(', ')}: ${replicaList(preemptions)}.`;
}

function replicaList(preemptions: readonly Preemption[]): string {
  return preemptions
    .map((p) => `${p.replicas} replica(s) on ${p.cluster}${p.remaining === 0 ? ' (evicted)' : ''}`)
    .join(', ');
}
