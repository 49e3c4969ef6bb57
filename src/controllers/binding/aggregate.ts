/**
 * What a binding's Works say about its members: `status.aggregatedStatus` (per cluster it keeps a
 * copy on — its decision, and during a rebalance the old one's too — applied, why not, health and
 * the member object's status) and the `FullyApplied` condition (every such cluster applied), plus
 * the members' copies for template status aggregation. Pure.
 */
import type { AggregatedStatusItem, ResourceBinding } from '../../api/flotilla/binding.js';
import type { Condition } from '../../api/flotilla/cluster.js';
import type { InterpretedObject } from '../../api/flotilla/interpret.js';
import { keptTargets } from '../../api/flotilla/rebalance.js';
import type { Work } from '../../api/flotilla/work.js';

export interface Aggregation {
  items: AggregatedStatusItem[];
  fullyApplied: Omit<Condition, 'lastTransitionTime'>;
  /** Each target's copy as the member reports it (undefined: nothing reported yet). */
  members: (InterpretedObject | undefined)[];
}

/** The aggregation over the clusters `binding` keeps copies on, with `workOf` finding each one's Work. */
export function aggregate(
  binding: ResourceBinding,
  workOf: (cluster: string) => Work | undefined,
): Aggregation {
  const items: AggregatedStatusItem[] = [];
  const members: (InterpretedObject | undefined)[] = [];
  for (const target of keptTargets(binding)) {
    const work = workOf(target.name);
    const applied = work?.status?.conditions?.find((c) => c.type === 'Applied');
    const manifest = work?.status?.manifestStatuses?.[0];
    items.push({
      clusterName: target.name,
      applied: applied?.status === 'True',
      ...(applied?.status === 'False' && applied.message ? { appliedMessage: applied.message } : {}),
      health: manifest?.health ?? 'Unknown',
      ...(manifest?.status !== undefined ? { status: manifest.status } : {}),
    });
    members.push(
      manifest?.status !== undefined
        ? {
            apiVersion: binding.spec.resource.apiVersion,
            kind: binding.spec.resource.kind,
            metadata: {
              name: binding.spec.resource.name,
              ...(manifest.generation !== undefined ? { generation: manifest.generation } : {}),
            },
            status: manifest.status as Record<string, unknown>,
          }
        : undefined,
    );
  }
  const missing = items.filter((i) => !i.applied).map((i) => i.clusterName);
  const fullyApplied: Aggregation['fullyApplied'] =
    items.length > 0 && missing.length === 0
      ? {
          type: 'FullyApplied',
          status: 'True',
          reason: 'FullyAppliedSuccess',
          message: 'All works have been successfully applied',
        }
      : {
          type: 'FullyApplied',
          status: 'False',
          reason: 'FullyAppliedFailed',
          message:
            items.length === 0 ? 'No cluster holds the workload' : `Not applied yet on ${missing.join(', ')}`,
        };
  return { items, fullyApplied, members };
}
