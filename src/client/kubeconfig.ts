/**
 * Reading a kubeconfig the way kubectl does, for one context: the server URL, the CA to trust
 * (`certificate-authority-data` or a `certificate-authority` file, relative to the kubeconfig),
 * and the credentials (a bearer `token` or `tokenFile`, or a client certificate and key, inline or
 * as files). Exec plugins and auth providers are not supported and say so.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import type { HttpsTransportOptions } from './https-transport.js';

/** A kubeconfig that cannot be used (missing, malformed, or naming what it does not hold). */
export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

interface Named<T> {
  name?: string;
  cluster?: T;
  user?: T;
  context?: T;
}
type Fields = Record<string, unknown>;

/** Transport options for `context` (default: the current context) of the kubeconfig at `path`. */
export async function kubeconfigTransport(path: string, context?: string): Promise<HttpsTransportOptions> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new KubeconfigError(`cannot read kubeconfig ${path}: ${(err as Error).message}`);
  }
  return parseKubeconfig(text, { path, ...(context !== undefined ? { context } : {}) });
}

/**
 * Transport options for `context` of the kubeconfig `text`; `path` names it in errors and anchors
 * relative file references.
 */
export async function parseKubeconfig(
  text: string,
  options: { path: string; context?: string },
): Promise<HttpsTransportOptions> {
  const { path, context } = options;
  let config: Fields;
  try {
    config = (parse(text) ?? {}) as Fields;
  } catch (err) {
    throw new KubeconfigError(`${path} is not valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  const contextName = context ?? (config['current-context'] as string | undefined);
  if (!contextName) throw new KubeconfigError(`${path} has no current context; name one with --context`);
  const find = (field: 'cluster' | 'user' | 'context', name: unknown): Fields => {
    const entries = config[`${field}s`];
    const entry = Array.isArray(entries)
      ? (entries as Named<Fields>[]).find((e) => e.name === name)
      : undefined;
    const value = entry?.[field];
    if (!value)
      throw new KubeconfigError(`${path} has no ${field} named "${typeof name === 'string' ? name : ''}"`);
    return value;
  };
  const ctx = find('context', contextName);
  const cluster = find('cluster', ctx['cluster']);
  const user = ctx['user'] ? find('user', ctx['user']) : {};
  const server = cluster['server'];
  if (typeof server !== 'string' || !server.startsWith('https://'))
    throw new KubeconfigError(`${path}: cluster of context ${contextName} needs an https:// server`);
  const base = dirname(path);
  const file = async (value: unknown): Promise<string | undefined> =>
    typeof value === 'string' && value
      ? readFile(isAbsolute(value) ? value : resolve(base, value), 'utf8')
      : undefined;
  const data = (value: unknown): string | undefined =>
    typeof value === 'string' && value ? Buffer.from(value, 'base64').toString('utf8') : undefined;
  if (user['exec'] || user['auth-provider'])
    throw new KubeconfigError(
      `${path}: user of context ${contextName} uses an exec or auth-provider plugin (not supported)`,
    );
  try {
    const caPem =
      data(cluster['certificate-authority-data']) ?? (await file(cluster['certificate-authority']));
    const token = (user['token'] as string | undefined) ?? (await file(user['tokenFile']))?.trim();
    const certPem = data(user['client-certificate-data']) ?? (await file(user['client-certificate']));
    const keyPem = data(user['client-key-data']) ?? (await file(user['client-key']));
    return {
      server,
      ...(caPem ? { caPem } : {}),
      ...(token ? { token } : {}),
      ...(certPem && keyPem ? { certPem, keyPem } : {}),
      ...(cluster['insecure-skip-tls-verify'] === true ? { insecureSkipTlsVerify: true } : {}),
    };
  } catch (err) {
    throw new KubeconfigError(`${path}: ${(err as Error).message}`);
  }
}
