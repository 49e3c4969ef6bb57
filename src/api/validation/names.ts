/**
 * String-shape validators with kube-apiserver's exact messages (k8s.io/apimachinery
 * pkg/util/validation and pkg/api/validation/path). Each `is…` function returns the list of
 * problems; an empty list means the value is valid. Lengths are counted in UTF-8 bytes, as Go's
 * `len()` does.
 */

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const DNS1035_LABEL_MAX_LENGTH = 63;
export const QUALIFIED_NAME_MAX_LENGTH = 63;
export const LABEL_VALUE_MAX_LENGTH = 63;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const QNAME_CHAR_FMT = '[A-Za-z0-9]';
const QNAME_EXT_CHAR_FMT = '[-A-Za-z0-9_.]';
const QUALIFIED_NAME_FMT = `(${QNAME_CHAR_FMT}${QNAME_EXT_CHAR_FMT}*)?${QNAME_CHAR_FMT}`;
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const anchored = (fmt: string): RegExp => new RegExp(`^(?:${fmt})$`);
const DNS1123_LABEL_RE = anchored(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN_RE = anchored(DNS1123_SUBDOMAIN_FMT);
const DNS1035_LABEL_RE = anchored(DNS1035_LABEL_FMT);
const QUALIFIED_NAME_RE = anchored(QUALIFIED_NAME_FMT);
const LABEL_VALUE_RE = anchored(LABEL_VALUE_FMT);

const encoder = new TextEncoder();

/** Length of `s` in UTF-8 bytes (what Go's `len(string)` reports). */
export function byteLength(s: string): number {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  return ascii ? s.length : encoder.encode(s).length;
}

/** `must be no more than <n> characters`. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `must be non-empty`. */
export function emptyError(): string {
  return 'must be non-empty';
}

/** kube's RegexError: `<msg> (e.g. 'a' or 'b', regex used for validation is '<fmt>')`. */
export function regexError(msg: string, fmt: string, examples: readonly string[] = []): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  const eg = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${eg}regex used for validation is '${fmt}')`;
}

/** RFC 1123 label (≤63, `[a-z0-9]([-a-z0-9]*[a-z0-9])?`), e.g. namespace names. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL_RE.test(value)) {
    // A valid subdomain that is not a valid label can only be failing because of its dots.
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, ['my-name', '123-abc']));
  }
  return errs;
}

/** RFC 1123 subdomain (≤253, dot-separated labels), the default rule for object names. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, ['example.com']));
  }
  return errs;
}

/** RFC 1035 label (≤63, starts with a letter), e.g. Service names. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!DNS1035_LABEL_RE.test(value)) {
    errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, ['my-name', 'abc-123']));
  }
  return errs;
}

/**
 * Qualified name: `[prefix/]name` where prefix is a DNS-1123 subdomain and name is ≤63 chars of
 * `[-A-Za-z0-9_.]` starting and ending alphanumeric. The rule for label keys, annotation keys
 * (lower-cased first) and finalizers.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, ['MyName', 'my.name', '123-abc'])}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH)
    errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!QUALIFIED_NAME_RE.test(name)) {
    errs.push(
      `name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, ['MyName', 'my.name', '123-abc'])}`,
    );
  }
  return errs;
}

/** Label value: empty, or ≤63 chars of `[-A-Za-z0-9_.]` starting and ending alphanumeric. */
/**
 * True when `key: value` is certainly a valid label, decided without building any message: the
 * common case of every write. The patterns admit only ASCII, so lengths are byte lengths. False
 * means "check it properly" (`isQualifiedName`, `isValidLabelValue`), not "invalid".
 */
export function isPlainLabel(key: string, value: string): boolean {
  if (value.length > LABEL_VALUE_MAX_LENGTH || !LABEL_VALUE_RE.test(value)) return false;
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (name.length === 0 || name.length > QUALIFIED_NAME_MAX_LENGTH || !QUALIFIED_NAME_RE.test(name))
    return false;
  if (slash < 0) return true;
  const prefix = key.slice(0, slash);
  return prefix.length <= DNS1123_SUBDOMAIN_MAX_LENGTH && DNS1123_SUBDOMAIN_RE.test(prefix);
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, ['MyValue', 'my_value', '12345']));
  }
  return errs;
}

const NAME_MAY_NOT_BE = ['.', '..'] as const;
const NAME_MAY_NOT_CONTAIN = ['/', '%'] as const;

/** A name usable as one URL path segment: not `.` or `..`, and without `/` or `%`. */
export function isValidPathSegmentName(value: string): string[] {
  for (const bad of NAME_MAY_NOT_BE) {
    if (value === bad) return [`may not be '${bad}'`];
  }
  return isValidPathSegmentPrefix(value);
}

/** A prefix (generateName) of a path-segment name: without `/` or `%`. */
export function isValidPathSegmentPrefix(value: string): string[] {
  return NAME_MAY_NOT_CONTAIN.filter((bad) => value.includes(bad)).map((bad) => `may not contain '${bad}'`);
}

/**
 * Validates an object name. `prefix` is true when checking a `generateName`, which will have a
 * random suffix appended (so a trailing `-` is allowed). Returns the problems, empty if valid.
 * A validator that ignores `prefix` (`(name) => string[]`) is also a `NameValidator`.
 */
export type NameValidator = (name: string, prefix: boolean) => string[];

// Mirrors kube's maskTrailingDash, including its quirk of dropping two characters: the point is
// only that a trailing dash no longer ends the string, and diverging would change which
// prefixes validate (e.g. a 253-character prefix).
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** Names that must be DNS-1123 subdomains (most resources, all custom resources). */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** Names that must be DNS-1123 labels (e.g. namespaces). */
export const nameIsDNSLabel: NameValidator = (name, prefix) =>
  isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** Names that must be DNS-1035 labels (Services). */
export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** Names that only need to be a safe URL path segment (e.g. RBAC roles). */
export const nameIsPathSegment: NameValidator = (name, prefix) =>
  prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);

/** Namespace names: DNS-1123 labels. */
export const validateNamespaceName: NameValidator = nameIsDNSLabel;
