/**
 * GET of one object and LIST of a collection, with kube's resourceVersion semantics
 * (kube-api.md §6.5): consistent reads by default, `limit`/`continue` pagination at the first
 * page's revision, `resourceVersion`+`resourceVersionMatch=Exact` reads from history.
 */
import type { KubeList, KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { apiVersionOf } from '../../api/resource-info.js';
import { badRequest, expired, notFound, timeout } from '../../api/status.js';
import { CompactedError, FutureRevisionError } from '../../storage/store.js';
import type { KeyValue } from '../../storage/store.js';
import type { ServerContext } from '../context.js';
import type { StoredList } from '../negotiate.js';
import { collectionPrefix, decodeKv, objectKey } from '../codec.js';
import { decodeContinue, encodeContinue } from '../continue-token.js';
import { parseSelection, selects, selectsEverything } from '../selection.js';

/** Reads one object or throws 404. */
export async function getObject(
  ctx: ServerContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject> {
  return decodeKv(info, await getStored(ctx, info, namespace, name));
}

/** Reads one object as stored, or throws 404. */
export async function getStored(
  ctx: ServerContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
): Promise<KeyValue> {
  const kv = await ctx.store.get(objectKey(info, namespace, name));
  if (!kv) throw notFound(info.group, info.plural, name);
  return kv;
}

export interface ListResult extends StoredList {
  revision: number;
}

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

/** Parses a resourceVersion query parameter; '' and absent mean "latest". */
export function parseRevision(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw badRequest(`invalid resource version "${text}"`);
  return Number(text);
}

/** LIST per the query (selectors, pagination, resourceVersion). */
export async function listObjects(
  ctx: ServerContext,
  info: ResourceInfo,
  namespace: string | undefined,
  query: URLSearchParams,
): Promise<ListResult> {
  const selection = parseSelection(info, query);
  const rvText = query.get('resourceVersion');
  const rv = parseRevision(rvText);
  const match = query.get('resourceVersionMatch');
  if (match !== null && match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(
      `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
    );
  }
  let limit = Number(query.get('limit') ?? '0');
  if (!Number.isFinite(limit) || limit < 0) limit = 0;
  if (rvText === '0') limit = 0;
  const prefix = collectionPrefix(info, namespace);
  let readAt: number | undefined;
  let fromKey: string | undefined;
  const cont = query.get('continue');
  if (cont) {
    const token = decodeContinue(cont);
    readAt = token.rv;
    fromKey = prefix + token.start;
  } else if (rv !== undefined && rv !== 0) {
    const current = await ctx.store.currentRevision();
    if (rv > current) throw timeout(`Too large resource version: ${rv}, current: ${current}`, 1);
    if (match === 'Exact' || (match !== 'NotOlderThan' && limit > 0)) readAt = rv;
  }
  try {
    return await scan(ctx, info, { prefix, selection, limit, readAt, fromKey });
  } catch (err) {
    if (err instanceof CompactedError) {
      if (cont) throw expired(CONTINUE_EXPIRED);
      throw expired(`The resourceVersion for the provided list is too old.`);
    }
    if (err instanceof FutureRevisionError)
      throw timeout(`Too large resource version: ${err.requested}, current: ${err.current}`, 1);
    throw err;
  }
}

interface ScanOptions {
  prefix: string;
  selection: ReturnType<typeof parseSelection>;
  limit: number;
  readAt: number | undefined;
  fromKey: string | undefined;
}

/** Reads pages from storage until `limit` selected objects are found or the range ends. */
async function scan(ctx: ServerContext, info: ResourceInfo, o: ScanOptions): Promise<ListResult> {
  const items: KeyValue[] = [];
  // Objects decoded to test selectors, by their index in `items`; the others wait until asked.
  const decoded: (KubeObject | undefined)[] = [];
  const everything = selectsEverything(o.selection);
  let revision = o.readAt;
  let fromKey = o.fromKey;
  let nextKey: string | undefined;
  let remaining: number | undefined;
  for (;;) {
    const want = o.limit > 0 ? Math.max(o.limit - items.length, everything ? 0 : 500) : 0;
    const page = await ctx.store.range(o.prefix, {
      ...(revision !== undefined ? { revision } : {}),
      ...(fromKey !== undefined ? { fromKey } : {}),
      ...(want > 0 ? { limit: want } : {}),
    });
    revision = page.revision;
    let i = 0;
    for (; i < page.kvs.length; i++) {
      const kv = page.kvs[i];
      if (!kv) continue;
      if (everything) items.push(kv);
      else {
        const obj = decodeKv(info, kv);
        if (selects(info, o.selection, obj)) decoded[items.push(kv) - 1] = obj;
      }
      if (o.limit > 0 && items.length >= o.limit) {
        i++;
        break;
      }
    }
    const last = page.kvs[i - 1];
    const more = i < page.kvs.length || page.more;
    if (o.limit > 0 && items.length >= o.limit) {
      if (more && last) {
        nextKey = last.key + '\x00';
        if (everything) remaining = page.count - i;
      }
      break;
    }
    if (!page.more || !last) break;
    fromKey = last.key + '\x00';
  }
  const metadata: KubeList['metadata'] = { resourceVersion: String(revision) };
  if (nextKey !== undefined) {
    metadata.continue = encodeContinue({ rv: revision, start: nextKey.slice(o.prefix.length) });
    if (remaining !== undefined && remaining > 0) metadata.remainingItemCount = remaining;
  }
  let list: KubeList | undefined;
  return {
    revision,
    metadata,
    stored: items,
    list: () =>
      (list ??= {
        apiVersion: apiVersionOf(info),
        kind: `${info.kind}List`,
        metadata,
        items: items.map((kv, i) => decoded[i] ?? decodeKv(info, kv)),
      }),
  };
}
