/**
 * The writes of a DaemonSet pass (kube `syncNodes` over `controller.RealPodControl`): expectations
 * are set before anything is written, creations go out in slow-start batches (1, 2, 4, …; a
 * failing batch stops the rest, which are un-expected), deletions in parallel. Events match
 * RealPodControl: `SuccessfulCreate` "Created pod: <name>", `SuccessfulDelete` "Deleted pod: <name>".
 */
import { errorMessage } from '../../../base/errors.js';
import { isNotFound } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventInfo, EventRecorder } from '../../../client/event-recorder.js';
import type { Expectations } from '../revisions/expectations.js';
import { PODS } from '../revisions/workload-pods.js';
import type { Pod } from '../revisions/workload-pods.js';
import { newDaemonPod } from './daemon-pods.js';
import type { DaemonSet } from './daemon-pods.js';
import { allSpread } from '../../../base/spread.js';

/** Options of `DaemonPodWriter`. */
export interface DaemonPodWriterOptions {
  client: ApiClient;
  expectations: Expectations;
  recorder?: EventRecorder;
}

/** What one `sync` writes. */
export interface DaemonWrites {
  /** The DaemonSet's key, under which expectations are kept. */
  key: string;
  createOn: readonly string[];
  remove: readonly Pod[];
  /** Pods of nodes that no longer exist: bound ones are deleted at once (grace 0). */
  orphaned?: readonly Pod[];
  hash: string;
  signal: AbortSignal;
}

/** Creates and deletes daemon pods. */
export class DaemonPodWriter {
  readonly #o: DaemonPodWriterOptions;

  constructor(options: DaemonPodWriterOptions) {
    this.#o = options;
  }

  /** Writes everything in `w`; throws the first failure after trying the rest. */
  async sync(ds: DaemonSet, w: DaemonWrites): Promise<void> {
    const orphaned = w.orphaned ?? [];
    if (w.createOn.length + w.remove.length + orphaned.length === 0) return;
    const { expectations } = this.#o;
    expectations.expect(w.key, {
      creations: w.createOn.length,
      deletions: w.remove.length + orphaned.length,
    });
    const errors: unknown[] = [];
    let pos = 0;
    for (
      let batch = Math.min(1, w.createOn.length);
      pos < w.createOn.length;
      batch = Math.min(batch * 2, w.createOn.length - pos)
    ) {
      const nodes = w.createOn.slice(pos, pos + batch);
      pos += nodes.length;
      const failed = (await allSpread(nodes.map((node) => () => this.#create(ds, node, w)))).filter(
        (e) => e !== undefined,
      );
      if (failed.length > 0) {
        errors.push(...failed);
        for (let i = pos; i < w.createOn.length; i++) expectations.creationObserved(w.key);
        break;
      }
    }
    const deletions = [
      ...w.remove.map((pod) => () => this.#delete(ds, pod, { w, force: false })),
      ...orphaned.map((pod) => () => this.#delete(ds, pod, { w, force: (pod.spec?.nodeName ?? '') !== '' })),
    ];
    errors.push(...(await allSpread(deletions)).filter((e) => e !== undefined));
    if (errors.length > 0)
      throw new Error(`daemon set ${w.key}: ${errors.map(errorMessage).join('; ')}`, { cause: errors[0] });
  }

  async #create(ds: DaemonSet, node: string, w: DaemonWrites): Promise<unknown> {
    const pod = newDaemonPod(ds, node, w.hash);
    try {
      const created = await this.#o.client.create<Pod>(
        { ...PODS, namespace: pod.metadata.namespace ?? '' },
        pod,
        {
          signal: w.signal,
        },
      );
      this.#event(ds, {
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: `Created pod: ${created.metadata.name ?? ''}`,
      });
      return undefined;
    } catch (err) {
      this.#o.expectations.creationObserved(w.key);
      this.#event(ds, {
        type: 'Warning',
        reason: 'FailedCreate',
        message: `Error creating: ${errorMessage(err)}`,
      });
      return err;
    }
  }

  async #delete(ds: DaemonSet, pod: Pod, at: { w: DaemonWrites; force: boolean }): Promise<unknown> {
    const ns = pod.metadata.namespace ?? '';
    try {
      await this.#o.client.delete({ ...PODS, namespace: ns }, pod.metadata.name ?? '', {
        signal: at.w.signal,
        ...(at.force ? { gracePeriodSeconds: 0 } : {}),
        ...(pod.metadata.uid !== undefined ? { preconditions: { uid: pod.metadata.uid } } : {}),
      });
      this.#event(ds, {
        type: 'Normal',
        reason: 'SuccessfulDelete',
        message: `Deleted pod: ${pod.metadata.name ?? ''}`,
      });
      return undefined;
    } catch (err) {
      this.#o.expectations.deletionObserved(at.w.key);
      if (isNotFound(err)) return undefined;
      this.#event(ds, {
        type: 'Warning',
        reason: 'FailedDelete',
        message: `Error deleting: ${errorMessage(err)}`,
      });
      return err;
    }
  }

  #event(ds: DaemonSet, event: EventInfo): void {
    this.#o.recorder?.record(ds, event);
  }
}
