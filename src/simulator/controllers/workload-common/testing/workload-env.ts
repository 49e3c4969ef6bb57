/**
 * Shared test plumbing for the workload controllers: object builders, readers of pods, events and
 * status, and a transport wrapper that holds back watch events of one resource (to test
 * controllers against a lagging cache).
 */
import type { ApiClient } from '../../../../client/api-client.js';
import type { Transport } from '../../../../client/transport.js';
import { isPodActive, isPodReady } from '../pod-state.js';
import type { Deployment, Pod, PodTemplate, ReplicaSet } from '../types.js';
import { PODS } from '../types.js';

/** A pod template with one container `app` running `image`. */
export function podTemplate(labels: Record<string, string>, image = 'nginx:1.25'): PodTemplate {
  return { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } };
}

/** A ReplicaSet selecting `app=<app>`. */
export function makeReplicaSet(
  name: string,
  o: { replicas: number; app?: string; minReadySeconds?: number; namespace?: string },
): ReplicaSet {
  const labels = { app: o.app ?? name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: o.namespace ?? 'default' },
    spec: {
      replicas: o.replicas,
      ...(o.minReadySeconds !== undefined ? { minReadySeconds: o.minReadySeconds } : {}),
      selector: { matchLabels: labels },
      template: podTemplate(labels),
    },
  };
}

/** A Deployment selecting `app=<name>`; `spec` fields override the defaults. */
export function makeDeployment(name: string, spec: Partial<Deployment['spec']> = {}): Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: labels }, template: podTemplate(labels), ...spec },
  };
}

/** Every pod of `namespace` (default `default`). */
export async function listPods(client: ApiClient, namespace = 'default'): Promise<Pod[]> {
  return (await client.list<Pod>({ ...PODS, namespace })).items;
}

/** Pods without deletionTimestamp that are not finished. */
export function activePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}

/** Active pods whose Ready condition is True. */
export function readyPods(pods: readonly Pod[]): Pod[] {
  return pods.filter((p) => isPodActive(p) && isPodReady(p));
}

/** `reason: message` of every Event about `name` in `default`, oldest first. */
export async function eventsFor(client: ApiClient, name: string): Promise<string[]> {
  const events = await client.list({ apiVersion: 'v1', plural: 'events', namespace: 'default' });
  return events.items
    .filter((e) => (e['involvedObject'] as { name?: string } | undefined)?.name === name)
    .map((e) => `${String(e['reason'])}: ${String(e['message'])}`);
}

/** Holds back the watch streams of one resource path while `held`. */
export class WatchGate {
  held = false;
  #waiters: (() => void)[] = [];

  /** Lets held events through and stops holding. */
  release(): void {
    this.held = false;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Wraps `inner` so watches of paths ending in `/<plural>` pass through this gate. */
  wrap(inner: Transport, plural: string): Transport {
    return {
      request: async (req) => {
        const res = await inner.request(req);
        if (req.query?.get('watch') !== 'true' || !req.path.endsWith(`/${plural}`) || !res.stream) return res;
        return { ...res, stream: this.#gated(res.stream) };
      },
    };
  }

  async *#gated(stream: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const chunk of stream) {
      while (this.held) await new Promise<void>((resolve) => this.#waiters.push(resolve));
      yield chunk;
    }
  }
}
