/**
 * `flotilla join NAME --kubeconfig FILE [--context C] [--region R] [--zone Z…] [--provider P]`:
 * registers a member in push mode (join-cluster.ts does the work). Joining the same member again
 * refreshes its credentials. `flotilla unjoin NAME` removes the Cluster and its Secret;
 * with `--purge` it also deletes from the member what Flotilla put there (the objects its Works
 * hold that still carry Flotilla's tracking label).
 */
import { parseArgs } from 'node:util';
import type { Cluster } from '../api/flotilla/cluster.js';
import { StatusError, isNotFound } from '../api/status.js';
import { validateLabels } from '../api/validation/objectmeta.js';
import { isDNS1123Label } from '../api/validation/names.js';
import type { ApiClient } from '../client/api-client.js';
import type { HttpsTransportOptions } from '../client/https-transport.js';
import { KubeconfigError, kubeconfigTransport } from '../client/kubeconfig.js';
import { CLUSTERS, WORKS } from '../client/flotilla-resources.js';
import { MANAGED_LABEL, memberResource, workNamespace } from '../api/flotilla/work.js';
import type { Work } from '../api/flotilla/work.js';
import { SecretMemberClients } from '../members/secret-member-clients.js';
import { CommandError, UsageError } from './flags.js';
import { DEFAULT_HUB_KUBECONFIG, openHub, withHub } from './hub-access.js';
import { CLUSTER_SECRETS, SYSTEM_NAMESPACE, getOrUndefined, joinCluster } from './join-cluster.js';

export const JOIN_HELP = `Usage: flotilla join NAME --kubeconfig FILE [--context C] [--region R] [--zone Z]… [--provider P] [--label K=V]…
       flotilla unjoin NAME [--purge]

join registers a member cluster with the hub (push mode: the hub reaches the member's API server).
The member's credentials are stored in the hub as Secret flotilla-system/NAME; the Cluster NAME
turns Ready once the hub has probed the member.

Flags:
  --kubeconfig FILE      the member's kubeconfig (required)
  --context NAME         its context (default: the current one)
  --region R, --zone Z, --provider P   the member's topology (used by placement and spread)
  --label KEY=VALUE      a label for the Cluster (repeatable; policies select clusters by them)
  --hub-kubeconfig FILE  the hub's kubeconfig (default .flotilla/kubeconfig)
  --hub-context NAME     its context (default: the current one)
  --purge                (unjoin) also delete from the member what Flotilla put there
`;

const HUB_FLAGS = {
  'hub-kubeconfig': { type: 'string', default: DEFAULT_HUB_KUBECONFIG },
  'hub-context': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Runs `flotilla join`. */
export async function runJoin(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      region: { type: 'string' },
      zone: { type: 'string', multiple: true },
      provider: { type: 'string' },
      label: { type: 'string', multiple: true },
      ...HUB_FLAGS,
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(JOIN_HELP);
    return 0;
  }
  const name = clusterName(positionals, 'join');
  if (!values.kubeconfig) throw new UsageError('--kubeconfig FILE (the member cluster) is required');
  const member = await transportOf(values.kubeconfig, values.context, 'member');
  const labels = labelsOf(values.label ?? []);
  const hub = await openHub(values['hub-kubeconfig'], values['hub-context']);
  const { id, version } = await withHub(hub, () =>
    joinCluster(hub.client, {
      name,
      member,
      ...(values.region ? { region: values.region } : {}),
      ...(values.zone ? { zones: values.zone } : {}),
      ...(values.provider ? { provider: values.provider } : {}),
      labels,
    }),
  );
  process.stdout.write(`cluster ${name} joined (${member.server}, Kubernetes ${version}, ID ${id})\n`);
  return 0;
}

/** `KEY=VALUE` flags as labels; a bad key or value is a usage error. */
function labelsOf(flags: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const key = eq < 0 ? flag : flag.slice(0, eq);
    const value = eq < 0 ? undefined : flag.slice(eq + 1);
    const problem =
      value === undefined ? 'must be KEY=VALUE' : validateLabels({ [key]: value }, 'label')[0]?.detail;
    if (problem) throw new UsageError(`--label "${flag}": ${problem}`);
    labels[key] = value ?? '';
  }
  return labels;
}

/** Runs `flotilla unjoin`. */
export async function runUnjoin(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...HUB_FLAGS, purge: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(JOIN_HELP);
    return 0;
  }
  const name = clusterName(positionals, 'unjoin');
  const access = await openHub(values['hub-kubeconfig'], values['hub-context']);
  const hub = access.client;
  let purged = 0;
  await withHub(access, async () => {
    const cluster = await getOrUndefined<Cluster>(hub, CLUSTERS, name);
    if (!cluster) throw new UsageError(`cluster ${name} is not joined`);
    // Read what the member holds for the hub before the Cluster (and its credentials) go.
    const member = values.purge ? await new SecretMemberClients(hub).clientFor(cluster) : undefined;
    const works = values.purge
      ? (await hub.list<Work>({ ...WORKS, namespace: workNamespace(name) })).items
      : [];
    await hub.delete(CLUSTERS, name);
    const ref = cluster.spec?.secretRef;
    if (ref?.namespace === SYSTEM_NAMESPACE)
      await hub.delete({ ...CLUSTER_SECRETS, namespace: ref.namespace }, ref.name).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    if (member) purged = await purge(member, cluster, works);
  });
  process.stdout.write(
    `cluster ${name} unjoined${values.purge ? `; ${purged} object(s) Flotilla had put there deleted` : ''}\n`,
  );
  return 0;
}

/** Deletes from the member the objects of `works` that still carry Flotilla's tracking label. */
async function purge(member: ApiClient, cluster: Cluster, works: readonly Work[]): Promise<number> {
  let deleted = 0;
  try {
    for (const work of works)
      for (const manifest of work.spec.workload.manifests) {
        const ref = memberResource(cluster, manifest);
        const name = manifest.metadata.name ?? '';
        const existing = await getOrUndefined(member, ref, name);
        if (existing?.metadata.labels?.[MANAGED_LABEL] !== 'true') continue;
        await member.delete(ref, name, { propagationPolicy: 'Background' });
        deleted++;
      }
  } catch (err) {
    if (err instanceof StatusError) throw new CommandError(`the member refused the purge: ${err.message}`);
    throw new CommandError(`cannot reach the member to purge it: ${(err as Error).message}`);
  }
  return deleted;
}

function clusterName(positionals: string[], verb: string): string {
  const [name, ...rest] = positionals;
  if (!name) throw new UsageError(`usage: flotilla ${verb} NAME (run 'flotilla ${verb} --help')`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0] ?? ''}"`);
  const problems = isDNS1123Label(name);
  if (problems[0]) throw new UsageError(`invalid cluster name "${name}": ${problems[0]}`);
  if (name.length > 50)
    throw new UsageError(
      `invalid cluster name "${name}": at most 50 characters (it names flotilla-es-${name})`,
    );
  return name;
}

async function transportOf(
  file: string,
  context: string | undefined,
  what: string,
): Promise<HttpsTransportOptions> {
  try {
    return await kubeconfigTransport(file, context);
  } catch (err) {
    if (err instanceof KubeconfigError) throw new UsageError(`${what} kubeconfig: ${err.message}`);
    throw err;
  }
}
