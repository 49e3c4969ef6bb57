/**
 * What the API server knows about one served resource at one version: names for discovery and
 * URLs, scope, subresources, printer columns and field-selector labels. Built-in kinds come from
 * `builtin-resources.ts`; custom resources are derived from their CRD, one `ResourceInfo` per
 * served version, all sharing one storage location.
 */
import type { JsonObject, KubeObject } from './meta.js';
import type { MergeSchema } from './merge-schema.js';
import type { ObjectSchema } from './object-schema.js';
import type { FieldIssue } from './status.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: readonly Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** CRD-style scale subresource paths (`.spec.replicas`). */
export interface ScaleInfo {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** One column of `kubectl get` output, as in a CRD's `additionalPrinterColumns`. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  priority: number;
  /** Kubernetes JSONPath evaluated against the object, e.g. `.spec.replicas`. */
  jsonPath: string;
}

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** The resource name in URLs (`deployments`). */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly Verb[];
  subresources: {
    status: boolean;
    scale?: ScaleInfo;
    /** pods/log */
    log?: boolean;
    /** pods/binding: assigns a pod to a node (the scheduler's write). */
    binding?: boolean;
  };
  /** True for kinds compiled into the server (strategic merge patch allowed); false for custom resources. */
  builtin: boolean;
  /**
   * Served like a custom resource (merge patch only, CRD-style schema) but defined by the server
   * itself, not by a CustomResourceDefinition: Flotilla's own kinds on the hub.
   */
  compiledIn?: boolean;
  /** Validation beyond the schema (cross-field rules), run on create and update. */
  validate?: (obj: KubeObject, old: KubeObject | undefined) => FieldIssue[];
  /** Storage location shared by all versions: `/registry/<storagePrefix>/`. */
  storagePrefix: string;
  /** Printer columns after Name; absent = the kind's built-in printer or the default (Age / Created At). */
  printerColumns?: readonly PrinterColumn[];
  /** Field-selector labels beyond metadata.name/metadata.namespace, with how to read each from an object. */
  fieldLabels?: Readonly<Record<string, (obj: KubeObject) => string>>;
  /** Schema for validation, pruning and defaulting, if known. */
  schema?: ObjectSchema;
  /** How the kind merges, for strategic merge patch and server-side apply. */
  mergeSchema?: MergeSchema;
  /** OpenAPI v3 schema of the kind (for /openapi/v3 and `kubectl explain`). */
  openapi?: JsonObject;
  /** Whether `metadata.generation` is maintained (bumped on spec changes). */
  generation: boolean;
  /**
   * Set while the CRD that defines this resource is being deleted: instances are still served so
   * their finalizers can be removed, but creates are refused.
   */
  terminating?: boolean;
}

/** `<plural>.<group>` or `<plural>` for the core group. */
export function resourceId(info: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return info.group === '' ? info.plural : `${info.plural}.${info.group}`;
}

/** `apiVersion` of the resource. */
export function apiVersionOf(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}
