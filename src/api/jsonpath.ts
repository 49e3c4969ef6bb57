/**
 * Kubernetes JSONPath evaluation over plain JSON values, with client-go's semantics as the
 * apiserver uses them for CRD printer columns (`AllowMissingKeys(true)`): a missing field yields no
 * result, and an evaluation error (indexing a non-array, index out of range, comparing values of
 * different types) yields no results at all rather than an exception.
 */
import { parseJsonPath } from './jsonpath-parser.js';
import type { FilterOperator, JsonPath, JsonPathSegment } from './jsonpath-parser.js';

export { parseJsonPath } from './jsonpath-parser.js';
export type {
  FilterOperator,
  JsonPath,
  JsonPathNode,
  JsonPathSegment,
  JsonPathLiteral,
} from './jsonpath-parser.js';

/** Raised inside evaluation; caught by `evaluateJsonPath` (client-go would return an error). */
class EvaluationError extends Error {}

const cache = new Map<string, JsonPath>();
const CACHE_LIMIT = 512;

function compile(path: string): JsonPath {
  let parsed = cache.get(path);
  if (!parsed) {
    parsed = parseJsonPath(path);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(path, parsed);
  }
  return parsed;
}

/**
 * Evaluates a JSONPath template (`.a.b`, `{.a.b}`, `{.a}/{.b}`, filters, `..`, slices) against
 * `obj` and returns every result in order: literal text segments contribute their text, each
 * action its matches. Missing keys and evaluation errors yield `[]`. Throws only when `path` is
 * not valid syntax (see `parseJsonPath`). Parsed templates are cached by source string.
 */
export function evaluateJsonPath(obj: unknown, path: string | JsonPath): unknown[] {
  const parsed = typeof path === 'string' ? compile(path) : path;
  const out: unknown[] = [];
  try {
    for (const node of parsed.nodes) {
      if (node.kind === 'text') out.push(node.text);
      else out.push(...walk([obj], node.segments));
    }
  } catch (err) {
    if (err instanceof EvaluationError) return [];
    throw err;
  }
  return out;
}

function walk(input: unknown[], segments: readonly JsonPathSegment[]): unknown[] {
  let cur = input;
  for (const seg of segments) cur = step(cur, seg);
  return cur;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.values(v);
  return [];
}

function step(input: unknown[], seg: JsonPathSegment): unknown[] {
  switch (seg.kind) {
    case 'field':
      return input.flatMap((v) => (isObject(v) && Object.hasOwn(v, seg.name) ? [v[seg.name]] : []));
    case 'wildcard':
      return input.flatMap(children);
    case 'recursive':
      return input.flatMap(descendants);
    case 'slice':
      return input.flatMap((v) => slice(v, seg));
    case 'union':
      return seg.branches.flatMap((b) => walk(input, b));
    case 'filter':
      return input.flatMap((v) => filter(v, seg));
    case 'literal':
      return input.map(() => seg.value);
  }
}

/** The value and every nested container beneath it (leaves are reached by the next step). */
function descendants(v: unknown): unknown[] {
  const kids = children(v);
  if (kids.length === 0) return [];
  return [v, ...kids.flatMap(descendants)];
}

function slice(v: unknown, seg: Extract<JsonPathSegment, { kind: 'slice' }>): unknown[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new EvaluationError('not an array');
  const len = v.length;
  let start = seg.start ?? 0;
  if (start < 0) start += len;
  let end = seg.single ? start + 1 : (seg.end ?? len);
  if (!seg.single && end < 0) end += len;
  if (start === end) return [];
  if (start < 0 || start >= len || end < 0 || end > len) throw new EvaluationError('index out of bounds');
  if (start > end) throw new EvaluationError('start after end');
  const out: unknown[] = [];
  for (let i = start; i < end; i += seg.step ?? 1) out.push(v[i]);
  return out;
}

function filter(v: unknown, seg: Extract<JsonPathSegment, { kind: 'filter' }>): unknown[] {
  if (!Array.isArray(v)) throw new EvaluationError('cannot filter a non-array');
  return v.filter((item) => {
    const lefts = walk([item], seg.left);
    if (seg.op === 'exists') return lefts.length > 0;
    const rights = walk([item], seg.right ?? []);
    if (lefts.length === 0 || rights.length === 0) return false;
    if (lefts.length > 1 || rights.length > 1) throw new EvaluationError('can only compare one element');
    return compare(lefts[0], seg.op, rights[0]);
  });
}

/** Go text/template comparison: same basic kind required; only numbers and strings order. */
function compare(a: unknown, op: FilterOperator, b: unknown): boolean {
  const kind = typeof a;
  if (kind !== typeof b || !['string', 'number', 'boolean'].includes(kind)) {
    throw new EvaluationError('incompatible types for comparison');
  }
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  if (kind === 'boolean') throw new EvaluationError('invalid type for comparison');
  const x = a as string | number;
  const y = b as string | number;
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
  }
}
