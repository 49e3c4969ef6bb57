/**
 * The templates bindings stand for (the Deployment a ResourceBinding propagates), read from the
 * shared informer of their kind, which is started the first time a binding of that kind is seen.
 * The binding controller and the binding status controller each hold one.
 */
import { bindingName } from '../../api/flotilla/binding-for.js';
import type { ResourceBinding } from '../../api/flotilla/binding.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';
import { isNotFound } from '../../api/status.js';
import type { Clock } from '../../base/clock.js';
import type { ApiClient } from '../../client/api-client.js';
import { KindResolver } from '../../client/discovery.js';
import { bindingKey } from '../../client/flotilla-resources.js';
import type { Informer } from '../../client/informer.js';
import type { ResourceRef } from '../../client/resource-path.js';
import type { SharedInformers } from '../../client/shared-informers.js';

/** A binding's template and where it lives, or why there is none. */
export type TemplateLookup = { template: KubeObject; ref: ResourceRef } | 'gone' | 'kind not served';

export interface TemplatesOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  /**
   * Called with a binding's key when its template appears or its content changes (not when only
   * its status does: that is the hub's own aggregation).
   */
  onChange?: (bindingKey: string) => void;
}

/** Finds bindings' templates. */
export class Templates {
  readonly #o: TemplatesOptions;
  readonly #kindsServed: KindResolver;
  /** Template kinds already followed (`apiVersion|kind`). */
  readonly #followed = new Set<string>();

  constructor(options: TemplatesOptions) {
    this.#o = options;
    this.#kindsServed = new KindResolver(options.client, { clock: options.clock });
  }

  /** The template of `binding`: from the shared cache once it is filled, else read. */
  async of(binding: ResourceBinding, signal: AbortSignal): Promise<TemplateLookup> {
    const { apiVersion, kind, namespace, name } = binding.spec.resource;
    const resource = await this.#kindsServed.resolve(apiVersion, kind, signal);
    if (!resource) return 'kind not served';
    const informer = this.#follow(apiVersion, kind, resource.plural);
    const ref = { apiVersion, plural: resource.plural, ...(namespace ? { namespace } : {}) };
    // A template the cache has not caught up with yet brings the binding back through onAdd.
    if (informer.hasSynced) {
      const cached = informer.get(namespace ? `${namespace}/${name}` : name);
      return cached ? { template: { ...cached, apiVersion, kind }, ref } : 'gone';
    }
    try {
      return { template: { ...(await this.#o.client.get(ref, name, { signal })), apiVersion, kind }, ref };
    } catch (err) {
      if (isNotFound(err)) return 'gone';
      throw err;
    }
  }

  /** The shared informer of a template kind, with `onChange` registered on it once. */
  #follow(apiVersion: string, kind: string, plural: string): Informer {
    const informer = this.#o.informers.informer({ apiVersion, plural });
    const id = `${apiVersion}|${kind}`;
    const onChange = this.#o.onChange;
    if (this.#followed.has(id) || !onChange) return informer;
    this.#followed.add(id);
    const changed = (t: KubeObject): void => {
      const ns = t.metadata.namespace;
      onChange(bindingKey(ns ? 'rb' : 'crb', ns, bindingName({ ...t, kind })));
    };
    informer.addHandlers({
      onAdd: changed,
      onUpdate: (before, after) => {
        if (contentChanged(before, after)) changed(after);
      },
    });
    return informer;
  }
}

/** Whether a template changed in anything but its status and bookkeeping metadata. */
function contentChanged(before: KubeObject, after: KubeObject): boolean {
  const { status: _b, metadata: mb, ...restBefore } = before as KubeObject & { status?: unknown };
  const { status: _a, metadata: ma, ...restAfter } = after as KubeObject & { status?: unknown };
  return (
    !jsonEqual(restBefore as JsonValue, restAfter as JsonValue) ||
    !jsonEqual(mb.labels ?? {}, ma.labels ?? {}) ||
    !jsonEqual(mb.annotations ?? {}, ma.annotations ?? {})
  );
}
