/**
 * Member clients from the credentials `flotilla join` stores (push mode): the Cluster's
 * `spec.secretRef` names a Secret in `flotilla-system` holding either a `kubeconfig` (one context,
 * data inline) or a bearer `token` with a `caBundle`; `spec.apiEndpoint` is the server, and
 * `spec.insecureSkipTLSVerification` turns certificate checks off. Clients are cached per cluster
 * and rebuilt when the Secret's resourceVersion or the endpoint changes. Given shared informers
 * (the hub's), Secrets are read from their cache, so a member request costs no hub read; a Secret
 * the cache does not hold (yet) is read from the hub.
 */
import type { Cluster } from '../api/flotilla/cluster.js';
import type { KubeObject } from '../api/meta.js';
import { isNotFound } from '../api/status.js';
import { ApiClient } from '../client/api-client.js';
import { HttpsTransport } from '../client/https-transport.js';
import type { HttpsTransportOptions } from '../client/https-transport.js';
import { KubeconfigError, parseKubeconfig } from '../client/kubeconfig.js';
import { MemberAccessError } from '../client/member-clients.js';
import type { MemberClients } from '../client/member-clients.js';
import type { SharedInformers } from '../client/shared-informers.js';

const SECRETS = { apiVersion: 'v1', plural: 'secrets' };

interface Secret extends KubeObject {
  data?: Record<string, string>;
}

/** Builds member clients from Secrets read through the hub's `client`. */
export class SecretMemberClients implements MemberClients {
  readonly #hub: ApiClient;
  readonly #informers: SharedInformers | undefined;
  readonly #cache = new Map<string, { key: string; client: ApiClient }>();

  constructor(hub: ApiClient, informers?: SharedInformers) {
    this.#hub = hub;
    this.#informers = informers;
  }

  async clientFor(cluster: Cluster, signal?: AbortSignal): Promise<ApiClient> {
    const name = cluster.metadata.name ?? '';
    const ref = cluster.spec?.secretRef;
    if (!ref?.name || !ref.namespace) throw new MemberAccessError(`cluster ${name} has no spec.secretRef`);
    const secret = await this.#secret({ namespace: ref.namespace, name: ref.name }, signal).catch(
      (err: unknown) => {
        if (!isNotFound(err)) throw err;
        throw new MemberAccessError(`secret ${ref.namespace}/${ref.name} of cluster ${name} does not exist`);
      },
    );
    const key = [
      secret.metadata.resourceVersion,
      cluster.spec?.apiEndpoint,
      cluster.spec?.insecureSkipTLSVerification,
    ].join('|');
    const cached = this.#cache.get(name);
    if (cached?.key === key) return cached.client;
    const options = await transportOptions(cluster, secret);
    const client = new ApiClient(new HttpsTransport({ ...options, userAgent: 'flotilla-hub' }));
    this.#cache.set(name, { key, client });
    return client;
  }

  async #secret(ref: { namespace: string; name: string }, signal?: AbortSignal): Promise<Secret> {
    const secrets = { ...SECRETS, namespace: ref.namespace };
    const informer = this.#informers?.informer<Secret>(secrets);
    const cached = informer?.hasSynced ? informer.get(`${ref.namespace}/${ref.name}`) : undefined;
    return cached ?? this.#hub.get<Secret>(secrets, ref.name, signal ? { signal } : {});
  }
}

async function transportOptions(cluster: Cluster, secret: Secret): Promise<HttpsTransportOptions> {
  const name = cluster.metadata.name ?? '';
  const where = `secret ${secret.metadata.namespace ?? ''}/${secret.metadata.name ?? ''}`;
  const data = (field: string): string | undefined => {
    const value = secret.data?.[field];
    return value ? Buffer.from(value, 'base64').toString('utf8') : undefined;
  };
  const endpoint = cluster.spec?.apiEndpoint;
  const insecure = cluster.spec?.insecureSkipTLSVerification === true ? { insecureSkipTlsVerify: true } : {};
  const kubeconfig = data('kubeconfig');
  if (kubeconfig) {
    try {
      const options = await parseKubeconfig(kubeconfig, { path: where });
      return { ...options, ...(endpoint ? { server: endpoint } : {}), ...insecure };
    } catch (err) {
      if (err instanceof KubeconfigError) throw new MemberAccessError(err.message, { cause: err });
      throw err;
    }
  }
  const token = data('token');
  if (!token)
    throw new MemberAccessError(`${where} of cluster ${name} holds neither a kubeconfig nor a token`);
  if (!endpoint) throw new MemberAccessError(`cluster ${name} has no spec.apiEndpoint`);
  const caPem = data('caBundle');
  return { server: endpoint, token, ...(caPem ? { caPem } : {}), ...insecure };
}
