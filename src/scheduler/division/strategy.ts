/**
 * Which replica division a placement asks for (Karmada's `newAssignState` table): nil or
 * Duplicated → Duplicated; Divided + Aggregated → Aggregated; Divided + Weighted with
 * `dynamicWeight` → DynamicWeight; Divided + Weighted otherwise → StaticWeight (equal weights
 * when there is no weight preference). A Divided placement with no preference is Weighted.
 */
import type { ReplicaSchedulingStrategy } from '../../api/flotilla/policy.js';

export type DivisionStrategy = 'Duplicated' | 'StaticWeight' | 'DynamicWeight' | 'Aggregated';

/** The division `scheduling` asks for. */
export function divisionStrategy(scheduling: ReplicaSchedulingStrategy | undefined): DivisionStrategy {
  if (!scheduling || scheduling.replicaSchedulingType !== 'Divided') return 'Duplicated';
  if (scheduling.replicaDivisionPreference === 'Aggregated') return 'Aggregated';
  return scheduling.weightPreference?.dynamicWeight === 'AvailableReplicas'
    ? 'DynamicWeight'
    : 'StaticWeight';
}
