/**
 * Cluster management: `flotilla cordon NAME` / `uncordon NAME` put / take away the
 * `cluster.flotilla.io/unschedulable:NoSchedule` taint (no new placements; what runs there
 * stays), and `flotilla taint NAME KEY[=VALUE]:EFFECT… | KEY[:EFFECT]-…` changes taints with
 * kubectl taint semantics. `spec.taints` is shared with the cluster-status controller (its
 * health taints), so every change is a read-modify-write guarded by the resourceVersion and
 * redone on a 409 Conflict.
 */
import { parseArgs } from 'node:util';
import type { Cluster } from '../api/flotilla/cluster.js';
import { TAINT_CLUSTER_UNSCHEDULABLE } from '../api/flotilla/cluster.js';
import type { Taint } from '../api/taints.js';
import { isConflict, isNotFound } from '../api/status.js';
import { TaintSpecError, applyTaintChanges, parseTaintArgs } from '../cli/taint-args.js';
import type { TaintChanges } from '../cli/taint-args.js';
import { CLUSTERS } from '../client/flotilla-resources.js';
import { CommandError, UsageError } from './flags.js';
import { objectName } from './fleet-resources.js';
import type { Hub } from './hub-access.js';
import { HUB_OPTIONS, HUB_OPTIONS_HELP, openHub, withHub } from './hub-access.js';

export const CORDON_HELP = `Usage: flotilla cordon NAME
       flotilla uncordon NAME

cordon marks member cluster NAME unschedulable: it gets the taint
${TAINT_CLUSTER_UNSCHEDULABLE}:NoSchedule, so the scheduler places nothing new there
(what already runs there stays). uncordon removes the taint.

Flags:
${HUB_OPTIONS_HELP}  -h, --help            this help
`;

export const TAINT_HELP = `Usage: flotilla taint NAME KEY[=VALUE]:EFFECT…
       flotilla taint NAME KEY[:EFFECT]-…

Adds, replaces or removes taints of member cluster NAME, as kubectl taint does for nodes.
KEY[=VALUE]:EFFECT adds a taint, replacing one with the same KEY and EFFECT; KEY:EFFECT- removes
that taint and KEY- every taint with KEY. EFFECT is NoSchedule, PreferNoSchedule or NoExecute;
KEY is a label key and VALUE a label value. Several taints may be given at once; removing a
taint the cluster does not have fails and changes nothing.

Flags:
${HUB_OPTIONS_HELP}  -h, --help            this help
`;

/** Times a change is redone after losing a race with another writer. */
const MAX_ATTEMPTS = 10;

const CORDON: Taint = { key: TAINT_CLUSTER_UNSCHEDULABLE, effect: 'NoSchedule' };

/** Runs `flotilla cordon` (`uncordon` when `cordon` is false); resolves with the exit code. */
export async function runCordon(args: string[], cordon: boolean): Promise<number> {
  const verb = cordon ? 'cordon' : 'uncordon';
  const parsed = parse(args, CORDON_HELP, verb);
  if (!parsed) return 0;
  const { name, extra } = parsed;
  if (extra[0] !== undefined) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const hub = await openHub(parsed.kubeconfig, parsed.context);
  const changes: TaintChanges = cordon
    ? { add: [CORDON], remove: [] }
    : { add: [], remove: [{ key: CORDON.key, effect: CORDON.effect }] };
  const changed = await withHub(hub, () =>
    updateTaints(hub, name, (taints) => {
      const { taints: next, missing } = applyTaintChanges(taints, changes);
      return missing.length > 0 ? taints : next; // uncordoning an uncordoned cluster changes nothing
    }),
  );
  process.stdout.write(`cluster ${name} ${changed ? '' : 'already '}${verb}ed\n`);
  return 0;
}

/** Runs `flotilla taint`; resolves with the exit code. */
export async function runTaint(args: string[]): Promise<number> {
  const parsed = parse(args, TAINT_HELP, 'taint');
  if (!parsed) return 0;
  const { name, extra } = parsed;
  if (extra.length === 0)
    throw new UsageError('at least one taint is required: KEY[=VALUE]:EFFECT or KEY[:EFFECT]-');
  let changes: TaintChanges;
  try {
    changes = parseTaintArgs(extra);
  } catch (err) {
    if (err instanceof TaintSpecError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
  const hub = await openHub(parsed.kubeconfig, parsed.context);
  const changed = await withHub(hub, () =>
    updateTaints(hub, name, (taints) => {
      const { taints: next, missing } = applyTaintChanges(taints, changes);
      if (missing.length > 0)
        throw new CommandError(`cluster ${name} has no taint ${missing.join(', ')}; nothing changed`);
      return next;
    }),
  );
  const verb = changes.remove.length === 0 ? 'tainted' : changes.add.length === 0 ? 'untainted' : 'modified';
  process.stdout.write(`cluster ${name} ${changed ? verb : 'unchanged'}\n`);
  return 0;
}

/** The command line of a cluster command: the cluster, the arguments after it and the hub flags. */
interface ClusterArgs {
  name: string;
  extra: string[];
  kubeconfig: string;
  context: string | undefined;
}

/** Parses `NAME ARGS…` and the hub flags; undefined when help was asked for (and printed). */
function parse(args: string[], help: string, verb: string): ClusterArgs | undefined {
  const { values, positionals } = parseArgs({
    args,
    options: { ...HUB_OPTIONS, help: { type: 'boolean', short: 'h', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(help);
    return undefined;
  }
  const [name, ...extra] = positionals;
  if (name === undefined) throw new UsageError(`a cluster NAME is required (run 'flotilla ${verb} --help')`);
  return { name: objectName(name), extra, kubeconfig: values.kubeconfig, context: values.context };
}

/**
 * Sets cluster `name`'s taints to `change(current)`: a merge patch carrying the resourceVersion
 * it was computed from, recomputed from a fresh read on a 409 Conflict (up to 10 times; then the
 * conflict propagates). Answers false when `change` left the taints as they were (nothing
 * written). A missing cluster is a `CommandError`; whatever `change` throws propagates.
 */
export async function updateTaints(
  hub: Hub,
  name: string,
  change: (taints: readonly Taint[]) => readonly Taint[],
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    let cluster: Cluster;
    try {
      cluster = await hub.client.get<Cluster>(CLUSTERS, name, { signal: hub.signal });
    } catch (err) {
      if (isNotFound(err)) throw new CommandError(`clusters "${name}" not found`, { cause: err });
      throw err;
    }
    const current = cluster.spec?.taints ?? [];
    const next = change(current);
    if (JSON.stringify(next) === JSON.stringify(current)) return false;
    try {
      await hub.client.patch(CLUSTERS, name, {
        body: {
          metadata: { resourceVersion: cluster.metadata.resourceVersion },
          spec: { taints: next.length > 0 ? next : null },
        },
        options: { type: 'merge', signal: hub.signal },
      });
      return true;
    } catch (err) {
      if (!isConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}
