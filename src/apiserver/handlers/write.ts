/**
 * The write engine: create, guaranteed update (read–compute–compare-and-swap, retried on races)
 * and finalization. Every verb that changes an object (PUT, PATCH, apply, status/scale writes,
 * DELETE with finalizers) ends here, so metadata rules, admission and managedFields apply uniformly.
 */
import { randomBytes } from 'node:crypto';
import { rfc3339Seconds } from '../../base/clock.js';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { StatusError, alreadyExists, conflict, forbidden, invalid, notFound } from '../../api/status.js';
import type { KeyValue } from '../../storage/store.js';
import type { ServerContext, WriteOptions } from '../context.js';
import { decodeKv, encodeNew, encodeObject, objectKey } from '../codec.js';
import { runAdmission } from '../admission.js';
import { recordUpdate } from '../field-manager.js';
import { createDefaults, deletionHolds } from '../kind-rules.js';
import { admit, prepareCreate, prepareUpdate, sameStoredObject } from '../strategy.js';
import type { WriteScope } from '../strategy.js';
import { namespaceResource as namespaces } from './namespace-info.js';
import { cloneJson } from '../../base/json-clone.js';

const MAX_RETRIES = 16;
const GENERATE_ATTEMPTS = 8;

/** A computed desired state; `managed` means managedFields were already set (server-side apply). */
export interface Desired {
  object: KubeObject;
  managed?: boolean;
}

/** A created object, with its JSON when the write already produced it (not on dry runs). */
export interface Created {
  object: KubeObject;
  /** `JSON.stringify(object)`, derived from the stored text. */
  json?: string;
}

export interface WriteResult {
  object: KubeObject;
  created: boolean;
}

/** Creates `obj` (already checked against the URL) in `namespace`. */
export async function createObject(
  ctx: ServerContext,
  info: ResourceInfo,
  desired: Desired,
  opts: WriteOptions,
): Promise<Created> {
  if (info.terminating) {
    throw new StatusError({
      reason: 'MethodNotAllowed',
      code: 405,
      message: 'create not allowed while custom resource definition is terminating',
    });
  }
  const base = desired.object;
  const useGenerate = (base.metadata.name ?? '') === '' && (base.metadata.generateName ?? '') !== '';
  if ((base.metadata.name ?? '') === '' && !useGenerate) {
    throw invalid(info.group, info.kind, '', [
      { field: 'metadata.name', type: 'FieldValueRequired', detail: 'name or generateName is required' },
    ]);
  }
  if (info.namespaced) await ensureNamespaceWritable(ctx, base.metadata.namespace ?? '');
  for (let attempt = 0; ; attempt++) {
    // The request body is ours to change; only a generateName retry needs a fresh copy.
    const obj = useGenerate ? cloneJson(base) : base;
    if (useGenerate) obj.metadata.name = `${obj.metadata.generateName ?? ''}${randomSuffix()}`;
    createDefaults[`${info.group}/${info.kind}`]?.(obj);
    prepareCreate(info, obj, ctx.clock.now());
    if (ctx.admission.length > 0)
      runAdmission(ctx.admission, { operation: 'CREATE', info, object: obj, dryRun: opts.dryRun });
    admit(info, obj, undefined, opts);
    const stored = desired.managed
      ? obj
      : recordUpdate(info, { old: undefined, next: obj, scope: 'main' }, opts.manager, now(ctx));
    const name = stored.metadata.name ?? '';
    const key = objectKey(info, stored.metadata.namespace, name);
    if (opts.dryRun) {
      const existing = await ctx.store.get(key);
      if (existing) throw alreadyExists(info.group, info.plural, name);
      return { object: stored };
    }
    const encoded = encodeNew(stored);
    const res = await ctx.store.create(key, encoded.stored);
    if (res.succeeded) {
      const json = encoded.createdAt(res.revision);
      const object = withRevision(stored, res.revision);
      return json === undefined ? { object } : { object, json };
    }
    if (!useGenerate || attempt + 1 >= GENERATE_ATTEMPTS) {
      const err = alreadyExists(info.group, info.plural, name);
      if (useGenerate) err.status.details = { ...err.status.details, retryAfterSeconds: 1 };
      throw err;
    }
  }
}

export interface UpdateRequest {
  namespace: string | undefined;
  name: string;
  scope: WriteScope;
  /** Create when absent (server-side apply); otherwise a missing object is a 404. */
  allowCreate?: boolean;
  /**
   * Computes the desired object from the current one (undefined when absent and allowCreate). It
   * gets a copy of its own to change, unless `leavesCurrent`.
   */
  compute(current: KubeObject | undefined): Desired;
  /**
   * `compute` neither changes `current` nor returns any part of it (it copies what it keeps, or
   * ignores it), so it is handed the decoded object itself instead of a copy. A PUT and the
   * merge, JSON and strategic merge patches, which copy the document first, save one deep copy of
   * the stored object per write.
   */
  leavesCurrent?: boolean;
}

/**
 * Read–compute–write with optimistic concurrency. A desired object carrying a resourceVersion that
 * differs from the current one is a 409 (the client's precondition); otherwise a lost race re-reads
 * and recomputes. A write that changes nothing stores nothing and keeps the resourceVersion.
 */
export async function guaranteedUpdate(
  ctx: ServerContext,
  info: ResourceInfo,
  req: UpdateRequest,
  opts: WriteOptions,
): Promise<WriteResult> {
  const key = objectKey(info, req.namespace, req.name);
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    const kv = await ctx.store.get(key);
    if (!kv) {
      if (!req.allowCreate) throw notFound(info.group, info.plural, req.name);
      const desired = req.compute(undefined);
      const { object } = await createObject(ctx, info, desired, opts);
      return { object, created: true };
    }
    const current = decodeKv(info, kv);
    const desired = req.compute(req.leavesCurrent ? current : cloneJson(current));
    const wanted = desired.object.metadata.resourceVersion;
    if (wanted !== undefined && wanted !== '' && wanted !== current.metadata.resourceVersion) {
      throw conflict(info.group, info.plural, req.name);
    }
    let next = prepareUpdate(info, desired.object, current, req.scope);
    if (ctx.admission.length > 0)
      runAdmission(ctx.admission, {
        operation: 'UPDATE',
        info,
        object: next,
        old: current,
        dryRun: opts.dryRun,
      });
    admit(info, next, req.scope === 'deletion' ? withDeletionOf(current, next) : current, opts);
    if (!desired.managed && req.scope !== 'deletion')
      next = recordUpdate(info, { old: current, next, scope: req.scope }, opts.manager, now(ctx));
    const outcome = await commit(ctx, info, { key, kv, current, next }, opts);
    if (outcome) return { object: outcome, created: false };
    // Lost a race: recompute from the new current object. A resourceVersion the client asked for
    // is now stale and fails the check above; a patch that named none applies again, as in kube.
  }
  throw conflict(info.group, info.plural, req.name, 'too many concurrent updates; please try again');
}

interface Commit {
  key: string;
  kv: KeyValue;
  current: KubeObject;
  next: KubeObject;
}

/** Writes `next` over `kv` (or deletes it when finalization completes). Undefined = lost the race. */
async function commit(
  ctx: ServerContext,
  info: ResourceInfo,
  c: Commit,
  opts: WriteOptions,
): Promise<KubeObject | undefined> {
  const finalize =
    c.next.metadata.deletionTimestamp !== undefined &&
    (c.next.metadata.finalizers ?? []).length === 0 &&
    !gracePending(c.next) &&
    !(deletionHolds[`${info.group}/${info.kind}`]?.(c.next) ?? false);
  if (finalize) {
    if (opts.dryRun) return c.next;
    const res = await ctx.store.delete(c.key, c.kv.modRevision);
    if (!res.succeeded) return undefined;
    return { ...c.next, metadata: { ...c.next.metadata, resourceVersion: String(res.revision) } };
  }
  if (sameStoredObject(c.next, c.current)) return c.current;
  if (opts.dryRun)
    return {
      ...c.next,
      metadata: { ...c.next.metadata, resourceVersion: c.current.metadata.resourceVersion ?? '' },
    };
  const res = await ctx.store.update(c.key, encodeObject(c.next), c.kv.modRevision);
  if (!res.succeeded) return undefined;
  return withRevision(c.next, res.revision);
}

/** The object as stored at `revision` (what a read would return, without decoding it again). */
function withRevision(obj: KubeObject, revision: number): KubeObject {
  obj.metadata.resourceVersion = String(revision);
  return obj;
}

/** A graceful deletion (pods) whose grace period has not been shortened to zero is left to the kubelet. */
function gracePending(obj: KubeObject): boolean {
  return (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
}

/** 404 when the namespace is missing, 403 when it is terminating (NamespaceLifecycle admission). */
async function ensureNamespaceWritable(ctx: ServerContext, namespace: string): Promise<void> {
  let phase = ctx.namespaces.phase(namespace);
  if (phase === undefined) {
    // Not (yet) in the cache: a namespace created a moment ago may not have reached it.
    const kv = await ctx.store.get(objectKey(namespaces, undefined, namespace));
    if (!kv) throw notFound('', 'namespaces', namespace);
    phase = decodeKv(namespaces, kv).metadata.deletionTimestamp === undefined ? 'Active' : 'Terminating';
  }
  if (phase === 'Terminating') {
    throw forbidden(`unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
}

function now(ctx: ServerContext): string {
  return rfc3339Seconds(ctx.clock.now());
}

/** The old object as validation should see it when the server itself marks `next` for deletion. */
function withDeletionOf(current: KubeObject, next: KubeObject): KubeObject {
  const meta = { ...current.metadata };
  if (next.metadata.deletionTimestamp !== undefined) meta.deletionTimestamp = next.metadata.deletionTimestamp;
  if (next.metadata.deletionGracePeriodSeconds !== undefined) {
    meta.deletionGracePeriodSeconds = next.metadata.deletionGracePeriodSeconds;
  }
  if (current.metadata.deletionTimestamp === undefined && next.metadata.finalizers !== undefined) {
    meta.finalizers = next.metadata.finalizers;
  }
  return { ...current, metadata: meta };
}
