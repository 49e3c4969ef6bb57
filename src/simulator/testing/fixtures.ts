/**
 * Fixture builders for member-cluster objects: `makeNode('n1').cpu('4').memory('8Gi').obj()`,
 * `makePod('web-1').ns('default').requests({ cpu: '100m' }).obj()`. Each `obj()` returns a fresh
 * object, so one builder can stamp out several.
 */
import type { KubeObject } from '../../api/meta.js';
import { cloneJson } from '../../base/json-clone.js';

interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Builds a v1 Node as a registered kubelet would leave it (Ready unless told otherwise). */
export class NodeBuilder {
  #labels: Record<string, string>;
  #capacity: Record<string, string> = { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  #taints: Taint[] = [];
  #unschedulable = false;
  #ready = 'True';

  constructor(readonly name: string) {
    this.#labels = {
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
    };
  }

  cpu(q: string): this {
    this.#capacity['cpu'] = q;
    return this;
  }
  memory(q: string): this {
    this.#capacity['memory'] = q;
    return this;
  }
  pods(n: number): this {
    this.#capacity['pods'] = String(n);
    return this;
  }
  labels(labels: Record<string, string>): this {
    this.#labels = { ...this.#labels, ...labels };
    return this;
  }
  taint(taint: Taint): this {
    this.#taints.push(taint);
    return this;
  }
  unschedulable(): this {
    this.#unschedulable = true;
    return this;
  }
  notReady(): this {
    this.#ready = 'False';
    return this;
  }

  obj(): KubeObject {
    const spec: Record<string, unknown> = {};
    if (this.#taints.length > 0) spec['taints'] = cloneJson(this.#taints);
    if (this.#unschedulable) spec['unschedulable'] = true;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: this.name, labels: { ...this.#labels } },
      spec,
      status: {
        capacity: { ...this.#capacity },
        allocatable: { ...this.#capacity },
        conditions: [{ type: 'Ready', status: this.#ready, reason: 'KubeletReady', message: '' }],
        addresses: [{ type: 'Hostname', address: this.name }],
      },
    };
  }
}

/** Starts a Node builder. */
export function makeNode(name: string): NodeBuilder {
  return new NodeBuilder(name);
}

/** Builds a v1 Pod with one container (`app`, image `nginx`). */
export class PodBuilder {
  #namespace = 'default';
  #labels: Record<string, string> = {};
  #annotations: Record<string, string> = {};
  #requests: Record<string, string> = {};
  #spec: Record<string, unknown> = {};
  #owner: KubeObject | undefined;
  #image = 'nginx';

  constructor(readonly name: string) {}

  ns(namespace: string): this {
    this.#namespace = namespace;
    return this;
  }
  labels(labels: Record<string, string>): this {
    this.#labels = { ...this.#labels, ...labels };
    return this;
  }
  annotations(annotations: Record<string, string>): this {
    this.#annotations = { ...this.#annotations, ...annotations };
    return this;
  }
  requests(requests: Record<string, string>): this {
    this.#requests = { ...this.#requests, ...requests };
    return this;
  }
  image(image: string): this {
    this.#image = image;
    return this;
  }
  /** Merges fields into `spec` (nodeName, nodeSelector, affinity, tolerations, restartPolicy…). */
  spec(fields: Record<string, unknown>): this {
    this.#spec = { ...this.#spec, ...fields };
    return this;
  }
  /** Adds a controller ownerReference to `owner` (which must have a uid). */
  ownedBy(owner: KubeObject): this {
    this.#owner = owner;
    return this;
  }

  obj(): KubeObject {
    const container: Record<string, unknown> = { name: 'app', image: this.#image };
    if (Object.keys(this.#requests).length > 0) container['resources'] = { requests: { ...this.#requests } };
    const metadata: KubeObject['metadata'] = { name: this.name, namespace: this.#namespace };
    if (Object.keys(this.#labels).length > 0) metadata.labels = { ...this.#labels };
    if (Object.keys(this.#annotations).length > 0) metadata.annotations = { ...this.#annotations };
    if (this.#owner) {
      metadata.ownerReferences = [
        {
          apiVersion: this.#owner.apiVersion ?? '',
          kind: this.#owner.kind ?? '',
          name: this.#owner.metadata.name ?? '',
          uid: this.#owner.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ];
    }
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata,
      spec: { containers: [container], ...cloneJson(this.#spec) },
    };
  }
}

/** Starts a Pod builder. */
export function makePod(name: string): PodBuilder {
  return new PodBuilder(name);
}
