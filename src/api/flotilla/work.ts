/**
 * Work (`work.flotilla.io/v1alpha1`): the objects one binding puts in one member cluster, in that
 * cluster's namespace `flotilla-es-<cluster>`; and how a template becomes the manifest a cluster
 * gets (before overrides): server-owned metadata and status dropped, the cluster's share of the
 * replicas set for divided workloads, and the tracking label and annotations that let the hub
 * adopt, update and delete what it owns and nothing else.
 */
import { fnv1a32 } from '../../base/hash.js';
import type { Cluster, Condition } from './cluster.js';
import type { KubeObject } from '../meta.js';
import type { ResourceBinding } from './binding.js';

export const WORK_NAMESPACE_PREFIX = 'flotilla-es-';
/** On every member object Flotilla manages. */
export const MANAGED_LABEL = 'flotilla.io/managed';
export const BINDING_ANNOTATION = 'work.flotilla.io/binding';
export const WORK_ANNOTATION = 'work.flotilla.io/work';
/**
 * Holds a Work until the execution controller has removed its objects from the member. The binding
 * controller creates Works with it (as Karmada's does), so applying never waits on a write of its own.
 */
export const EXECUTION_FINALIZER = 'work.flotilla.io/execution';
/** On Works: the binding they come from. */
export const BINDING_KIND_LABEL = 'work.flotilla.io/binding-kind';
export const BINDING_NAMESPACE_LABEL = 'work.flotilla.io/binding-namespace';
export const BINDING_NAME_LABEL = 'work.flotilla.io/binding-name';

export interface ManifestStatus {
  identifier: {
    ordinal: number;
    group: string;
    version: string;
    kind: string;
    resource?: string;
    namespace?: string;
    name: string;
  };
  status?: unknown;
  health?: 'Healthy' | 'Unhealthy' | 'Unknown';
  /** The member object's `metadata.generation` (to tell whether its status is current). */
  generation?: number;
}

export interface Work extends KubeObject {
  spec: {
    workload: { manifests: KubeObject[] };
    suspendDispatching?: boolean;
    preserveResourcesOnDeletion?: boolean;
    conflictResolution?: 'Abort' | 'Overwrite';
  };
  status?: { conditions?: Condition[]; manifestStatuses?: ManifestStatus[] };
}

/** The namespace of `cluster`'s Works. */
export function workNamespace(cluster: string): string {
  return `${WORK_NAMESPACE_PREFIX}${cluster}`;
}

/** The member cluster whose Works live in `namespace` ('' for any other namespace). */
export function workCluster(namespace: string | undefined): string {
  const ns = namespace ?? '';
  return ns.startsWith(WORK_NAMESPACE_PREFIX) ? ns.slice(WORK_NAMESPACE_PREFIX.length) : '';
}

/** The Work name of `binding` (its name and a hash of its identity, as Karmada names them). */
export function workName(binding: ResourceBinding): string {
  const id = `${binding.kind}/${binding.metadata.namespace ?? ''}/${binding.metadata.name ?? ''}`;
  return `${binding.metadata.name ?? ''}-${fnv1a32(id).toString(16).padStart(8, '0')}`;
}

/** The labels that tie a Work to its binding. */
export function workLabels(binding: ResourceBinding): Record<string, string> {
  return {
    [BINDING_KIND_LABEL]:
      binding.kind === 'ClusterResourceBinding' ? 'ClusterResourceBinding' : 'ResourceBinding',
    [BINDING_NAMESPACE_LABEL]: binding.metadata.namespace ?? '',
    [BINDING_NAME_LABEL]: binding.metadata.name ?? '',
  };
}

const SERVER_FIELDS = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'ownerReferences',
  'finalizers',
  'selfLink',
] as const;

/**
 * The manifest `cluster` gets of `template` under `binding` (before overrides): `replicas` is the
 * cluster's share when the binding divides replicas (absent: the template's own). It shares
 * members with `template` (nothing is deep-copied: applying overrides copies it anyway), so it
 * must be copied before it is changed.
 */
export function memberManifest(
  template: KubeObject,
  binding: ResourceBinding,
  placement: { cluster: string; replicas?: number },
): KubeObject {
  const { status: _status, ...rest } = template as KubeObject & { status?: unknown };
  const metadata = { ...rest.metadata };
  for (const f of SERVER_FIELDS) delete (metadata as Record<string, unknown>)[f];
  const labels = Object.fromEntries(
    Object.entries(metadata.labels ?? {}).filter(([k]) => !k.includes('propagationpolicy.flotilla.io/')),
  );
  metadata.labels = { ...labels, [MANAGED_LABEL]: 'true' };
  const bindingRef = `${binding.metadata.namespace ? `${binding.metadata.namespace}/` : ''}${binding.metadata.name ?? ''}`;
  metadata.annotations = {
    ...(metadata.annotations ?? {}),
    [BINDING_ANNOTATION]: bindingRef,
    [WORK_ANNOTATION]: `${workNamespace(placement.cluster)}/${workName(binding)}`,
  };
  delete metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const manifest: KubeObject = { ...rest, metadata };
  const spec = (rest as { spec?: Record<string, unknown> }).spec;
  if (placement.replicas === undefined || !spec) return manifest;
  // A new spec: the template's is an informer's cached object.
  if (template.kind === 'Job') return { ...manifest, spec: { ...spec, parallelism: placement.replicas } };
  if ('replicas' in spec || template.kind !== 'Pod')
    return { ...manifest, spec: { ...spec, replicas: placement.replicas } };
  return manifest;
}

/** Where `manifest` lives in the member: its plural from the cluster's API enablements. */
export function memberResource(
  cluster: Cluster,
  manifest: KubeObject,
): { apiVersion: string; plural: string; namespace?: string } {
  const enablement = cluster.status?.apiEnablements?.find((e) => e.groupVersion === manifest.apiVersion);
  const plural =
    enablement?.resources?.find((r) => r.kind === manifest.kind)?.name ?? `${manifest.kind.toLowerCase()}s`;
  return {
    apiVersion: manifest.apiVersion,
    plural,
    ...(manifest.metadata.namespace ? { namespace: manifest.metadata.namespace } : {}),
  };
}
