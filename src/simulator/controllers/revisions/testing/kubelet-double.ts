/**
 * Test double for the simulated kubelet: the workload controller tests move pods through their
 * phases by writing pod status themselves, and finish graceful deletions.
 */
import type { Clock } from '../../../../base/clock.js';
import { rfc3339Seconds } from '../../../../base/clock.js';
import type { KubeObject } from '../../../../api/meta.js';
import { isConflict, isNotFound } from '../../../../api/status.js';
import type { ApiClient } from '../../../../client/api-client.js';
import { cloneJson } from '../../../../base/json-clone.js';

/** The state to give a pod: a phase and, for Running pods, readiness. */
export interface PodState {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  ready?: boolean;
}

/** Writes `state` into the status of pod `namespace/name` (retrying lost races). */
export async function setPodState(
  client: ApiClient,
  pod: { namespace: string; name: string },
  at: { state: PodState; clock: Clock },
): Promise<KubeObject> {
  const ref = { apiVersion: 'v1', plural: 'pods', namespace: pod.namespace };
  for (;;) {
    const current = await client.get(ref, pod.name);
    const now = rfc3339Seconds(at.clock.now());
    const ready = at.state.ready === true && at.state.phase === 'Running';
    const terminated = at.state.phase === 'Succeeded' || at.state.phase === 'Failed';
    const next = cloneJson(current);
    next['status'] = {
      phase: at.state.phase,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
      ...(terminated
        ? {
            containerStatuses: [
              {
                name: 'app',
                image: 'app',
                imageID: '',
                ready: false,
                restartCount: 0,
                state: {
                  terminated: {
                    exitCode: at.state.phase === 'Succeeded' ? 0 : 1,
                    finishedAt: now,
                    reason: at.state.phase === 'Succeeded' ? 'Completed' : 'Error',
                  },
                },
              },
            ],
          }
        : {}),
    };
    try {
      return await client.updateStatus(ref, next);
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
}

/** Completes the graceful deletion of a pod, as a kubelet does once its containers stopped. */
export async function finishDeletion(
  client: ApiClient,
  pod: { namespace: string; name: string },
): Promise<void> {
  try {
    await client.delete({ apiVersion: 'v1', plural: 'pods', namespace: pod.namespace }, pod.name, {
      gracePeriodSeconds: 0,
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** The pod `namespace/name`, or undefined when it does not exist. */
export async function getPod(
  client: ApiClient,
  pod: { namespace: string; name: string },
): Promise<KubeObject | undefined> {
  try {
    return await client.get({ apiVersion: 'v1', plural: 'pods', namespace: pod.namespace }, pod.name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
