/**
 * Where each workload group runs, for the WorkloadAffinity filters: kept up to date from the
 * binding informers (a member's decision is its `spec.clusters`), so a scheduling cycle looks a
 * group up instead of scanning every binding. Groups are per namespace, as in Karmada.
 */
import type { ResourceBinding } from '../api/flotilla/binding.js';
import type { PeerGroup, SchedulingUnit } from './framework/interface.js';

type Kind = 'affinity' | 'antiAffinity';

export class WorkloadGroups {
  /** `kind/namespace/group` → member key → its clusters. */
  readonly #groups = new Map<string, Map<string, readonly string[]>>();
  /** Member key → the group keys it is in. */
  readonly #memberOf = new Map<string, string[]>();

  /** Records `binding` (named `key`); true when a group's placement changed. */
  set(key: string, binding: ResourceBinding): boolean {
    const before = this.#memberOf.get(key) ?? [];
    const clusters = (binding.spec.clusters ?? []).map((t) => t.name);
    const after = groupKeys(binding);
    let changed = false;
    for (const g of before) {
      if (after.includes(g)) continue;
      const members = this.#groups.get(g);
      changed = members?.delete(key) === true || changed;
      if (members?.size === 0) this.#groups.delete(g);
    }
    for (const g of after) {
      let members = this.#groups.get(g);
      if (!members) this.#groups.set(g, (members = new Map<string, readonly string[]>()));
      const old = members.get(key);
      if (!old || old.join(',') !== clusters.join(',')) changed = true;
      members.set(key, clusters);
    }
    if (after.length > 0) this.#memberOf.set(key, after);
    else this.#memberOf.delete(key);
    return changed;
  }

  /** Forgets `key`; true when it was in a group. */
  delete(key: string): boolean {
    const groups = this.#memberOf.get(key) ?? [];
    for (const g of groups) {
      const members = this.#groups.get(g);
      members?.delete(key);
      if (members?.size === 0) this.#groups.delete(g);
    }
    this.#memberOf.delete(key);
    return groups.length > 0;
  }

  /** `unit.workloadGroups` for `binding` (named `key`): its groups and where their other members run. */
  of(key: string, binding: ResourceBinding): SchedulingUnit['workloadGroups'] {
    const groups = binding.spec.workloadAffinityGroups;
    if (!groups?.affinityGroup && !groups?.antiAffinityGroup) return undefined;
    const namespace = binding.metadata.namespace ?? '';
    const peers = (kind: Kind, name: string): PeerGroup => {
      const clusters = new Set<string>();
      for (const [member, placed] of this.#groups.get(`${kind}/${namespace}/${name}`) ?? [])
        if (member !== key) for (const c of placed) clusters.add(c);
      return { name, clusters };
    };
    return {
      ...(groups.affinityGroup ? { affinity: peers('affinity', groups.affinityGroup) } : {}),
      ...(groups.antiAffinityGroup ? { antiAffinity: peers('antiAffinity', groups.antiAffinityGroup) } : {}),
    };
  }
}

function groupKeys(binding: ResourceBinding): string[] {
  const groups = binding.spec.workloadAffinityGroups;
  const namespace = binding.metadata.namespace ?? '';
  const keys: string[] = [];
  if (groups?.affinityGroup) keys.push(`affinity/${namespace}/${groups.affinityGroup}`);
  if (groups?.antiAffinityGroup) keys.push(`antiAffinity/${namespace}/${groups.antiAffinityGroup}`);
  return keys;
}
