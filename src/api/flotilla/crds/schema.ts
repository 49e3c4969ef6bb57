/**
 * A small vocabulary for writing OpenAPI v3 (structural) schemas of Flotilla's kinds by hand:
 * `obj({name: str('…')}, ['name'])`, `arr(str())`, `int()`, `open()` (any fields kept).
 */
import type { JsonObject } from '../../meta.js';

export type Schema = JsonObject;

const described = (schema: Schema, description: string | undefined): Schema =>
  description ? { ...schema, description } : schema;

export const str = (description?: string, extra: Schema = {}): Schema =>
  described({ type: 'string', ...extra }, description);
export const int = (description?: string, extra: Schema = {}): Schema =>
  described({ type: 'integer', format: 'int32', ...extra }, description);
export const bool = (description?: string): Schema => described({ type: 'boolean' }, description);
export const time = (description?: string): Schema => str(description, { format: 'date-time' });
export const arr = (items: Schema, description?: string): Schema =>
  described({ type: 'array', items }, description);
export const strMap = (description?: string): Schema =>
  described({ type: 'object', additionalProperties: { type: 'string' } }, description);
/** An object whose fields are not checked (kept as written). */
export const open = (description?: string): Schema =>
  described({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, description);
/** Any JSON value (kept as written). */
export const anyValue = (description?: string): Schema =>
  described({ 'x-kubernetes-preserve-unknown-fields': true }, description);

export function obj(
  properties: Record<string, Schema>,
  required: string[] = [],
  description?: string,
): Schema {
  return described({ type: 'object', properties, ...(required.length > 0 ? { required } : {}) }, description);
}

export const labelSelector = (description?: string): Schema =>
  obj(
    {
      matchLabels: strMap(),
      matchExpressions: arr(obj({ key: str(), operator: str(), values: arr(str()) }, ['key', 'operator'])),
    },
    [],
    description,
  );

export const taint = obj({ key: str(), value: str(), effect: str(), timeAdded: time() }, ['key', 'effect']);
export const toleration = obj({
  key: str(),
  operator: str(),
  value: str(),
  effect: str(),
  tolerationSeconds: int(undefined, { format: 'int64' }),
});
export const condition = obj(
  {
    type: str(),
    status: str(),
    reason: str(),
    message: str(),
    lastTransitionTime: time(),
    observedGeneration: int(undefined, { format: 'int64' }),
  },
  ['type', 'status'],
);
export const resourceList = (description?: string): Schema =>
  described(
    {
      type: 'object',
      additionalProperties: {
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }],
      },
    },
    description,
  );

/** A top-level object schema: apiVersion, kind, metadata, spec and (optionally) status. */
export function kindSchema(spec: Schema, status?: Schema): Schema {
  return obj({
    apiVersion: str(),
    kind: str(),
    metadata: { type: 'object' },
    spec,
    ...(status ? { status } : {}),
  });
}

const purgeMode = str('Directly, Gracefully (default) or Never: when the evicted copy goes.', {
  enum: ['Directly', 'Gracefully', 'Never'],
});
const seconds = (description: string): Schema => int(description, { minimum: 0 });

/** `failover` of a policy, copied to its bindings. */
export const failover = obj(
  {
    cluster: obj(
      {
        purgeMode,
        gracePeriodSeconds: seconds('How long the evicted copy may stay at most (default 600).'),
      },
      [],
      'Cluster failover: a NoExecute taint the placement does not tolerate evicts the workload.',
    ),
    application: obj(
      {
        decisionConditions: obj({
          tolerationSeconds: seconds(
            'How long a copy may stay Unhealthy before it is evicted (default 300).',
          ),
        }),
        purgeMode,
        gracePeriodSeconds: seconds('How long the evicted copy may stay at most (default 600).'),
      },
      [],
      'Application failover: a copy Unhealthy for longer than tolerationSeconds is evicted from its cluster.',
    ),
    rebalanceOnRecovery: bool('Move replicas back to the preferred distribution when a cluster recovers.'),
  },
  [],
  'Application and cluster failover behaviour.',
);

/** One entry of a binding's `gracefulEvictionTasks`. */
export const gracefulEvictionTask = obj(
  {
    fromCluster: str('The cluster the workload was evicted from.'),
    purgeMode,
    replicas: int('The replicas it held there.'),
    reason: str('TaintUntolerated or ApplicationFailure.'),
    message: str(),
    producer: str('Who evicted it.'),
    gracePeriodSeconds: seconds('How long the evicted copy may stay at most.'),
    suppressDeletion: bool('Keep the evicted copy until this is set to false (purgeMode Never).'),
    creationTimestamp: time(),
  },
  ['fromCluster', 'reason', 'producer'],
);
