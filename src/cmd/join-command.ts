/**
 * `flotilla join NAME --kubeconfig FILE [--context C] [--region R] [--zone Z…] [--provider P]`:
 * registers a member in push mode. It reads the member's context, checks that the member answers
 * (its kube-system namespace UID becomes the cluster ID, its version is shown), stores the
 * credentials as a Secret in `flotilla-system` (a one-context kubeconfig with everything inline)
 * and creates the Cluster. Joining the same member again refreshes its credentials; a different
 * member under a taken name is refused. `flotilla unjoin NAME` removes the Cluster and its Secret;
 * with `--purge` it also deletes from the member what Flotilla put there (the objects its Works
 * hold that still carry Flotilla's tracking label).
 */
import { join as joinPath } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import type { Cluster } from '../api/flotilla/cluster.js';
import type { KubeObject } from '../api/meta.js';
import { StatusError, isNotFound } from '../api/status.js';
import { isDNS1123Label } from '../api/validation/names.js';
import { ApiClient } from '../client/api-client.js';
import { HttpsTransport } from '../client/https-transport.js';
import type { HttpsTransportOptions } from '../client/https-transport.js';
import { KubeconfigError, kubeconfigTransport } from '../client/kubeconfig.js';
import { CLUSTERS, WORKS } from '../client/flotilla-resources.js';
import { MANAGED_LABEL, memberResource, workNamespace } from '../api/flotilla/work.js';
import type { Work } from '../api/flotilla/work.js';
import { SecretMemberClients } from '../members/secret-member-clients.js';
import { CommandError, UsageError } from './flags.js';

export const JOIN_HELP = `Usage: flotilla join NAME --kubeconfig FILE [--context C] [--region R] [--zone Z]… [--provider P]
       flotilla unjoin NAME [--purge]

join registers a member cluster with the hub (push mode: the hub reaches the member's API server).
The member's credentials are stored in the hub as Secret flotilla-system/NAME; the Cluster NAME
turns Ready once the hub has probed the member.

Flags:
  --kubeconfig FILE      the member's kubeconfig (required)
  --context NAME         its context (default: the current one)
  --region R, --zone Z, --provider P   the member's topology (used by placement and spread)
  --hub-kubeconfig FILE  the hub's kubeconfig (default .flotilla/kubeconfig)
  --hub-context NAME     its context (default: the current one)
  --purge                (unjoin) also delete from the member what Flotilla put there
`;

const SYSTEM_NAMESPACE = 'flotilla-system';
const NAMESPACES = { apiVersion: 'v1', plural: 'namespaces' };
const SECRETS = { apiVersion: 'v1', plural: 'secrets', namespace: SYSTEM_NAMESPACE };

const HUB_FLAGS = {
  'hub-kubeconfig': { type: 'string', default: joinPath('.flotilla', 'kubeconfig') },
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
  const hub = new ApiClient(
    new HttpsTransport(await transportOf(values['hub-kubeconfig'], values['hub-context'], 'hub')),
  );
  const memberClient = new ApiClient(new HttpsTransport(member));
  let id: string;
  let version: string;
  try {
    const ns = await memberClient.get(NAMESPACES, 'kube-system');
    id = ns.metadata.uid ?? '';
    version = (await memberClient.getPath<{ gitVersion?: string }>('/version')).gitVersion ?? 'unknown';
  } catch (err) {
    throw new CommandError(`cannot reach the member at ${member.server}: ${(err as Error).message}`);
  }
  await reach(async () => {
    const existing = await getOrUndefined<Cluster>(hub, CLUSTERS, name);
    if (existing?.spec?.id && existing.spec.id !== id)
      throw new CommandError(
        `cluster ${name} is already joined with another member (ID ${existing.spec.id})`,
      );
    await ensureNamespace(hub);
    await upsert(hub, SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: SYSTEM_NAMESPACE, labels: { 'cluster.flotilla.io/name': name } },
      type: 'Opaque',
      data: { kubeconfig: Buffer.from(memberKubeconfig(name, member)).toString('base64') },
    });
    const spec: Cluster['spec'] = {
      ...existing?.spec,
      syncMode: 'Push',
      apiEndpoint: member.server,
      secretRef: { namespace: SYSTEM_NAMESPACE, name },
      id,
      ...(values.region ? { region: values.region } : {}),
      ...(values.zone ? { zones: values.zone } : {}),
      ...(values.provider ? { provider: values.provider } : {}),
    };
    await upsert(hub, CLUSTERS, {
      apiVersion: 'cluster.flotilla.io/v1alpha1',
      kind: 'Cluster',
      metadata: { ...(existing?.metadata ?? {}), name },
      spec,
    });
  });
  process.stdout.write(`cluster ${name} joined (${member.server}, Kubernetes ${version}, ID ${id})\n`);
  return 0;
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
  const hub = new ApiClient(
    new HttpsTransport(await transportOf(values['hub-kubeconfig'], values['hub-context'], 'hub')),
  );
  let purged = 0;
  await reach(async () => {
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
      await hub.delete({ ...SECRETS, namespace: ref.namespace }, ref.name).catch((err: unknown) => {
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

/** Runs `fn` against the hub; a refused or unreachable hub is a one-line failure. */
async function reach(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof UsageError || err instanceof CommandError) throw err;
    if (err instanceof StatusError) throw new CommandError(`the hub refused: ${err.message}`);
    throw new CommandError(`cannot reach the hub: ${(err as Error).message}`);
  }
}

async function getOrUndefined<T extends KubeObject>(
  client: ApiClient,
  ref: { apiVersion: string; plural: string; namespace?: string },
  name: string,
): Promise<T | undefined> {
  try {
    return await client.get<T>(ref, name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function ensureNamespace(hub: ApiClient): Promise<void> {
  if (await getOrUndefined(hub, NAMESPACES, SYSTEM_NAMESPACE)) return;
  await hub.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM_NAMESPACE } });
}

/** Creates `obj`, or replaces the stored one (keeping its resourceVersion). */
async function upsert(
  hub: ApiClient,
  ref: { apiVersion: string; plural: string; namespace?: string },
  obj: KubeObject,
): Promise<void> {
  const existing = await getOrUndefined(hub, ref, obj.metadata.name ?? '');
  if (!existing) await hub.create(ref, obj);
  else
    await hub.update(ref, {
      ...obj,
      metadata: { ...obj.metadata, resourceVersion: existing.metadata.resourceVersion ?? '' },
    });
}

/** A one-context kubeconfig for the member with every credential inline. */
function memberKubeconfig(name: string, o: HttpsTransportOptions): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': name,
    clusters: [
      {
        name,
        cluster: {
          server: o.server,
          ...(o.caPem ? { 'certificate-authority-data': b64(o.caPem) } : {}),
          ...(o.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
        },
      },
    ],
    users: [
      {
        name,
        user: {
          ...(o.token ? { token: o.token } : {}),
          ...(o.certPem && o.keyPem
            ? { 'client-certificate-data': b64(o.certPem), 'client-key-data': b64(o.keyPem) }
            : {}),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
  });
}
