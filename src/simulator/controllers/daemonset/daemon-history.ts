/**
 * DaemonSet revision history (kube `constructHistory`, `snapshot`, `cleanupHistory`): the
 * revision whose data equals the current template is current (renumbered to the newest when an
 * older one is reused, e.g. after `kubectl rollout undo`); otherwise a new revision
 * `<ds>-<hash>` is made. Its `controller-revision-hash` label is the hash new pods carry.
 */
import type { JsonValue, KubeObject } from '../../../api/meta.js';
import { sameData, templateRevisionData } from '../revisions/controller-history.js';
import type { ControllerHistory, ControllerRevision } from '../revisions/controller-history.js';
import { hashPodTemplate } from '../revisions/revision-hash.js';
import { controllerRefTo } from '../revisions/workload-pods.js';
import { DAEMONSET_KIND, REVISION_LABEL } from './daemon-pods.js';
import type { DaemonSet } from './daemon-pods.js';

/** The current revision, the others, and the collision count used to name the current one. */
export interface DaemonHistory {
  current: ControllerRevision;
  old: ControllerRevision[];
  collisionCount: number | undefined;
}

/** The revision for `ds`'s template numbered `revision` (snapshot). */
export function newDaemonRevision(
  ds: DaemonSet,
  at: { revision: number; collisionCount: number | undefined },
): ControllerRevision {
  const hash = hashPodTemplate(ds.spec.template as unknown as JsonValue, at.collisionCount);
  const metadata: KubeObject['metadata'] = {
    name: `${ds.metadata.name ?? ''}-${hash}`,
    namespace: ds.metadata.namespace ?? 'default',
    labels: { ...(ds.spec.template.metadata?.labels ?? {}), [REVISION_LABEL]: hash },
    ownerReferences: [controllerRefTo(ds, DAEMONSET_KIND)],
  };
  if (ds.metadata.annotations) metadata.annotations = { ...ds.metadata.annotations };
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata,
    data: templateRevisionData(ds.spec.template),
    revision: at.revision,
  };
}

/** Finds or makes the current revision; drops duplicate current revisions. Throws on API errors. */
export async function constructHistory(
  ds: DaemonSet,
  at: { history: ControllerHistory; signal: AbortSignal },
): Promise<DaemonHistory> {
  const { history, signal } = at;
  const revisions = history.owned(ds.metadata.uid ?? '');
  const probe = newDaemonRevision(ds, { revision: 0, collisionCount: undefined });
  const matching = revisions.filter((r) => sameData(r, probe));
  const old = revisions.filter((r) => !matching.includes(r));
  const next = Math.max(0, ...old.map((r) => r.revision)) + 1;
  let collisionCount = ds.status?.collisionCount;
  let current = matching[matching.length - 1];
  if (!current) {
    const made = await history.createUnique(
      (cc) =>
        newDaemonRevision(ds, {
          revision: next,
          collisionCount: cc === 0 && collisionCount === undefined ? undefined : cc,
        }),
      { collisionCount: collisionCount ?? 0, signal },
    );
    current = made.revision;
    if (made.collisionCount > 0 || collisionCount !== undefined) collisionCount = made.collisionCount;
  } else {
    // dedupCurHistories: keep the newest equal revision.
    for (const dup of matching.slice(0, -1)) await history.remove(dup, signal);
    if (current.revision < next) current = await history.renumber(current, next, signal);
  }
  return { current, old, collisionCount };
}

/** Deletes the oldest revisions no pod runs, keeping `revisionHistoryLimit` (default 10) of them. */
export async function cleanupHistory(
  ds: DaemonSet,
  at: {
    history: ControllerHistory;
    old: readonly ControllerRevision[];
    pods: readonly KubeObject[];
    signal: AbortSignal;
  },
): Promise<void> {
  let excess = at.old.length - (ds.spec.revisionHistoryLimit ?? 10);
  if (excess <= 0) return;
  const live = new Set<string | undefined>(at.pods.map((p) => p.metadata.labels?.[REVISION_LABEL]));
  live.delete(undefined);
  for (const rev of [...at.old].sort((a, b) => a.revision - b.revision)) {
    if (excess <= 0) return;
    if (live.has(rev.metadata.labels?.[REVISION_LABEL])) continue;
    await at.history.remove(rev, at.signal);
    excess--;
  }
}
