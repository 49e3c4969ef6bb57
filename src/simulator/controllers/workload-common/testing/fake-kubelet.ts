/**
 * A tiny stand-in for scheduler + kubelet in workload-controller tests: binds every pod to one
 * node, reports it Running, and Ready `readyAfterMs` of clock time later (never, for pods whose
 * behaviour is `never-ready` or `crash-loop`); finishes graceful deletions at once unless
 * `holdTerminating` is set. Driven by a `Controller`, so it runs on the test's FakeClock.
 */
import type { Clock } from '../../../../base/clock.js';
import { rfc3339Seconds } from '../../../../base/clock.js';
import type { Logger } from '../../../../base/logger.js';
import { isNotFound } from '../../../../api/status.js';
import type { ApiClient } from '../../../../client/api-client.js';
import type { Informer } from '../../../../client/informer.js';
import type { SharedInformers } from '../../../../client/shared-informers.js';
import { Controller } from '../../../../runtime/controller.js';
import { done, requeueAfter } from '../../../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../../../runtime/reconciler.js';
import type { Runnable } from '../../../../runtime/runnable.js';
import { podBehavior } from '../../../conventions.js';
import { isPodReady } from '../pod-state.js';
import type { Pod, PodCondition } from '../types.js';
import { PODS } from '../types.js';

/** Options of `FakeKubelet`. */
export interface FakeKubeletOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  node?: string;
  /** Clock time between Running and Ready (default 0: Ready at once). */
  readyAfterMs?: number;
}

/** Binds, starts and readies pods; deletes terminating ones. */
export class FakeKubelet implements Runnable, Reconciler {
  /** While true, pods with a deletionTimestamp stay Terminating. */
  holdTerminating = false;
  /** While true, new pods stay unscheduled and Pending. */
  holdNewPods = false;
  readonly #o: FakeKubeletOptions;
  readonly #pods: Informer<Pod>;
  readonly #controller: Controller;

  constructor(options: FakeKubeletOptions) {
    this.#o = options;
    this.#pods = options.informers.informer<Pod>(PODS);
    this.#controller = new Controller({
      name: 'fake-kubelet',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: 4,
      sources: [{ informer: this.#pods }],
    });
  }

  /** Runs until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** Lets held Terminating pods go. */
  releaseTerminating(): void {
    this.holdTerminating = false;
    this.#requeueAll();
  }

  /** Lets held new pods start. */
  releaseNewPods(): void {
    this.holdNewPods = false;
    this.#requeueAll();
  }

  #requeueAll(): void {
    for (const pod of this.#pods.list())
      this.#controller.enqueue(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
  }

  /** Moves one pod one step: delete if terminating, bind, run, ready. */
  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const pod = this.#pods.get(key);
    if (!pod) return done;
    const ref = { ...PODS, namespace: pod.metadata.namespace ?? 'default' };
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp !== undefined) {
      if (this.holdTerminating) return done;
      try {
        await this.#o.client.delete(ref, name, { gracePeriodSeconds: 0, signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return done;
    }
    if ((pod.spec?.nodeName ?? '') === '') {
      if (this.holdNewPods) return done;
      const binding = {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name },
        target: { kind: 'Node', name: this.#o.node ?? 'node-1' },
      };
      await this.#o.client.post(ref, { name, subresource: 'binding', body: binding }, { signal });
      return done;
    }
    const behavior = podBehavior(pod);
    const canBeReady = behavior === 'normal';
    const now = this.#o.clock.now();
    const delay = this.#o.readyAfterMs ?? 0;
    if (pod.status?.phase !== 'Running') {
      const ready = canBeReady && delay === 0;
      await this.#writeStatus(pod, { started: now, ready, signal });
      return canBeReady && !ready ? requeueAfter(delay) : done;
    }
    if (!canBeReady || isPodReady(pod)) return done;
    const startTime = pod.status['startTime'];
    const started = typeof startTime === 'string' ? Date.parse(startTime) : now;
    const left = started + delay - now;
    if (left > 0) return requeueAfter(left);
    await this.#writeStatus(pod, { started, ready: true, signal });
    return done;
  }

  async #writeStatus(pod: Pod, s: { started: number; ready: boolean; signal: AbortSignal }): Promise<void> {
    const now = rfc3339Seconds(this.#o.clock.now());
    const cond = (type: string, status: boolean): PodCondition => ({
      type,
      status: status ? 'True' : 'False',
      lastTransitionTime: now,
    });
    const containers = ((pod.spec?.['containers'] ?? []) as { name: string; image: string }[]).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: `${c.image}@sha256:0000000000000000000000000000000000000000000000000000000000000000`,
      containerID: `containerd://${c.name}`,
      ready: s.ready,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: rfc3339Seconds(s.started) } },
    }));
    const status = {
      phase: 'Running',
      conditions: [
        cond('Initialized', true),
        cond('Ready', s.ready),
        cond('ContainersReady', s.ready),
        cond('PodScheduled', true),
      ],
      hostIP: '10.0.0.1',
      podIP: '10.244.0.10',
      startTime: rfc3339Seconds(s.started),
      containerStatuses: containers,
    };
    await this.#o.client.updateStatus<Pod>(
      { ...PODS, namespace: pod.metadata.namespace ?? 'default' },
      { ...pod, status },
      { signal: s.signal },
    );
  }
}
