/**
 * The create/delete half of a ReplicaSet sync (kube's `manageReplicas` + `RealPodControl`): too
 * few pods → create up to `burstReplicas` from the template in slow-start batches; too many →
 * delete the best-ranked victims concurrently. Expectations are recorded before the writes, so a
 * sync that runs before the informer has seen them does nothing; writes that fail are taken back
 * out of the expectations at once. Events: SuccessfulCreate / FailedCreate / SuccessfulDelete /
 * FailedDelete, worded as kube's.
 */
import { isNotFound, isStatusError } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventRecorder } from '../../../client/event-recorder.js';
import { asError, errorMessage } from '../../../base/errors.js';
import type { ControllerExpectations } from '../workload-common/expectations.js';
import { newControllerRef } from '../workload-common/ownership.js';
import { podsToDelete } from '../workload-common/pod-ranking.js';
import { podKey } from '../workload-common/pod-state.js';
import { slowStartBatch } from '../workload-common/slow-start.js';
import type { Pod, ReplicaSet } from '../workload-common/types.js';
import { FIELD_MANAGER, PODS, specReplicas } from '../workload-common/types.js';
import { cloneJson } from '../../../base/json-clone.js';
import { settleSpread } from '../../../base/spread.js';

/** The ReplicaSet kind, for owner references and events. */
export const REPLICASET_KIND = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

/** What `manageReplicas` writes through. */
export interface ReplicaManager {
  client: ApiClient;
  recorder: EventRecorder;
  expectations: ControllerExpectations;
  /** Most pods created or deleted in one pass (kube's burstReplicas, 500). */
  burstReplicas: number;
}

/** One pass over one ReplicaSet. */
export interface ManagePass {
  /** The ReplicaSet's work-queue key. */
  key: string;
  /** How many active pods it controls. */
  active: number;
  /** Those pods, computed on demand (scale-down only). */
  pods: () => readonly Pod[];
  /** Pods of every ReplicaSet under the same controller (for spreading), computed on demand. */
  related: () => readonly Pod[];
  now: number;
  signal: AbortSignal;
}

/** Creates or deletes pods toward `spec.replicas`; throws the first write failure after recording it. */
export async function manageReplicas(m: ReplicaManager, rs: ReplicaSet, pass: ManagePass): Promise<void> {
  const diff = pass.active - specReplicas(rs);
  if (diff < 0) {
    const count = Math.min(-diff, m.burstReplicas);
    m.expectations.expectCreations(pass.key, count);
    const result = await slowStartBatch(count, () => createPod(m, rs, pass.signal));
    // Pods never attempted (or failed) will not be observed: stop waiting for them.
    for (let i = result.successes; i < count; i++) m.expectations.creationObserved(pass.key);
    if (result.error !== undefined) throw asError(result.error);
  } else if (diff > 0) {
    const count = Math.min(diff, m.burstReplicas);
    const pods = pass.pods();
    const related = count < pods.length ? pass.related() : [];
    const victims = podsToDelete(pods, { count, related, now: pass.now });
    m.expectations.expectDeletions(pass.key, victims.map(podKey));
    const results = await settleSpread(
      victims.map((pod) => () => deletePod(m, rs, { pod, signal: pass.signal })),
    );
    let firstError: unknown;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      const victim = victims[i];
      if (victim) m.expectations.deletionObserved(pass.key, podKey(victim));
      if (!isNotFound(r.reason) && firstError === undefined) firstError = r.reason;
    });
    if (firstError !== undefined) throw asError(firstError);
  }
}

/** The pod kube's GetPodFromTemplate builds: template labels/annotations/finalizers/spec, owned by `rs`. */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const template = rs.spec.template;
  const metadata: Pod['metadata'] = { generateName: `${rs.metadata.name ?? ''}-` };
  const meta = template.metadata ?? {};
  if (meta.labels && Object.keys(meta.labels).length > 0) metadata.labels = { ...meta.labels };
  if (meta.annotations && Object.keys(meta.annotations).length > 0)
    metadata.annotations = { ...meta.annotations };
  if (meta.finalizers && meta.finalizers.length > 0) metadata.finalizers = [...meta.finalizers];
  metadata.ownerReferences = [newControllerRef(rs, REPLICASET_KIND)];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: cloneJson(template.spec ?? {}) };
}

async function createPod(m: ReplicaManager, rs: ReplicaSet, signal: AbortSignal): Promise<void> {
  const pod = podFromTemplate(rs);
  if (pod.metadata.labels === undefined) throw new Error('unable to create pods, no labels');
  const ref = { ...PODS, namespace: rs.metadata.namespace ?? 'default' };
  try {
    const created = await m.client.create<Pod>(ref, pod, { fieldManager: FIELD_MANAGER, signal });
    m.recorder.record(eventObject(rs), {
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `Created pod: ${created.metadata.name ?? ''}`,
    });
  } catch (err) {
    // Creates into a terminating namespace are refused for good; there is nothing to report.
    if (namespaceTerminating(err)) return;
    m.recorder.record(eventObject(rs), {
      type: 'Warning',
      reason: 'FailedCreate',
      message: `Error creating: ${errorMessage(err)}`,
    });
    throw err;
  }
}

async function deletePod(
  m: ReplicaManager,
  rs: ReplicaSet,
  o: { pod: Pod; signal: AbortSignal },
): Promise<void> {
  const { pod, signal } = o;
  const ref = { ...PODS, namespace: rs.metadata.namespace ?? 'default' };
  const name = pod.metadata.name ?? '';
  try {
    await m.client.delete(ref, name, { signal });
  } catch (err) {
    if (!isNotFound(err))
      m.recorder.record(eventObject(rs), {
        type: 'Warning',
        reason: 'FailedDelete',
        message: `Error deleting: ${errorMessage(err)}`,
      });
    throw err;
  }
  m.recorder.record(eventObject(rs), {
    type: 'Normal',
    reason: 'SuccessfulDelete',
    message: `Deleted pod: ${name}`,
  });
}

/** The ReplicaSet with its kind set (list items may lack it), for the event's involvedObject. */
function eventObject(rs: ReplicaSet): ReplicaSet {
  return { ...rs, ...REPLICASET_KIND };
}

/** kube marks these with a NamespaceTerminating cause; the message is the same everywhere. */
function namespaceTerminating(err: unknown): boolean {
  if (!isStatusError(err)) return false;
  const causes: { reason: string }[] = err.status.details?.causes ?? [];
  return (
    causes.some((c) => c.reason === 'NamespaceTerminating') ||
    (err.code === 403 && err.message.endsWith('because it is being terminated'))
  );
}
