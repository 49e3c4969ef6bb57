/**
 * The default plugin set, in the order filters run (the first that fails is the one reported).
 * Score plugins are summed with equal weight.
 */
import type { FilterPlugin, ScorePlugin } from './interface.js';
import { apiEnablement } from '../plugins/api-enablement/api-enablement.js';
import { balancedAllocation } from '../plugins/balanced-allocation/balanced-allocation.js';
import { capacityFit } from '../plugins/capacity-fit/capacity-fit.js';
import { clusterAffinity } from '../plugins/cluster-affinity/cluster-affinity.js';
import { clusterEviction } from '../plugins/cluster-eviction/cluster-eviction.js';
import { clusterLocality } from '../plugins/cluster-locality/cluster-locality.js';
import { clusterReady } from '../plugins/cluster-ready/cluster-ready.js';
import { namespaceFit } from '../plugins/namespace-fit/namespace-fit.js';
import { spreadConstraint } from '../plugins/spread-constraint/spread-constraint.js';
import { taintToleration } from '../plugins/taint-toleration/taint-toleration.js';
import {
  workloadAffinity,
  workloadAffinityScore,
  workloadAntiAffinity,
} from '../plugins/workload-affinity/workload-affinity.js';

export interface PluginSet {
  filters: readonly FilterPlugin[];
  scores: readonly ScorePlugin[];
}

/** Filters: placement rules first, then cluster health, then capacity. */
export const DEFAULT_PLUGINS: PluginSet = Object.freeze({
  filters: [
    clusterEviction,
    clusterAffinity,
    namespaceFit,
    apiEnablement,
    spreadConstraint,
    workloadAffinity,
    workloadAntiAffinity,
    clusterReady,
    taintToleration,
    capacityFit,
  ],
  scores: [clusterLocality, workloadAffinityScore, balancedAllocation],
});
