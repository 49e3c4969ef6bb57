/**
 * Controller references and the informer indexes that make ownership lookups O(owned objects):
 * children by their controller's UID, orphans (no controller) and owners by namespace. Every
 * workload controller registers the same index functions under the same names, so re-registering
 * on a shared informer is harmless.
 */
import type { KubeObject, OwnerReference } from '../../../api/meta.js';
import { labelSelectorFromObject } from '../../../api/labels/selector-object.js';
import type { LabelSelectorObject } from '../../../api/labels/selector-object.js';
import { labelSelectorNothing } from '../../../api/labels/selector.js';
import type { LabelSelector } from '../../../api/labels/selector.js';
import type { Informer } from '../../../client/informer.js';

/** Index of children by the UID their controller reference names. */
export const CONTROLLER_UID_INDEX = 'workloads/controller-uid';
/** Index of objects without a controller reference, by namespace. */
export const ORPHAN_NAMESPACE_INDEX = 'workloads/orphan-namespace';
/** Index of owners (ReplicaSets, Deployments) by namespace. */
export const NAMESPACE_INDEX = 'workloads/namespace';

/** The `controller: true` owner reference of `obj`, if any (metav1.GetControllerOf). */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** A controller reference to `owner`, as metav1.NewControllerRef builds it. */
export function newControllerRef(
  owner: KubeObject,
  gvk: { apiVersion: string; kind: string },
): OwnerReference {
  return {
    apiVersion: gvk.apiVersion,
    kind: gvk.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** True when `obj`'s controller reference names `owner` by UID. */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = controllerRefOf(obj);
  return ref !== undefined && ref.uid === owner.metadata.uid;
}

/** Adds the child indexes (by controller UID, orphans by namespace) to a child informer. */
export function indexChildren<T extends KubeObject>(informer: Informer<T>): void {
  informer.addIndex(CONTROLLER_UID_INDEX, (obj) => {
    const ref = controllerRefOf(obj);
    return ref ? [ref.uid] : [];
  });
  indexOrphans(informer);
}

/** Adds only the index of orphans by namespace (children tracked some other way). */
export function indexOrphans<T extends KubeObject>(informer: Informer<T>): void {
  informer.addIndex(ORPHAN_NAMESPACE_INDEX, (obj) =>
    controllerRefOf(obj) ? [] : [obj.metadata.namespace ?? ''],
  );
}

/** Adds the by-namespace index to an owner informer. */
export function indexOwners<T extends KubeObject>(informer: Informer<T>): void {
  informer.addIndex(NAMESPACE_INDEX, (obj) => [obj.metadata.namespace ?? '']);
}

/** The children a controller may claim: those it controls plus the orphans of its namespace. */
export function claimCandidates<T extends KubeObject>(informer: Informer<T>, owner: KubeObject): T[] {
  const owned = informer.byIndex(CONTROLLER_UID_INDEX, owner.metadata.uid ?? '');
  const orphans = informer.byIndex(ORPHAN_NAMESPACE_INDEX, owner.metadata.namespace ?? '');
  return orphans.length === 0 ? owned : [...owned, ...orphans];
}

const selectors = new WeakMap<object, LabelSelector>();

/**
 * The parsed `spec.selector` of an owner, cached per cached object (cache objects never change,
 * so the parse happens once per version). An invalid selector selects nothing.
 */
export function selectorOf(owner: KubeObject & { spec: { selector: LabelSelectorObject } }): LabelSelector {
  let sel = selectors.get(owner);
  if (sel === undefined) {
    try {
      sel = labelSelectorFromObject(owner.spec.selector);
    } catch {
      sel = labelSelectorNothing();
    }
    selectors.set(owner, sel);
  }
  return sel;
}

/** `namespace/name`, the work-queue key of a namespaced object. */
export function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
