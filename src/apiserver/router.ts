/**
 * Parses Kubernetes REST paths into a route. Only the shapes kubectl and client-node build are
 * recognised (kube-api.md §1.4):
 *   /api/v1/<plural>[/<name>[/<sub>]]
 *   /api/v1/namespaces/<ns>/<plural>[/<name>[/<sub>]]
 *   /apis/<group>/<version>/... the same two shapes
 */
import { badRequest } from '../api/status.js';

export interface ResourceRoute {
  type: 'resource';
  group: string;
  version: string;
  /** Namespace from the URL (namespaced resources), or undefined for cluster-wide access. */
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
}

export interface GroupRoute {
  type: 'group-version';
  group: string;
  version: string;
}

export type Route =
  | ResourceRoute
  | GroupRoute
  | { type: 'api-root' }
  | { type: 'apis-root' }
  | { type: 'apis-group'; group: string }
  | { type: 'other'; path: string };

/**
 * Splits a REST path. `namespaces/<ns>/<plural>` is only treated as a namespaced collection when the
 * segment after `namespaces/<ns>` exists; `/api/v1/namespaces/<name>[/<sub>]` addresses the
 * namespace itself (including its `status` and `finalize` subresources).
 */
export function parseRoute(path: string): Route {
  const segs = path.split('/').filter((s) => s !== '');
  // Most paths have no escapes; decoding only when there are keeps routing off the profile.
  if (path.includes('%')) for (let i = 0; i < segs.length; i++) segs[i] = decodeSegment(segs[i] ?? '');
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { type: 'api-root' };
    group = '';
    version = segs[1] ?? '';
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return { type: 'apis-root' };
    if (segs.length === 2) return { type: 'apis-group', group: segs[1] ?? '' };
    group = segs[1] ?? '';
    version = segs[2] ?? '';
    rest = segs.slice(3);
  } else {
    return { type: 'other', path };
  }
  if (rest.length === 0) return { type: 'group-version', group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && isNamespaceSub(rest))) {
    const [, namespace = '', plural = '', name, subresource] = rest;
    if (rest.length > 5) return { type: 'other', path };
    return withOptional({ type: 'resource', group, version, namespace, plural }, name, subresource);
  }
  if (rest.length > 3) return { type: 'other', path };
  const [plural = '', name, subresource] = rest;
  return withOptional({ type: 'resource', group, version, plural }, name, subresource);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`invalid URL escape in path segment "${segment}"`);
  }
}

/** `/api/v1/namespaces/<ns>/status` and `/finalize` address the Namespace object, not a collection. */
function isNamespaceSub(rest: string[]): boolean {
  return rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
}

function withOptional(route: ResourceRoute, name?: string, subresource?: string): ResourceRoute {
  if (name !== undefined) route.name = name;
  if (subresource !== undefined) route.subresource = subresource;
  return route;
}
