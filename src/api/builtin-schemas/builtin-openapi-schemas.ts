/**
 * The OpenAPI v3 component schemas of the built-in kinds, in upstream naming
 * (`io.k8s.api.apps.v1.Deployment`, `$ref: '#/components/schemas/…'`), with upstream descriptions.
 *
 * They are generated from the `kubernetes-models` package by `scripts/gen-builtin-schemas.ts` into
 * `generated/`, one JSON file per API package, and read lazily: nothing is loaded until asked for,
 * and a lookup by component name loads only that component's package file.
 */
import { readFileSync } from 'node:fs';
import type { JsonObject } from '../meta.js';

/** `generated/index.json`: where each package's schemas live and which component each GVK has. */
interface GeneratedIndex {
  source: { package: string; version: string };
  packages: Record<string, string>;
  gvks: { group: string; version: string; kind: string; component: string }[];
}

/** All built-in component schemas plus a GVK lookup. */
export interface BuiltinOpenAPISchemas {
  /** Component name -> schema, as `components.schemas` of an OpenAPI v3 document. Do not mutate. */
  readonly schemas: Readonly<Record<string, JsonObject>>;
  /** Component name of a top-level kind (`apps`, `v1`, `Deployment` -> `io.k8s.api.apps.v1.Deployment`). */
  byGVK(group: string, version: string, kind: string): string | undefined;
}

/** Error thrown when a generated schema file is missing or unreadable (a broken build, not bad input). */
export class BuiltinSchemaLoadError extends Error {
  override readonly name = 'BuiltinSchemaLoadError';
}

const REF_PREFIX = '#/components/schemas/';

let index: GeneratedIndex | undefined;
let gvkIndex: Map<string, string> | undefined;
const packages = new Map<string, Record<string, JsonObject>>();
let all: BuiltinOpenAPISchemas | undefined;

function readGenerated(file: string): unknown {
  try {
    return JSON.parse(readFileSync(new URL(`./generated/${file}`, import.meta.url), 'utf8'));
  } catch (err) {
    throw new BuiltinSchemaLoadError(`cannot load built-in schemas from generated/${file}`, { cause: err });
  }
}

function loadIndex(): GeneratedIndex {
  index ??= readGenerated('index.json') as GeneratedIndex;
  return index;
}

function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/** Where the generated schemas came from (`kubernetes-models` and its version). */
export function builtinSchemaSource(): { package: string; version: string } {
  return { ...loadIndex().source };
}

/**
 * Component name of a built-in top-level kind, or undefined when the hub has no schema for it.
 * Loads only the small index file.
 */
export function builtinComponentName(group: string, version: string, kind: string): string | undefined {
  if (!gvkIndex) {
    gvkIndex = new Map(loadIndex().gvks.map((g) => [gvkKey(g.group, g.version, g.kind), g.component]));
  }
  return gvkIndex.get(gvkKey(group, version, kind));
}

/**
 * One component schema by name (`io.k8s.api.core.v1.PodSpec`) or by `$ref`
 * (`#/components/schemas/io.k8s.api.core.v1.PodSpec`); undefined if unknown. Loads the package
 * file of that component on first use. The result is shared: never mutate it.
 */
export function builtinComponent(nameOrRef: string): JsonObject | undefined {
  const name = nameOrRef.startsWith(REF_PREFIX) ? nameOrRef.slice(REF_PREFIX.length) : nameOrRef;
  const schemas = loadPackage(name.slice(0, name.lastIndexOf('.')));
  return schemas && Object.hasOwn(schemas, name) ? schemas[name] : undefined;
}

function loadPackage(pkg: string): Record<string, JsonObject> | undefined {
  let schemas = packages.get(pkg);
  if (!schemas) {
    const file = loadIndex().packages[pkg];
    if (file === undefined) return undefined;
    schemas = readGenerated(file) as Record<string, JsonObject>;
    packages.set(pkg, schemas);
  }
  return schemas;
}

/**
 * Every built-in component schema (all package files, loaded once and memoised) and the GVK ->
 * component lookup. Top-level kinds carry `x-kubernetes-group-version-kind: [{group, version, kind}]`.
 */
export function builtinOpenAPISchemas(): BuiltinOpenAPISchemas {
  if (!all) {
    const schemas: Record<string, JsonObject> = {};
    for (const pkg of Object.keys(loadIndex().packages)) Object.assign(schemas, loadPackage(pkg));
    all = { schemas, byGVK: builtinComponentName };
  }
  return all;
}
