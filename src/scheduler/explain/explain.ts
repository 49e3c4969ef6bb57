/**
 * `flotilla explain`: a dry run of the scheduler on a template, its policy and a set of clusters
 * (optionally a previous binding, for steady rescheduling), with the same engine the scheduler
 * runs. Renders the documented JSON answer (../shared/spec/API.md) and a readable text view.
 */
import type { ResourceBinding } from '../../api/flotilla/binding.js';
import { bindingFor } from '../../api/flotilla/binding-for.js';
import type { Cluster } from '../../api/flotilla/cluster.js';
import type { PolicyObject } from '../../api/flotilla/policy-match.js';
import type { KubeObject } from '../../api/meta.js';
import { schedule } from '../core/schedule.js';
import type { ScheduleResult } from '../core/schedule.js';
import type { SchedulingUnit } from '../framework/interface.js';
import { unitFromBinding } from '../framework/unit.js';
import { planPreemption } from '../core/preempt.js';
import type { Preemption, PreemptionCandidate } from '../core/preempt.js';
import { preemptionSummary } from '../preemption.js';

export interface ExplainInput {
  template: KubeObject;
  policy: PolicyObject;
  clusters: readonly Cluster[];
  /** A previous binding: its `spec.clusters` is the previous decision. */
  previous?: ResourceBinding;
  /** PriorityClass values by name. */
  priorityClasses?: ReadonlyMap<string, number>;
  /** The binding's workload groups and where their other members run (from the live hub). */
  peers?: (binding: ResourceBinding) => SchedulingUnit['workloadGroups'];
  /** Other bindings, as possible victims of preemption (from the live hub). */
  others?: readonly PreemptionCandidate[];
}

export interface Explanation {
  binding: ResourceBinding;
  result: ScheduleResult;
  /** What the scheduler would preempt to place the workload (empty: nothing). */
  preemptions: Preemption[];
}

/** Schedules the template as its binding would be. */
export function explain(input: ExplainInput): Explanation {
  const binding = bindingFor(input.template, input.policy, {
    previous: input.previous?.spec.clusters ?? [],
    ...(input.priorityClasses ? { priorityClasses: input.priorityClasses } : {}),
  });
  if (input.previous?.spec.rescheduleTriggeredAt)
    binding.spec.rescheduleTriggeredAt = input.previous.spec.rescheduleTriggeredAt;
  if (input.previous?.status) binding.status = input.previous.status;
  const { unit, fresh } = unitFromBinding(binding);
  const workloadGroups = input.peers?.(binding);
  if (workloadGroups) unit.workloadGroups = workloadGroups;
  const scheduleInput = { unit, clusters: input.clusters, fresh };
  const result = schedule(scheduleInput);
  const { schedulePriority } = binding.spec;
  if (result.scheduled || !input.others || schedulePriority?.preemptionPolicy === 'Never')
    return { binding, result, preemptions: [] };
  const plan = planPreemption(scheduleInput, schedulePriority?.priority ?? 0, input.others);
  return plan ? { binding, ...plan } : { binding, result, preemptions: [] };
}

/** The documented JSON answer (with `preemptions` when the decision needs some). */
export function explainJson(e: Explanation): Record<string, unknown> {
  const { result } = e;
  return {
    scheduled: result.scheduled,
    reason: result.reason,
    message: result.message,
    clusters: result.clusters.map((c) => (c.replicas === undefined ? { name: c.name } : { ...c })),
    candidates: result.candidates.map((c) => ({
      name: c.name,
      feasible: c.feasible,
      filteredBy: c.filteredBy,
      reason: c.reason,
      score: c.score,
      availableReplicas: c.availableReplicas,
    })),
    ...(e.preemptions.length > 0 ? { preemptions: e.preemptions.map(preemptionJson) } : {}),
  };
}

function preemptionJson(p: Preemption): Record<string, unknown> {
  const [kind, namespace, name] = p.key.split('/');
  return {
    binding: { kind: kind === 'crb' ? 'ClusterResourceBinding' : 'ResourceBinding', namespace, name },
    cluster: p.cluster,
    replicas: p.replicas,
    remaining: p.remaining,
  };
}

/** The rows of the text view's cluster table (header first). */
export function explainRows(result: ScheduleResult): string[][] {
  const rows = [
    ['CLUSTER', 'FEASIBLE', 'SCORE', 'BALANCE', 'AVAILABLE', 'REPLICAS', 'FILTERED BY', 'REASON'],
  ];
  for (const c of result.candidates) {
    const chosen = c.replicas !== undefined ? String(c.replicas) : c.selected ? 'yes' : '';
    rows.push([
      c.name,
      c.feasible ? (c.selected ? 'yes' : 'yes (not selected)') : 'no',
      c.score === null ? '' : String(c.score),
      c.tieBreakScore === null ? '' : String(c.tieBreakScore),
      c.availableReplicas === null ? '' : String(c.availableReplicas),
      c.feasible ? chosen : '',
      c.filteredBy ?? '',
      c.reason ?? '',
    ]);
  }
  return rows;
}

/** The heading lines of the text view. */
export function explainHeading(e: Explanation, policy: PolicyObject): string {
  const { spec } = e.binding;
  const ref = spec.resource.namespace
    ? `${spec.resource.namespace}/${spec.resource.name}`
    : spec.resource.name;
  const policyRef = policy.metadata.namespace
    ? `${policy.metadata.namespace}/${policy.metadata.name ?? ''}`
    : (policy.metadata.name ?? '');
  const replicas = spec.replicas ? `${spec.replicas} replicas, ` : '';
  const priority = spec.schedulePriority?.priority ? `, priority ${spec.schedulePriority.priority}` : '';
  return (
    `${spec.resource.kind} ${ref} (${replicas}${e.result.strategy}${priority}) under ${policy.kind} ${policyRef}\n` +
    `${e.result.scheduled ? 'Scheduled' : 'Not scheduled'} (${e.result.reason}): ${e.result.message}\n` +
    (e.preemptions.length > 0 ? `After preemption: ${preemptionSummary(e.preemptions)}\n` : '')
  );
}
