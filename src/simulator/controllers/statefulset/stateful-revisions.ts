/**
 * The current and update revisions of a StatefulSet (kube `getStatefulSetRevisions` and
 * `truncateHistory`). The update revision is the one whose data equals the set's template: the
 * newest revision when the template did not change; an older one renumbered to the newest when
 * the template went back to it (a rollback reuses the revision, as `kubectl rollout undo`
 * expects); otherwise a new revision `<set>-<hash>`. The current revision is the one the status
 * names, or the update revision when there is none yet.
 */
import type { KubeObject } from '../../../api/meta.js';
import { sameData, templateOfRevision, templateRevisionData } from '../revisions/controller-history.js';
import type { ControllerHistory, ControllerRevision } from '../revisions/controller-history.js';
import { hashRevisionData } from '../revisions/revision-hash.js';
import { controllerRefTo } from '../revisions/workload-pods.js';
import { STATEFULSET_KIND, podRevision } from './stateful-pods.js';
import type { StatefulSet } from './stateful-pods.js';
import type { StatefulRevision } from './stateful-sync.js';

/** The label kube's controller history puts on StatefulSet revisions. */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** What a pass works with. */
export interface ResolvedRevisions {
  current: StatefulRevision;
  update: StatefulRevision;
  collisionCount: number;
}

/** The revision `set`'s template makes, numbered `revision` (newRevision). */
export function newStatefulRevision(
  set: StatefulSet,
  at: { revision: number; collisionCount: number },
): ControllerRevision {
  const data = templateRevisionData(set.spec.template);
  const hash = hashRevisionData(data, at.collisionCount);
  const metadata: KubeObject['metadata'] = {
    name: `${(set.metadata.name ?? '').slice(0, 223)}-${hash}`,
    namespace: set.metadata.namespace ?? 'default',
    labels: { ...(set.spec.template.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
    ownerReferences: [controllerRefTo(set, STATEFULSET_KIND)],
  };
  if (set.metadata.annotations) metadata.annotations = { ...set.metadata.annotations };
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata, data, revision: at.revision };
}

/**
 * Finds or makes the update revision and finds the current one. Writes at most one revision
 * (create or renumber); throws on API errors.
 */
export async function resolveRevisions(
  set: StatefulSet,
  at: { history: ControllerHistory; revisions: readonly ControllerRevision[]; signal: AbortSignal },
): Promise<ResolvedRevisions> {
  const { history, revisions, signal } = at;
  let collisionCount = set.status?.collisionCount ?? 0;
  const next = (revisions[revisions.length - 1]?.revision ?? 0) + 1;
  const wanted = newStatefulRevision(set, { revision: next, collisionCount });
  const equal = revisions.filter((r) => sameData(r, wanted));
  const newest = revisions[revisions.length - 1];
  const lastEqual = equal[equal.length - 1];
  let update: ControllerRevision;
  if (lastEqual && newest && lastEqual === newest) {
    update = newest;
  } else if (lastEqual) {
    update = await history.renumber(lastEqual, next, signal);
  } else {
    const made = await history.createUnique(
      (cc) => newStatefulRevision(set, { revision: next, collisionCount: cc }),
      {
        collisionCount,
        signal,
      },
    );
    update = made.revision;
    collisionCount = made.collisionCount;
  }
  const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current: asStateful(current, set), update: asStateful(update, set), collisionCount };
}

function asStateful(rev: ControllerRevision, set: StatefulSet): StatefulRevision {
  return { name: rev.metadata.name ?? '', template: templateOfRevision(rev) ?? set.spec.template };
}

/**
 * Deletes the oldest revisions no pod, current or update revision uses, keeping
 * `revisionHistoryLimit` (default 10) of them.
 */
export async function truncateHistory(
  set: StatefulSet,
  at: {
    history: ControllerHistory;
    pods: readonly KubeObject[];
    live: readonly string[];
    signal: AbortSignal;
  },
): Promise<void> {
  const live = new Set(at.live);
  for (const pod of at.pods) live.add(podRevision(pod));
  const old = at.history.owned(set.metadata.uid ?? '').filter((r) => !live.has(r.metadata.name ?? ''));
  const excess = old.length - (set.spec.revisionHistoryLimit ?? 10);
  for (const rev of old.slice(0, Math.max(0, excess))) await at.history.remove(rev, at.signal);
}
