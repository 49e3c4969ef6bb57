/**
 * WorkloadAffinity and WorkloadAntiAffinity filters (Karmada's, gate WorkloadAffinity): the
 * members of an affinity group (same namespace, same value of the policy's `groupByLabelKey`
 * label) share clusters — once one member is placed, the others may go only where members already
 * run; the members of an anti-affinity group never share a cluster. Clusters a workload already
 * holds always pass, so a placement never has to move because a peer moved. The score ranks what
 * passes by the same groups (it decides among clusters the workload already holds).
 */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import type { CycleContext, FilterPlugin, PluginStatus, ScorePlugin } from '../../framework/interface.js';
import { MAX_CLUSTER_SCORE, MIN_CLUSTER_SCORE, SUCCESS, unschedulable } from '../../framework/interface.js';

export const workloadAffinity: FilterPlugin = {
  name: 'WorkloadAffinity',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    const group = ctx.unit.workloadGroups?.affinity;
    const name = cluster.metadata.name ?? '';
    if (!group || group.clusters.size === 0 || ctx.previousNames.has(name) || group.clusters.has(name))
      return SUCCESS;
    return unschedulable(`cluster(s) did not run workloads of affinity group ${group.name}`);
  },
};

export const workloadAntiAffinity: FilterPlugin = {
  name: 'WorkloadAntiAffinity',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    const group = ctx.unit.workloadGroups?.antiAffinity;
    const name = cluster.metadata.name ?? '';
    if (!group || ctx.previousNames.has(name) || !group.clusters.has(name)) return SUCCESS;
    return unschedulable(`cluster(s) already ran a workload of anti-affinity group ${group.name}`);
  },
};

/**
 * WorkloadAffinity score: among the clusters the filters let through, prefer those where the
 * affinity group already runs and where no member of the anti-affinity group does (each worth
 * half). Every cluster scores the same for a workload in no group, so other decisions are kept.
 */
export const workloadAffinityScore: ScorePlugin = {
  name: 'WorkloadAffinity',
  score(ctx: CycleContext, cluster: Cluster): number {
    const groups = ctx.unit.workloadGroups;
    const name = cluster.metadata.name ?? '';
    let score = MIN_CLUSTER_SCORE;
    if (groups?.affinity?.clusters.has(name)) score += MAX_CLUSTER_SCORE / 2;
    if (groups?.antiAffinity && !groups.antiAffinity.clusters.has(name)) score += MAX_CLUSTER_SCORE / 2;
    return score;
  },
};
