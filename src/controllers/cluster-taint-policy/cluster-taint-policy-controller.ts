/**
 * The ClusterTaintPolicy controller: keeps each cluster's taints true to the policies that target
 * it (api/flotilla/cluster-taint-policy.ts says how). A cluster is looked at again when its
 * labels, spec or conditions change, and every cluster when a policy changes. `spec.taints` is
 * shared with the cluster-status controller (health taints) and `flotilla cordon`/`taint`, so the
 * write is guarded by the resourceVersion read; a lost race comes back with the cluster's update.
 * NoExecute taints a policy adds are acted on by the taint manager like any other.
 */
import type { Cluster } from '../../api/flotilla/cluster.js';
import { taintsUnderPolicies } from '../../api/flotilla/cluster-taint-policy.js';
import type { ClusterTaintPolicy } from '../../api/flotilla/cluster-taint-policy.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { JsonValue } from '../../api/meta.js';
import { isConflict, isNotFound } from '../../api/status.js';
import type { Taint } from '../../api/taints.js';
import { sameTaint } from '../../api/taints.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/api-client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { CLUSTERS, CLUSTER_TAINT_POLICIES } from '../../client/flotilla-resources.js';
import type { Informer } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import { Controller } from '../../runtime/controller.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import { done } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';

export interface ClusterTaintPolicyOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  recorder?: EventRecorder;
}

/** What of a cluster the policies look at: labels, spec (taints, region…) and condition statuses. */
function policyInputs(c: Cluster): string {
  return JSON.stringify([
    c.metadata.labels ?? {},
    c.spec ?? {},
    c.status?.conditions?.map((x) => [x.type, x.status]) ?? [],
  ]);
}

/** Taints clusters by the ClusterTaintPolicies that target them. */
export class ClusterTaintPolicyController implements Runnable, Reconciler {
  readonly #o: ClusterTaintPolicyOptions;
  readonly #clusters: Informer<Cluster>;
  readonly #policies: Informer<ClusterTaintPolicy>;
  readonly #controller: Controller;

  constructor(options: ClusterTaintPolicyOptions) {
    this.#o = options;
    this.#clusters = options.informers.informer<Cluster>(CLUSTERS);
    this.#policies = options.informers.informer<ClusterTaintPolicy>(CLUSTER_TAINT_POLICIES);
    const everyCluster = (): string[] => this.#clusters.list().map((c) => c.metadata.name ?? '');
    this.#controller = new Controller({
      name: 'cluster-taint-policy',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      sources: [
        {
          informer: this.#clusters,
          relevant: (a, b) => policyInputs(a) !== policyInputs(b),
        },
        { informer: this.#policies as unknown as Informer, keys: everyCluster },
      ],
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  async reconcile(name: string, signal: AbortSignal): Promise<Result> {
    const cluster = this.#clusters.get(name);
    if (!cluster || cluster.metadata.deletionTimestamp) return done;
    const before = cluster.spec?.taints ?? [];
    const now = new Date(this.#o.clock.now()).toISOString();
    const after = taintsUnderPolicies(cluster, this.#policies.list(), now);
    if (jsonEqual(before as unknown as JsonValue, after as unknown as JsonValue)) return done;
    let written: Cluster;
    try {
      written = await this.#o.client.patch<Cluster>(CLUSTERS, name, {
        body: { metadata: { resourceVersion: cluster.metadata.resourceVersion }, spec: { taints: after } },
        options: { type: 'merge', signal },
      });
    } catch (err) {
      if (isConflict(err) || isNotFound(err)) return done; // the cluster's next event brings it back
      throw err;
    }
    const added = after.filter((t) => !before.some((b) => sameTaint(b, t)));
    const removed = before.filter((t) => !after.some((a) => sameTaint(a, t)));
    const message = [
      added.length > 0 ? `added ${added.map(show).join(', ')}` : '',
      removed.length > 0 ? `removed ${removed.map(show).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    this.#o.recorder?.record(written, {
      type: 'Normal',
      reason: 'TaintsByPolicy',
      message: `By ClusterTaintPolicy: ${message}.`,
    });
    return done;
  }
}

const show = (t: Taint): string => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
