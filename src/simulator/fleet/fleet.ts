/**
 * A fleet of simulated clusters in one process. Each cluster has its own endpoint (endpoint.ts,
 * what kubeconfigs point at), and the fleet's shared HTTPS listener serves:
 * - `/clusters/<name>/...`: cluster `<name>`'s Kubernetes API (a kubeconfig server URL of
 *   `https://host:port/clusters/<name>` makes kubectl talk to it as well);
 * - `/fleet/v1/...` is the simulator's own control API: `GET clusters` lists the clusters, their
 *   faults and nodes; `POST clusters/<name>/fault` with `{"action":"down|partition|slow=MS|heal"}`
 *   and `POST clusters/<name>/nodes/<node>/fault` with `{"action":"down|up"}` inject faults.
 * Faults act at the HTTP edge (see faults.ts); node faults act inside the cluster (the node's
 * kubelet stops). Cluster state is never touched by a fault.
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { StatusError, badRequest, notFound } from '../../api/status.js';
import type { ApiRequest, ApiResponse } from '../../apiserver/request.js';
import { bodyText, jsonResponse } from '../../apiserver/request.js';
import { Manager } from '../../runtime/manager.js';
import type { SimCluster } from '../cluster/sim-cluster.js';
import { FaultActionError, FaultInjector, formatFault, parseFaultAction } from '../faults/faults.js';
import type { FleetSpec } from './fleet-spec.js';

const CLUSTER_PATH = /^\/clusters\/([^/]+)(\/.*)?$/;

/** The cluster a request path addresses, or undefined. */
export function clusterOfPath(path: string): string | undefined {
  return CLUSTER_PATH.exec(path)?.[1];
}

/** The path cluster `<name>` sees for a fleet path (`/clusters/a/api/v1` → `/api/v1`). */
export function innerClusterPath(path: string): string {
  const m = CLUSTER_PATH.exec(path);
  return m ? m[2] || '/' : path;
}

/** What node faults need from a cluster's simulated kubelet. */
export interface NodeFaults {
  nodeNames(): readonly string[];
  isNodeDown(name: string): boolean;
  setNodeDown(name: string, down: boolean): void;
}

/** A cluster of the fleet with its node controls. */
export interface FleetMember {
  cluster: SimCluster;
  nodes: NodeFaults;
}

/** Options of `Fleet`. */
export interface FleetOptions {
  spec: FleetSpec;
  clock: Clock;
  log: Logger;
  /** Builds the members (cluster + kubelet); see member-profile.ts. */
  members: readonly FleetMember[];
}

/** Routes requests to members and runs them all. */
export class Fleet {
  readonly spec: FleetSpec;
  readonly faults: FaultInjector;
  readonly #members = new Map<string, FleetMember>();
  readonly #urls = new Map<string, string>();
  readonly #log: Logger;

  constructor(options: FleetOptions) {
    this.spec = options.spec;
    this.#log = options.log;
    for (const m of options.members) this.#members.set(m.cluster.name, m);
    this.faults = new FaultInjector({ clock: options.clock, clusterOf: clusterOfPath });
  }

  /** The member named `name`. */
  member(name: string): FleetMember | undefined {
    return this.#members.get(name);
  }

  /** Records the URL of cluster `name`'s own endpoint, for the control API to report. */
  setUrl(name: string, url: string): void {
    this.#urls.set(name, url);
  }

  /** Every member, in fleet-file order. */
  members(): FleetMember[] {
    return [...this.#members.values()];
  }

  /** Resolves once every cluster answers requests. */
  async ready(): Promise<void> {
    await Promise.all(this.members().map((m) => m.cluster.ready));
  }

  /** Runs every cluster until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const manager = new Manager({ log: this.#log });
    for (const m of this.members()) manager.add(`cluster/${m.cluster.name}`, m.cluster);
    await manager.start(signal);
  }

  /** Answers a fleet request: a cluster's API or the control API. */
  async handle(req: ApiRequest): Promise<ApiResponse> {
    try {
      const name = clusterOfPath(req.path);
      if (name !== undefined) {
        const member = this.#members.get(name);
        if (!member) throw notFound('', 'clusters', name);
        return await member.cluster.handle({ ...req, path: innerClusterPath(req.path) });
      }
      if (req.path.startsWith('/fleet/v1/')) return this.#control(req);
      if (req.path === '/healthz' || req.path === '/readyz' || req.path === '/livez')
        return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' };
      throw notFound('', 'paths', req.path);
    } catch (err) {
      if (err instanceof StatusError) return jsonResponse(err.code, err.status);
      throw err;
    }
  }

  /** Applies a cluster fault action (`down`, `partition`, `slow=MS`, `heal`). */
  clusterFault(name: string, action: string): void {
    if (!this.#members.has(name)) throw notFound('', 'clusters', name);
    this.faults.apply(name, faultAction(action));
    this.#log.info({ cluster: name, action }, 'cluster fault');
  }

  /** Takes node `node` of cluster `name` down or brings it up. */
  nodeFault(name: string, node: string, action: string): void {
    const member = this.#members.get(name);
    if (!member) throw notFound('', 'clusters', name);
    if (!member.nodes.nodeNames().includes(node)) throw notFound('', 'nodes', node);
    if (action !== 'down' && action !== 'up')
      throw badRequest(`unknown node fault "${action}": use down or up`);
    member.nodes.setNodeDown(node, action === 'down');
    this.#log.info({ cluster: name, node, action }, 'node fault');
  }

  /** The fleet as the control API reports it. */
  describe(): { clusters: Record<string, unknown>[] } {
    return {
      clusters: this.members().map(({ cluster, nodes }) => ({
        name: cluster.name,
        region: cluster.spec.region,
        zones: cluster.spec.zones,
        provider: cluster.spec.provider,
        kubernetesVersion: cluster.spec.kubernetesVersion,
        labels: cluster.spec.labels,
        path: `/clusters/${cluster.name}`,
        url: this.#urls.get(cluster.name) ?? '',
        fault: formatFault(this.faults.get(cluster.name)),
        nodes: nodes.nodeNames().map((n) => ({ name: n, down: nodes.isNodeDown(n) })),
      })),
    };
  }

  #control(req: ApiRequest): ApiResponse {
    const rest = req.path.slice('/fleet/v1/'.length).split('/');
    if (req.method === 'GET' && rest.length === 1 && rest[0] === 'clusters')
      return jsonResponse(200, this.describe());
    if (req.method === 'POST' && rest[0] === 'clusters' && rest.at(-1) === 'fault') {
      const action = actionOf(req);
      const [, cluster = '', nodes, node] = rest;
      if (rest.length === 3) this.clusterFault(cluster, action);
      else if (rest.length === 5 && nodes === 'nodes' && node !== undefined)
        this.nodeFault(cluster, node, action);
      else throw notFound('', 'paths', req.path);
      return jsonResponse(200, this.describe());
    }
    throw notFound('', 'paths', req.path);
  }
}

function actionOf(req: ApiRequest): string {
  let body: unknown;
  try {
    body = JSON.parse(bodyText(req) || '{}');
  } catch {
    throw badRequest('the body must be JSON: {"action": "..."}');
  }
  const action = (body as { action?: unknown }).action;
  if (typeof action !== 'string') throw badRequest('action: required, e.g. {"action": "down"}');
  return action;
}

function faultAction(text: string): ReturnType<typeof parseFaultAction> {
  try {
    return parseFaultAction(text);
  } catch (err) {
    if (err instanceof FaultActionError) throw badRequest(err.message);
    throw err;
  }
}
