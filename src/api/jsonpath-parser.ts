/**
 * Parser for Kubernetes JSONPath templates (client-go `util/jsonpath` dialect) as used by CRD
 * `additionalPrinterColumns[].jsonPath` and `kubectl -o jsonpath`. A template is literal text with
 * `{…}` actions; a string without braces is read as one action, so `.spec.replicas` and
 * `{.spec.replicas}` are the same template.
 *
 * Differences from client-go, on purpose: bracketed names (`['a.b']`, `["a.b"]`) are one literal
 * key (client-go splits `['a.b']` at the dot and rejects double quotes), `range`/`end` are not
 * supported, and an unknown filter operator is a parse error rather than an evaluation error.
 */

/** Comparison operators allowed in `[?(@.x <op> y)]`. */
export type FilterOperator = '==' | '!=' | '<' | '>' | '<=' | '>=';

export type JsonPathLiteral = string | number | boolean;

/** One step of a path, applied to every value the previous step produced. */
export type JsonPathSegment =
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'recursive' }
  | { kind: 'slice'; start?: number; end?: number; step?: number; single: boolean }
  | { kind: 'union'; branches: JsonPathSegment[][] }
  | { kind: 'filter'; left: JsonPathSegment[]; op: FilterOperator | 'exists'; right?: JsonPathSegment[] }
  | { kind: 'literal'; value: JsonPathLiteral };

export type JsonPathNode = { kind: 'text'; text: string } | { kind: 'action'; segments: JsonPathSegment[] };

/** A parsed template: text and actions in source order. */
export interface JsonPath {
  source: string;
  nodes: JsonPathNode[];
}

const FILTER_OPERATORS: readonly string[] = ['==', '!=', '<=', '>=', '<', '>'];
const TERMINATORS = new Set([' ', '\t', '\r', '\n', '.', ',', '[', ']', '$', '@', '{', '}']);

function fail(source: string, message: string): never {
  throw new Error(`invalid JSONPath ${JSON.stringify(source)}: ${message}`);
}

/**
 * Parses a JSONPath template. Throws an `Error` naming the template and the problem (unclosed
 * action, unterminated array or filter, bad index, unknown operator, unsupported identifier).
 */
export function parseJsonPath(path: string): JsonPath {
  const source = path;
  const template = path.includes('{') ? path : `{${path}}`;
  const nodes: JsonPathNode[] = [];
  let pos = 0;
  while (pos < template.length) {
    const open = template.indexOf('{', pos);
    if (open < 0) {
      nodes.push({ kind: 'text', text: template.slice(pos) });
      break;
    }
    if (open > pos) nodes.push({ kind: 'text', text: template.slice(pos, open) });
    const close = findActionEnd(template, open + 1);
    if (close < 0) fail(source, 'unclosed action');
    nodes.push({ kind: 'action', segments: parseSegments(source, template.slice(open + 1, close)) });
    pos = close + 1;
  }
  return { source, nodes };
}

/** Index of the `}` closing the action that starts at `from`, skipping quoted strings. */
function findActionEnd(s: string, from: number): number {
  let quote = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  return -1;
}

/** Parses the inside of one action (or one filter operand) into segments. */
function parseSegments(source: string, text: string): JsonPathSegment[] {
  const segments: JsonPathSegment[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '$' || c === '@') {
      i++;
    } else if (text.startsWith('..', i)) {
      if (segments.at(-1)?.kind === 'recursive') fail(source, 'invalid multiple recursive descent');
      segments.push({ kind: 'recursive' });
      i += 2;
      if (i < text.length && !TERMINATORS.has(text[i] ?? '')) i = readField(text, i, segments);
    } else if (c === '.') {
      i = readField(text, i + 1, segments);
    } else if (text.startsWith('[?(', i)) {
      const [filterSeg, next] = readFilter(source, text, i + 3);
      segments.push(filterSeg);
      i = next;
    } else if (c === '[') {
      const close = findBracketEnd(text, i + 1);
      if (close < 0) fail(source, 'unterminated array');
      segments.push(parseBracket(source, text.slice(i + 1, close).trim()));
      i = close + 1;
    } else if (c === '"' || c === "'") {
      const [value, next] = readQuoted(source, text, i);
      segments.push({ kind: 'literal', value });
      i = next;
    } else if (c === '+' || c === '-' || isDigit(c)) {
      const m = /^[+-]?[\d.]+/.exec(text.slice(i));
      const num = Number(m?.[0]);
      if (!m || Number.isNaN(num)) fail(source, `cannot parse number ${m?.[0] ?? c}`);
      segments.push({ kind: 'literal', value: num });
      i += m[0].length;
    } else if (/[\p{L}\p{N}_]/u.test(c)) {
      let j = i;
      while (j < text.length && !TERMINATORS.has(text[j] ?? '')) j++;
      const word = text.slice(i, j);
      if (word === 'true' || word === 'false') segments.push({ kind: 'literal', value: word === 'true' });
      else fail(source, `unsupported identifier ${JSON.stringify(word)}`);
      i = j;
    } else {
      fail(source, `unrecognized character ${JSON.stringify(c)}`);
    }
  }
  return segments;
}

/** Reads a field name starting at `i` (after the dot); `\` escapes the next character. */
function readField(text: string, start: number, out: JsonPathSegment[]): number {
  let name = '';
  let i = start;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === '\\' && i + 1 < text.length) {
      name += text[i + 1] ?? '';
      i += 2;
    } else if (TERMINATORS.has(c)) {
      break;
    } else {
      name += c;
      i++;
    }
  }
  if (name === '*' && i === start + 1) out.push({ kind: 'wildcard' });
  else if (name !== '') out.push({ kind: 'field', name });
  return i;
}

function findBracketEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ']') return i;
    else if (c === '\n') return -1;
  }
  return -1;
}

function readQuoted(source: string, text: string, start: number): [string, number] {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\' && i + 1 < text.length) {
      const n = text[++i] ?? '';
      value += n === 'n' ? '\n' : n === 't' ? '\t' : n;
    } else if (c === quote) {
      return [value, i + 1];
    } else {
      value += c;
    }
  }
  return fail(source, 'unterminated quoted string');
}

/** Splits on commas outside quotes. */
function splitUnion(text: string): string[] {
  const parts: string[] = [];
  let quote = '';
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur.trim());
  return parts;
}

function parseBracket(source: string, inner: string): JsonPathSegment {
  const parts = splitUnion(inner);
  if (parts.length > 1) {
    return { kind: 'union', branches: parts.map((p) => [parseBracket(source, p)]) };
  }
  if (inner === '*') return { kind: 'slice', single: false };
  const quoted = /^(['"])(.*)\1$/s.exec(inner);
  if (quoted) return { kind: 'field', name: readQuoted(source, inner, 0)[0] };
  const m = /^(-?\d*)(?::(-?\d*))?(?::(-?\d*))?$/.exec(inner);
  if (!m || inner === '') fail(source, `invalid array index ${JSON.stringify(inner)}`);
  const [, a = '', b, c] = m;
  const seg: JsonPathSegment = { kind: 'slice', single: b === undefined };
  if (a !== '') seg.start = Number(a);
  if (b !== undefined && b !== '') seg.end = Number(b);
  if (c !== undefined && c !== '') {
    seg.step = Number(c);
    if (seg.step <= 0) fail(source, 'step must be > 0');
  }
  if (seg.single && seg.start === undefined) fail(source, `invalid array index ${JSON.stringify(inner)}`);
  return seg;
}

/** Reads `[?(left op right)]` starting just after `[?(`; returns the filter and the index after `]`. */
function readFilter(source: string, text: string, start: number): [JsonPathSegment, number] {
  let quote = '';
  let end = -1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ')') {
      end = i;
      break;
    }
  }
  if (end < 0) fail(source, 'unterminated filter');
  if (text[end + 1] !== ']') fail(source, 'unclosed filter, expected ]');
  const expr = text.slice(start, end);
  const m = /^([^!<>=]+)([!<>=~]+)(.+)$/s.exec(expr);
  if (!m) {
    const left = parseSegments(source, expr);
    if (left.length === 0) fail(source, 'empty filter');
    return [{ kind: 'filter', left, op: 'exists' }, end + 2];
  }
  const [, l = '', op = '', r = ''] = m;
  if (!FILTER_OPERATORS.includes(op)) fail(source, `unrecognized filter operator ${op}`);
  const left = parseSegments(source, l);
  const right = parseSegments(source, r);
  if (left.length === 0 || right.length === 0) fail(source, 'filter operand missing');
  return [{ kind: 'filter', left, op: op as FilterOperator, right }, end + 2];
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
