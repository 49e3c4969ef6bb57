/**
 * Compiled `ObjectSchema`s (validate, prune, default) for built-in kinds, built from the generated
 * upstream OpenAPI components through the schema compiler, lazily and once per kind.
 */
import type { ObjectSchema } from '../object-schema.js';
import { compileSchema } from '../schema/compile.js';
import { builtinComponent, builtinComponentName } from './builtin-openapi-schemas.js';

const compiled = new Map<string, ObjectSchema | undefined>();

/**
 * The compiled schema of a built-in kind, or undefined when the hub has no schema for that GVK.
 * `$ref`s resolve against the built-in components; the result is memoised per GVK, so repeated
 * calls return the same object. Throws whatever `compileSchema` throws for a malformed schema.
 */
export function builtinObjectSchema(group: string, version: string, kind: string): ObjectSchema | undefined {
  const key = `${group}/${version}/${kind}`;
  if (compiled.has(key)) return compiled.get(key);
  const name = builtinComponentName(group, version, kind);
  const root = name === undefined ? undefined : builtinComponent(name);
  const schema = root === undefined ? undefined : compileSchema(root, { resolveRef: builtinComponent, kind });
  compiled.set(key, schema);
  return schema;
}
