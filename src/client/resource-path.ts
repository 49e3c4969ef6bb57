/**
 * REST paths of resources: `/api/v1/...` for the core group, `/apis/<group>/<version>/...` otherwise.
 */

/** Names one resource collection: `{ apiVersion: 'apps/v1', plural: 'deployments', namespace: 'default' }`. */
export interface ResourceRef {
  /** `v1` for the core group, `<group>/<version>` otherwise. */
  apiVersion: string;
  plural: string;
  /** Omit for cluster-scoped resources, or to address a namespaced resource across all namespaces. */
  namespace?: string;
}

/** The path of the group/version root (`/api/v1`, `/apis/apps/v1`). */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The collection path, or the object path when `name` is given, or a subresource path. */
export function resourcePath(ref: ResourceRef, name?: string, subresource?: string): string {
  let path = groupVersionPath(ref.apiVersion);
  if (ref.namespace !== undefined && ref.namespace !== '')
    path += `/namespaces/${encodeURIComponent(ref.namespace)}`;
  path += `/${ref.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource !== undefined) path += `/${subresource}`;
  return path;
}
