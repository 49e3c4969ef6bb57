/**
 * Namespace status conditions as kube's namespace controller writes them while a namespace
 * terminates (`NamespaceDeletionDiscoveryFailure`, `NamespaceDeletionContentFailure`,
 * `NamespaceContentRemaining`, `NamespaceFinalizersRemaining`).
 */

/** One `status.conditions[]` entry of a Namespace. */
export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

/** What one deletion pass observed. */
export interface DeletionReport {
  discoveryErrors: string[];
  deleteErrors: string[];
  /** Remaining object count by `plural.group`. */
  remaining: Map<string, number>;
  /** Remaining object count by finalizer name. */
  finalizers: Map<string, number>;
}

/** The desired conditions; `lastTransitionTime` is kept from `current` when the status did not flip. */
export function namespaceConditions(
  report: DeletionReport,
  at: { current: readonly NamespaceCondition[]; now: string },
): NamespaceCondition[] {
  const wanted: Omit<NamespaceCondition, 'lastTransitionTime'>[] = [
    flag('NamespaceDeletionDiscoveryFailure', report.discoveryErrors, [
      'DiscoveryFailed',
      'ResourcesDiscovered',
    ]),
    flag('NamespaceDeletionContentFailure', report.deleteErrors, ['ContentDeletionFailed', 'ContentDeleted']),
    report.remaining.size > 0
      ? {
          type: 'NamespaceContentRemaining',
          status: 'True',
          reason: 'SomeResourcesRemain',
          message: `Some resources are remaining: ${counts(report.remaining)}`,
        }
      : {
          type: 'NamespaceContentRemaining',
          status: 'False',
          reason: 'ContentRemoved',
          message: 'All content successfully removed',
        },
    report.finalizers.size > 0
      ? {
          type: 'NamespaceFinalizersRemaining',
          status: 'True',
          reason: 'SomeFinalizersRemain',
          message: `Some content in the namespace has finalizers remaining: ${counts(report.finalizers)}`,
        }
      : {
          type: 'NamespaceFinalizersRemaining',
          status: 'False',
          reason: 'ContentHasNoFinalizers',
          message: 'All content-preserving finalizers finished',
        },
  ];
  return wanted.map((c) => {
    const prev = at.current.find((p) => p.type === c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : at.now };
  });
}

function flag(
  type: string,
  errors: readonly string[],
  [bad, good]: [string, string],
): Omit<NamespaceCondition, 'lastTransitionTime'> {
  return errors.length > 0
    ? { type, status: 'True', reason: bad, message: errors.join('; ') }
    : {
        type,
        status: 'False',
        reason: good,
        message: `All ${good === 'ContentDeleted' ? 'content successfully deleted' : 'resources successfully discovered'}`,
      };
}

function counts(m: Map<string, number>): string {
  return [...m]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} has ${n} resource instances`)
    .join(', ');
}
