/**
 * What kube-apiserver's apiextensions controllers do for CRDs, in-process: serve the versions of
 * every CRD whose names are accepted (NamesAccepted + Established conditions), stop serving a
 * CRD that is being deleted, delete its custom resources, then release the
 * `customresourcecleanup.apiextensions.k8s.io` finalizer so the CRD goes away.
 *
 * `reconcile(name)` is level-based and idempotent; the API server calls it after every CRD write
 * (so discovery is current before the write is acknowledged) and for every CRD at start.
 */
import { rfc3339Seconds } from '../base/clock.js';
import type { KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resource-info.js';
import { isConflict, isNotFound } from '../api/status.js';
import type { ServerContext, WriteOptions } from './context.js';
import { collectionPrefix, decodeKv, objectKey } from './codec.js';
import type { CrdObject } from './crd.js';
import { resourcesFromCrd, storageVersion } from './crd.js';
import { deleteObject } from './handlers/delete.js';
import { guaranteedUpdate } from './handlers/write.js';
import { cloneJson } from '../base/json-clone.js';

export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

function internalWrite(): WriteOptions {
  return {
    dryRun: false,
    manager: 'kube-apiserver',
    explicitManager: true,
    fieldValidation: 'Ignore',
    warnings: [],
  };
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export class CrdLifecycle {
  readonly #ctx: ServerContext;
  readonly #crds: ResourceInfo;

  constructor(ctx: ServerContext) {
    this.#ctx = ctx;
    const crds = ctx.registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    if (!crds) throw new Error('customresourcedefinitions must be served');
    this.#crds = crds;
  }

  /** Registers every stored CRD (at start). */
  async loadAll(): Promise<void> {
    const all = await this.#ctx.store.range(collectionPrefix(this.#crds));
    for (const kv of all.kvs) await this.reconcile(decodeKv(this.#crds, kv).metadata.name ?? '');
  }

  /** Brings serving, status and cleanup of CRD `name` in line with its stored state. */
  async reconcile(name: string): Promise<void> {
    const kv = await this.#ctx.store.get(objectKey(this.#crds, undefined, name));
    if (!kv) {
      this.#ctx.registry.setCustom(name, []);
      return;
    }
    const crd = decodeKv(this.#crds, kv) as unknown as CrdObject & KubeObject;
    if (crd.metadata.deletionTimestamp !== undefined) {
      await this.#cleanup(crd);
      return;
    }
    const conflictWith = this.#nameConflict(crd);
    if (conflictWith === undefined) this.#ctx.registry.setCustom(name, resourcesFromCrd(crd));
    await this.#writeStatus(name, conflictWith);
  }

  /**
   * Re-reconciles terminating CRDs every few seconds until `signal` aborts, so a CRD whose
   * instances were held by finalizers goes away once they are released.
   */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.#ctx.clock.sleep(CLEANUP_RECHECK_MS, signal);
      } catch {
        return;
      }
      const all = await this.#ctx.store.range(collectionPrefix(this.#crds));
      for (const kv of all.kvs) {
        const crd = decodeKv(this.#crds, kv);
        if (crd.metadata.deletionTimestamp !== undefined) await this.reconcile(crd.metadata.name ?? '');
      }
    }
  }

  /** Deletes every instance not yet being deleted; returns how many instances remain. */
  async #deleteInstances(info: ResourceInfo): Promise<number> {
    const prefix = collectionPrefix(info);
    for (const kv of (await this.#ctx.store.range(prefix)).kvs) {
      const obj = decodeKv(info, kv);
      if (obj.metadata.deletionTimestamp !== undefined) continue;
      const target = { namespace: obj.metadata.namespace, name: obj.metadata.name ?? '', options: {} };
      try {
        await deleteObject(this.#ctx, info, target, internalWrite());
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    }
    return (await this.#ctx.store.range(prefix, { limit: 1 })).count;
  }

  #nameConflict(crd: CrdObject & KubeObject): string | undefined {
    const { group, names } = crd.spec;
    if (this.#ctx.registry.isBuiltinGroupResource(group, names.plural))
      return `"${names.plural}" is already in use`;
    for (const r of this.#ctx.registry.all()) {
      if (r.builtin || r.group !== group) continue;
      if (r.storagePrefix === `${group}/${names.plural}`) continue;
      if (r.kind === names.kind) return `"${names.kind}" is already in use`;
    }
    return undefined;
  }

  async #writeStatus(name: string, conflictWith: string | undefined): Promise<void> {
    const now = rfc3339Seconds(this.#ctx.clock.now());
    try {
      await guaranteedUpdate(
        this.#ctx,
        this.#crds,
        {
          namespace: undefined,
          name,
          scope: 'status',
          compute: (cur) => {
            const next = cloneJson(cur) as KubeObject;
            const spec = (next['spec'] ?? {}) as CrdObject['spec'];
            const status = (next['status'] ?? {}) as {
              conditions?: Condition[];
              acceptedNames?: unknown;
              storedVersions?: string[];
            };
            const accepted = conflictWith === undefined;
            const conds = status.conditions ?? [];
            status.conditions = [
              condition(conds, {
                type: 'NamesAccepted',
                ok: accepted,
                why: accepted ? ['NoConflicts', 'no conflicts found'] : ['NameConflict', conflictWith ?? ''],
                now,
              }),
              condition(conds, {
                type: 'Established',
                ok: accepted,
                why: accepted
                  ? ['InitialNamesAccepted', 'the initial names have been accepted']
                  : ['NotAccepted', 'not all names are accepted'],
                now,
              }),
            ];
            if (accepted) status.acceptedNames = spec.names;
            const storage = spec.versions.find((v) => v.storage === true)?.name;
            const stored = status.storedVersions ?? [];
            if (storage !== undefined && !stored.includes(storage)) stored.push(storage);
            status.storedVersions = stored;
            next['status'] = status;
            return { object: next };
          },
        },
        internalWrite(),
      );
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  /**
   * Deletes the CRD's instances through the normal delete path (their own finalizers hold them),
   * keeps serving them meanwhile so those finalizers can be removed, and releases the CRD's
   * cleanup finalizer once none is left. Re-run by `run` until then.
   */
  async #cleanup(crd: CrdObject & KubeObject): Promise<void> {
    const name = crd.metadata.name ?? '';
    if (!(crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) {
      this.#ctx.registry.setCustom(name, []);
      return;
    }
    const served = resourcesFromCrd(crd).map((info) => ({ ...info, terminating: true }));
    this.#ctx.registry.setCustom(name, served);
    const storage = served.find((i) => i.version === storageVersion(crd)) ?? served[0];
    if (storage && (await this.#deleteInstances(storage)) > 0) return;
    if (!storage) {
      // No served version: nothing can remove instance finalizers, so drop the stored instances.
      const prefix = `/registry/${crd.spec.group}/${crd.spec.names.plural}/`;
      for (const kv of (await this.#ctx.store.range(prefix)).kvs)
        await this.#ctx.store.delete(kv.key, kv.modRevision);
    }
    this.#ctx.registry.setCustom(name, []);
    try {
      await guaranteedUpdate(
        this.#ctx,
        this.#crds,
        {
          namespace: undefined,
          name: crd.metadata.name ?? '',
          scope: 'main',
          compute: (cur) => {
            const next = cloneJson(cur) as KubeObject;
            next.metadata.finalizers = (next.metadata.finalizers ?? []).filter(
              (f) => f !== CRD_CLEANUP_FINALIZER,
            );
            return { object: next };
          },
        },
        internalWrite(),
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** How often terminating CRDs are looked at again while their instances are being finalized. */
const CLEANUP_RECHECK_MS = 2000;

function condition(
  existing: readonly Condition[],
  c: { type: string; ok: boolean; why: [string, string]; now: string },
): Condition {
  const { type, ok, now } = c;
  const [reason, message] = c.why;
  const status = ok ? 'True' : 'False';
  const prev = existing.find((c) => c.type === type);
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : now,
  };
}
