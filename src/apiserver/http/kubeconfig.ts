import { stringify } from 'yaml';

export interface KubeconfigEntry {
  /** Used as cluster, user and context name. */
  name: string;
  server: string;
  caPem: string;
  token: string;
  namespace?: string;
}

/** Renders a kubeconfig with one context per entry; the first is current. */
export function renderKubeconfig(entries: readonly KubeconfigEntry[]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': entries[0]?.name ?? '',
    clusters: entries.map((e) => ({
      name: e.name,
      cluster: { server: e.server, 'certificate-authority-data': Buffer.from(e.caPem).toString('base64') },
    })),
    users: entries.map((e) => ({ name: `${e.name}-admin`, user: { token: e.token } })),
    contexts: entries.map((e) => ({
      name: e.name,
      context: {
        cluster: e.name,
        user: `${e.name}-admin`,
        ...(e.namespace ? { namespace: e.namespace } : {}),
      },
    })),
    preferences: {},
  });
}
