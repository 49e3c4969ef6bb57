/**
 * Spec writes to bindings that controllers other than the scheduler make (evictions, their undoing,
 * the end of eviction tasks): a merge patch guarded by the resourceVersion the writer read.
 */
import type { ResourceBinding } from '../api/flotilla/binding.js';
import { isNotFound } from '../api/status.js';
import type { ApiClient } from './api-client.js';
import { CLUSTER_RESOURCE_BINDINGS, RESOURCE_BINDINGS } from './flotilla-resources.js';

/**
 * Merge-patches `spec` into `binding` as the writer read it; undefined when the binding is gone.
 * A conflict (someone wrote it meanwhile) is thrown: the writer's informer brings it back.
 */
export async function patchBindingSpec(
  client: ApiClient,
  binding: ResourceBinding,
  o: { spec: Record<string, unknown>; signal: AbortSignal },
): Promise<ResourceBinding | undefined> {
  const namespace = binding.metadata.namespace;
  const ref = namespace ? { ...RESOURCE_BINDINGS, namespace } : CLUSTER_RESOURCE_BINDINGS;
  try {
    const written = await client.patch<ResourceBinding>(ref, binding.metadata.name ?? '', {
      body: { metadata: { resourceVersion: binding.metadata.resourceVersion }, spec: o.spec },
      options: { type: 'merge', signal: o.signal },
    });
    return { ...written, kind: namespace ? 'ResourceBinding' : 'ClusterResourceBinding' };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
