/**
 * The binding status controller: what a binding's Works report, gathered on the hub — the
 * binding's `status.aggregatedStatus` and `FullyApplied` condition, and its template's fleet-wide
 * status (a Deployment's replicas and ready replicas summed over the members). Karmada splits it
 * from the binding controller the same way: Works are written at once, while status, which
 * changes many times per placement, is bookkeeping that may wait (runtime/lanes.ts) and coalesce.
 * Level-based: it reacts to bindings' specs and to Works.
 */
import type { ResourceBinding } from '../../api/flotilla/binding.js';
import { aggregateStatus, aggregatesStatus } from '../../api/flotilla/interpret.js';
import type { InterpretedObject } from '../../api/flotilla/interpret.js';
import { workName, workNamespace } from '../../api/flotilla/work.js';
import type { Work } from '../../api/flotilla/work.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';
import { isConflict, isNotFound } from '../../api/status.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/api-client.js';
import {
  CLUSTER_RESOURCE_BINDINGS,
  RESOURCE_BINDINGS,
  WORKS,
  bindingOfKey,
  keyOf,
} from '../../client/flotilla-resources.js';
import type { Informer } from '../../client/informer.js';
import type { ResourceRef } from '../../client/resource-path.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import { Controller } from '../../runtime/controller.js';
import type { Lanes } from '../../runtime/lanes.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import { done, requeueAfter } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';
import { aggregate } from './aggregate.js';
import type { Aggregation } from './aggregate.js';
import { bindingKeysOfWork, generationOrDeletionChanged } from './keys.js';
import { Templates } from './templates.js';

export interface BindingStatusControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /**
   * How long a Work's change waits before its binding's status is gathered, so the Works of one
   * binding reporting one after another make one write (default 0: at once).
   */
  workDelayMs?: number;
  /** When given, status waits while the process's critical controllers have work. */
  lanes?: Lanes;
}

/** Keeps bindings' and templates' status true to the Works. */
export class BindingStatusController implements Runnable, Reconciler {
  readonly #o: BindingStatusControllerOptions;
  readonly #rb: Informer<ResourceBinding>;
  readonly #crb: Informer<ResourceBinding>;
  readonly #works: Informer<Work>;
  readonly #templates: Templates;
  readonly #controller: Controller;

  constructor(options: BindingStatusControllerOptions) {
    this.#o = options;
    const i = options.informers;
    this.#rb = i.informer<ResourceBinding>(RESOURCE_BINDINGS);
    this.#crb = i.informer<ResourceBinding>(CLUSTER_RESOURCE_BINDINGS);
    this.#works = i.informer<Work>(WORKS);
    this.#templates = new Templates({ client: options.client, informers: i, clock: options.clock });
    this.#controller = new Controller({
      name: 'binding-status',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      sources: [
        // Which clusters count comes from the spec; status writes are the scheduler's and its own.
        {
          informer: this.#rb as unknown as Informer,
          keys: (b) => [keyOf('rb', b)],
          relevant: generationOrDeletionChanged,
        },
        {
          informer: this.#crb as unknown as Informer,
          keys: (b) => [keyOf('crb', b)],
          relevant: generationOrDeletionChanged,
        },
        {
          informer: this.#works as unknown as Informer,
          keys: (w) => bindingKeysOfWork(w as Work),
          relevant: workStatusChanged,
          delayMs: options.workDelayMs ?? 0,
        },
      ],
      workers: 4,
      lane: { lanes: options.lanes, priority: 'background' },
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const binding = bindingOfKey(key, this.#rb, this.#crb);
    if (!binding || binding.metadata.deletionTimestamp) return done;
    const found = await this.#templates.of(binding, signal);
    if (found === 'kind not served') return requeueAfter(10_000);
    if (found === 'gone') return done;
    const name = workName(binding);
    const gathered = aggregate(binding, (c) => this.#works.get(`${workNamespace(c)}/${name}`));
    await this.#reportBinding(binding, gathered, signal);
    const written = await this.#reportTemplate(found, gathered.members, signal);
    // Someone else wrote the template meanwhile: again once the cache has their version.
    return written === 'conflict' ? requeueAfter(CONFLICT_RETRY_MS) : done;
  }

  /** Writes the binding's aggregated status and FullyApplied when they changed. */
  async #reportBinding(
    binding: ResourceBinding,
    { items, fullyApplied }: Aggregation,
    signal: AbortSignal,
  ): Promise<void> {
    const previous = binding.status?.conditions?.find((c) => c.type === 'FullyApplied');
    const now = new Date(this.#o.clock.now()).toISOString();
    // When each copy's health last changed, kept while it stays the same.
    const reported = new Map((binding.status?.aggregatedStatus ?? []).map((i) => [i.clusterName, i]));
    for (const item of items) {
      const old = reported.get(item.clusterName);
      item.healthSince = old?.health === item.health && old?.healthSince ? old.healthSince : now;
    }
    const conditions = [
      ...(binding.status?.conditions ?? []).filter((c) => c.type !== 'FullyApplied'),
      {
        ...fullyApplied,
        lastTransitionTime:
          previous?.status === fullyApplied.status ? (previous.lastTransitionTime ?? now) : now,
      },
    ];
    const before = {
      aggregatedStatus: binding.status?.aggregatedStatus ?? [],
      conditions: binding.status?.conditions ?? [],
    };
    const after = { aggregatedStatus: items, conditions };
    if (jsonEqual(before as unknown as JsonValue, after as unknown as JsonValue)) return;
    await this.#o.client.patch(
      binding.kind === 'ClusterResourceBinding'
        ? CLUSTER_RESOURCE_BINDINGS
        : { ...RESOURCE_BINDINGS, namespace: binding.metadata.namespace ?? '' },
      binding.metadata.name ?? '',
      {
        body: { metadata: { resourceVersion: binding.metadata.resourceVersion }, status: after },
        options: { type: 'merge', subresource: 'status', signal },
      },
    );
  }

  /** Writes the template's fleet-wide status (kinds whose status aggregates) when it changed. */
  async #reportTemplate(
    t: { template: KubeObject; ref: ResourceRef },
    members: Aggregation['members'],
    signal: AbortSignal,
  ): Promise<'conflict' | undefined> {
    const template = t.template as InterpretedObject;
    if (!aggregatesStatus(template.kind)) return undefined;
    const status = aggregateStatus(template, members);
    if (!status || jsonEqual(status as unknown as JsonValue, (template.status ?? {}) as unknown as JsonValue))
      return undefined;
    try {
      await this.#o.client.updateStatus(t.ref, { ...template, status }, { signal });
    } catch (err) {
      if (isConflict(err)) return 'conflict';
      if (!isNotFound(err)) throw err;
    }
    return undefined;
  }
}

const CONFLICT_RETRY_MS = 100;

/** Whether a Work changed in what its binding's status is gathered from. */
function workStatusChanged(before: KubeObject, after: KubeObject): boolean {
  return (
    before.metadata.deletionTimestamp !== after.metadata.deletionTimestamp ||
    !jsonEqual((before as Work).status as JsonValue, (after as Work).status as JsonValue) ||
    !jsonEqual(before.metadata.labels ?? {}, after.metadata.labels ?? {})
  );
}
