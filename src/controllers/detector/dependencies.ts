/**
 * Dependency bindings (`propagateDeps`): each ConfigMap, Secret, ServiceAccount and PVC a
 * workload's pods refer to gets a binding of its own, owned by the dependency, with no placement
 * (the scheduler leaves it alone) and `requiredBy` naming every workload binding that needs it and
 * where that one is placed; its decision is the union of those clusters. A dependency that a
 * policy claims for itself, or that does not exist on the hub, is left out. When a workload stops
 * needing a dependency its entry is removed; a dependency binding nobody requires is deleted.
 */
import type { ResourceBinding, TargetCluster } from '../../api/flotilla/binding.js';
import { WORK_API_VERSION } from '../../api/flotilla/binding.js';
import { bindingName } from '../../api/flotilla/binding-for.js';
import { workloadDependencies } from '../../api/flotilla/dependencies.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';
import { isAlreadyExists, isNotFound } from '../../api/status.js';
import type { ApiClient } from '../../client/api-client.js';
import { RESOURCE_BINDINGS } from '../../client/flotilla-resources.js';
import type { Informer } from '../../client/informer.js';
import { claimOf } from './claim.js';

/** Index of dependency bindings by the workload bindings that require them (`namespace/name`). */
export const REQUIRED_BY_INDEX = 'detector-required-by';

/** Index function for `REQUIRED_BY_INDEX`. */
export function requiredByKeys(b: ResourceBinding): string[] {
  return (b.spec.requiredBy ?? []).map((r) => `${b.metadata.namespace ?? ''}/${r.name}`);
}

const PLURALS: Record<string, string> = {
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  ServiceAccount: 'serviceaccounts',
  PersistentVolumeClaim: 'persistentvolumeclaims',
};

/**
 * Brings the dependency bindings of `workload` up to date: whether its policy propagates
 * dependencies, and where its binding is placed so far. Called before the workload's own binding
 * is written, so a dependency binding always exists (naming the workload in `requiredBy`) by the
 * time the workload is placed, and the binding controller holds the workload back until it is
 * applied.
 */
export async function syncDependencies(
  ctx: { client: ApiClient; bindings: Informer<ResourceBinding>; signal: AbortSignal },
  workload: { template: KubeObject; propagateDeps: boolean; placed: readonly TargetCluster[] },
): Promise<void> {
  const { client, bindings, signal } = ctx;
  const namespace = workload.template.metadata.namespace;
  if (!namespace) return;
  const requirer = bindingName(workload.template);
  const needed = workload.propagateDeps ? workloadDependencies(workload.template) : [];
  const clusters = workload.placed.map((t) => ({ name: t.name }));
  const kept = new Set<string>();
  for (const dep of needed) {
    let object: KubeObject;
    try {
      object = await client.get({ apiVersion: 'v1', plural: PLURALS[dep.kind] ?? '', namespace }, dep.name, {
        signal,
      });
    } catch (err) {
      if (isNotFound(err)) continue;
      throw err;
    }
    if (claimOf(object)) continue; // its own policy places it
    const name = bindingName({ ...object, kind: dep.kind });
    kept.add(name);
    const existing = bindings.get(`${namespace}/${name}`);
    const requiredBy = [
      ...(existing?.spec.requiredBy ?? []).filter((r) => r.name !== requirer),
      { namespace, name: requirer, clusters },
    ].sort((a, b) => (a.name < b.name ? -1 : 1));
    await upsert(
      client,
      { namespace, name, object: { ...object, kind: dep.kind }, existing, requiredBy },
      signal,
    );
  }
  await releaseDependencies(ctx, { namespace, requirer, kept });
}

/**
 * Removes workload binding `requirer` from the dependency bindings of `namespace` it no longer
 * needs (all but `kept`); deletes those nobody requires any more. `bindings` must carry
 * `REQUIRED_BY_INDEX`.
 */
export async function releaseDependencies(
  ctx: { client: ApiClient; bindings: Informer<ResourceBinding>; signal: AbortSignal },
  w: { namespace: string; requirer: string; kept?: ReadonlySet<string> },
): Promise<void> {
  const { client, bindings, signal } = ctx;
  const { namespace, requirer } = w;
  for (const b of bindings.byIndex(REQUIRED_BY_INDEX, `${namespace}/${requirer}`)) {
    if (w.kept?.has(b.metadata.name ?? '')) continue;
    const requiredBy = (b.spec.requiredBy ?? []).filter((r) => r.name !== requirer);
    if (requiredBy.length === 0 && !b.spec.placement) {
      await client
        .delete({ ...RESOURCE_BINDINGS, namespace }, b.metadata.name ?? '', { signal })
        .catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
    } else
      await upsert(
        client,
        { namespace, name: b.metadata.name ?? '', object: undefined, existing: b, requiredBy },
        signal,
      );
  }
}

async function upsert(
  client: ApiClient,
  d: {
    namespace: string;
    name: string;
    object: KubeObject | undefined;
    existing: ResourceBinding | undefined;
    requiredBy: NonNullable<ResourceBinding['spec']['requiredBy']>;
  },
  signal: AbortSignal,
): Promise<void> {
  const ref = { ...RESOURCE_BINDINGS, namespace: d.namespace };
  const clusters = union(d.requiredBy);
  if (!d.existing) {
    if (!d.object) return;
    const binding: ResourceBinding = {
      apiVersion: WORK_API_VERSION,
      kind: 'ResourceBinding',
      metadata: {
        name: d.name,
        namespace: d.namespace,
        ownerReferences: [
          {
            apiVersion: d.object.apiVersion,
            kind: d.object.kind,
            name: d.object.metadata.name ?? '',
            uid: d.object.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        resource: {
          apiVersion: d.object.apiVersion,
          kind: d.object.kind,
          namespace: d.namespace,
          name: d.object.metadata.name ?? '',
          ...(d.object.metadata.uid ? { uid: d.object.metadata.uid } : {}),
        },
        requiredBy: d.requiredBy,
        clusters,
      },
    };
    try {
      await client.create(ref, binding, { signal });
      return;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    // The cache was behind (another workload needs it too): add this one to the live binding.
    const live = await client.get<ResourceBinding>(ref, d.name, { signal });
    const requirers = new Set(d.requiredBy.map((r) => r.name));
    const requiredBy = [
      ...(live.spec.requiredBy ?? []).filter((r) => !requirers.has(r.name)),
      ...d.requiredBy,
    ];
    requiredBy.sort((a, b) => (a.name < b.name ? -1 : 1));
    return upsert(client, { ...d, existing: live, requiredBy }, signal);
  }
  const spec = {
    ...d.existing.spec,
    requiredBy: d.requiredBy,
    ...(d.existing.spec.placement ? {} : { clusters }),
  };
  if (jsonEqual(spec as unknown as JsonValue, d.existing.spec as unknown as JsonValue)) return;
  await client.update(ref, { ...d.existing, spec }, { signal });
}

function union(requiredBy: NonNullable<ResourceBinding['spec']['requiredBy']>): TargetCluster[] {
  const names = new Set(requiredBy.flatMap((r) => (r.clusters ?? []).map((c) => c.name)));
  return [...names].sort().map((name) => ({ name }));
}
