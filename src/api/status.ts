/**
 * The Kubernetes `Status` object and `StatusError`, the one typed error at the API edge.
 * Constructors reproduce kube-apiserver's reasons, codes and message templates
 * (k8s.io/apimachinery/pkg/api/errors), because clients branch on `reason` and `code`.
 */

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'Gone'
  | 'Expired'
  | 'Timeout'
  | 'TooManyRequests'
  | 'RequestEntityTooLarge'
  | 'InternalError'
  | 'ServiceUnavailable';

export type CauseType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'FieldManagerConflict'
  | 'FieldValueUnknown';

export interface StatusCause {
  reason: CauseType;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** An error that carries the Kubernetes `Status` to send to the client. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly status: Status;

  constructor(status: Omit<Status, 'kind' | 'apiVersion' | 'metadata' | 'status'>, options?: ErrorOptions) {
    super(status.message ?? status.reason ?? 'error', options);
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...status };
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

/** A field-level validation problem, as collected by validators before building an `Invalid` error. */
export interface FieldIssue {
  /** Field path like `spec.replicas` or `spec.containers[0].name`. */
  field: string;
  type: CauseType;
  /** Detail after the standard prefix, e.g. `must be greater than or equal to 0`. */
  detail: string;
  /** The offending value, when there is one (shown as `Invalid value: <json>`). */
  value?: unknown;
  /** Allowed values for `FieldValueNotSupported`. */
  supported?: string[];
}

function qualified(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

export function notFound(group: string, resource: string, name: string): StatusError {
  return new StatusError({
    reason: 'NotFound',
    code: 404,
    message: `${qualified(group, resource)} "${name}" not found`,
    details: { name, group, kind: resource },
  });
}

/** 404 for a URL that names no served resource. */
export function pathNotFound(): StatusError {
  return new StatusError({
    reason: 'NotFound',
    code: 404,
    message: 'the server could not find the requested resource',
    details: {},
  });
}

export function alreadyExists(group: string, resource: string, name: string): StatusError {
  return new StatusError({
    reason: 'AlreadyExists',
    code: 409,
    message: `${qualified(group, resource)} "${name}" already exists`,
    details: { name, group, kind: resource },
  });
}

/** 409 on a stale resourceVersion or failed precondition. */
export function conflict(group: string, resource: string, name: string, detail?: string): StatusError {
  const why =
    detail ?? 'the object has been modified; please apply your changes to the latest version and try again';
  return new StatusError({
    reason: 'Conflict',
    code: 409,
    message: `Operation cannot be fulfilled on ${qualified(group, resource)} "${name}": ${why}`,
    details: { name, group, kind: resource },
  });
}

/** Formats one issue the way field.Error.Error() does: `spec.replicas: Invalid value: -1: must be ...`. */
export function formatFieldIssue(issue: FieldIssue): string {
  return `${issue.field}: ${issueBody(issue)}`;
}

function issueBody(issue: FieldIssue): string {
  const value = issue.value === undefined ? undefined : formatValue(issue.value);
  switch (issue.type) {
    case 'FieldValueRequired':
      return `Required value${issue.detail ? `: ${issue.detail}` : ''}`;
    case 'FieldValueForbidden':
      return `Forbidden${issue.detail ? `: ${issue.detail}` : ''}`;
    case 'FieldValueTooLong':
      return `Too long${issue.detail ? `: ${issue.detail}` : ''}`;
    case 'FieldValueTooMany':
      return `Too many${issue.detail ? `: ${issue.detail}` : ''}`;
    case 'FieldValueDuplicate':
      return `Duplicate value${value === undefined ? '' : `: ${value}`}`;
    case 'FieldValueNotSupported': {
      const supported = issue.supported?.map((s) => JSON.stringify(s)).join(', ');
      return `Unsupported value${value === undefined ? '' : `: ${value}`}${supported ? `: supported values: ${supported}` : ''}`;
    }
    case 'FieldValueUnknown':
      return `Unknown field${issue.detail ? `: ${issue.detail}` : ''}`;
    case 'FieldValueTypeInvalid':
    case 'FieldValueInvalid':
    case 'FieldManagerConflict':
      return `Invalid value${value === undefined ? '' : `: ${value}`}${issue.detail ? `: ${issue.detail}` : ''}`;
  }
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v);
}

/**
 * 422 Invalid, e.g. `Deployment.apps "d1" is invalid: spec.replicas: Invalid value: -1: must be ...`.
 * `kind` is the Kind (not the resource) as kube-apiserver reports it.
 */
export function invalid(
  group: string,
  kind: string,
  name: string,
  issues: readonly FieldIssue[],
): StatusError {
  const what = group === '' ? kind : `${kind}.${group}`;
  const bodies = issues.map(formatFieldIssue);
  const joined = bodies.length === 1 ? (bodies[0] ?? '') : `[${bodies.join(', ')}]`;
  return new StatusError({
    reason: 'Invalid',
    code: 422,
    message: `${what} "${name}" is invalid: ${joined}`,
    details: {
      name,
      group,
      kind,
      causes: issues.map((i) => ({ reason: i.type, message: issueBody(i), field: i.field })),
    },
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError({ reason: 'BadRequest', code: 400, message });
}

export function unauthorized(): StatusError {
  return new StatusError({ reason: 'Unauthorized', code: 401, message: 'Unauthorized' });
}

export function forbidden(message: string): StatusError {
  return new StatusError({ reason: 'Forbidden', code: 403, message });
}

export function methodNotAllowed(verb: string, resource: string): StatusError {
  return new StatusError({
    reason: 'MethodNotAllowed',
    code: 405,
    message: `${verb} is not supported on resources of kind "${resource}"`,
  });
}

export function notAcceptable(message: string): StatusError {
  return new StatusError({ reason: 'NotAcceptable', code: 406, message });
}

export function unsupportedMediaType(
  contentType: string,
  what: string,
  accepted: readonly string[],
): StatusError {
  return new StatusError({
    reason: 'UnsupportedMediaType',
    code: 415,
    message: `${contentType} is not supported by ${what}: the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  });
}

/** 410 Expired with the given message (watch "too old resource version", expired continue tokens). */
export function expired(message: string): StatusError {
  return new StatusError({ reason: 'Expired', code: 410, message });
}

export function timeout(message: string, retryAfterSeconds = 1): StatusError {
  return new StatusError({ reason: 'Timeout', code: 504, message, details: { retryAfterSeconds } });
}

export function internalError(message: string, cause?: unknown): StatusError {
  return new StatusError(
    { reason: 'InternalError', code: 500, message: `Internal error occurred: ${message}` },
    cause === undefined ? undefined : { cause },
  );
}

export function isStatusError(err: unknown): err is StatusError {
  return err instanceof StatusError;
}
export function isNotFound(err: unknown): boolean {
  return isStatusError(err) && err.reason === 'NotFound';
}
export function isAlreadyExists(err: unknown): boolean {
  return isStatusError(err) && err.reason === 'AlreadyExists';
}
export function isConflict(err: unknown): boolean {
  return isStatusError(err) && err.reason === 'Conflict';
}
export function isInvalid(err: unknown): boolean {
  return isStatusError(err) && err.reason === 'Invalid';
}
export function isGone(err: unknown): boolean {
  return isStatusError(err) && (err.reason === 'Expired' || err.reason === 'Gone');
}
