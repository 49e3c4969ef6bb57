/**
 * The taints a node should carry given its conditions (doNoScheduleTaintingPass plus the
 * NoExecute half of processTaintBaseEviction), as a pure plan the controller then applies:
 * condition NoSchedule taints always follow the conditions; the `not-ready`/`unreachable`
 * NoExecute taint follows Ready but is only added with a rate-limiter token, swapped between
 * the two at once, and removed when the node is Ready or the controller is in master disruption.
 */
import { rfc3339Seconds } from '../../../base/clock.js';
import type { KubeObject } from '../../../api/meta.js';
import { conditionsOf } from './node-health.js';
import {
  conditionTaintKeys,
  hasTaint,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  withNoScheduleTaints,
} from './taints.js';
import type { Taint } from './taints.js';

/** What the controller knows besides the node itself. */
export interface TaintPlanInput {
  /** The node's Ready status (`True`, `False` or `Unknown`). */
  ready: string;
  /** All zones are fully disrupted: no NoExecute taints at all. */
  masterDisruption: boolean;
  /** The node holds a rate-limiter token for its NoExecute taint. */
  granted: boolean;
  now: number;
}

/** The outcome: new taints (undefined when unchanged), and what happens to the node's token. */
export interface TaintPlan {
  taints: Taint[] | undefined;
  /** The token was spent on adding the NoExecute taint. */
  usedGrant: boolean;
  /** The node needs a NoExecute taint and must wait in its zone's queue for a token. */
  queue: boolean;
  /** The node needs no NoExecute taint any more: drop it from the queues. */
  dequeue: boolean;
}

/** Plans the taints of `node`. */
export function planTaints(node: KubeObject, input: TaintPlanInput): TaintPlan {
  const spec = (node['spec'] ?? {}) as { taints?: Taint[]; unschedulable?: boolean };
  const timeAdded = rfc3339Seconds(input.now);
  const wanted = conditionTaintKeys(conditionsOf(node), spec.unschedulable === true);
  const scheduled = withNoScheduleTaints(spec.taints ?? [], wanted, timeAdded);
  let taints = scheduled ?? spec.taints ?? [];
  let changed = scheduled !== undefined;
  const plan: TaintPlan = { taints: undefined, usedGrant: false, queue: false, dequeue: false };
  const noExecute = (key: string): boolean => hasTaint(taints, key, 'NoExecute');
  const isNodeNoExecute = (t: Taint): boolean =>
    t.effect === 'NoExecute' && (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE);
  if (input.ready === 'True' || input.masterDisruption) {
    plan.dequeue = true;
    if (taints.some(isNodeNoExecute)) {
      taints = taints.filter((t) => !isNodeNoExecute(t));
      changed = true;
    }
  } else {
    const [want, other] =
      input.ready === 'False' ? [TAINT_NOT_READY, TAINT_UNREACHABLE] : [TAINT_UNREACHABLE, TAINT_NOT_READY];
    if (noExecute(other)) {
      // Kube swaps not-ready and unreachable at once, without waiting for a token.
      taints = [...taints.filter((t) => t.key !== other || t.effect !== 'NoExecute')];
      taints.push({ key: want, effect: 'NoExecute', timeAdded });
      changed = true;
    } else if (!noExecute(want) && input.granted) {
      taints = [...taints, { key: want, effect: 'NoExecute', timeAdded }];
      plan.usedGrant = true;
      changed = true;
    } else if (!noExecute(want)) {
      plan.queue = true;
    }
  }
  if (changed) plan.taints = taints;
  return plan;
}
