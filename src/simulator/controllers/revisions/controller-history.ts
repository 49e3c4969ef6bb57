/**
 * ControllerRevision history for StatefulSets and DaemonSets (kube `pkg/controller/history`):
 * each distinct pod template a workload has had is one apps/v1 ControllerRevision owned by it,
 * holding the strategic-merge patch that restores the template and a `revision` number. That is
 * what `kubectl rollout history` lists and `kubectl rollout undo` patches back.
 *
 * Reads come from the shared controllerrevisions informer, overlaid with this instance's own
 * writes until the informer has caught up with them, so one pass never misses the revision the
 * previous pass just created, renumbered or deleted.
 */
import type { JsonObject, JsonValue, KubeObject } from '../../../api/meta.js';
import { isAlreadyExists, isNotFound } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { Informer } from '../../../client/informer.js';
import { objectKey } from '../../../client/informer.js';
import type { ResourceRef } from '../../../client/resource-path.js';
import type { SharedInformers } from '../../../client/shared-informers.js';
import { canonicalJson } from './revision-hash.js';
import { controllerRefOf } from './workload-pods.js';
import type { PodTemplate } from './workload-pods.js';
import { cloneJson } from '../../../base/json-clone.js';

/** apps/v1 ControllerRevisions of every namespace. */
export const CONTROLLER_REVISIONS: ResourceRef = { apiVersion: 'apps/v1', plural: 'controllerrevisions' };

/** An apps/v1 ControllerRevision. */
export interface ControllerRevision extends KubeObject {
  data?: JsonValue;
  revision: number;
}

const OWNER_INDEX = 'workload-revisions/controller-uid';

/** The revision data of a template: `{"spec":{"template":{…,"$patch":"replace"}}}` (getPatch). */
export function templateRevisionData(template: PodTemplate): JsonObject {
  return { spec: { template: { ...(cloneJson(template) as JsonObject), $patch: 'replace' } } };
}

/** The pod template a revision restores (ApplyRevision), or undefined for foreign data. */
export function templateOfRevision(revision: ControllerRevision): PodTemplate | undefined {
  const data = revision.data as { spec?: { template?: JsonObject } } | undefined;
  const template = data?.spec?.template;
  if (template === undefined) return undefined;
  const copy = cloneJson(template);
  delete copy['$patch'];
  return copy;
}

/** Revisions by `revision`, ties broken by creation time then name (history.SortControllerRevisions). */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort(
    (a, b) =>
      a.revision - b.revision ||
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
}

/** True when two revisions restore the same state (history.EqualRevision, by data). */
export function sameData(a: ControllerRevision, b: ControllerRevision): boolean {
  return canonicalJson(a.data ?? null) === canonicalJson(b.data ?? null);
}

/** Options of `ControllerHistory`. */
export interface ControllerHistoryOptions {
  client: ApiClient;
  informers: SharedInformers;
}

/** Reads and writes the revisions of workloads. */
export class ControllerHistory {
  readonly #client: ApiClient;
  readonly #informer: Informer<ControllerRevision>;
  readonly #written = new Map<string, ControllerRevision>();
  readonly #deleted = new Set<string>();

  constructor(options: ControllerHistoryOptions) {
    this.#client = options.client;
    this.#informer = options.informers.informer<ControllerRevision>(CONTROLLER_REVISIONS);
    this.#informer.addIndex(OWNER_INDEX, (rev) => {
      const ref = controllerRefOf(rev);
      return ref ? [ref.uid] : [];
    });
    const seen = (rev: ControllerRevision): void => {
      const key = objectKey(rev);
      const mine = this.#written.get(key);
      if (mine && rv(rev) >= rv(mine)) this.#written.delete(key);
    };
    this.#informer.addHandlers({
      onAdd: seen,
      onUpdate: (_old, rev) => seen(rev),
      onDelete: (rev) => {
        this.#written.delete(objectKey(rev));
        this.#deleted.delete(objectKey(rev));
      },
    });
  }

  /** The shared informer (a controller lists it among its sources so it starts and syncs). */
  get informer(): Informer<ControllerRevision> {
    return this.#informer;
  }

  /** Revisions controlled by the object with `ownerUid`, sorted by revision. */
  owned(ownerUid: string): ControllerRevision[] {
    const byKey = new Map<string, ControllerRevision>();
    for (const rev of this.#informer.byIndex(OWNER_INDEX, ownerUid)) byKey.set(objectKey(rev), rev);
    for (const [key, rev] of this.#written) {
      const cached = byKey.get(key);
      if (controllerRefOf(rev)?.uid === ownerUid && (!cached || rv(rev) > rv(cached))) byKey.set(key, rev);
    }
    for (const key of this.#deleted) byKey.delete(key);
    return sortRevisions([...byKey.values()]);
  }

  /**
   * Creates the revision `build(collisionCount)` names. When that name is taken by a revision of
   * the same owner with the same data, answers it; when it is taken by anything else, bumps the
   * collision count and tries the next name (CreateControllerRevision).
   */
  async createUnique(
    build: (collisionCount: number) => ControllerRevision,
    at: { collisionCount: number; signal: AbortSignal },
  ): Promise<{ revision: ControllerRevision; collisionCount: number }> {
    let collisionCount = at.collisionCount;
    for (;;) {
      const wanted = build(collisionCount);
      const ref: ResourceRef = { ...CONTROLLER_REVISIONS, namespace: wanted.metadata.namespace ?? '' };
      try {
        const created = await this.#client.create<ControllerRevision>(ref, wanted, { signal: at.signal });
        this.#remember(created);
        return { revision: created, collisionCount };
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      const existing = await this.#client.get<ControllerRevision>(ref, wanted.metadata.name ?? '', {
        signal: at.signal,
      });
      const sameOwner =
        controllerRefOf(existing)?.uid === controllerRefOf(wanted)?.uid &&
        existing.metadata.deletionTimestamp === undefined;
      if (sameOwner && sameData(existing, wanted)) return { revision: existing, collisionCount };
      collisionCount++;
    }
  }

  /** Gives `revision` the number `n` (a rollback to it makes it the newest). Throws 409 on a race. */
  async renumber(revision: ControllerRevision, n: number, signal: AbortSignal): Promise<ControllerRevision> {
    if (revision.revision === n) return revision;
    const next = cloneJson(revision);
    next.revision = n;
    const ref: ResourceRef = { ...CONTROLLER_REVISIONS, namespace: revision.metadata.namespace ?? '' };
    const updated = await this.#client.update<ControllerRevision>(ref, next, { signal });
    this.#remember(updated);
    return updated;
  }

  /** Deletes `revision` (already gone is fine). */
  async remove(revision: ControllerRevision, signal: AbortSignal): Promise<void> {
    const ref: ResourceRef = { ...CONTROLLER_REVISIONS, namespace: revision.metadata.namespace ?? '' };
    try {
      await this.#client.delete(ref, revision.metadata.name ?? '', { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.#written.delete(objectKey(revision));
    if (this.#informer.get(objectKey(revision))) this.#deleted.add(objectKey(revision));
  }

  #remember(rev: ControllerRevision): void {
    const key = objectKey(rev);
    const cached = this.#informer.get(key);
    if (!cached || rv(cached) < rv(rev)) this.#written.set(key, rev);
  }
}

function rv(obj: KubeObject): number {
  return Number(obj.metadata.resourceVersion ?? 0);
}
