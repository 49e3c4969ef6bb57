/**
 * The binding controller: turns each scheduled binding into one Work per target cluster, in
 * `flotilla-es-<cluster>`, holding the manifest that cluster gets — the template with the
 * cluster's share of the replicas (divided workloads), the override policies that apply, and the
 * tracking label and annotations (api/flotilla/work.ts). Works of clusters that left the decision
 * (unless a graceful eviction task still keeps the copy there), and of bindings that are gone, are
 * deleted (the execution controller then removes the member objects). What the Works report back
 * is the binding status controller's. Level-based: it reacts to bindings, Works, templates,
 * override policies and clusters; it is on the path a failover waits for, so it is a critical
 * controller (runtime/lanes.ts).
 */
import type { ResourceBinding } from '../../api/flotilla/binding.js';
import type { Cluster } from '../../api/flotilla/cluster.js';
import { clusterDefinitionChanged } from '../../api/flotilla/cluster.js';
import { bindingName } from '../../api/flotilla/binding-for.js';
import { workloadDependencies } from '../../api/flotilla/dependencies.js';
import { keptTargets } from '../../api/flotilla/rebalance.js';
import type { Dependency } from '../../api/flotilla/dependencies.js';
import { OverrideError, applicableOverrides, applyOverrides } from '../../api/flotilla/overrides.js';
import type { OverridePolicyObject } from '../../api/flotilla/overrides.js';
import {
  EXECUTION_FINALIZER,
  memberManifest,
  workLabels,
  workName,
  workNamespace,
} from '../../api/flotilla/work.js';
import type { Work } from '../../api/flotilla/work.js';
import { WORK_API_VERSION } from '../../api/flotilla/binding.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';
import { isAlreadyExists, isNotFound } from '../../api/status.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/api-client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import {
  CLUSTERS,
  CLUSTER_OVERRIDE_POLICIES,
  CLUSTER_RESOURCE_BINDINGS,
  OVERRIDE_POLICIES,
  RESOURCE_BINDINGS,
  WORKS,
  bindingOfKey,
  keyOf,
} from '../../client/flotilla-resources.js';
import type { Informer } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import { Controller } from '../../runtime/controller.js';
import type { Lanes } from '../../runtime/lanes.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import { done, requeueAfter } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';
import { bindingKeysOfWork, generationOrDeletionChanged } from './keys.js';
import { Templates } from './templates.js';

const NAMESPACES = { apiVersion: 'v1', plural: 'namespaces' };

export interface BindingControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  recorder?: EventRecorder;
  /** When given, this controller's waiting keys go before background work. */
  lanes?: Lanes;
}

/** Keeps the Works of every binding. */
export class BindingController implements Runnable, Reconciler {
  readonly #o: BindingControllerOptions;
  readonly #rb: Informer<ResourceBinding>;
  readonly #crb: Informer<ResourceBinding>;
  readonly #works: Informer<Work>;
  readonly #op: Informer<OverridePolicyObject>;
  readonly #cop: Informer<OverridePolicyObject>;
  readonly #clusters: Informer<Cluster>;
  readonly #controller: Controller;
  readonly #templates: Templates;
  /** The spec last written to each Work and the generation the server gave it. */
  readonly #written = new Map<string, { spec: string; generation: number }>();

  constructor(options: BindingControllerOptions) {
    this.#o = options;
    const i = options.informers;
    // A template that appears or changes brings its binding back.
    this.#templates = new Templates({
      client: options.client,
      informers: i,
      clock: options.clock,
      onChange: (key) => this.#controller.enqueue(key),
    });
    this.#rb = i.informer<ResourceBinding>(RESOURCE_BINDINGS);
    this.#crb = i.informer<ResourceBinding>(CLUSTER_RESOURCE_BINDINGS);
    this.#works = i.informer<Work>(WORKS);
    this.#op = i.informer<OverridePolicyObject>(OVERRIDE_POLICIES);
    this.#cop = i.informer<OverridePolicyObject>(CLUSTER_OVERRIDE_POLICIES);
    this.#clusters = i.informer<Cluster>(CLUSTERS);
    this.#works.addIndex('binding', bindingKeysOfWork);
    const all = (): string[] => [
      ...this.#rb.list().map((b) => keyOf('rb', b)),
      ...this.#crb.list().map((b) => keyOf('crb', b)),
    ];
    const source = <T extends KubeObject>(informer: Informer<T>, keys: (o: T) => string[]) => ({
      informer: informer as unknown as Informer,
      keys: (o: KubeObject) => keys(o as T),
    });
    this.#controller = new Controller({
      name: 'binding',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      sources: [
        // Status writes (the scheduler's, the binding status controller's) change nothing it derives.
        { ...source(this.#rb, (b) => [keyOf('rb', b)]), relevant: generationOrDeletionChanged },
        { ...source(this.#crb, (b) => [keyOf('crb', b)]), relevant: generationOrDeletionChanged },
        // A Work's spec (drift), labels (ownership) and deletion matter here; its status is the
        // binding status controller's.
        { ...source(this.#works, bindingKeysOfWork), relevant: workChanged },
        source(this.#op, all),
        source(this.#cop, all),
        // Overrides select clusters by name, labels and spec; status changes do not matter here.
        {
          ...source(this.#clusters, all),
          relevant: (a, b) => clusterDefinitionChanged(a, b),
        },
      ],
      workers: 16,
      lane: { lanes: options.lanes, priority: 'critical' },
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const binding = bindingOfKey(key, this.#rb, this.#crb);
    const existing = this.#works.byIndex('binding', key);
    if (!binding || binding.metadata.deletionTimestamp) {
      for (const w of existing) await this.#deleteWork(w, signal);
      return done;
    }
    const found = await this.#templates.of(binding, signal);
    // Not served (yet): look again later. Gone: the template informer brings the binding back if
    // it appears, and the binding's deletion removes its Works if it does not.
    if (found === 'kind not served') return requeueAfter(10_000);
    if (found === 'gone') return done;
    const { template } = found;
    const wanted = new Set<string>();
    const divided = binding.spec.placement?.replicaScheduling?.replicaSchedulingType === 'Divided';
    const overrides = applicableOverrides(this.#overridePolicies(), template);
    const deps = binding.spec.propagateDeps ? workloadDependencies(template) : [];
    let waiting = false;
    // During a rebalance the old decision's copies stay (keptTargets) until the new one is ready.
    for (const target of keptTargets(binding)) {
      const cluster = this.#clusters.get(target.name);
      if (!cluster) continue;
      if (!this.#dependenciesApplied(binding, deps, target.name)) {
        // Dependencies first: keep what the cluster has until they are applied there.
        waiting = true;
        wanted.add(workNamespace(target.name));
        continue;
      }
      const base = memberManifest(template, binding, {
        cluster: target.name,
        ...(divided && target.replicas !== undefined ? { replicas: target.replicas } : {}),
      });
      let manifest: KubeObject;
      try {
        manifest = applyOverrides(base, cluster, overrides).manifest;
      } catch (err) {
        if (!(err instanceof OverrideError)) throw err;
        this.#o.recorder?.record(template, {
          type: 'Warning',
          reason: 'OverridePolicyFailed',
          message: `${target.name}: ${err.message}`,
        });
        continue;
      }
      wanted.add(workNamespace(target.name));
      await this.#applyWork(binding, { cluster: target.name, manifest }, signal);
    }
    // A cluster the workload was evicted from keeps its copy until the eviction task ends.
    for (const task of binding.spec.gracefulEvictionTasks ?? []) wanted.add(workNamespace(task.fromCluster));
    for (const w of existing) if (!wanted.has(w.metadata.namespace ?? '')) await this.#deleteWork(w, signal);
    return waiting ? requeueAfter(1_000) : done;
  }

  /** True when every dependency binding that requires `binding` is applied in `cluster`. */
  #dependenciesApplied(binding: ResourceBinding, deps: readonly Dependency[], cluster: string): boolean {
    const namespace = binding.metadata.namespace ?? '';
    for (const dep of deps) {
      const name = bindingName({ apiVersion: dep.apiVersion, kind: dep.kind, metadata: { name: dep.name } });
      const depBinding = this.#rb.get(`${namespace}/${name}`);
      if (!depBinding?.spec.requiredBy?.some((r) => r.name === binding.metadata.name)) continue;
      const work = this.#works.get(
        `${workNamespace(cluster)}/${workName({ ...depBinding, kind: 'ResourceBinding' })}`,
      );
      if (!work?.status?.conditions?.some((c) => c.type === 'Applied' && c.status === 'True')) return false;
    }
    return true;
  }

  #overridePolicies(): OverridePolicyObject[] {
    return [
      ...this.#cop.list().map((p) => ({ ...p, kind: 'ClusterOverridePolicy' })),
      ...this.#op.list().map((p) => ({ ...p, kind: 'OverridePolicy' })),
    ];
  }

  async #applyWork(
    binding: ResourceBinding,
    target: { cluster: string; manifest: KubeObject },
    signal: AbortSignal,
  ): Promise<void> {
    const namespace = workNamespace(target.cluster);
    const name = workName(binding);
    const spec: Work['spec'] = {
      workload: { manifests: [target.manifest] },
      ...(binding.spec.conflictResolution ? { conflictResolution: binding.spec.conflictResolution } : {}),
    };
    const current = this.#works.get(`${namespace}/${name}`);
    if (current) {
      if (jsonEqual(current.spec as unknown as JsonValue, spec as unknown as JsonValue)) return;
      // What the server stored for this very spec last time (it may prune or default it): no loop.
      const written = this.#written.get(`${namespace}/${name}`);
      if (
        written !== undefined &&
        written.generation === current.metadata.generation &&
        written.spec === JSON.stringify(spec)
      )
        return;
      const stored = await this.#o.client.update<Work>(WORKS_IN(namespace), { ...current, spec }, { signal });
      this.#written.set(`${namespace}/${name}`, {
        spec: JSON.stringify(spec),
        generation: stored.metadata.generation ?? 0,
      });
      return;
    }
    const work: Work = {
      apiVersion: WORK_API_VERSION,
      kind: 'Work',
      metadata: { name, namespace, labels: workLabels(binding), finalizers: [EXECUTION_FINALIZER] },
      spec,
    };
    try {
      await this.#o.client.create(WORKS_IN(namespace), work, { signal });
    } catch (err) {
      if (isAlreadyExists(err)) return; // the cache was behind; the Work's event brings the key back
      if (!isNotFound(err)) throw err;
      await this.#ensureNamespace(namespace, signal);
      await this.#o.client.create(WORKS_IN(namespace), work, { signal });
    }
  }

  async #ensureNamespace(namespace: string, signal: AbortSignal): Promise<void> {
    try {
      await this.#o.client.create(
        NAMESPACES,
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
        { signal },
      );
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  async #deleteWork(work: Work, signal: AbortSignal): Promise<void> {
    this.#written.delete(`${work.metadata.namespace ?? ''}/${work.metadata.name ?? ''}`);
    try {
      await this.#o.client.delete(WORKS_IN(work.metadata.namespace ?? ''), work.metadata.name ?? '', {
        signal,
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

const WORKS_IN = (namespace: string) => ({ ...WORKS, namespace });

/** Whether a Work changed in what the binding controller derives or corrects (not its status or finalizers). */
function workChanged(before: KubeObject, after: KubeObject): boolean {
  return (
    generationOrDeletionChanged(before, after) ||
    !jsonEqual(before.metadata.labels ?? {}, after.metadata.labels ?? {})
  );
}
