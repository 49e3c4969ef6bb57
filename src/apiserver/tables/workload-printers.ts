/**
 * Printers for the workload kinds: deployments, replicasets, statefulsets, daemonsets, jobs and
 * cronjobs. Unset `spec.replicas` reads as 1, the value kube's defaulting would have stored.
 */
import type { KubeObject } from '../../api/meta.js';
import {
  containerCells,
  formatLabelSelector,
  formatLabels,
  get,
  int,
  list,
  selectorString,
  str,
} from './fields.js';
import { age, humanDuration, parseTimestamp } from '../../api/human-duration.js';
import { ageColumn, column, nameColumn, printer, templateColumns } from './printer.js';
import type { Printer } from './printer.js';

const replicas = (o: KubeObject): number => int(get(o, 'spec', 'replicas'), 1);
const status = (o: KubeObject, field: string): number => int(get(o, 'status', field));
const podTemplate = (o: KubeObject): unknown => get(o, 'spec', 'template', 'spec', 'containers');

/** `deployments.apps`: NAME READY UP-TO-DATE AVAILABLE AGE [CONTAINERS IMAGES SELECTOR]. */
export const deploymentPrinter: Printer = printer(
  [
    nameColumn(),
    column('Ready', 'string', 'Number of ready pods out of the desired replicas.'),
    column(
      'Up-to-date',
      'string',
      'Total number of pods targeted by this deployment that run the desired template.',
    ),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds).'),
    ageColumn(),
    ...templateColumns('Label selector for pods.'),
  ],
  (o, now) => [
    o.metadata.name ?? '',
    `${status(o, 'readyReplicas')}/${replicas(o)}`,
    status(o, 'updatedReplicas'),
    status(o, 'availableReplicas'),
    age(o.metadata.creationTimestamp, now),
    ...containerCells(podTemplate(o)),
    selectorString(get(o, 'spec', 'selector')),
  ],
);

/** `replicasets.apps`: NAME DESIRED CURRENT READY AGE [CONTAINERS IMAGES SELECTOR]. */
export const replicaSetPrinter: Printer = printer(
  [
    nameColumn(),
    column('Desired', 'integer', 'Number of desired pods.'),
    column('Current', 'integer', 'Most recently observed number of replicas.'),
    column('Ready', 'integer', 'Number of ready pods targeted by this replica set.'),
    ageColumn(),
    ...templateColumns('Label selector for pods.'),
  ],
  (o, now) => [
    o.metadata.name ?? '',
    replicas(o),
    status(o, 'replicas'),
    status(o, 'readyReplicas'),
    age(o.metadata.creationTimestamp, now),
    ...containerCells(podTemplate(o)),
    formatLabelSelector(get(o, 'spec', 'selector')),
  ],
);

/** `statefulsets.apps`: NAME READY AGE [CONTAINERS IMAGES]. */
export const statefulSetPrinter: Printer = printer(
  [
    nameColumn(),
    column('Ready', 'string', 'Number of ready pods out of the desired replicas.'),
    ageColumn(),
    ...templateColumns(),
  ],
  (o, now) => [
    o.metadata.name ?? '',
    `${status(o, 'readyReplicas')}/${replicas(o)}`,
    age(o.metadata.creationTimestamp, now),
    ...containerCells(podTemplate(o)),
  ],
);

/** `daemonsets.apps`: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE [...]. */
export const daemonSetPrinter: Printer = printer(
  [
    nameColumn(),
    column('Desired', 'integer', 'Number of nodes that should be running the daemon pod.'),
    column('Current', 'integer', 'Number of nodes running at least one daemon pod that should.'),
    column('Ready', 'integer', 'Number of nodes whose daemon pod is ready.'),
    column('Up-to-date', 'integer', 'Number of nodes running the updated daemon pod.'),
    column('Available', 'integer', 'Number of nodes whose daemon pod is available.'),
    column('Node Selector', 'string', 'Selector the pod template requires of nodes.'),
    ageColumn(),
    ...templateColumns('Label selector for pods.'),
  ],
  (o, now) => [
    o.metadata.name ?? '',
    status(o, 'desiredNumberScheduled'),
    status(o, 'currentNumberScheduled'),
    status(o, 'numberReady'),
    status(o, 'updatedNumberScheduled'),
    status(o, 'numberAvailable'),
    formatLabels(get(o, 'spec', 'template', 'spec', 'nodeSelector')),
    age(o.metadata.creationTimestamp, now),
    ...containerCells(podTemplate(o)),
    formatLabelSelector(get(o, 'spec', 'selector')),
  ],
);

/** Job condition lookup: the first condition of `type` decides (`status == "True"`). */
function jobCondition(o: KubeObject, type: string): boolean {
  const c = list(get(o, 'status', 'conditions')).find((c) => str(get(c, 'type')) === type);
  return c !== undefined && str(get(c, 'status')) === 'True';
}

function jobStatus(o: KubeObject): string {
  if (jobCondition(o, 'Complete')) return 'Complete';
  if (jobCondition(o, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp !== undefined) return 'Terminating';
  if (jobCondition(o, 'Suspended')) return 'Suspended';
  if (jobCondition(o, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(o: KubeObject): string {
  const succeeded = status(o, 'succeeded');
  const completions = get(o, 'spec', 'completions');
  if (typeof completions === 'number') return `${succeeded}/${int(completions)}`;
  const parallelism = int(get(o, 'spec', 'parallelism'));
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(o: KubeObject, now: number): string {
  const start = parseTimestamp(get(o, 'status', 'startTime'));
  if (start === undefined) return '';
  const done = parseTimestamp(get(o, 'status', 'completionTime'));
  return humanDuration((done ?? now) - start);
}

/** `jobs.batch` as kubectl 1.33 prints: NAME STATUS COMPLETIONS DURATION AGE [CONTAINERS IMAGES SELECTOR]. */
export const jobPrinter: Printer = printer(
  [
    nameColumn(),
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'Succeeded pods out of the required completions.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    ...templateColumns('Label selector for pods.'),
  ],
  (o, now) => [
    o.metadata.name ?? '',
    jobStatus(o),
    jobCompletions(o),
    jobDuration(o, now),
    age(o.metadata.creationTimestamp, now),
    ...containerCells(podTemplate(o)),
    formatLabelSelector(get(o, 'spec', 'selector')),
  ],
);

function boolPtr(v: unknown): string {
  if (typeof v !== 'boolean') return '<unset>';
  return v ? 'True' : 'False';
}

/** `cronjobs.batch`: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE [CONTAINERS IMAGES SELECTOR]. */
export const cronJobPrinter: Printer = printer(
  [
    nameColumn(),
    column('Schedule', 'string', 'The schedule in Cron format.'),
    column('Timezone', 'string', 'The time zone the schedule is interpreted in.'),
    column('Suspend', 'boolean', 'Whether subsequent executions are suspended.'),
    column('Active', 'integer', 'Number of currently running jobs.'),
    column('Last Schedule', 'string', 'How long ago a job was last scheduled.'),
    ageColumn(),
    ...templateColumns('Label selector for pods.'),
  ],
  (o, now) => {
    const last = get(o, 'status', 'lastScheduleTime');
    const timeZone = get(o, 'spec', 'timeZone');
    const jobSpec = get(o, 'spec', 'jobTemplate', 'spec');
    return [
      o.metadata.name ?? '',
      str(get(o, 'spec', 'schedule')),
      typeof timeZone === 'string' ? timeZone : '<none>',
      boolPtr(get(o, 'spec', 'suspend')),
      list(get(o, 'status', 'active')).length,
      last === undefined || last === null ? '<none>' : age(last, now),
      age(o.metadata.creationTimestamp, now),
      ...containerCells(get(jobSpec, 'template', 'spec', 'containers')),
      formatLabelSelector(get(jobSpec, 'selector')),
    ];
  },
);

/** `controllerrevisions.apps`: NAME CONTROLLER REVISION AGE (controller as `statefulset.apps/web`). */
export const controllerRevisionPrinter: Printer = printer(
  [
    nameColumn(),
    column('Controller', 'string', 'Controller of the object.'),
    column('Revision', 'integer', 'Revision of the ControllerRevision.'),
    ageColumn(),
  ],
  (o, now) => {
    const owner = (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
    const group = owner?.apiVersion.includes('/') === true ? `.${owner.apiVersion.split('/')[0] ?? ''}` : '';
    return [
      o.metadata.name ?? '',
      owner ? `${owner.kind.toLowerCase()}${group}/${owner.name}` : '<none>',
      int(get(o, 'revision')),
      age(o.metadata.creationTimestamp, now),
    ];
  },
);
