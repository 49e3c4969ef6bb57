/**
 * `flotilla rebalance`: asks the scheduler for a fresh decision on the named workloads (by their
 * bindings), as Karmada's WorkloadRebalancer does. The rebalance is gradual: the copies of the
 * decision before it stay until the new placement reports every replica ready (see
 * controllers/rebalancer), so the workload never has fewer ready replicas than it wants.
 */
import { parseArgs } from 'node:util';
import type { ResourceBinding } from '../api/flotilla/binding.js';
import { isNotFound } from '../api/status.js';
import { CLUSTER_RESOURCE_BINDINGS, RESOURCE_BINDINGS } from '../client/flotilla-resources.js';
import type { ResourceRef } from '../client/resource-path.js';
import { CommandError, UsageError } from './flags.js';
import { namespaceName, objectName } from './fleet-resources.js';
import type { Hub } from './hub-access.js';
import { HUB_OPTIONS, HUB_OPTIONS_HELP, openHub, withHub } from './hub-access.js';

export const REBALANCE_HELP = `Usage: flotilla rebalance BINDING… [-n NS]
       flotilla rebalance --all [-n NS | -A]

Moves workloads to the distribution the scheduler would choose for them from scratch now (for
example back onto a cluster that has recovered), new copies before old: the old copies stay
until every cluster of the new placement reports its replicas ready, so no workload drops below
the ready replicas it wants. BINDING is a binding's name as 'flotilla get bindings' lists it.
Each rebalance shows in 'flotilla describe binding' (trigger Rebalance) and in its events.

Flags:
  -n, --namespace NS    namespace of the bindings (default "default")
      --all             every binding of the namespace
  -A, --all-namespaces  with --all: the bindings of every namespace, and ClusterResourceBindings
${HUB_OPTIONS_HELP}  -h, --help            this help
`;

/** Runs `flotilla rebalance`; resolves with the exit code. */
export async function runRebalance(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...HUB_OPTIONS,
      namespace: { type: 'string', short: 'n' },
      all: { type: 'boolean', default: false },
      'all-namespaces': { type: 'boolean', short: 'A', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(REBALANCE_HELP);
    return 0;
  }
  const everyNamespace = values['all-namespaces'];
  if (values.namespace !== undefined && everyNamespace)
    throw new UsageError('-n and -A cannot be used together');
  if (everyNamespace && !values.all) throw new UsageError('-A needs --all');
  if (values.all && positionals.length > 0) throw new UsageError('give binding names or --all, not both');
  if (!values.all && positionals.length === 0)
    throw new UsageError("name at least one binding (see 'flotilla get bindings'), or use --all");
  const names = positionals.map(objectName);
  const namespace = everyNamespace ? undefined : namespaceName(values.namespace ?? 'default');
  const hub = await openHub(values.kubeconfig, values.context);
  const now = Date.now();
  const requested = await withHub(hub, async () => {
    const targets = values.all
      ? await everyBinding(hub, namespace)
      : await named(hub, names, namespace ?? '');
    for (const t of targets) await request(hub, t, now);
    return targets;
  });
  if (requested.length === 0) {
    process.stderr.write(`No bindings found${namespace ? ` in ${namespace} namespace` : ''}.\n`);
    return 0;
  }
  for (const t of requested)
    process.stdout.write(`binding ${t.namespace ? `${t.namespace}/` : ''}${t.name} rebalance requested\n`);
  return 0;
}

/** A binding to rebalance: where it lives, and when the hub last scheduled it. */
interface Target {
  ref: ResourceRef;
  namespace: string | undefined;
  name: string;
  lastScheduledTime: string | undefined;
}

/** The named bindings of `namespace`; a missing one fails the command before anything is written. */
async function named(hub: Hub, names: readonly string[], namespace: string): Promise<Target[]> {
  const targets: Target[] = [];
  for (const name of names)
    try {
      const b = await hub.client.get<ResourceBinding>({ ...RESOURCE_BINDINGS, namespace }, name, {
        signal: hub.signal,
      });
      targets.push(targetOf(b, RESOURCE_BINDINGS));
    } catch (err) {
      if (isNotFound(err)) throw new CommandError(`bindings "${name}" not found in namespace "${namespace}"`);
      throw err;
    }
  return targets;
}

/** Every binding of `namespace`, or (undefined) of every namespace and every ClusterResourceBinding. */
async function everyBinding(hub: Hub, namespace: string | undefined): Promise<Target[]> {
  const ref = namespace ? { ...RESOURCE_BINDINGS, namespace } : RESOURCE_BINDINGS;
  const bindings = await hub.client.list<ResourceBinding>(ref, { signal: hub.signal });
  // A dependency's binding has no placement of its own: it goes where its workloads go.
  const placed = (b: ResourceBinding): boolean => b.spec.placement !== undefined;
  const targets: Target[] = bindings.items.filter(placed).map((b) => targetOf(b, RESOURCE_BINDINGS));
  if (!namespace) {
    const cluster = await hub.client.list<ResourceBinding>(CLUSTER_RESOURCE_BINDINGS, { signal: hub.signal });
    targets.push(...cluster.items.filter(placed).map((b) => targetOf(b, CLUSTER_RESOURCE_BINDINGS)));
  }
  return targets;
}

function targetOf(b: ResourceBinding, base: ResourceRef): Target {
  const namespace = b.metadata.namespace;
  return {
    ref: namespace ? { ...base, namespace } : base,
    namespace,
    name: b.metadata.name ?? '',
    lastScheduledTime: b.status?.lastScheduledTime,
  };
}

/**
 * Sets the binding's `rescheduleTriggeredAt`: the scheduler decides afresh when it is later than
 * the last decision, so a clock behind the hub's still asks for one.
 */
async function request(hub: Hub, t: Target, nowMs: number): Promise<void> {
  const last = Date.parse(t.lastScheduledTime ?? '');
  const at = new Date(Number.isFinite(last) && last >= nowMs ? last + 1 : nowMs).toISOString();
  await hub.client.patch(t.ref, t.name, {
    body: { spec: { rescheduleTriggeredAt: at } },
    options: { type: 'merge', signal: hub.signal },
  });
}
