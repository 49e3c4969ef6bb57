/**
 * Registering a member with the hub in push mode, shared by `flotilla join` and `flotilla up`:
 * ask the member who it is (its kube-system namespace UID is the cluster ID) and which version it
 * runs, store its credentials as Secret `flotilla-system/NAME` (a one-context kubeconfig with
 * everything inline) and create or refresh the Cluster. A different member under a taken name is
 * refused.
 */
import { stringify } from 'yaml';
import type { Cluster } from '../api/flotilla/cluster.js';
import { CLUSTER_API_VERSION } from '../api/flotilla/cluster.js';
import type { KubeObject } from '../api/meta.js';
import { isNotFound } from '../api/status.js';
import { ApiClient } from '../client/api-client.js';
import { HttpsTransport } from '../client/https-transport.js';
import type { HttpsTransportOptions } from '../client/https-transport.js';
import { CLUSTERS } from '../client/flotilla-resources.js';
import { CommandError } from './flags.js';

export const SYSTEM_NAMESPACE = 'flotilla-system';
const NAMESPACES = { apiVersion: 'v1', plural: 'namespaces' };
export const CLUSTER_SECRETS = { apiVersion: 'v1', plural: 'secrets', namespace: SYSTEM_NAMESPACE };

/** Where the member is and what the hub should know about it. */
export interface JoinSpec {
  name: string;
  member: HttpsTransportOptions;
  region?: string;
  zones?: string[];
  provider?: string;
  labels?: Record<string, string>;
}

/** What the member said about itself. */
export interface Joined {
  id: string;
  version: string;
}

/**
 * Joins `spec.member` as Cluster `spec.name`. A member that does not answer is a `CommandError`;
 * the hub's refusals propagate as they come (`StatusError`).
 */
export async function joinCluster(hub: ApiClient, spec: JoinSpec): Promise<Joined> {
  const memberClient = new ApiClient(new HttpsTransport(spec.member));
  let id: string;
  let version: string;
  try {
    const ns = await memberClient.get(NAMESPACES, 'kube-system');
    id = ns.metadata.uid ?? '';
    version = (await memberClient.getPath<{ gitVersion?: string }>('/version')).gitVersion ?? 'unknown';
  } catch (err) {
    throw new CommandError(`cannot reach the member at ${spec.member.server}: ${(err as Error).message}`);
  }
  const { name } = spec;
  const existing = await getOrUndefined<Cluster>(hub, CLUSTERS, name);
  if (existing?.spec?.id && existing.spec.id !== id)
    throw new CommandError(`cluster ${name} is already joined with another member (ID ${existing.spec.id})`);
  if (!(await getOrUndefined(hub, NAMESPACES, SYSTEM_NAMESPACE)))
    await hub.create(NAMESPACES, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: SYSTEM_NAMESPACE },
    });
  await upsert(hub, CLUSTER_SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: SYSTEM_NAMESPACE, labels: { 'cluster.flotilla.io/name': name } },
    type: 'Opaque',
    data: { kubeconfig: Buffer.from(memberKubeconfig(name, spec.member)).toString('base64') },
  });
  const clusterSpec: Cluster['spec'] = {
    ...existing?.spec,
    syncMode: 'Push',
    apiEndpoint: spec.member.server,
    secretRef: { namespace: SYSTEM_NAMESPACE, name },
    id,
    ...(spec.region ? { region: spec.region } : {}),
    ...(spec.zones?.length ? { zones: spec.zones } : {}),
    ...(spec.provider ? { provider: spec.provider } : {}),
  };
  const labels = { ...existing?.metadata.labels, ...spec.labels };
  await upsert(hub, CLUSTERS, {
    apiVersion: CLUSTER_API_VERSION,
    kind: 'Cluster',
    metadata: {
      ...(existing?.metadata ?? {}),
      name,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
    },
    spec: clusterSpec,
  });
  return { id, version };
}

/** `client.get`, with NotFound as undefined. */
export async function getOrUndefined<T extends KubeObject>(
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
