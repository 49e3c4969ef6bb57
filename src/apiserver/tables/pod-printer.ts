/**
 * The pod printer: kubectl's READY, STATUS (with kube's reason logic for init containers,
 * sidecars, waiting/terminated containers, scheduling gates and deletion), RESTARTS with the time
 * since the last restart, and the wide IP / NODE / NOMINATED NODE / READINESS GATES columns.
 */
import type { JsonValue, KubeObject } from '../../api/meta.js';
import { get, int, list, str } from './fields.js';
import { age, humanDuration, parseTimestamp } from '../../api/human-duration.js';
import { ageColumn, column, nameColumn, wide } from './printer.js';
import type { PrintedRow, Printer, TableRowCondition } from './printer.js';

const columns = [
  nameColumn(),
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'How many times the containers in this pod restarted, and how long ago the last did.',
  ),
  ageColumn(),
  wide(column('IP', 'string', 'The IP address allocated to the pod.')),
  wide(column('Node', 'string', 'The node the pod is bound to.')),
  wide(column('Nominated Node', 'string', 'The node the pod is nominated to run on after preemption.')),
  wide(column('Readiness Gates', 'string', 'How many of the pod readiness gates are satisfied.')),
];

const succeeded: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const failed: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
];

function hasCondition(pod: KubeObject, type: string, reason?: string): boolean {
  return list(get(pod, 'status', 'conditions')).some(
    (c) =>
      str(get(c, 'type')) === type &&
      (reason === undefined ? str(get(c, 'status')) === 'True' : str(get(c, 'reason')) === reason),
  );
}

/** Latest `lastState.terminated.finishedAt` seen so far (epoch ms, 0 = none). */
function lastFinished(status: unknown, before: number): number {
  const finished = parseTimestamp(get(status, 'lastState', 'terminated', 'finishedAt'));
  return finished !== undefined && finished > before ? finished : before;
}

function terminatedReason(terminated: unknown, prefix: string): string {
  const reason = str(get(terminated, 'reason'));
  if (reason) return prefix + reason;
  const signal = int(get(terminated, 'signal'));
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${int(get(terminated, 'exitCode'))}`;
}

/** Computes READY, STATUS and RESTARTS the way kube's `printPod` does. */
function podState(pod: KubeObject): {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  last: number;
} {
  const phase = str(get(pod, 'status', 'phase'));
  let reason = str(get(pod, 'status', 'reason')) || phase;
  if (hasCondition(pod, 'PodScheduled', 'SchedulingGated')) reason = 'SchedulingGated';

  const initSpecs = list(get(pod, 'spec', 'initContainers'));
  const restartable = new Set(
    initSpecs.filter((c) => str(get(c, 'restartPolicy')) === 'Always').map((c) => str(get(c, 'name'))),
  );
  const total = list(get(pod, 'spec', 'containers')).length + restartable.size;
  let ready = 0;
  let restarts = 0;
  let last = 0;
  let sidecarRestarts = 0;
  let sidecarLast = 0;

  let initializing = false;
  const initStatuses = list(get(pod, 'status', 'initContainerStatuses'));
  for (const [i, cs] of initStatuses.entries()) {
    const isSidecar = restartable.has(str(get(cs, 'name')));
    restarts += int(get(cs, 'restartCount'));
    last = lastFinished(cs, last);
    if (isSidecar) {
      sidecarRestarts += int(get(cs, 'restartCount'));
      sidecarLast = lastFinished(cs, sidecarLast);
    }
    const terminated = get(cs, 'state', 'terminated');
    const waitingReason = str(get(cs, 'state', 'waiting', 'reason'));
    if (terminated !== undefined && int(get(terminated, 'exitCode')) === 0) continue;
    if (isSidecar && get(cs, 'started') === true) {
      if (get(cs, 'ready') === true) ready++;
      continue;
    }
    if (terminated !== undefined) reason = terminatedReason(terminated, 'Init:');
    else if (waitingReason !== '' && waitingReason !== 'PodInitializing') reason = `Init:${waitingReason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    last = sidecarLast;
    let hasRunning = false;
    const statuses = list(get(pod, 'status', 'containerStatuses'));
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += int(get(cs, 'restartCount'));
      last = lastFinished(cs, last);
      const waitingReason = str(get(cs, 'state', 'waiting', 'reason'));
      const terminated = get(cs, 'state', 'terminated');
      if (waitingReason !== '') reason = waitingReason;
      else if (terminated !== undefined) reason = terminatedReason(terminated, '');
      else if (get(cs, 'ready') === true && get(cs, 'state', 'running') !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp !== undefined) {
    if (str(get(pod, 'status', 'reason')) === 'NodeLost') reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }
  return { ready, total, reason, restarts, last };
}

function readinessGates(pod: KubeObject): string {
  const gates = list(get(pod, 'spec', 'readinessGates'));
  if (gates.length === 0) return '<none>';
  const conditions = list(get(pod, 'status', 'conditions'));
  const satisfied = gates.filter((g) => {
    const c = conditions.find((c) => str(get(c, 'type')) === str(get(g, 'conditionType')));
    return c !== undefined && str(get(c, 'status')) === 'True';
  }).length;
  return `${satisfied}/${gates.length}`;
}

function printPod(pod: KubeObject, now: number): PrintedRow {
  const s = podState(pod);
  const restarts =
    s.restarts !== 0 && s.last !== 0
      ? `${s.restarts} (${humanDuration(now - s.last)} ago)`
      : String(s.restarts);
  const podIP = str(get(pod, 'status', 'podIPs', 0, 'ip')) || str(get(pod, 'status', 'podIP'));
  const cells: JsonValue[] = [
    pod.metadata.name ?? '',
    `${s.ready}/${s.total}`,
    s.reason,
    restarts,
    age(pod.metadata.creationTimestamp, now),
    podIP || '<none>',
    str(get(pod, 'spec', 'nodeName')) || '<none>',
    str(get(pod, 'status', 'nominatedNodeName')) || '<none>',
    readinessGates(pod),
  ];
  const phase = str(get(pod, 'status', 'phase'));
  if (phase === 'Succeeded') return { cells, conditions: succeeded };
  if (phase === 'Failed') return { cells, conditions: failed };
  return { cells };
}

/** Printer for `pods` (core/v1). */
export const podPrinter: Printer = { columns, print: printPod };
