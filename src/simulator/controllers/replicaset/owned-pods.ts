/**
 * Incremental bookkeeping of the pods each ReplicaSet controls, so a sync costs O(1) instead of
 * O(pods): pod events (from the shared informer) move one pod's facts in and out of its owner's
 * counters — active, ready, fully labelled, available, and the active pods that stopped matching
 * the selector (to release).
 *
 * Invariants: a bucket holds every cached pod whose controller reference names its UID; its
 * counters always equal a full recount against the spec it was last `ensure`d with (selector,
 * template labels, minReadySeconds) — a changed spec recounts once. Availability only grows with
 * time, so ready pods wait in `pending` until `available(now)` finds them past minReadySeconds.
 */
import { matchesLabels } from '../../../api/labels/selector.js';
import type { LabelSelector } from '../../../api/labels/selector.js';
import type { Informer } from '../../../client/informer.js';
import { controllerRefOf, selectorOf } from '../workload-common/ownership.js';
import { isPodActive, isPodReady, podKey, podReadyTime } from '../workload-common/pod-state.js';
import type { Pod, ReplicaSet } from '../workload-common/types.js';

interface OwnerSpec {
  key: string;
  selector: LabelSelector;
  templateLabels: [string, string][];
  minReadyMs: number;
}

interface Facts {
  active: boolean;
  matches: boolean;
  ready: boolean;
  fullyLabeled: boolean;
  readySince: number | undefined;
}

/** The pods of one ReplicaSet and their counters. Read-only outside this module. */
export class PodBucket {
  readonly pods = new Map<string, Pod>();
  /** Active pods that match the selector: the ReplicaSet's replicas. */
  active = 0;
  ready = 0;
  fullyLabeled = 0;
  /** Active pods that no longer match the selector. */
  readonly mismatched = new Set<string>();
  readonly #facts = new Map<string, Facts>();
  readonly #pending = new Map<string, number | undefined>();
  readonly #available = new Set<string>();
  #spec: OwnerSpec | undefined;

  /** Active matching pods that have been Ready for longer than minReadySeconds at `now`. */
  available(now: number): number {
    const spec = this.#spec;
    if (!spec || spec.minReadyMs === 0) return this.ready;
    for (const [key, since] of this.#pending) {
      if (since === undefined || since + spec.minReadyMs >= now) continue;
      this.#pending.delete(key);
      this.#available.add(key);
    }
    return this.#available.size;
  }

  /** Active pods matching the selector (materialized: O(pods), for scale-down only). */
  activePods(): Pod[] {
    const out: Pod[] = [];
    for (const [key, f] of this.#facts) if (f.active && f.matches) out.push(this.pods.get(key) as Pod);
    return out;
  }

  /** Active pods that stopped matching the selector. */
  mismatchedPods(): Pod[] {
    return [...this.mismatched].map((key) => this.pods.get(key) as Pod);
  }

  /** Recounts when the owner's selector, template labels or minReadySeconds changed. */
  ensure(spec: OwnerSpec): void {
    if (this.#spec?.key === spec.key) return;
    this.#spec = spec;
    this.active = this.ready = this.fullyLabeled = 0;
    this.mismatched.clear();
    this.#facts.clear();
    this.#pending.clear();
    this.#available.clear();
    for (const [key, pod] of this.pods) this.#add(key, pod);
  }

  /** Adds or replaces the pod under `key`. */
  put(key: string, pod: Pod): void {
    this.remove(key);
    this.pods.set(key, pod);
    this.#add(key, pod);
  }

  /** Drops the pod under `key`, if present. */
  remove(key: string): void {
    const f = this.#facts.get(key);
    if (f) this.#count(key, f, -1);
    this.#facts.delete(key);
    this.pods.delete(key);
  }

  #add(key: string, pod: Pod): void {
    const spec = this.#spec;
    if (!spec) return;
    const labels = pod.metadata.labels ?? {};
    const f: Facts = {
      active: isPodActive(pod),
      matches: matchesLabels(spec.selector, labels),
      ready: isPodReady(pod),
      fullyLabeled: spec.templateLabels.every(([k, v]) => labels[k] === v),
      readySince: podReadyTime(pod),
    };
    this.#facts.set(key, f);
    this.#count(key, f, 1);
  }

  #count(key: string, f: Facts, sign: 1 | -1): void {
    if (!f.active) return;
    if (!f.matches) {
      if (sign > 0) this.mismatched.add(key);
      else this.mismatched.delete(key);
      return;
    }
    this.active += sign;
    if (f.fullyLabeled) this.fullyLabeled += sign;
    if (!f.ready) return;
    this.ready += sign;
    if (sign > 0) this.#pending.set(key, f.readySince);
    else {
      this.#pending.delete(key);
      this.#available.delete(key);
    }
  }
}

/** Buckets of pods by controller UID, kept current from the pod informer's events. */
export class OwnedPods {
  readonly #buckets = new Map<string, PodBucket>();

  constructor(pods: Informer<Pod>) {
    pods.addHandlers({
      onAdd: (pod) => this.#put(pod),
      onUpdate: (old, cur) => {
        const before = controllerRefOf(old)?.uid;
        if (before !== undefined && before !== controllerRefOf(cur)?.uid) this.#remove(before, old);
        this.#put(cur);
      },
      onDelete: (pod) => {
        const uid = controllerRefOf(pod)?.uid;
        if (uid !== undefined) this.#remove(uid, pod);
      },
    });
  }

  /** The bucket of `rs`, counted against its current spec. */
  of(rs: ReplicaSet): PodBucket {
    const uid = rs.metadata.uid ?? '';
    let bucket = this.#buckets.get(uid);
    if (!bucket) this.#buckets.set(uid, (bucket = new PodBucket()));
    bucket.ensure(ownerSpec(rs));
    return bucket;
  }

  /** Pods whose controller is `uid` (any state). */
  podsOf(uid: string): Pod[] {
    return [...(this.#buckets.get(uid)?.pods.values() ?? [])];
  }

  /** Drops the bucket of a deleted owner once it holds no pods. */
  forget(uid: string): void {
    if (this.#buckets.get(uid)?.pods.size === 0) this.#buckets.delete(uid);
  }

  #put(pod: Pod): void {
    const uid = controllerRefOf(pod)?.uid;
    if (uid === undefined) return;
    let bucket = this.#buckets.get(uid);
    if (!bucket) this.#buckets.set(uid, (bucket = new PodBucket()));
    bucket.put(podKey(pod), pod);
  }

  #remove(uid: string, pod: Pod): void {
    const bucket = this.#buckets.get(uid);
    if (!bucket) return;
    bucket.remove(podKey(pod));
    if (bucket.pods.size === 0) this.#buckets.delete(uid);
  }
}

const specs = new WeakMap<ReplicaSet, OwnerSpec>();

function ownerSpec(rs: ReplicaSet): OwnerSpec {
  let spec = specs.get(rs);
  if (!spec) {
    const templateLabels = Object.entries(rs.spec.template.metadata?.labels ?? {});
    const minReadyMs = (rs.spec.minReadySeconds ?? 0) * 1000;
    spec = {
      key: JSON.stringify([rs.metadata.uid, rs.spec.selector, templateLabels, minReadyMs]),
      selector: selectorOf(rs),
      templateLabels,
      minReadyMs,
    };
    specs.set(rs, spec);
  }
  return spec;
}
