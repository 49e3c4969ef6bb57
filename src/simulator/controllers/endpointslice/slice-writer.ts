/**
 * Carries out a `SlicePlan` against the API server (kube's reconciler finalize step): creates,
 * then updates, then deletes, recording each write in `OwnWrites` so the next sync sees it even
 * before the informer does. Written slices carry the last-change trigger time and leave empty
 * lists out. A create refused because the namespace is terminating ends the pass quietly; any
 * other failure is thrown for the controller to retry.
 */
import { isNotFound, isStatusError } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { OwnWrites } from './own-writes.js';
import { TRIGGER_TIME_ANNOTATION } from './slice-model.js';
import type { EndpointSliceObject } from './slice-model.js';
import type { SlicePlan } from './slice-planner.js';

const SLICES = { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices' } as const;
const FIELD_MANAGER = 'kube-controller-manager';

/** How one plan is written: the Service key, its trigger time, cancellation. */
export interface SliceWrite {
  /** `namespace/name` of the Service (the OwnWrites group). */
  key: string;
  trigger: string | undefined;
  signal: AbortSignal;
}

/** Writes slice plans through `client`. */
export class SliceWriter {
  readonly #client: ApiClient;
  readonly #writes: OwnWrites<EndpointSliceObject>;

  constructor(client: ApiClient, writes: OwnWrites<EndpointSliceObject>) {
    this.#client = client;
    this.#writes = writes;
  }

  /** Applies `plan`; throws the first failure (other than a terminating namespace). */
  async apply(plan: SlicePlan, at: SliceWrite): Promise<void> {
    const { key, trigger, signal } = at;
    const ref = { ...SLICES, namespace: key.slice(0, key.indexOf('/')) };
    const opts = { signal, fieldManager: FIELD_MANAGER };
    for (const slice of plan.create) {
      try {
        this.#writes.written(key, await this.#client.create(ref, finish(slice, trigger), opts));
      } catch (err) {
        if (isStatusError(err) && err.code === 403) return; // the namespace is terminating
        throw err;
      }
    }
    for (const slice of plan.update) {
      try {
        this.#writes.written(key, await this.#client.update(ref, finish(slice, trigger), opts));
      } catch (err) {
        if (isNotFound(err)) this.#writes.deleted(key, slice.metadata.name ?? '');
        throw err;
      }
    }
    for (const slice of plan.remove) {
      const name = slice.metadata.name ?? '';
      try {
        await this.#client.delete(ref, name, { signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.#writes.deleted(key, name);
    }
  }
}

/** The slice as written: trigger-time annotation set, empty lists left out. */
function finish(slice: EndpointSliceObject, trigger: string | undefined): EndpointSliceObject {
  const out = { ...slice, metadata: { ...slice.metadata } };
  const annotations = { ...(out.metadata.annotations ?? {}) };
  if (trigger !== undefined) annotations[TRIGGER_TIME_ANNOTATION] = trigger;
  else delete annotations[TRIGGER_TIME_ANNOTATION];
  if (Object.keys(annotations).length > 0) out.metadata.annotations = annotations;
  else delete out.metadata.annotations;
  if ((out.endpoints ?? []).length === 0) delete out.endpoints;
  if ((out.ports ?? []).length === 0) delete out.ports;
  return out;
}
