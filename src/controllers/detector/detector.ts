/**
 * The detector: matches resource templates to PropagationPolicies and ClusterPropagationPolicies
 * and keeps one binding per claimed template (Karmada's detector, ../shared/reference/karmada.md
 * §1.6). It watches only the kinds some policy selects — any kind the hub serves, CRDs included,
 * found through discovery — so an unused kind costs nothing.
 *
 * Per template (level-based): the claiming policy follows `claimingPolicy` (a claim stands unless
 * `preemption: Always` lets a better policy take over); the template is labelled with it; its
 * binding (`bindingFor`: replicas and requirements from the workload, the policy's placement and
 * priority, the previous decision kept) is created or updated, owned by the template so that
 * deleting the template deletes the binding. A template no policy selects any more loses its
 * labels; its binding is left as it is, so deleting a policy never tears workloads down.
 * Templates in reserved namespaces (`flotilla-system`, `flotilla-es-*`, `kube-*`) are ignored.
 */
import type { ResourceBinding } from '../../api/flotilla/binding.js';
import { bindingFor, bindingName } from '../../api/flotilla/binding-for.js';
import { claimingPolicy } from '../../api/flotilla/policy-match.js';
import type { PolicyObject } from '../../api/flotilla/policy-match.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';
import { isAlreadyExists } from '../../api/status.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/api-client.js';
import { KindResolver } from '../../client/discovery.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import {
  CLUSTER_PROPAGATION_POLICIES,
  CLUSTER_RESOURCE_BINDINGS,
  PRIORITY_CLASSES,
  PROPAGATION_POLICIES,
  RESOURCE_BINDINGS,
} from '../../client/flotilla-resources.js';
import type { Informer } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import { Controller } from '../../runtime/controller.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import { done, requeueAfter } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';
import { claimLabelPatch, claimLabels, claimOf, withClaimLabels } from './claim.js';
import { REQUIRED_BY_INDEX, releaseDependencies, requiredByKeys, syncDependencies } from './dependencies.js';
import { clustersWithCopies } from '../../api/flotilla/rebalance.js';

export interface DetectorOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  recorder?: EventRecorder;
}

/** Spec fields the detector owns on a binding (the scheduler owns `clusters`). */
const OWNED_SPEC_FIELDS = [
  'resource',
  'replicas',
  'replicaRequirements',
  'placement',
  'schedulePriority',
  'workloadAffinityGroups',
  'conflictResolution',
  'propagateDeps',
  'failover',
] as const;

/** Templates here are never propagated. */
export function reservedNamespace(namespace: string | undefined): boolean {
  return (
    namespace !== undefined &&
    (namespace === 'flotilla-system' || namespace.startsWith('flotilla-es-') || namespace.startsWith('kube-'))
  );
}

/** Claims templates for policies and keeps their bindings. */
export class Detector implements Runnable, Reconciler {
  readonly #o: DetectorOptions;
  readonly #log: Logger;
  readonly #pp: Informer<PolicyObject>;
  readonly #cpp: Informer<PolicyObject>;
  readonly #rb: Informer<ResourceBinding>;
  readonly #crb: Informer<ResourceBinding>;
  readonly #priorityClasses: Informer<KubeObject & { value?: number }>;
  readonly #controller: Controller;
  /** Template informers by `apiVersion|kind`. */
  readonly #kinds = new Map<string, Informer>();
  readonly #kindsServed: KindResolver;

  constructor(options: DetectorOptions) {
    this.#o = options;
    this.#log = options.log.child({ controller: 'detector' });
    this.#kindsServed = new KindResolver(options.client, { clock: options.clock });
    this.#pp = options.informers.informer<PolicyObject>(PROPAGATION_POLICIES);
    this.#cpp = options.informers.informer<PolicyObject>(CLUSTER_PROPAGATION_POLICIES);
    this.#rb = options.informers.informer<ResourceBinding>(RESOURCE_BINDINGS);
    this.#rb.addIndex(REQUIRED_BY_INDEX, requiredByKeys);
    this.#crb = options.informers.informer<ResourceBinding>(CLUSTER_RESOURCE_BINDINGS);
    this.#priorityClasses = options.informers.informer(PRIORITY_CLASSES);
    this.#controller = new Controller({
      name: 'detector',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      sources: [
        ...[this.#pp, this.#cpp].map((informer) => ({
          informer: informer as unknown as Informer,
          keys: (p: KubeObject) => this.#policyChanged(p as PolicyObject),
        })),
        // A PriorityClass changed: bindings may take their priority from it.
        {
          informer: this.#priorityClasses,
          keys: () =>
            [...this.#kinds].flatMap(([id, informer]) => informer.list().map((t) => templateKeyOf(id, t))),
        },
        // A workload binding that moved or went away: its dependencies follow.
        ...[this.#rb, this.#crb].map((informer) => ({
          informer: informer as unknown as Informer,
          keys: (b: KubeObject) => this.#bindingChanged(b as ResourceBinding),
        })),
      ],
      workers: 4,
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    if (key.startsWith('kinds|')) return this.#watchSelectedKinds(signal);
    if (key.startsWith('released|')) {
      const [, namespace, requirer] = key.split('|') as [string, string, string];
      await releaseDependencies(
        { client: this.#o.client, bindings: this.#rb, signal },
        { namespace, requirer },
      );
      return done;
    }
    const [apiVersion, kind, namespacedName] = key.split('|') as [string, string, string];
    const cached = this.#kinds.get(`${apiVersion}|${kind}`)?.get(namespacedName);
    if (!cached || cached.metadata.deletionTimestamp || reservedNamespace(cached.metadata.namespace))
      return done;
    const template = { ...cached, apiVersion, kind }; // list items need not carry them
    const policies = this.#policies();
    const policy = claimingPolicy(policies, template, claimOf(template));
    const labels = claimLabelPatch(template, policy ? claimLabels(policy) : {});
    if (labels) await this.#patchLabels(template, labels, signal);
    if (policy) {
      // Dependencies first, so their bindings exist before the workload can be placed.
      const binding = this.#rb.get(`${template.metadata.namespace ?? ''}/${bindingName(template)}`);
      const ctx = { client: this.#o.client, bindings: this.#rb, signal };
      await syncDependencies(ctx, {
        template,
        propagateDeps: policy.spec.propagateDeps === true,
        // Wherever a copy stays (an eviction or a rebalance in progress), its dependencies stay too.
        placed: binding ? clustersWithCopies(binding) : [],
      });
      await this.#syncBinding(template, policy, signal);
    }
    return done;
  }

  #policies(): PolicyObject[] {
    const live = (p: PolicyObject): boolean => !p.metadata.deletionTimestamp;
    return [
      ...this.#pp
        .list()
        .filter(live)
        .map((p) => ({ ...p, kind: 'PropagationPolicy' })),
      ...this.#cpp
        .list()
        .filter(live)
        .map((p) => ({ ...p, kind: 'ClusterPropagationPolicy' })),
    ];
  }

  /** The keys a workload binding's change brings back: its template, or its released dependencies. */
  #bindingChanged(b: ResourceBinding): string[] {
    const namespace = b.metadata.namespace;
    if (!namespace || !b.spec.propagateDeps) return [];
    const { apiVersion, kind, name } = b.spec.resource;
    const live = this.#rb.get(`${namespace}/${b.metadata.name ?? ''}`);
    return live
      ? [`${apiVersion}|${kind}|${namespace}/${name}`]
      : [`released|${namespace}|${b.metadata.name ?? ''}`];
  }

  /** A policy changed: watch the kinds it selects, and look at every template of them again. */
  #policyChanged(policy: PolicyObject): string[] {
    const keys = ['kinds|'];
    for (const s of policy.spec.resourceSelectors ?? []) {
      const informer = this.#kinds.get(`${s.apiVersion}|${s.kind}`);
      for (const t of informer?.list() ?? []) keys.push(templateKey(s.apiVersion, s.kind, t));
    }
    return keys;
  }

  /** Starts an informer for every kind a policy selects (discovery finds its resource). */
  async #watchSelectedKinds(signal: AbortSignal): Promise<Result> {
    const wanted = new Map<string, { apiVersion: string; kind: string }>();
    for (const p of this.#policies())
      for (const s of p.spec.resourceSelectors ?? [])
        if (s.apiVersion && s.kind) wanted.set(`${s.apiVersion}|${s.kind}`, s);
    let missing = false;
    for (const [id, { apiVersion, kind }] of wanted) {
      if (this.#kinds.has(id)) continue;
      const resource = await this.#kindsServed.resolve(apiVersion, kind, signal);
      if (!resource || resource.apiVersion !== apiVersion) {
        missing = true; // a CRD not served (yet): look again later
        continue;
      }
      const informer = this.#o.informers.informer({ apiVersion, plural: resource.plural });
      const enqueue = (t: KubeObject): void => this.#controller.enqueue(templateKey(apiVersion, kind, t));
      informer.addHandlers({
        onAdd: enqueue,
        // The fleet-wide status the binding status controller writes back changes nothing here.
        onUpdate: (before, after) => {
          if (templateChanged(before, after)) enqueue(after);
        },
      });
      this.#kinds.set(id, informer);
      this.#log.info({ apiVersion, kind }, 'watching templates');
    }
    return missing ? requeueAfter(15_000) : done;
  }

  async #patchLabels(
    template: KubeObject,
    labels: Record<string, string | null>,
    signal: AbortSignal,
  ): Promise<void> {
    const resource = this.#kindsServed.known(template.apiVersion, template.kind);
    if (!resource) return;
    await this.#o.client.patch(
      {
        apiVersion: template.apiVersion,
        plural: resource.plural,
        ...(template.metadata.namespace ? { namespace: template.metadata.namespace } : {}),
      },
      template.metadata.name ?? '',
      { body: { metadata: { labels } }, options: { type: 'merge', signal } },
    );
  }

  /** Creates the template's binding, or brings the fields the detector owns up to date. */
  async #syncBinding(template: KubeObject, policy: PolicyObject, signal: AbortSignal): Promise<void> {
    const namespace = template.metadata.namespace;
    const name = bindingName(template);
    const cluster = !namespace;
    const existing = (cluster ? this.#crb : this.#rb).get(namespace ? `${namespace}/${name}` : name);
    const priorityClasses = new Map(
      this.#priorityClasses
        .list()
        .map((pc) => [pc.metadata.name ?? '', typeof pc.value === 'number' ? pc.value : 0]),
    );
    const desired = bindingFor(template, policy, {
      previous: existing?.spec.clusters ?? [],
      priorityClasses,
    });
    const ref = cluster ? CLUSTER_RESOURCE_BINDINGS : { ...RESOURCE_BINDINGS, namespace };
    const owner = {
      apiVersion: template.apiVersion,
      kind: template.kind,
      name: template.metadata.name ?? '',
      uid: template.metadata.uid ?? '',
      controller: true,
      blockOwnerDeletion: true,
    };
    const labels = withClaimLabels(existing?.metadata.labels ?? {}, policy);
    if (!existing) {
      try {
        await this.#o.client.create(ref, {
          ...desired,
          metadata: { ...desired.metadata, labels, ownerReferences: [owner] },
        });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        return; // the cache was behind: the update event brings the key back
      }
      this.#applied(template, policy, 'created');
      return;
    }
    const spec = { ...existing.spec };
    for (const field of OWNED_SPEC_FIELDS) {
      const value = desired.spec[field];
      if (value === undefined) delete spec[field];
      else (spec as Record<string, unknown>)[field] = value;
    }
    if (
      jsonEqual(spec as unknown as JsonValue, existing.spec as unknown as JsonValue) &&
      jsonEqual(labels, existing.metadata.labels ?? {})
    )
      return;
    await this.#o.client.update(
      ref,
      { ...existing, metadata: { ...existing.metadata, labels }, spec },
      { signal },
    );
    this.#applied(template, policy, 'updated');
  }

  #applied(template: KubeObject, policy: PolicyObject, what: string): void {
    const ns = policy.metadata.namespace ? `${policy.metadata.namespace}/` : '';
    this.#o.recorder?.record(template, {
      type: 'Normal',
      reason: 'ApplyPolicySucceed',
      message: `Apply policy(${ns}${policy.metadata.name ?? ''}) succeed: binding ${bindingName(template)} ${what}`,
    });
  }
}

/** The queue key of template `t` of the kind `id` (`apiVersion|kind`). */
function templateKeyOf(id: string, t: KubeObject): string {
  const [apiVersion, kind] = id.split('|') as [string, string];
  return templateKey(apiVersion, kind, t);
}

/** The queue key of a template: `apiVersion|kind|namespace/name`. */
function templateKey(apiVersion: string, kind: string, t: KubeObject): string {
  const ns = t.metadata.namespace ? `${t.metadata.namespace}/` : '';
  return `${apiVersion}|${kind}|${ns}${t.metadata.name ?? ''}`;
}

/**
 * Whether a template changed in a way the detector cares about: anything but its status. Kinds
 * with a generation say so through it (plus metadata); others are compared whole, status aside.
 */
function templateChanged(before: KubeObject, after: KubeObject): boolean {
  const meta = (o: KubeObject): string =>
    JSON.stringify([
      o.metadata.labels ?? {},
      o.metadata.annotations ?? {},
      o.metadata.deletionTimestamp ?? '',
      o.metadata.ownerReferences ?? [],
    ]);
  if (before.metadata.generation !== undefined && after.metadata.generation !== undefined)
    return before.metadata.generation !== after.metadata.generation || meta(before) !== meta(after);
  const rest = (o: KubeObject): string => {
    const { status: _status, metadata, ...fields } = o as KubeObject & { status?: unknown };
    const { resourceVersion: _rv, managedFields: _mf, ...kept } = metadata;
    return JSON.stringify([kept, fields]);
  };
  return rest(before) !== rest(after);
}
