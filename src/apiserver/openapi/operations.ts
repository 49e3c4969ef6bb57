/**
 * The OpenAPI v3 `paths` of one served resource: collection, item, all-namespaces list and
 * subresource paths, each operation tagged with `x-kubernetes-action` and the single-object
 * `x-kubernetes-group-version-kind` kubectl looks for (explain, the fieldValidation verifier, and
 * the patch-type choice of client-side apply).
 */
import type { JsonObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { refTo } from './crd-components.js';

export const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
export const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
export const SCALE = 'io.k8s.api.autoscaling.v1.Scale';

/** Patch media types for every kind; built-in kinds also take strategic merge patch (kube-api.md §11.1). */
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];
const SMP = 'application/strategic-merge-patch+json';

/** Component names an operation refers to. */
export interface OperationRefs {
  object: string;
  list: string;
}

type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'connect';

function query(name: string, description: string, type = 'string'): JsonObject {
  return { name, in: 'query', description, schema: { type }, uniqueItems: true };
}

function pathParam(name: string, description: string): JsonObject {
  return { name, in: 'path', description, required: true, schema: { type: 'string' }, uniqueItems: true };
}

const dryRun = query(
  'dryRun',
  'When present, indicates that modifications should not be persisted. Valid value: All',
);
const fieldManager = query(
  'fieldManager',
  'fieldManager is a name associated with the actor or entity making these changes.',
);
const fieldValidation = query(
  'fieldValidation',
  'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn and Strict (the default).',
);
const force = query(
  'force',
  'Force is going to "force" Apply requests; it must be unset for non-apply patch requests.',
  'boolean',
);
const listParams = [
  query('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', 'boolean'),
  query('continue', 'The continue option should be set when retrieving more results from the server.'),
  query('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'),
  query('labelSelector', 'A selector to restrict the list of returned objects by their labels.'),
  query('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  query(
    'resourceVersion',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  query(
    'resourceVersionMatch',
    'resourceVersionMatch determines how resourceVersion is applied to list calls.',
  ),
  query('sendInitialEvents', 'sendInitialEvents=true may be set together with watch=true.', 'boolean'),
  query('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  query(
    'watch',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
    'boolean',
  ),
];

function jsonContent(name: string): JsonObject {
  const schema = refTo(name);
  return { 'application/json': { schema }, 'application/yaml': { schema } };
}

function responses(name: string, codes: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const code of codes)
    out[code] = {
      description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK',
      content: jsonContent(name),
    };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

interface OpSpec {
  action: Action;
  kind: string;
  id: string;
  response: string;
  codes?: readonly string[];
  params?: readonly JsonObject[];
  body?: JsonObject;
}

function operation(info: ResourceInfo, spec: OpSpec): JsonObject {
  const group = info.group === '' ? 'core' : (info.group.split('.')[0] ?? info.group);
  const op: JsonObject = {
    tags: [`${group}_${info.version}`],
    description: `${spec.action} ${spec.kind}`,
    operationId: spec.id,
    responses: responses(spec.response, spec.codes ?? ['200']),
    'x-kubernetes-action': spec.action,
    'x-kubernetes-group-version-kind': { group: info.group, kind: spec.kind, version: info.version },
  };
  if (spec.params && spec.params.length > 0) op['parameters'] = [...spec.params];
  if (spec.body) op['requestBody'] = spec.body;
  return op;
}

function bodyOf(name: string): JsonObject {
  return { content: { '*/*': { schema: refTo(name) } }, required: true };
}

function patchBody(builtin: boolean): JsonObject {
  const types = builtin ? [...PATCH_TYPES, SMP] : PATCH_TYPES;
  const content: JsonObject = {};
  for (const t of types)
    content[t] = { schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
  return { content, required: true };
}

/** Item operations of the object itself or of a subresource (`Status`, `Scale`). */
interface ItemOps {
  suffix: string;
  object: string;
  opKind: string;
}

/** Operation id in kube's style: `patchNamespacedDeploymentStatus`, `listCoreV1PodForAllNamespaces`. */
function opId(verb: string, info: ResourceInfo, suffix = ''): string {
  return `${verb}${info.namespaced ? 'Namespaced' : ''}${info.kind}${suffix}`;
}

/** Paths (relative to the server root) and operations for one resource, honouring its verbs. */
export function resourcePaths(info: ResourceInfo, refs: OperationRefs): Record<string, JsonObject> {
  const prefix = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const base = info.namespaced
    ? `${prefix}/namespaces/{namespace}/${info.plural}`
    : `${prefix}/${info.plural}`;
  const scopeParams = info.namespaced
    ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')]
    : [];
  const nameParams = [pathParam('name', `name of the ${info.kind}`), ...scopeParams];
  const verbs = new Set(info.verbs);
  const kind = info.kind;
  const paths: Record<string, JsonObject> = {};

  const collection: JsonObject = { parameters: scopeParams };
  if (verbs.has('list'))
    collection['get'] = operation(info, {
      action: 'list',
      kind,
      id: opId('list', info),
      response: refs.list,
      params: listParams,
    });
  if (verbs.has('create')) {
    collection['post'] = operation(info, {
      action: 'post',
      kind,
      id: opId('create', info),
      response: refs.object,
      codes: ['200', '201', '202'],
      params: [dryRun, fieldManager, fieldValidation],
      body: bodyOf(refs.object),
    });
  }
  if (verbs.has('deletecollection')) {
    collection['delete'] = operation(info, {
      action: 'deletecollection',
      kind,
      id: opId('deletecollection', info),
      response: STATUS,
      params: [dryRun, ...listParams],
      body: bodyOf(DELETE_OPTIONS),
    });
  }
  paths[base] = collection;

  // kubectl 1.27 explain only looks up `/apis/<g>/<v>/<plural>`: the all-namespaces list must exist.
  if (info.namespaced) {
    paths[`${prefix}/${info.plural}`] = {
      get: operation(info, {
        action: 'list',
        kind,
        id: `list${kind}ForAllNamespaces`,
        response: refs.list,
        params: listParams,
      }),
    };
  }

  const item: JsonObject = { parameters: nameParams };
  const itemOps = (target: JsonObject, { suffix, object, opKind }: ItemOps): void => {
    if (verbs.has('get'))
      target['get'] = operation(info, {
        action: 'get',
        kind: opKind,
        id: opId('read', info, suffix),
        response: object,
      });
    if (verbs.has('update')) {
      target['put'] = operation(info, {
        action: 'put',
        kind: opKind,
        id: opId('replace', info, suffix),
        response: object,
        codes: ['200', '201'],
        params: [dryRun, fieldManager, fieldValidation],
        body: bodyOf(object),
      });
    }
    if (verbs.has('patch')) {
      target['patch'] = operation(info, {
        action: 'patch',
        kind: opKind,
        id: opId('patch', info, suffix),
        response: object,
        codes: ['200', '201'],
        params: [dryRun, fieldManager, fieldValidation, force],
        body: patchBody(info.builtin),
      });
    }
  };
  itemOps(item, { suffix: '', object: refs.object, opKind: kind });
  if (verbs.has('delete')) {
    item['delete'] = operation(info, {
      action: 'delete',
      kind,
      id: opId('delete', info),
      response: STATUS,
      codes: ['200', '202'],
      params: [
        dryRun,
        query(
          'gracePeriodSeconds',
          'The duration in seconds before the object should be deleted.',
          'integer',
        ),
        query('propagationPolicy', 'Whether and how garbage collection will be performed.'),
      ],
      body: bodyOf(DELETE_OPTIONS),
    });
  }
  paths[`${base}/{name}`] = item;

  if (info.subresources.status) {
    const status: JsonObject = { parameters: nameParams };
    itemOps(status, { suffix: 'Status', object: refs.object, opKind: kind });
    paths[`${base}/{name}/status`] = status;
  }
  if (info.subresources.scale) {
    const scale: JsonObject = { parameters: nameParams };
    itemOps(scale, { suffix: 'Scale', object: SCALE, opKind: 'Scale' });
    for (const op of ['get', 'put', 'patch']) {
      const o = scale[op];
      if (o && typeof o === 'object' && !Array.isArray(o))
        o['x-kubernetes-group-version-kind'] = { group: 'autoscaling', kind: 'Scale', version: 'v1' };
    }
    paths[`${base}/{name}/scale`] = scale;
  }
  if (info.subresources.log) {
    paths[`${base}/{name}/log`] = {
      parameters: nameParams,
      get: {
        ...operation(info, { action: 'connect', kind, id: opId('read', info, 'Log'), response: STATUS }),
        responses: {
          '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } },
        },
      },
    };
  }
  return paths;
}
