/**
 * PATCH in its four formats (kube-api.md §11–12): JSON patch, merge patch, strategic merge patch
 * (built-in kinds only; 415 for custom resources) and server-side apply (creates when absent).
 * Each computes the desired object from the current one inside a guaranteed update, so a lost race
 * re-applies the patch to fresh state.
 */
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import type { JsonObject, JsonValue, KubeObject } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { apiVersionOf } from '../../api/resource-info.js';
import { badRequest, unsupportedMediaType } from '../../api/status.js';
import { applyJsonPatch } from '../../api/patch/json-patch.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.js';
import { validatePatchOptions } from '../apply/validate-patch-options.js';
import { rfc3339Seconds } from '../../base/clock.js';
import type { ServerContext, WriteOptions } from '../context.js';
import { applyConfig } from '../field-manager.js';
import type { WriteScope } from '../strategy.js';
import type { Desired, WriteResult } from './write.js';
import { guaranteedUpdate } from './write.js';
import { checkBodyIdentity } from './body.js';
import { cloneJson } from '../../base/json-clone.js';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

const CUSTOM_TYPES = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];
const BUILTIN_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH];

export interface PatchRequest {
  namespace: string | undefined;
  name: string;
  contentType: string;
  body: string;
  /** The patch already decoded, from an in-process caller (then `body` is not read). */
  json?: unknown;
  /** The `force` parameter; undefined when absent (any value counts as specified for validation). */
  force: boolean | undefined;
  scope: WriteScope;
}

/** Strips parameters such as `; charset=utf-8` from a Content-Type. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export async function patchObject(
  ctx: ServerContext,
  info: ResourceInfo,
  req: PatchRequest,
  opts: WriteOptions,
): Promise<WriteResult> {
  const type = mediaType(req.contentType);
  const accepted = info.builtin ? BUILTIN_TYPES : CUSTOM_TYPES;
  if (!accepted.includes(type)) {
    throw unsupportedMediaType(type, `${apiVersionOf(info)}, Kind=${info.kind}`, CUSTOM_TYPES);
  }
  if (type === APPLY_PATCH) return apply(ctx, info, req, opts);
  validatePatchOptions({
    fieldManager: opts.explicitManager ? opts.manager : '',
    force: req.force,
    isApply: false,
  });
  const patch = req.json !== undefined ? (req.json as JsonValue) : parsePatchBody(req.body);
  return guaranteedUpdate(
    ctx,
    info,
    {
      namespace: req.namespace,
      name: req.name,
      scope: req.scope,
      // Each patch type copies the document before changing it.
      leavesCurrent: true,
      compute: (current): Desired => {
        const doc = current as unknown as JsonObject;
        const next = patchDocument(info, type, doc, patch);
        if (!isJsonObject(next)) throw badRequest('the patch produced a non-object document');
        const obj = next as unknown as KubeObject;
        checkBodyIdentity(info, obj, { namespace: req.namespace, name: req.name });
        return { object: obj };
      },
    },
    opts,
  );
}

/** Parses a JSON patch body (400 when it is not JSON). */
export function parsePatchBody(body: string): JsonValue {
  try {
    return JSON.parse(body) as JsonValue;
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

/** Applies a non-apply patch of `type` to a copy of `doc` (`doc` itself is left as it was). */
export function patchDocument(
  info: ResourceInfo,
  type: string,
  doc: JsonObject,
  patch: JsonValue,
): JsonValue {
  if (type === JSON_PATCH) return applyJsonPatch(doc, patch);
  if (!isJsonObject(patch)) throw badRequest('patch body must be a JSON object');
  if (type === MERGE_PATCH) return applyMergePatch(doc, patch);
  return applyStrategicMergePatch(doc, patch, info.mergeSchema);
}

async function apply(
  ctx: ServerContext,
  info: ResourceInfo,
  req: PatchRequest,
  opts: WriteOptions,
): Promise<WriteResult> {
  validatePatchOptions({
    fieldManager: opts.explicitManager ? opts.manager : '',
    force: req.force,
    isApply: true,
  });
  const config = applyConfigOf(req.json !== undefined ? req.json : parseApplyBody(req.body));
  checkBodyIdentity(info, config, { namespace: req.namespace, name: req.name });
  if (info.namespaced && req.namespace !== undefined) config.metadata.namespace = req.namespace;
  return guaranteedUpdate(
    ctx,
    info,
    {
      namespace: req.namespace,
      name: req.name,
      scope: req.scope,
      allowCreate: req.scope === 'main',
      compute: (current): Desired => ({
        object: applyConfig(
          info,
          { live: current, config: cloneJson(config), scope: req.scope, force: req.force === true },
          opts.manager,
          rfc3339Seconds(ctx.clock.now()),
        ),
        managed: true,
      }),
    },
    opts,
  );
}

/**
 * An apply body is one YAML document. JSON, which is YAML too and what controllers send, is read
 * with the JSON parser (many times faster); anything else that starts like it (YAML flow style,
 * malformed text) goes to the YAML parser, whose errors the client gets.
 */
function parseApplyBody(body: string): unknown {
  if (body.trimStart().startsWith('{'))
    try {
      return JSON.parse(body) as unknown;
    } catch {
      // not JSON: YAML decides
    }
  const docs = parseAllDocuments(body);
  if (docs.length !== 1)
    throw badRequest('error decoding YAML: apply patch must contain exactly one document');
  try {
    return parseYaml(body) as unknown;
  } catch (err) {
    throw badRequest(`error decoding YAML: ${(err as Error).message}`);
  }
}

/** The applied configuration an apply body holds: an object. */
function applyConfigOf(value: unknown): KubeObject {
  if (!isJsonObject(value)) throw badRequest('error decoding YAML: apply patch must be an object');
  const obj = value as unknown as KubeObject;
  if (!isJsonObject(obj.metadata)) obj.metadata = {};
  return obj;
}
