/**
 * Discovery documents (kube-api.md §2): legacy APIVersions / APIGroupList / APIResourceList and the
 * aggregated APIGroupDiscoveryList (apidiscovery.k8s.io v2 and v2beta1, same shape). Main
 * resources are listed before their subresources (client-node picks the first match by kind).
 */
import type { ResourceInfo } from '../api/resource-info.js';
import type { ResourceRegistry } from './registry.js';

type Json = Record<string, unknown>;

export function apiVersions(): Json {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }],
  };
}

function groupVersion(group: string, version: string): Json {
  return { groupVersion: group === '' ? version : `${group}/${version}`, version };
}

export function apiGroupList(registry: ResourceRegistry): Json {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map((g) => apiGroup(g.name, g.versions)),
  };
}

export function apiGroup(name: string, versions: readonly string[]): Json {
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name,
    versions: versions.map((v) => groupVersion(name, v)),
    preferredVersion: groupVersion(name, versions[0] ?? ''),
  };
}

/** APIResourceList for one group/version; undefined when nothing is served there. */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Json | undefined {
  const infos = registry.all().filter((r) => r.group === group && r.version === version);
  if (infos.length === 0) return undefined;
  const resources: Json[] = [];
  for (const r of sortByName(infos)) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...r.verbs],
      ...(r.shortNames.length > 0 ? { shortNames: [...r.shortNames] } : {}),
      ...(r.categories.length > 0 ? { categories: [...r.categories] } : {}),
    });
    for (const sub of subresources(r)) {
      resources.push({
        name: `${r.plural}/${sub.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(sub.group !== undefined ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources,
  };
}

interface Sub {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

function subresources(r: ResourceInfo): Sub[] {
  const subs: Sub[] = [];
  if (r.kind === 'Namespace' && r.group === '')
    subs.push({ name: 'finalize', kind: 'Namespace', verbs: ['update'] });
  if (r.subresources.binding) subs.push({ name: 'binding', kind: 'Binding', verbs: ['create'] });
  if (r.subresources.log) subs.push({ name: 'log', kind: 'Pod', verbs: ['get'] });
  if (r.subresources.scale)
    subs.push({
      name: 'scale',
      kind: 'Scale',
      group: 'autoscaling',
      version: 'v1',
      verbs: ['get', 'patch', 'update'],
    });
  if (r.subresources.status) subs.push({ name: 'status', kind: r.kind, verbs: ['get', 'patch', 'update'] });
  return subs;
}

function sortByName(infos: readonly ResourceInfo[]): ResourceInfo[] {
  return [...infos].sort((a, b) => a.plural.localeCompare(b.plural));
}

/** The aggregated discovery document for `/api` (core) or `/apis` (all groups). */
export function aggregatedDiscovery(
  registry: ResourceRegistry,
  core: boolean,
  version: 'v2' | 'v2beta1',
): Json {
  const groups = core ? [{ name: '', versions: ['v1'] }] : registry.groups();
  const items = groups.map((g) => ({
    metadata: { name: g.name, creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v,
      freshness: 'Current',
      resources: sortByName(registry.all().filter((r) => r.group === g.name && r.version === v)).map(
        aggregatedResource,
      ),
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

function aggregatedResource(r: ResourceInfo): Json {
  return {
    resource: r.plural,
    responseKind: { group: '', version: '', kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
    ...(r.shortNames.length > 0 ? { shortNames: [...r.shortNames] } : {}),
    ...(r.categories.length > 0 ? { categories: [...r.categories] } : {}),
    subresources: subresources(r).map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? '', version: s.version ?? '', kind: s.kind },
      verbs: s.verbs,
    })),
  };
}

/** Picks the aggregated format the client accepts, preferring v2. */
export function aggregatedFormat(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList') {
      const v = params.get('v');
      if (v === 'v2' || v === 'v2beta1') return v;
    }
  }
  return undefined;
}
