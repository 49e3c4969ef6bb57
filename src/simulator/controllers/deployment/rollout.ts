/**
 * The state of one Deployment sync and the writes it makes (the parts of kube's
 * DeploymentController that touch the API): a working copy of the Deployment whose status and
 * revision annotation the sync edits, the claimed ReplicaSets (replaced by the server's answer
 * after each write, so later steps of the same sync do not write from stale copies), ReplicaSet
 * scaling with its ScalingReplicaSet events, and the Deployment status write.
 *
 * The API server keeps metadata unchanged on status writes, so a changed revision annotation is
 * written first through the main resource (kube's Deployment status strategy would take it with
 * the status); both writes use optimistic concurrency, and a 409 is thrown for a retry.
 */
import type { Clock } from '../../../base/clock.js';
import { rfc3339Seconds } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventRecorder, EventInfo } from '../../../client/event-recorder.js';
import type { Informer } from '../../../client/informer.js';
import type { Deployment, Pod, ReplicaSet } from '../workload-common/types.js';
import { DEPLOYMENTS, FIELD_MANAGER, REPLICASETS, specReplicas } from '../workload-common/types.js';
import { replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './annotations.js';
import { maxSurge } from './strategy.js';
import { cloneJson } from '../../../base/json-clone.js';

/** The Deployment kind, for owner references and events. */
export const DEPLOYMENT_KIND = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;
const REPLICASET_KIND = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

/** What a sync reads and writes through. */
export interface RolloutDeps {
  client: ApiClient;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  replicaSets: Informer<ReplicaSet>;
  pods: Informer<Pod>;
}

/** One sync of one Deployment. */
export class Rollout {
  /** The working copy: the sync edits its status and annotations. */
  readonly d: Deployment;
  /** The Deployment's ReplicaSets, as last read or written. */
  rsList: ReplicaSet[];
  /** Set when the Deployment should be looked at again after this many ms (progress checks). */
  requeueAfterMs: number | undefined;
  readonly deps: RolloutDeps;
  readonly signal: AbortSignal;
  #storedAnnotations: string;

  constructor(deps: RolloutDeps, d: Deployment, o: { rsList: ReplicaSet[]; signal: AbortSignal }) {
    this.deps = deps;
    this.d = d;
    this.rsList = o.rsList;
    this.signal = o.signal;
    this.#storedAnnotations = JSON.stringify(d.metadata.annotations ?? {});
  }

  /** Clock time in ms. */
  now(): number {
    return this.deps.clock.now();
  }

  /** Clock time as a condition timestamp. */
  nowText(): string {
    return rfc3339Seconds(this.deps.clock.now());
  }

  /** Records an event about the Deployment. */
  record(event: EventInfo): void {
    this.deps.recorder.record({ ...this.d, ...DEPLOYMENT_KIND }, event);
  }

  /** Writes the working copy's revision annotation (if changed) and status (UpdateStatus). */
  async updateStatus(): Promise<void> {
    const ref = { ...DEPLOYMENTS, namespace: this.d.metadata.namespace ?? '' };
    const annotations = JSON.stringify(this.d.metadata.annotations ?? {});
    if (annotations !== this.#storedAnnotations) {
      const written = await this.deps.client.update<Deployment>(
        ref,
        { ...this.d, ...DEPLOYMENT_KIND },
        {
          fieldManager: FIELD_MANAGER,
          signal: this.signal,
        },
      );
      this.d.metadata.resourceVersion = written.metadata.resourceVersion ?? '';
      this.#storedAnnotations = annotations;
    }
    const written = await this.deps.client.updateStatus<Deployment>(
      ref,
      { ...this.d, ...DEPLOYMENT_KIND },
      {
        fieldManager: FIELD_MANAGER,
        signal: this.signal,
      },
    );
    this.d.metadata.resourceVersion = written.metadata.resourceVersion ?? '';
  }

  /** PUTs a ReplicaSet (a copy the caller edited) and remembers the server's answer. */
  async updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const ref = { ...REPLICASETS, namespace: rs.metadata.namespace ?? '' };
    const written = await this.deps.client.update<ReplicaSet>(
      ref,
      { ...rs, ...REPLICASET_KIND },
      {
        fieldManager: FIELD_MANAGER,
        signal: this.signal,
      },
    );
    this.remember(written);
    return written;
  }

  /** Replaces the ReplicaSet with the same UID in `rsList` (or adds it). */
  remember(rs: ReplicaSet): void {
    const i = this.rsList.findIndex((x) => x.metadata.uid === rs.metadata.uid);
    if (i >= 0) this.rsList[i] = rs;
    else this.rsList.push(rs);
  }

  /** Scales `rs` to `newScale` if it differs (scaleReplicaSetAndRecordEvent). */
  async scaleAndRecord(rs: ReplicaSet, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scale(rs, { newScale, operation: specReplicas(rs) < newScale ? 'up' : 'down' });
  }

  /**
   * Sets `rs`'s size and replica annotations when either differs (scaleReplicaSet); records
   * `Scaled <op> replica set <name> to <new> from <old>` when the size changed.
   */
  async scale(
    rs: ReplicaSet,
    o: { newScale: number; operation: string },
  ): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const desired = specReplicas(this.d);
    const annotations = { desired, max: desired + maxSurge(this.d) };
    const sizeChanges = specReplicas(rs) !== o.newScale;
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, annotations)) return { scaled: false, rs };
    const oldScale = specReplicas(rs);
    const copy = cloneJson(rs);
    copy.spec.replicas = o.newScale;
    setReplicasAnnotations(copy, annotations);
    const written = await this.updateReplicaSet(copy);
    if (sizeChanges)
      this.record({
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled ${o.operation} replica set ${written.metadata.name ?? ''} to ${o.newScale} from ${oldScale}`,
      });
    return { scaled: sizeChanges, rs: written };
  }
}
