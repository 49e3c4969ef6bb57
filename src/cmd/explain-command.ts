/**
 * `flotilla explain`: dry-run scheduling of one template under the policy that claims it, over
 * clusters from a file or those of the running hub (explain-live.ts), with every cluster's fate
 * and the final split. Exit 0 when it schedules,
 * 1 when it does not (the answer is still printed), 2 for bad input.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify as toYaml } from 'yaml';
import type { ResourceBinding } from '../api/flotilla/binding.js';
import { WORK_API_VERSION } from '../api/flotilla/binding.js';
import type { Cluster } from '../api/flotilla/cluster.js';
import { CLUSTER_API_VERSION } from '../api/flotilla/cluster.js';
import { POLICY_API_VERSION } from '../api/flotilla/policy.js';
import { pickPolicy } from '../api/flotilla/policy-match.js';
import type { PolicyObject } from '../api/flotilla/policy-match.js';
import { validatePropagationSpec } from '../api/flotilla/policy-validation.js';
import type { KubeObject } from '../api/meta.js';
import { formatFieldIssue } from '../api/status.js';
import { formatTable } from '../cli/table.js';
import { explain, explainHeading, explainJson, explainRows } from '../scheduler/explain/explain.js';
import { readHub } from './explain-live.js';
import { UsageError } from './flags.js';
import { readObjects } from './manifests.js';

export const EXPLAIN_HELP = `Usage: flotilla explain -f FILE [-f FILE…] [--clusters FILE] [--binding FILE] [-o text|json|yaml]

Shows where the scheduler would place a template, and why: every cluster, the filter that
rejected it and its reason, scores, available replicas and the final split. The files hold the
template (a Deployment, StatefulSet, Job, ConfigMap, …), the PropagationPolicy or
ClusterPropagationPolicy that claims it, and any PriorityClass the policy names.

Without --clusters it asks the running hub: its clusters, its policies (when the files hold
none), the template's binding (the previous decision), the workload groups, and the
lower-priority bindings it would preempt if the template does not fit otherwise.

Flags:
  -f, --filename FILE   template and policies (YAML or JSON; repeatable; - for stdin)
  --clusters FILE       Cluster objects with their status (e.g. kubectl get clusters -o yaml)
  --binding FILE        a previous ResourceBinding: its spec.clusters is the previous decision
  --kubeconfig FILE     the hub's kubeconfig without --clusters (default .flotilla/kubeconfig)
  --context NAME        its context (default: the current one)
  -o, --output FORMAT   text (default), json or yaml

Exit status: 0 scheduled, 1 not schedulable, 2 bad input.
`;

const POLICY_KINDS = new Set(['PropagationPolicy', 'ClusterPropagationPolicy']);
const IGNORED_KINDS = new Set(['OverridePolicy', 'ClusterOverridePolicy']);
const PRIORITY_CLASS_API_VERSION = 'scheduling.k8s.io/v1';

/** Runs `flotilla explain` with `args`; resolves with the exit code. */
export async function runExplain(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      filename: { type: 'string', short: 'f', multiple: true },
      clusters: { type: 'string' },
      binding: { type: 'string' },
      kubeconfig: { type: 'string', default: join('.flotilla', 'kubeconfig') },
      context: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'text' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(EXPLAIN_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  const output = values.output;
  if (output !== 'text' && output !== 'json' && output !== 'yaml')
    throw new UsageError(`--output must be text, json or yaml, got "${output}"`);
  const files = values.filename ?? [];
  if (files.length === 0)
    throw new UsageError('at least one -f FILE with the template and its policy is required');
  const objects = (await Promise.all(files.map((f) => readObjects(f)))).flat();
  const { template, policies, priorityClasses } = templateAndPolicies(objects);
  const hub =
    values.clusters === undefined ? await readHub(values.kubeconfig, values.context, template) : undefined;
  const policy = pickPolicy(policies.length > 0 || !hub ? policies : hub.policies, template);
  if (!policy)
    throw new UsageError(
      `no PropagationPolicy or ClusterPropagationPolicy ${hub && policies.length === 0 ? `on the hub at ${hub.server}` : 'in the files'} selects ${describe(template)}`,
    );
  const issues = validatePropagationSpec(policy.spec);
  if (issues[0])
    throw new UsageError(`${policy.kind} ${policy.metadata.name ?? ''}: ${formatFieldIssue(issues[0])}`);
  for (const [name, value] of hub?.priorityClasses ?? [])
    if (!priorityClasses.has(name)) priorityClasses.set(name, value);
  const className = policy.spec.schedulePriority?.priorityClassName;
  if (className && !priorityClasses.has(className))
    throw new UsageError(
      `${policy.kind} ${policy.metadata.name ?? ''} names PriorityClass ${className}, which is not in the files${hub ? ' nor on the hub' : ''}`,
    );
  const clusters = hub ? hub.clusters : await readClusters(values.clusters ?? '');
  const previous = values.binding === undefined ? hub?.previous : await readBinding(values.binding);
  const explanation = explain({
    template,
    policy,
    clusters,
    priorityClasses,
    ...(previous ? { previous } : {}),
    ...(hub ? { peers: hub.peers, others: hub.others } : {}),
  });
  const answer = explainJson(explanation);
  if (output === 'json') process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  else if (output === 'yaml') process.stdout.write(toYaml(answer));
  else
    process.stdout.write(
      `${explainHeading(explanation, policy)}\n${formatTable(explainRows(explanation.result))}`,
    );
  return explanation.result.scheduled ? 0 : 1;
}

function templateAndPolicies(objects: readonly KubeObject[]): {
  template: KubeObject;
  policies: PolicyObject[];
  priorityClasses: Map<string, number>;
} {
  const policies: PolicyObject[] = [];
  const templates: KubeObject[] = [];
  const priorityClasses = new Map<string, number>();
  for (const obj of objects) {
    if (obj.kind === 'PriorityClass' && obj.apiVersion === PRIORITY_CLASS_API_VERSION) {
      const value = obj['value'];
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw new UsageError(`PriorityClass ${obj.metadata.name ?? ''}: value must be an integer`);
      priorityClasses.set(obj.metadata.name ?? '', value);
    } else if (POLICY_KINDS.has(obj.kind)) {
      if (obj.apiVersion !== POLICY_API_VERSION)
        throw new UsageError(
          `${obj.kind} ${obj.metadata.name ?? ''}: apiVersion must be ${POLICY_API_VERSION}`,
        );
      if (typeof obj['spec'] !== 'object' || obj['spec'] === null)
        throw new UsageError(`${obj.kind} ${obj.metadata.name ?? ''}: spec is required`);
      policies.push(obj as PolicyObject);
    } else if (!IGNORED_KINDS.has(obj.kind)) {
      templates.push(obj);
    }
  }
  const [template, ...more] = templates;
  if (!template) throw new UsageError('the files hold no template to explain (only policies)');
  if (more.length > 0)
    throw new UsageError(
      `explain takes one template at a time; the files hold ${templates.length}: ${templates.map(describe).join(', ')}`,
    );
  return { template, policies, priorityClasses };
}

async function readClusters(file: string): Promise<Cluster[]> {
  const objects = await readObjects(file);
  for (const obj of objects)
    if (obj.kind !== 'Cluster' || obj.apiVersion !== CLUSTER_API_VERSION)
      throw new UsageError(`${file}: ${describe(obj)} is not a ${CLUSTER_API_VERSION} Cluster`);
  if (objects.length === 0) throw new UsageError(`${file}: no clusters`);
  return objects;
}

async function readBinding(file: string): Promise<ResourceBinding> {
  const objects = await readObjects(file);
  const [binding, ...more] = objects;
  if (!binding || more.length > 0) throw new UsageError(`${file}: expected exactly one ResourceBinding`);
  if (
    (binding.kind !== 'ResourceBinding' && binding.kind !== 'ClusterResourceBinding') ||
    binding.apiVersion !== WORK_API_VERSION
  )
    throw new UsageError(`${file}: ${describe(binding)} is not a ${WORK_API_VERSION} ResourceBinding`);
  const spec = binding['spec'] as { clusters?: unknown } | undefined;
  if (spec?.clusters !== undefined && !Array.isArray(spec.clusters))
    throw new UsageError(`${file}: spec.clusters must be a list of {name, replicas}`);
  return binding as ResourceBinding;
}

function describe(obj: KubeObject): string {
  const ns = obj.metadata.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind} ${ns}${obj.metadata.name ?? ''}`;
}
