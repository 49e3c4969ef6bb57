/**
 * Decoding request bodies into objects and checking them against the URL: apiVersion/kind must be
 * the resource's (empty ones are filled in), namespace and name must match the path.
 */
import type { KubeObject } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { apiVersionOf } from '../../api/resource-info.js';
import { badRequest } from '../../api/status.js';
import type { ApiRequest } from '../request.js';
import { bodyJson } from '../request.js';

/**
 * The request's object body: the in-process caller's value, or the text parsed as JSON (YAML is
 * accepted too, since JSON is YAML).
 */
export function decodeObjectBody(req: ApiRequest): KubeObject {
  const value = bodyJson(req, parseBodyText);
  if (!isJsonObject(value)) throw badRequest('the body of the request must be a JSON object');
  const obj = value as unknown as KubeObject;
  if (!isJsonObject(obj.metadata)) obj.metadata = {};
  return obj;
}

function parseBodyText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml: ${(err as Error).message}`,
    );
  }
}

/** Checks and fills apiVersion/kind, namespace and (when given) name against the request target. */
export function checkBodyIdentity(
  info: ResourceInfo,
  obj: KubeObject,
  target: { namespace: string | undefined; name?: string },
): void {
  const expected = apiVersionOf(info);
  if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = expected;
  else if (obj.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`,
    );
  }
  if (obj.kind === undefined || obj.kind === '') obj.kind = info.kind;
  else if (obj.kind !== info.kind) {
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${info.kind})`);
  }
  if (info.namespaced) {
    const ns = obj.metadata.namespace;
    if (ns !== undefined && ns !== '' && target.namespace !== undefined && ns !== target.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    if (target.namespace !== undefined) obj.metadata.namespace = target.namespace;
  } else {
    delete obj.metadata.namespace;
  }
  if (target.name !== undefined) {
    const name = obj.metadata.name;
    if (name !== undefined && name !== '' && name !== target.name) {
      throw badRequest(
        `the name of the object (${name}) does not match the name on the URL (${target.name})`,
      );
    }
    obj.metadata.name = target.name;
  }
}
