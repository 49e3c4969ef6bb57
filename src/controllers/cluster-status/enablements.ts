/** A member's `status.apiEnablements` from its discovery: served resources by group/version, sorted. */
import type { APIEnablement } from '../../api/flotilla/cluster.js';
import type { DiscoveryResult } from '../../client/discovery.js';

/** Every group/version the member serves, with its resources (plural name and kind). */
export function apiEnablements(discovery: DiscoveryResult): APIEnablement[] {
  const byVersion = new Map<string, { name: string; kind: string }[]>();
  for (const r of discovery.resources) {
    const list = byVersion.get(r.apiVersion) ?? [];
    list.push({ name: r.plural, kind: r.kind });
    byVersion.set(r.apiVersion, list);
  }
  return [...byVersion.keys()].sort().map((groupVersion) => ({
    groupVersion,
    resources: (byVersion.get(groupVersion) ?? []).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    ),
  }));
}
