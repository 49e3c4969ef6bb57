/**
 * Label selectors: parsing the `labelSelector` query syntax, matching, and canonical printing,
 * reproducing k8s.io/apimachinery pkg/labels (Parse, internalSelector, nothingSelector).
 *
 * Grammar (comma = AND, no OR; whitespace separates tokens):
 *   selector    ::= "" | requirement ("," requirement)*
 *   requirement ::= "!" KEY | KEY [ ("=" | "==" | "!=") VALUE? | ("in" | "notin") "(" values ")"
 *                                 | (">" | "<") INTEGER ]
 * A missing value is the empty string; `in ()` holds just the empty string.
 */

import { badRequest, formatFieldIssue } from '../status.js';
import { tokenize } from './lexer.js';
import type { Token, TokenKind } from './lexer.js';
import {
  aggregateMessage,
  compareStrings,
  formatRequirement,
  matchesRequirement,
  normalizeValues,
  requirementIssues,
} from './requirement.js';
import type { LabelOperator, LabelRequirement } from './requirement.js';
import { isQualifiedName } from '../validation/names.js';

/**
 * A parsed label selector: either requirements ANDed together (none = matches everything), or
 * the selector that matches nothing (what a null metav1.LabelSelector means). Requirements are
 * sorted by key (stable), as kube sorts them.
 */
export type LabelSelector =
  | { readonly type: 'requirements'; readonly requirements: readonly LabelRequirement[] }
  | { readonly type: 'nothing' };

const EVERYTHING: LabelSelector = Object.freeze({ type: 'requirements', requirements: Object.freeze([]) });
const NOTHING: LabelSelector = Object.freeze({ type: 'nothing' });

/** The selector with no requirements: matches every object (kube's labels.Everything()). */
export function labelSelectorEverything(): LabelSelector {
  return EVERYTHING;
}

/** The selector that matches no object (kube's labels.Nothing()); it prints as `""`. */
export function labelSelectorNothing(): LabelSelector {
  return NOTHING;
}

/** True when the selector does not restrict anything (kube's Empty()); false for nothing. */
export function isLabelSelectorEmpty(sel: LabelSelector): boolean {
  return sel.type === 'requirements' && sel.requirements.length === 0;
}

/** Builds a selector from requirements, sorting them by key (stable). Does not validate. */
export function labelSelectorOf(requirements: readonly LabelRequirement[]): LabelSelector {
  const sorted = requirements
    .map((r) => ({ key: r.key, operator: r.operator, values: normalizeValues(r.values) }))
    .sort((a, b) => compareStrings(a.key, b.key));
  return { type: 'requirements', requirements: sorted };
}

/** True when every requirement matches `labels` (undefined = no labels); always false for nothing. */
export function matchesLabels(
  sel: LabelSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (sel.type === 'nothing') return false;
  const ls = labels ?? {};
  return sel.requirements.every((r) => matchesRequirement(r, ls));
}

/** Canonical text (kube's String()): requirements in key order joined by `,`; `""` for nothing. */
export function formatLabelSelector(sel: LabelSelector): string {
  if (sel.type === 'nothing') return '';
  return sel.requirements.map(formatRequirement).join(',');
}

/**
 * The value a selector pins `key` to, if its first requirement on `key` is `=`, `==` or a
 * one-value `in` (kube's RequiresExactMatch); undefined otherwise.
 */
export function labelSelectorExactMatch(sel: LabelSelector, key: string): string | undefined {
  if (sel.type === 'nothing') return undefined;
  const req = sel.requirements.find((r) => r.key === key);
  if (req === undefined) return undefined;
  const exact = req.operator === '=' || req.operator === '==' || req.operator === 'in';
  return exact && req.values.length === 1 ? req.values[0] : undefined;
}

/**
 * Parses the `labelSelector` syntax. The empty (or all-whitespace) string selects everything.
 * Throws a 400 BadRequest `StatusError` carrying kube's parser message, e.g.
 * `unable to parse requirement: found '', expected: ',' or ')'` or
 * `found ',', expected: identifier after ','`.
 */
export function parseLabelSelector(text: string): LabelSelector {
  try {
    return labelSelectorOf(new Parser(tokenize(text)).parse());
  } catch (err) {
    if (err instanceof ParseError) throw badRequest(err.message);
    throw err;
  }
}

class ParseError extends Error {
  override readonly name = 'ParseError';
}

/** Keywords read as identifiers where a key or value is expected (e.g. `x in (in)`). */
type Context = 'values' | 'operator';

class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(context: Context): Token {
    return this.view(this.tokens[this.position], context);
  }

  private next(context: Context): Token {
    const token = this.tokens[this.position];
    if (this.position < this.tokens.length - 1) this.position++;
    return this.view(token, context);
  }

  private view(token: Token | undefined, context: Context): Token {
    const t = token ?? { kind: 'end', literal: '' };
    if (context === 'values' && (t.kind === 'in' || t.kind === 'notin'))
      return { kind: 'identifier', literal: t.literal };
    return t;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { kind, literal } = this.peek('values');
      if (kind === 'end') return requirements;
      if (kind !== 'identifier' && kind !== '!') {
        throw new ParseError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(this.requirementOrThrow());
      const sep = this.next('values');
      if (sep.kind === 'end') return requirements;
      if (sep.kind !== ',') throw new ParseError(`found '${sep.literal}', expected: ',' or 'end of string'`);
      const after = this.peek('values');
      if (after.kind !== 'identifier' && after.kind !== '!') {
        throw new ParseError(`found '${after.literal}', expected: identifier after ','`);
      }
    }
  }

  private requirementOrThrow(): LabelRequirement {
    try {
      return this.requirement();
    } catch (err) {
      if (err instanceof ParseError) throw new ParseError(`unable to parse requirement: ${err.message}`);
      throw err;
    }
  }

  private requirement(): LabelRequirement {
    let first = this.next('values');
    let negated = false;
    if (first.kind === '!') {
      negated = true;
      first = this.next('values');
    }
    if (first.kind !== 'identifier') throw new ParseError(`found '${first.literal}', expected: identifier`);
    const key = first.literal;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length > 0) {
      // kube validates the key against a nil field path, which prints as `<nil>`.
      throw new ParseError(
        formatFieldIssue({
          field: '<nil>',
          type: 'FieldValueInvalid',
          value: key,
          detail: keyErrs.join('; '),
        }),
      );
    }
    const ahead = this.peek('values').kind;
    if (negated || ahead === 'end' || ahead === ',') {
      // `!key` followed by anything else is left for the caller to reject, as kube does.
      return this.checked({ key, operator: negated ? '!' : 'exists', values: [] });
    }
    const operator = this.operator();
    const values = operator === 'in' || operator === 'notin' ? this.setValues() : [this.exactValue()];
    return this.checked({ key, operator, values: normalizeValues(values) });
  }

  private checked(req: LabelRequirement): LabelRequirement {
    const issues = requirementIssues(req);
    if (issues.length > 0) throw new ParseError(aggregateMessage(issues));
    return req;
  }

  private operator(): LabelOperator {
    const { kind, literal } = this.next('operator');
    const op = OPERATOR_TOKENS.get(kind);
    if (op === undefined) throw new ParseError(`found '${literal}', expected: '=', '!=', '==', 'in', notin'`);
    return op;
  }

  private setValues(): string[] {
    const open = this.next('values');
    if (open.kind !== '(') throw new ParseError(`found '${open.literal}' expected: '('`);
    const first = this.peek('values');
    if (first.kind === ')') {
      this.next('values');
      return [''];
    }
    if (first.kind !== 'identifier' && first.kind !== ',') {
      throw new ParseError(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.identifierList();
    if (this.next('values').kind !== ')') {
      // kube reports the token after '(' here, not the offending one.
      throw new ParseError(`found '${first.literal}', expected: ')'`);
    }
    return values;
  }

  private identifierList(): string[] {
    const values: string[] = [];
    for (;;) {
      const token = this.next('values');
      if (token.kind === 'identifier') {
        values.push(token.literal);
        const after = this.peek('values');
        if (after.kind === ')') return values;
        if (after.kind !== ',') throw new ParseError(`found '${after.literal}', expected: ',' or ')'`);
      } else if (token.kind === ',') {
        // Empty entries (`(,a)`, `(a,)`, `(a,,b)`) stand for the empty value.
        if (values.length === 0) values.push('');
        const after = this.peek('values');
        if (after.kind === ')') {
          values.push('');
          return values;
        }
        if (after.kind === ',') {
          this.next('values');
          values.push('');
        }
      } else {
        throw new ParseError(`found '${token.literal}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string {
    const ahead = this.peek('values');
    if (ahead.kind === 'end' || ahead.kind === ',') return '';
    const token = this.next('values');
    if (token.kind === 'identifier') return token.literal;
    throw new ParseError(`found '${token.literal}', expected: identifier`);
  }
}

const OPERATOR_TOKENS: ReadonlyMap<TokenKind, LabelOperator> = new Map<TokenKind, LabelOperator>([
  ['in', 'in'],
  ['=', '='],
  ['==', '=='],
  ['>', 'gt'],
  ['<', 'lt'],
  ['notin', 'notin'],
  ['!=', '!='],
]);
