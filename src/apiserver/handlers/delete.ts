/**
 * DELETE of one object (kube-api.md §13): preconditions, propagation policy finalizers
 * (`orphan`, `foregroundDeletion`), finalizer-held deletion with `deletionTimestamp`, graceful pod
 * deletion, namespace termination, and immediate removal otherwise.
 */
import { rfc3339Seconds } from '../../base/clock.js';
import type { KubeObject } from '../../api/meta.js';
import type { ApiRequest } from '../request.js';
import { bodyJson } from '../request.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { badRequest, conflict, notFound } from '../../api/status.js';
import type { Status } from '../../api/status.js';
import type { ServerContext, WriteOptions } from '../context.js';
import { decodeKv, objectKey } from '../codec.js';
import { guaranteedUpdate } from './write.js';
import { cloneJson } from '../../base/json-clone.js';

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Reads DeleteOptions from a JSON body and query parameters (the body wins). */
export function parseDeleteOptions(req: ApiRequest): DeleteOptions {
  const { query } = req;
  const raw = (bodyJson(req, decodeDeleteBody) ?? {}) as Record<string, unknown>;
  const opts: DeleteOptions = {};
  const policy = raw['propagationPolicy'] ?? query.get('propagationPolicy') ?? undefined;
  const orphan = raw['orphanDependents'] ?? parseBool(query.get('orphanDependents'));
  if (policy !== undefined && policy !== null) {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
      throw badRequest(
        `propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`,
      );
    }
    opts.propagationPolicy = policy;
  } else if (orphan === true) opts.propagationPolicy = 'Orphan';
  else if (orphan === false) opts.propagationPolicy = 'Background';
  const grace = raw['gracePeriodSeconds'] ?? query.get('gracePeriodSeconds') ?? undefined;
  if (grace !== undefined && grace !== null) {
    const seconds = Number(grace);
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw badRequest(
        `gracePeriodSeconds: Invalid value: ${JSON.stringify(grace)}: must be a non-negative integer`,
      );
    }
    opts.gracePeriodSeconds = seconds;
  }
  const pre = raw['preconditions'];
  if (typeof pre === 'object' && pre !== null) opts.preconditions = pre;
  return opts;
}

function parseBool(v: string | null): boolean | undefined {
  return v === null ? undefined : v === 'true';
}

export type DeleteOutcome =
  { kind: 'pending'; object: KubeObject } | { kind: 'deleted'; status: Status; object: KubeObject };

/** Deletes or marks for deletion; returns what to answer. */
export async function deleteObject(
  ctx: ServerContext,
  info: ResourceInfo,
  target: { namespace: string | undefined; name: string; options: DeleteOptions },
  opts: WriteOptions,
): Promise<DeleteOutcome> {
  const { options } = target;
  const key = objectKey(info, target.namespace, target.name);
  for (let attempt = 0; attempt < 16; attempt++) {
    const kv = await ctx.store.get(key);
    if (!kv) throw notFound(info.group, info.plural, target.name);
    const current = decodeKv(info, kv);
    checkPreconditions(info, current, options);
    if (needsMarking(info, current, options)) {
      const { object } = await guaranteedUpdate(
        ctx,
        info,
        {
          namespace: target.namespace,
          name: target.name,
          scope: 'deletion',
          compute: (cur) => {
            if (cur) checkPreconditions(info, cur, options);
            return { object: markForDeletion(info, cur ?? current, { options, nowMs: ctx.clock.now() }) };
          },
        },
        opts,
      );
      return { kind: 'pending', object };
    }
    if (opts.dryRun) return { kind: 'deleted', status: success(info, current), object: current };
    const res = await ctx.store.delete(key, kv.modRevision);
    if (res.succeeded) return { kind: 'deleted', status: success(info, current), object: current };
  }
  throw conflict(info.group, info.plural, target.name, 'too many concurrent updates; please try again');
}

function checkPreconditions(info: ResourceInfo, obj: KubeObject, options: DeleteOptions): void {
  const pre = options.preconditions;
  if (!pre) return;
  const name = obj.metadata.name ?? '';
  if (pre.uid !== undefined && pre.uid !== obj.metadata.uid) {
    throw conflict(
      info.group,
      info.plural,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`,
    );
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(
      info.group,
      info.plural,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`,
    );
  }
}

function isNamespace(info: ResourceInfo): boolean {
  return info.group === '' && info.kind === 'Namespace';
}

function isGracefulPod(info: ResourceInfo, obj: KubeObject, options: DeleteOptions): boolean {
  if (info.group !== '' || info.kind !== 'Pod') return false;
  const spec = (obj['spec'] ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const grace = options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  return (spec.nodeName ?? '') !== '' && grace > 0;
}

function propagationFinalizer(options: DeleteOptions): string | undefined {
  if (options.propagationPolicy === 'Orphan') return 'orphan';
  if (options.propagationPolicy === 'Foreground') return 'foregroundDeletion';
  return undefined;
}

/** Whether the object must stay (with deletionTimestamp) rather than be removed now. */
function needsMarking(info: ResourceInfo, obj: KubeObject, options: DeleteOptions): boolean {
  if (isNamespace(info)) return true;
  if ((obj.metadata.finalizers ?? []).length > 0) return true;
  if (propagationFinalizer(options) !== undefined) return true;
  return isGracefulPod(info, obj, options);
}

function markForDeletion(
  info: ResourceInfo,
  obj: KubeObject,
  at: { options: DeleteOptions; nowMs: number },
): KubeObject {
  const { options, nowMs } = at;
  const next = cloneJson(obj);
  const meta = next.metadata;
  const extra = propagationFinalizer(options);
  const already = meta.deletionTimestamp !== undefined;
  if (extra !== undefined && !already && !(meta.finalizers ?? []).includes(extra)) {
    meta.finalizers = [
      ...(meta.finalizers ?? []).filter((f) => f !== 'orphan' && f !== 'foregroundDeletion'),
      extra,
    ];
  }
  if (isNamespace(info)) {
    next['status'] = { ...(next['status'] ?? {}), phase: 'Terminating' };
  }
  if (isGracefulPod(info, obj, options)) {
    const spec = (obj['spec'] ?? {}) as { terminationGracePeriodSeconds?: number };
    const grace = options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    const previous = meta.deletionGracePeriodSeconds;
    if (previous === undefined || grace < previous) {
      meta.deletionGracePeriodSeconds = grace;
      meta.deletionTimestamp = rfc3339Seconds(nowMs + grace * 1000);
    }
    return next;
  }
  if (!already) {
    meta.deletionTimestamp = rfc3339Seconds(nowMs);
    meta.deletionGracePeriodSeconds = 0;
  }
  return next;
}

function success(info: ResourceInfo, obj: KubeObject): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: obj.metadata.name ?? '',
      group: info.group,
      kind: info.plural,
      uid: obj.metadata.uid ?? '',
    },
    code: 200,
  };
}

/** DeleteOptions text: empty means none. */
function decodeDeleteBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`error decoding DeleteOptions: ${(err as Error).message}`);
  }
}
