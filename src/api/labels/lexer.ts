/**
 * Tokenizer for the label-selector grammar, behaving like k8s.io/apimachinery pkg/labels' Lexer:
 * whitespace (space, tab, CR, LF) separates tokens; `= ! ( ) , > <` are special symbols scanned
 * greedily into the longest known operator (`==`, `!=`); any other run of characters is an
 * identifier, or the keyword `in`/`notin`. A NUL character ends the input, as in kube.
 */

export type TokenKind =
  'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'identifier' | 'in' | '<' | '!=' | 'notin' | '(';

/** One scanned token; `literal` is the source text (empty for `end`, a message for `error`). */
export interface Token {
  readonly kind: TokenKind;
  readonly literal: string;
}

const KNOWN: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['==', '=='],
  ['=', '='],
  ['>', '>'],
  ['in', 'in'],
  ['<', '<'],
  ['!=', '!='],
  ['notin', 'notin'],
  ['(', '('],
]);

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecial(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

/** Scans the whole input; the result always ends with exactly one `end` token. */
export function tokenize(input: string): Token[] {
  const nul = input.indexOf('\0');
  const s = nul === -1 ? input : input.slice(0, nul);
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s.charAt(pos))) pos++;
    if (pos >= s.length) {
      tokens.push({ kind: 'end', literal: '' });
      return tokens;
    }
    if (isSpecial(s.charAt(pos))) {
      const [token, next] = scanSpecial(s, pos);
      tokens.push(token);
      pos = next;
    } else {
      let end = pos;
      while (end < s.length && !isSpecial(s.charAt(end)) && !isWhitespace(s.charAt(end))) end++;
      const literal = s.slice(pos, end);
      tokens.push({ kind: KNOWN.get(literal) ?? 'identifier', literal });
      pos = end;
    }
  }
}

function scanSpecial(s: string, start: number): [Token, number] {
  let best: Token | undefined;
  let end = start;
  let buffer = '';
  while (end < s.length && isSpecial(s.charAt(end))) {
    buffer += s.charAt(end);
    const kind = KNOWN.get(buffer);
    if (kind !== undefined) {
      best = { kind, literal: buffer };
    } else if (best !== undefined) {
      break;
    }
    end++;
  }
  if (best === undefined)
    return [{ kind: 'error', literal: `error expected: keyword found '${buffer}'` }, end];
  return [best, start + best.literal.length];
}
