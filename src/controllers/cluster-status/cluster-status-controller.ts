/**
 * The cluster-status controller (push mode): every `probeIntervalMs` it asks each member's
 * `/readyz`, and while the member answers reads its version (`/version`); the reconciles that
 * node and pod changes cause in between reuse the last probe. It also reads the APIs it serves
 * (discovery, refreshed every `discoveryIntervalMs`) and node and resource summaries from
 * informers on the member's nodes and pods (never repeated full lists). The Ready condition
 * follows health.ts (grace period before NotReady/Unknown), and unhealthy clusters get the
 * `not-ready` / `unreachable` NoSchedule taints. Status is written when it changes, on this
 * controller's first probe of a cluster (so a restarted hub's heartbeat says it sees the member),
 * and at least every `heartbeatIntervalMs` (`lastHeartbeatTime`). Pull-mode clusters (their agent reports) and
 * clusters without `spec.secretRef` (whoever wrote them keeps their status) are left alone.
 */
import type { Cluster, ClusterStatus, Condition } from '../../api/flotilla/cluster.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { JsonValue } from '../../api/meta.js';
import { isNotFound } from '../../api/status.js';
import type { Taint } from '../../api/taints.js';
import type { Clock } from '../../base/clock.js';
import { withTimeout } from '../../base/clock.js';
import { errorMessage } from '../../base/errors.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/api-client.js';
import { discoverResources } from '../../client/discovery.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { CLUSTERS } from '../../client/flotilla-resources.js';
import { stripManagedFields } from '../../client/informer.js';
import type { Informer } from '../../client/informer.js';
import type { MemberClients } from '../../client/member-clients.js';
import { SharedInformers } from '../../client/shared-informers.js';
import { Controller } from '../../runtime/controller.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import { done, requeueAfter } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';
import { healthTaints, readyCondition } from './health.js';
import type { ProbeOutcome } from './health.js';
import { apiEnablements } from './enablements.js';
import { summarize } from './summaries.js';
import type { NodeLike, PodLike } from './summaries.js';

export interface ClusterStatusOptions {
  /** The hub. */
  client: ApiClient;
  informers: SharedInformers;
  members: MemberClients;
  clock: Clock;
  log: Logger;
  recorder?: EventRecorder;
  /** How often each member is probed (default 10 s). */
  probeIntervalMs?: number;
  /** How long a Ready member may fail probes before it turns NotReady/Unknown (default 40 s). */
  gracePeriodMs?: number;
  /**
   * How long a member stays NotReady/Unknown before it also gets the NoExecute health taint, which
   * evicts the workloads that do not tolerate it (undefined: never).
   */
  evictionDelayMs?: number;
  /** How long one probe may take (default 5 s). */
  probeTimeoutMs?: number;
  /** How often discovery is re-read (default 5 min). */
  discoveryIntervalMs?: number;
  /** Status is rewritten at least this often (default 60 s). */
  heartbeatIntervalMs?: number;
}

/** How long after a node or pod change the cluster is looked at again (changes batch up meanwhile). */
const SUMMARY_DELAY_MS = 1_000;

/** What the controller keeps per member between probes. */
interface MemberState {
  client: ApiClient;
  stop: AbortController;
  nodes: Informer<NodeLike>;
  pods: Informer<PodLike>;
  lastSuccessMs: number;
  /** The last probe: reused by the reconciles that pod and node changes cause until the next is due. */
  probed?: { atMs: number; probe: ProbeOutcome; version?: string };
  discoveredAtMs?: number;
  enablements?: ClusterStatus['apiEnablements'];
}

/** Keeps every push-mode Cluster's status true to its member. */
export class ClusterStatusController implements Runnable, Reconciler {
  readonly #o: ClusterStatusOptions;
  readonly #log: Logger;
  readonly #clusters: Informer<Cluster>;
  readonly #controller: Controller;
  readonly #members = new Map<string, MemberState>();
  /** Clusters whose status this controller has written: the first write always carries a heartbeat. */
  readonly #reported = new Set<string>();

  constructor(options: ClusterStatusOptions) {
    this.#o = options;
    this.#log = options.log.child({ controller: 'cluster-status' });
    this.#clusters = options.informers.informer<Cluster>(CLUSTERS);
    this.#controller = new Controller({
      name: 'cluster-status',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      sources: [{ informer: this.#clusters }],
      workers: 4,
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    try {
      await this.#controller.start(signal);
    } finally {
      for (const name of [...this.#members.keys()]) this.#forget(name);
    }
  }

  async reconcile(name: string, signal: AbortSignal): Promise<Result> {
    const cluster = this.#clusters.get(name);
    // As Karmada's: only push-mode clusters with credentials; others report their own status.
    if (
      !cluster ||
      cluster.metadata.deletionTimestamp ||
      cluster.spec?.syncMode === 'Pull' ||
      !cluster.spec?.secretRef
    ) {
      this.#forget(name);
      return done;
    }
    const interval = this.#o.probeIntervalMs ?? 10_000;
    const now = this.#o.clock.now();
    let member: MemberState | undefined;
    let probe: ProbeOutcome;
    let version: string | undefined;
    let probedAtMs = now;
    try {
      member = await this.#member(cluster, signal);
      ({ probe, version, atMs: probedAtMs } = await this.#probeIfDue(member, { now, interval, signal }));
    } catch (err) {
      if (signal.aborted) throw err;
      probe = { kind: 'unreachable', message: errorMessage(err) };
    }
    const previous = cluster.status?.conditions?.find((c) => c.type === 'Ready');
    const ready = readyCondition({
      probe,
      previous,
      lastSuccessMs: member?.lastSuccessMs,
      nowMs: now,
      graceMs: this.#o.gracePeriodMs ?? 40_000,
    });
    if (probe.kind === 'ready' && member) member.lastSuccessMs = probedAtMs;
    const status = await this.#statusOf(cluster, { ready, version, member, probe, signal });
    const { taints, nextMs } = healthTaints(cluster.spec?.taints ?? [], {
      ready,
      nowMs: now,
      ...(this.#o.evictionDelayMs !== undefined ? { evictionDelayMs: this.#o.evictionDelayMs } : {}),
    });
    const current = await this.#writeTaints(cluster, taints, signal);
    await this.#writeStatus(current, status, signal);
    if (previous?.status !== ready.status)
      this.#o.recorder?.record(cluster, {
        type: ready.status === 'True' ? 'Normal' : 'Warning',
        reason: ready.reason ?? 'ClusterReady',
        message: ready.message ?? '',
      });
    const nextProbeMs = probedAtMs + interval;
    return requeueAfter(Math.max(0, Math.min(nextProbeMs, nextMs ?? nextProbeMs) - now));
  }

  /** The member's client and watchers, (re)built when its credentials change. */
  async #member(cluster: Cluster, signal: AbortSignal): Promise<MemberState> {
    const name = cluster.metadata.name ?? '';
    const client = await this.#o.members.clientFor(cluster, signal);
    const known = this.#members.get(name);
    if (known?.client === client) return known;
    this.#forget(name);
    const stop = new AbortController();
    const informers = new SharedInformers({
      client,
      clock: this.#o.clock,
      log: this.#log.child({ cluster: name }),
      transform: stripManagedFields,
    });
    const state: MemberState = {
      client,
      stop,
      nodes: informers.informer<NodeLike>({ apiVersion: 'v1', plural: 'nodes' }),
      pods: informers.informer<PodLike>({ apiVersion: 'v1', plural: 'pods' }),
      // A member this controller has not probed yet counts from now, as kube-controller-manager
      // does for nodes: a restarted hub gives every Ready member its whole grace period.
      lastSuccessMs: known?.lastSuccessMs ?? this.#o.clock.now(),
    };
    // Capacity changes reach the Cluster within a second, not at the next probe: the scheduler
    // places replicas by it. (Of several pending requeues the earliest wins.)
    const changed = (): void => this.#controller.enqueueAfter(name, SUMMARY_DELAY_MS);
    for (const informer of [state.nodes, state.pods] as Informer[])
      informer.addHandlers({ onAdd: changed, onUpdate: changed, onDelete: changed });
    void informers.start(stop.signal);
    this.#members.set(name, state);
    return state;
  }

  #forget(name: string): void {
    this.#members.get(name)?.stop.abort();
    this.#members.delete(name);
    this.#reported.delete(name);
  }

  /** The member's last probe if it is younger than `interval`, else a new one (kept for the next calls). */
  async #probeIfDue(
    member: MemberState,
    at: { now: number; interval: number; signal: AbortSignal },
  ): Promise<NonNullable<MemberState['probed']>> {
    const { now } = at;
    if (member.probed && now - member.probed.atMs < at.interval) return member.probed;
    let outcome: { probe: ProbeOutcome; version?: string };
    try {
      outcome = await this.#probe(member, at.signal);
    } catch (err) {
      if (at.signal.aborted) throw err;
      outcome = { probe: { kind: 'unreachable', message: errorMessage(err) } };
    }
    member.probed = { atMs: now, ...outcome };
    return member.probed;
  }

  async #probe(member: MemberState, signal: AbortSignal): Promise<{ probe: ProbeOutcome; version?: string }> {
    const timeout = withTimeout(this.#o.clock, this.#o.probeTimeoutMs ?? 5_000, { signal, what: 'probe' });
    const options = { signal: timeout.signal };
    try {
      const readyz = await member.client.getText('/readyz', options);
      if (readyz.status !== 200)
        return {
          probe: {
            kind: 'not-ready',
            message: `/readyz answered ${readyz.status}: ${readyz.body.split('\n')[0] ?? ''}`.trim(),
          },
        };
      const info = await member.client.getPath<{ gitVersion?: string }>('/version', options);
      return { probe: { kind: 'ready' }, ...(info.gitVersion ? { version: info.gitVersion } : {}) };
    } finally {
      timeout.done();
    }
  }

  async #statusOf(
    cluster: Cluster,
    at: {
      ready: Condition;
      version: string | undefined;
      member: MemberState | undefined;
      probe: ProbeOutcome;
      signal: AbortSignal;
    },
  ): Promise<ClusterStatus> {
    const status: ClusterStatus = {
      ...cluster.status,
      conditions: [...(cluster.status?.conditions ?? []).filter((c) => c.type !== 'Ready'), at.ready],
    };
    if (at.version) status.kubernetesVersion = at.version;
    const member = at.member;
    if (at.probe.kind !== 'ready' || !member) return status;
    const now = this.#o.clock.now();
    if (
      member.discoveredAtMs === undefined ||
      now - member.discoveredAtMs >= (this.#o.discoveryIntervalMs ?? 300_000)
    ) {
      try {
        member.enablements = apiEnablements(await discoverResources(member.client, at.signal));
        member.discoveredAtMs = now;
      } catch (err) {
        this.#log.warn({ cluster: cluster.metadata.name, err: errorMessage(err) }, 'discovery failed');
      }
    }
    if (member.enablements) status.apiEnablements = member.enablements;
    if (member.nodes.hasSynced && member.pods.hasSynced)
      Object.assign(status, summarize(member.nodes.list(), member.pods.list()));
    return status;
  }

  /** Puts `wanted` (the health taints among them) on `cluster`'s spec; answers the cluster as stored. */
  async #writeTaints(cluster: Cluster, wanted: Taint[], signal: AbortSignal): Promise<Cluster> {
    const taints = cluster.spec?.taints ?? [];
    if (jsonEqual(wanted as unknown as JsonValue, taints as unknown as JsonValue)) return cluster;
    return this.#o.client.patch<Cluster>(CLUSTERS, cluster.metadata.name ?? '', {
      body: { metadata: { resourceVersion: cluster.metadata.resourceVersion }, spec: { taints: wanted } },
      options: { type: 'merge', signal },
    });
  }

  async #writeStatus(cluster: Cluster, status: ClusterStatus, signal: AbortSignal): Promise<void> {
    const { lastHeartbeatTime, ...before } = cluster.status ?? {};
    const { lastHeartbeatTime: _, ...after } = status;
    const now = this.#o.clock.now();
    const name = cluster.metadata.name ?? '';
    const stale =
      !this.#reported.has(name) ||
      !lastHeartbeatTime ||
      now - Date.parse(lastHeartbeatTime) >= (this.#o.heartbeatIntervalMs ?? 60_000);
    if (!stale && jsonEqual(before as unknown as JsonValue, after as unknown as JsonValue)) return;
    try {
      // A whole-status update: a merge patch would keep resources that vanished from a summary.
      await this.#o.client.updateStatus<Cluster>(
        CLUSTERS,
        {
          ...cluster,
          status: { ...after, lastHeartbeatTime: new Date(now).toISOString() },
        },
        { signal },
      );
      this.#reported.add(name);
    } catch (err) {
      if (isNotFound(err)) return; // the cluster was removed meanwhile
      throw err;
    }
  }
}
