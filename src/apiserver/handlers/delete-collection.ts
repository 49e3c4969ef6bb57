/**
 * DELETE on a collection: deletes every selected object one by one (each with the same
 * DeleteOptions) and answers with the list of what was deleted or marked.
 */
import type { KubeList } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { isNotFound } from '../../api/status.js';
import type { ServerContext, WriteOptions } from '../context.js';
import { deleteObject } from './delete.js';
import type { DeleteOptions } from './delete.js';
import { listObjects } from './read.js';

export async function deleteCollection(
  ctx: ServerContext,
  info: ResourceInfo,
  request: { namespace: string | undefined; options: DeleteOptions; query: URLSearchParams },
  opts: WriteOptions,
): Promise<KubeList> {
  const { options } = request;
  const listQuery = new URLSearchParams();
  for (const k of ['labelSelector', 'fieldSelector']) {
    const v = request.query.get(k);
    if (v !== null) listQuery.set(k, v);
  }
  const list = (await listObjects(ctx, info, request.namespace, listQuery)).list();
  const items = [];
  for (const obj of list.items) {
    try {
      const target = { namespace: obj.metadata.namespace, name: obj.metadata.name ?? '', options };
      const outcome = await deleteObject(ctx, info, target, opts);
      items.push(outcome.object);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return { ...list, items };
}
