/**
 * Legacy discovery (kube-api.md §2.2): `/api` + `/api/<v>` for the core group, `/apis` +
 * `/apis/<g>/<v>` for named groups. Yields the served resources (not subresources) with their
 * verbs and scope, so generic controllers (garbage collector, namespace deletion) can see CRDs.
 */
import { errorMessage } from '../base/errors.js';
import type { Clock } from '../base/clock.js';
import type { ApiClient } from './api-client.js';

/** One served resource at one group/version. */
export interface ApiResource {
  group: string;
  version: string;
  /** `v1` or `<group>/<version>`. */
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  verbs: readonly string[];
  /** True when `version` is the group's preferred version. */
  preferred: boolean;
}

/** What discovery found, plus the group/versions it could not read (their resources are missing). */
export interface DiscoveryResult {
  resources: ApiResource[];
  failed: { apiVersion: string; error: string }[];
}

interface ApiVersions {
  versions?: string[];
}
interface ApiGroupList {
  groups?: {
    name: string;
    versions?: { groupVersion: string; version: string }[];
    preferredVersion?: { version: string };
  }[];
}
interface ApiResourceList {
  resources?: { name: string; namespaced?: boolean; kind: string; verbs?: string[] }[];
}

/**
 * Lists every served resource. Throws when `/api` or `/apis` cannot be read; a failing
 * group/version is reported in `failed` rather than failing the whole call.
 */
export async function discoverResources(client: ApiClient, signal?: AbortSignal): Promise<DiscoveryResult> {
  const opts = signal ? { signal } : {};
  const [core, groups] = await Promise.all([
    client.getPath<ApiVersions>('/api', opts),
    client.getPath<ApiGroupList>('/apis', opts),
  ]);
  const targets: { group: string; version: string; preferred: boolean }[] = [];
  const coreVersions = core.versions ?? [];
  coreVersions.forEach((v, i) => targets.push({ group: '', version: v, preferred: i === 0 }));
  for (const g of groups.groups ?? []) {
    const preferred = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    for (const v of g.versions ?? [])
      targets.push({ group: g.name, version: v.version, preferred: v.version === preferred });
  }
  const result: DiscoveryResult = { resources: [], failed: [] };
  const lists = await Promise.all(
    targets.map(async (t) => {
      const apiVersion = t.group === '' ? t.version : `${t.group}/${t.version}`;
      const path = t.group === '' ? `/api/${t.version}` : `/apis/${apiVersion}`;
      try {
        return { t, apiVersion, list: await client.getPath<ApiResourceList>(path, opts) };
      } catch (err) {
        result.failed.push({ apiVersion, error: errorMessage(err) });
        return undefined;
      }
    }),
  );
  for (const entry of lists) {
    if (!entry) continue;
    for (const r of entry.list.resources ?? []) {
      if (r.name.includes('/')) continue;
      result.resources.push({
        group: entry.t.group,
        version: entry.t.version,
        apiVersion: entry.apiVersion,
        kind: r.kind,
        plural: r.name,
        namespaced: r.namespaced ?? false,
        verbs: r.verbs ?? [],
        preferred: entry.t.preferred,
      });
    }
  }
  return result;
}

/**
 * One resource per group and plural, at the preferred version when it is served there (what a
 * generic controller should watch: every version shares one storage).
 */
export function preferredResources(resources: readonly ApiResource[]): ApiResource[] {
  const byId = new Map<string, ApiResource>();
  for (const r of resources) {
    const id = `${r.group}/${r.plural}`;
    const seen = byId.get(id);
    if (!seen || (!seen.preferred && r.preferred)) byId.set(id, r);
  }
  return [...byId.values()];
}

/** The resource serving `kind` at `apiVersion`, else the same group's kind at another version. */
export function resourceForKind(
  resources: readonly ApiResource[],
  apiVersion: string,
  kind: string,
): ApiResource | undefined {
  const exact = resources.find((r) => r.apiVersion === apiVersion && r.kind === kind);
  if (exact) return exact;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const sameGroup = resources.filter((r) => r.group === group && r.kind === kind);
  return sameGroup.find((r) => r.preferred) ?? sameGroup[0];
}

/** True when every verb in `verbs` is served for `r`. */
export function supports(r: ApiResource, ...verbs: string[]): boolean {
  return verbs.every((v) => r.verbs.includes(v));
}

/**
 * Finds the resource serving a kind, from discovery read once and again on a miss (at most every
 * `refreshMs`, so a kind that is not served does not cost a discovery per lookup).
 */
export class KindResolver {
  readonly #client: ApiClient;
  readonly #clock: Clock;
  readonly #refreshMs: number;
  #resources: ApiResource[] = [];
  #readAt = Number.NEGATIVE_INFINITY;

  constructor(client: ApiClient, o: { clock: Clock; refreshMs?: number }) {
    this.#client = client;
    this.#clock = o.clock;
    this.#refreshMs = o.refreshMs ?? 10_000;
  }

  /** The resource of `kind` at `apiVersion` (another version of its group as a fallback). */
  async resolve(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ApiResource | undefined> {
    const known = this.known(apiVersion, kind);
    if (known || this.#clock.now() - this.#readAt < this.#refreshMs) return known;
    this.#resources = (await discoverResources(this.#client, signal)).resources;
    this.#readAt = this.#clock.now();
    return this.known(apiVersion, kind);
  }

  /** What the last discovery said, without reading it again. */
  known(apiVersion: string, kind: string): ApiResource | undefined {
    return resourceForKind(this.#resources, apiVersion, kind);
  }
}
