/**
 * The set of resources the server serves right now: the built-in kinds plus the versions of every
 * Established CustomResourceDefinition. Discovery, OpenAPI and routing all read it; its `revision`
 * changes on every change so derived documents can be cached.
 */
import type { ResourceInfo } from '../api/resource-info.js';

export interface GroupInfo {
  name: string;
  /** Versions in preference order (the first is preferred). */
  versions: string[];
}

export class ResourceRegistry {
  #builtin: ResourceInfo[];
  #custom = new Map<string, ResourceInfo[]>();
  #index = new Map<string, ResourceInfo>();
  #revision = 0;

  constructor(builtin: readonly ResourceInfo[]) {
    this.#builtin = [...builtin];
    this.#reindex();
  }

  /** Increases whenever the served set changes. */
  get revision(): number {
    return this.#revision;
  }

  /** The resource served at group/version/plural, if any. */
  lookup(group: string, version: string, plural: string): ResourceInfo | undefined {
    return this.#index.get(`${group}/${version}/${plural}`);
  }

  /** Every served resource version: built-ins first, then custom resources by CRD name. */
  all(): ResourceInfo[] {
    return [...this.#builtin, ...[...this.#custom.values()].flat()];
  }

  /** Every served version of the resource that `info` is a version of (same storage). */
  versionsOf(info: ResourceInfo): ResourceInfo[] {
    return this.all().filter((r) => r.storagePrefix === info.storagePrefix);
  }

  /** Groups with their versions; the core group is excluded (it lives under /api). */
  groups(): GroupInfo[] {
    const byGroup = new Map<string, string[]>();
    for (const r of this.all()) {
      if (r.group === '') continue;
      const versions = byGroup.get(r.group) ?? [];
      if (!versions.includes(r.version)) versions.push(r.version);
      byGroup.set(r.group, versions);
    }
    return [...byGroup.entries()].map(([name, versions]) => ({ name, versions: sortVersions(versions) }));
  }

  /** Replaces the served versions of one CRD (empty = stop serving it). */
  setCustom(crdName: string, infos: readonly ResourceInfo[]): void {
    if (infos.length === 0) this.#custom.delete(crdName);
    else this.#custom.set(crdName, [...infos]);
    this.#reindex();
  }

  /** Built-in resource names (`plural.group`), used to refuse CRDs that would shadow them. */
  isBuiltinGroupResource(group: string, plural: string): boolean {
    return this.#builtin.some((r) => r.group === group && r.plural === plural);
  }

  #reindex(): void {
    this.#index.clear();
    for (const r of this.all()) this.#index.set(`${r.group}/${r.version}/${r.plural}`, r);
    this.#revision++;
  }
}

/**
 * Kubernetes version priority: GA > beta > alpha, higher numbers first, then non-kube-like
 * versions alphabetically (apimachinery's version.CompareKubeAwareVersionStrings).
 */
export function sortVersions(versions: readonly string[]): string[] {
  const parse = (v: string): [number, number, number, string] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0, v];
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), Number(m[3] ?? 0), v];
  };
  return [...versions].sort((a, b) => {
    const [sa, ma, na, va] = parse(a);
    const [sb, mb, nb, vb] = parse(b);
    if (sa === 0 && sb === 0) return va.localeCompare(vb);
    if (sa === 0 || sb === 0) return sa === 0 ? 1 : -1;
    if (sa !== sb) return sb - sa;
    if (ma !== mb) return mb - ma;
    return nb - na;
  });
}
