/**
 * Field ownership bookkeeping for every write: non-apply writes record an `Update` entry for their
 * manager; apply requests go through server-side apply. Status writes are tracked under the
 * `status` subresource, and a main-resource write never owns `.status` (and vice versa).
 */
import type { JsonObject, KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resource-info.js';
import { applyListKeyDefaults } from '../api/builtin-defaults.js';
import { apiVersionOf } from '../api/resource-info.js';
import { RESET_SPEC_AND_METADATA, RESET_STATUS, serverSideApply, trackUpdate } from './apply/apply.js';
import type { ResetFields } from './apply/apply.js';
import type { WriteScope } from './strategy.js';

/** Returns `next` with managedFields updated for a non-apply write by `manager`. */
export function recordUpdate(
  info: ResourceInfo,
  change: { old: KubeObject | undefined; next: KubeObject; scope: WriteScope },
  manager: string,
  now: string,
): KubeObject {
  const managedFields = trackUpdate({
    old: change.old as unknown as JsonObject | undefined,
    updated: change.next as unknown as JsonObject,
    manager,
    apiVersion: apiVersionOf(info),
    // A status write keeps everything but `status` from the stored object (strategy.ts).
    ...(change.scope === 'status' && change.old !== undefined
      ? { subresource: 'status', onlyChanged: 'status' }
      : change.scope === 'status'
        ? { subresource: 'status' }
        : {}),
    ...resetFor(info, change.scope),
    schema: info.mergeSchema,
    now,
  });
  const out = { ...change.next, metadata: { ...change.next.metadata } };
  if (managedFields.length > 0) out.metadata.managedFields = managedFields;
  else delete out.metadata.managedFields;
  return out;
}

/** Server-side apply of `config` by `manager` onto `live` (undefined = create). Throws 409 on conflicts. */
export function applyConfig(
  info: ResourceInfo,
  request: { live: KubeObject | undefined; config: KubeObject; scope: WriteScope; force: boolean },
  manager: string,
  now: string,
): KubeObject {
  if (info.builtin) applyListKeyDefaults(info.group, request.config);
  return serverSideApply({
    live: request.live as unknown as JsonObject | undefined,
    config: request.config as unknown as JsonObject,
    manager,
    force: request.force,
    apiVersion: apiVersionOf(info),
    ...(request.scope === 'status' ? { subresource: 'status' } : {}),
    ...resetFor(info, request.scope),
    schema: info.mergeSchema,
    now,
  }) as unknown as KubeObject;
}

/** The manager for a request: the `fieldManager` parameter, else the User-Agent's product name (as kube does). */
export function managerFor(query: URLSearchParams, userAgent: string | undefined): string {
  const explicit = query.get('fieldManager');
  if (explicit !== null && explicit !== '') return explicit;
  const product = (userAgent ?? '').split('/')[0]?.trim() ?? '';
  return product === '' ? 'unknown' : product;
}

/** A main-resource write never owns `.status` when a status subresource exists; a status write owns only `.status`. */
function resetFor(info: ResourceInfo, scope: WriteScope): { resetFields?: ResetFields } {
  if (scope === 'status') return { resetFields: RESET_SPEC_AND_METADATA };
  return info.subresources.status ? { resetFields: RESET_STATUS } : {};
}
