/**
 * CustomResourceDefinitions → served resources. Each served version of an accepted CRD becomes a
 * `ResourceInfo` with its compiled structural schema, merge schema (list types) and printer
 * columns; all versions share the storage of the CRD (`<group>/<plural>`), so objects are served
 * at any version by rewriting apiVersion (conversion strategy None).
 */
import type { JsonObject } from '../api/meta.js';
import type { PrinterColumn, ResourceInfo, ScaleInfo } from '../api/resource-info.js';
import { ALL_VERBS } from '../api/resource-info.js';
import { compileSchema } from '../api/schema/compile.js';
import { mergeSchemaFromOpenAPI } from '../api/crd-merge-schema.js';

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: JsonObject };
  subresources?: { status?: object; scale?: ScaleInfo };
  additionalPrinterColumns?: {
    name: string;
    type: PrinterColumn['type'];
    format?: string;
    description?: string;
    priority?: number;
    jsonPath: string;
  }[];
}

export interface CrdObject {
  metadata: { name?: string; deletionTimestamp?: string };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: {
      plural: string;
      singular?: string;
      kind: string;
      listKind?: string;
      shortNames?: string[];
      categories?: string[];
    };
    versions: CrdVersion[];
  };
}

/** The resources a CRD serves (none while it is being deleted). */
export function resourcesFromCrd(crd: CrdObject): ResourceInfo[] {
  const { group, names, scope, versions } = crd.spec;
  return versions
    .filter((v) => v.served !== false)
    .map((v) => {
      const openapi = v.schema?.openAPIV3Schema;
      const info: ResourceInfo = {
        group,
        version: v.name,
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        namespaced: scope === 'Namespaced',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        verbs: ALL_VERBS,
        subresources: {
          status: v.subresources?.status !== undefined,
          ...(v.subresources?.scale ? { scale: v.subresources.scale } : {}),
        },
        builtin: false,
        storagePrefix: `${group}/${names.plural}`,
        printerColumns: (v.additionalPrinterColumns ?? []).map((c) => ({
          name: c.name,
          type: c.type,
          priority: c.priority ?? 0,
          jsonPath: c.jsonPath,
          ...(c.format !== undefined ? { format: c.format } : {}),
          ...(c.description !== undefined ? { description: c.description } : {}),
        })),
        generation: true,
      };
      if (info.printerColumns?.length === 0) {
        info.printerColumns = [
          { name: 'Age', type: 'date', priority: 0, jsonPath: '.metadata.creationTimestamp' },
        ];
      }
      if (openapi) {
        info.openapi = openapi;
        info.schema = compileSchema(openapi, { kind: names.kind });
        info.mergeSchema = mergeSchemaFromOpenAPI(openapi);
      }
      return info;
    });
}

/** The storage version's name. */
export function storageVersion(crd: CrdObject): string {
  return crd.spec.versions.find((v) => v.storage === true)?.name ?? crd.spec.versions[0]?.name ?? '';
}

/**
 * Resources a server compiles in although they are defined like CRDs (the hub's own kinds): served
 * from the start, never removable, with `validators` (by `<group>/<Kind>`) for cross-field rules.
 */
export function compiledInResources(
  crds: readonly CrdObject[],
  validators: Readonly<Record<string, NonNullable<ResourceInfo['validate']>>> = {},
): ResourceInfo[] {
  return crds.flatMap((crd) =>
    resourcesFromCrd(crd).map((info) => {
      const validate = validators[`${info.group}/${info.kind}`];
      return { ...info, compiledIn: true, ...(validate ? { validate } : {}) };
    }),
  );
}
