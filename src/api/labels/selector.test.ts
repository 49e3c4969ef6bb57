import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isStatusError } from '../status.js';
import {
  formatLabelSelector,
  isLabelSelectorEmpty,
  labelSelectorEverything,
  labelSelectorExactMatch,
  labelSelectorNothing,
  labelSelectorOf,
  matchesLabels,
  parseLabelSelector,
} from './selector.js';
import type { LabelSelector } from './selector.js';
import type { LabelRequirement } from './requirement.js';

const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART_RULE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function parseError(text: string): string {
  try {
    parseLabelSelector(text);
  } catch (err) {
    assert.ok(isStatusError(err), 'expected a StatusError');
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseLabelSelector', () => {
  const canonical: [input: string, printed: string][] = [
    ['', ''],
    ['   \t ', ''],
    ['x', 'x'],
    ['!x', '!x'],
    ['x=a', 'x=a'],
    ['x==a', 'x==a'],
    ['x!=a', 'x!=a'],
    ['a=', 'a='],
    ['a==', 'a=='],
    ['a=,b=c', 'a=,b=c'],
    ['x in (a,b),!y', 'x in (a,b),!y'],
    ['x in (b,a,b)', 'x in (a,b)'],
    ['a!=b,c notin (d)', 'a!=b,c notin (d)'],
    ['k>5', 'k>5'],
    ['k<5', 'k<5'],
    ['k > 10', 'k>10'],
    ['x in ()', 'x in ()'],
    ['x in (,a)', 'x in (,a)'],
    ['x in (a,)', 'x in (,a)'],
    ['x in (a,,b)', 'x in (,a,b)'],
    ['x in (,)', 'x in ()'],
    ['x notin (in, notin)', 'x notin (in,notin)'],
    ['in in (notin)', 'in in (notin)'],
    ['notin', 'notin'],
    ['  z ,\ta ', 'a,z'],
    ['z=1,a=2,m', 'a=2,m,z=1'],
    [
      'example.com/app=web,app.kubernetes.io/name in (db)',
      'app.kubernetes.io/name in (db),example.com/app=web',
    ],
    ['x=a,x!=b', 'x=a,x!=b'],
    ['env\nin\r(prod)', 'env in (prod)'],
  ];
  for (const [input, printed] of canonical) {
    it(`prints ${JSON.stringify(input)} as ${JSON.stringify(printed)}`, () => {
      assert.equal(formatLabelSelector(parseLabelSelector(input)), printed);
    });
  }

  it('builds sorted requirements with sorted unique values', () => {
    assert.deepEqual(parseLabelSelector('y,x in (b,a),!w,v>3'), {
      type: 'requirements',
      requirements: [
        { key: 'v', operator: 'gt', values: ['3'] },
        { key: 'w', operator: '!', values: [] },
        { key: 'x', operator: 'in', values: ['a', 'b'] },
        { key: 'y', operator: 'exists', values: [] },
      ],
    });
  });

  it('treats the empty string as everything', () => {
    assert.ok(isLabelSelectorEmpty(parseLabelSelector('')));
  });

  const errors: [input: string, message: string][] = [
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x in (,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['x in (a=)', "unable to parse requirement: found '=', expected: ',' or ')'"],
    ['x,,y', "found ',', expected: identifier after ','"],
    ['x,', "found '', expected: identifier after ','"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['==a', "found '==', expected: !, identifier, or 'end of string'"],
    ['x y', "unable to parse requirement: found 'y', expected: '=', '!=', '==', 'in', notin'"],
    ['x=a=b', "found '=', expected: ',' or 'end of string'"],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['!!x', "unable to parse requirement: found '!', expected: identifier"],
    ['x=(a)', "unable to parse requirement: found '(', expected: identifier"],
    [
      'k>abc',
      "unable to parse requirement: values[0]: Invalid value: \"abc\": for 'Gt', 'Lt' operators, the value must be an integer",
    ],
    [
      'k>',
      "unable to parse requirement: values[0]: Invalid value: \"\": for 'Gt', 'Lt' operators, the value must be an integer",
    ],
    [
      'k>9223372036854775808',
      "unable to parse requirement: values[0]: Invalid value: \"9223372036854775808\": for 'Gt', 'Lt' operators, the value must be an integer",
    ],
    ['k>-1', `unable to parse requirement: values[0][k]: Invalid value: "-1": ${LABEL_VALUE_RULE}`],
    ['x=-bad', `unable to parse requirement: values[0][x]: Invalid value: "-bad": ${LABEL_VALUE_RULE}`],
    [
      `x=${'a'.repeat(64)}`,
      `unable to parse requirement: values[0][x]: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`,
    ],
    ['-bad', `unable to parse requirement: <nil>: Invalid value: "-bad": ${NAME_PART_RULE}`],
    ['a/b/c', 'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of'],
    [
      'Bad.Prefix/x',
      'unable to parse requirement: <nil>: Invalid value: "Bad.Prefix/x": prefix part a lowercase',
    ],
    ['/x', 'unable to parse requirement: <nil>: Invalid value: "/x": prefix part must be non-empty'],
    [
      'p/',
      `unable to parse requirement: <nil>: Invalid value: "p/": name part must be non-empty; ${NAME_PART_RULE}`,
    ],
  ];
  for (const [input, message] of errors) {
    it(`rejects ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`, () => {
      const got = parseError(input);
      if (got !== message) assert.ok(got.startsWith(message), `got ${got}`);
    });
  }

  it('aggregates several requirement problems like a Go aggregate error', () => {
    assert.equal(
      parseError('k>a-'),
      `unable to parse requirement: [values[0]: Invalid value: "a-": for 'Gt', 'Lt' operators, the value must be an integer, values[0][k]: Invalid value: "a-": ${LABEL_VALUE_RULE}]`,
    );
  });

  it('stops at a NUL character like kube', () => {
    assert.equal(formatLabelSelector(parseLabelSelector('a=b\0 ,,,')), 'a=b');
  });
});

describe('matchesLabels', () => {
  const cases: [selector: string, labels: Record<string, string> | undefined, want: boolean][] = [
    ['', undefined, true],
    ['', { a: 'b' }, true],
    ['x', { x: '' }, true],
    ['x', {}, false],
    ['!x', {}, true],
    ['!x', { x: '' }, false],
    ['a=', { a: '' }, true],
    ['a=', {}, false],
    ['a=b', { a: 'b' }, true],
    ['a==b', { a: 'c' }, false],
    ['a!=b', {}, true],
    ['a!=b', { a: 'b' }, false],
    ['a!=b', { a: 'c' }, true],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,b)', { x: 'c' }, false],
    ['x in (a,b)', {}, false],
    ['x in ()', { x: '' }, true],
    ['c notin (d)', {}, true],
    ['c notin (d)', { c: 'd' }, false],
    ['c notin (d)', { c: 'e' }, true],
    ['a!=b,c notin (d)', { a: 'x', c: 'y' }, true],
    ['a!=b,c notin (d)', { a: 'x', c: 'd' }, false],
    ['x in (a,b),!y', { x: 'a' }, true],
    ['x in (a,b),!y', { x: 'a', y: '1' }, false],
    ['k>5', { k: '6' }, true],
    ['k>5', { k: '5' }, false],
    ['k>5', { k: '+6' }, true],
    ['k>5', { k: 'six' }, false],
    ['k>5', {}, false],
    ['k<5', { k: '-10' }, true],
    ['k<5', { k: '5' }, false],
    ['k>9223372036854775806', { k: '9223372036854775807' }, true],
    ['k<1', { k: '-9223372036854775809' }, false],
    ['constructor', {}, false],
    ['toString!=x', {}, true],
  ];
  for (const [selector, labels, want] of cases) {
    it(`${JSON.stringify(selector)} on ${JSON.stringify(labels)} is ${want}`, () => {
      assert.equal(matchesLabels(parseLabelSelector(selector), labels), want);
    });
  }

  it('nothing matches nothing and everything matches everything', () => {
    assert.equal(matchesLabels(labelSelectorNothing(), {}), false);
    assert.equal(matchesLabels(labelSelectorNothing(), undefined), false);
    assert.equal(matchesLabels(labelSelectorEverything(), undefined), true);
    assert.equal(isLabelSelectorEmpty(labelSelectorNothing()), false);
    assert.equal(formatLabelSelector(labelSelectorNothing()), '');
  });
});

describe('labelSelectorExactMatch', () => {
  const cases: [selector: string, key: string, want: string | undefined][] = [
    ['a=b', 'a', 'b'],
    ['a==b', 'a', 'b'],
    ['a in (b)', 'a', 'b'],
    ['a in (b,c)', 'a', undefined],
    ['a!=b', 'a', undefined],
    ['x=y', 'a', undefined],
  ];
  for (const [selector, key, want] of cases) {
    it(`${selector} pins ${key} to ${String(want)}`, () => {
      assert.equal(labelSelectorExactMatch(parseLabelSelector(selector), key), want);
    });
  }
});

// ---- property tests -------------------------------------------------------------------------

const alnum = fc.constantFrom(...'abcxyzXZ0189'.split(''));
const ext = fc.constantFrom(...'ab9Z-_.'.split(''));
const namePart = fc.oneof(
  alnum,
  fc.tuple(alnum, fc.array(ext, { maxLength: 6 }), alnum).map(([a, mid, b]) => a + mid.join('') + b),
);
const lower = fc.constantFrom(...'abz09'.split(''));
const dnsLabel = fc.oneof(
  lower,
  fc
    .tuple(lower, fc.array(fc.constantFrom('a', '7', '-'), { maxLength: 4 }), lower)
    .map(([a, mid, b]) => a + mid.join('') + b),
);
const prefix = fc.array(dnsLabel, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.'));
const key = fc.oneof(
  { weight: 4, arbitrary: namePart },
  { weight: 2, arbitrary: fc.tuple(prefix, namePart).map(([p, n]) => `${p}/${n}`) },
  { weight: 1, arbitrary: fc.constantFrom('in', 'notin', 'app', 'tier') },
);
const value = fc.oneof(fc.constant(''), namePart, fc.constantFrom('in', 'notin', 'prod', '1', '10'));
const intValue = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map(String),
  fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
);

const requirement: fc.Arbitrary<LabelRequirement> = fc.oneof(
  key.map((k) => ({ key: k, operator: 'exists' as const, values: [] })),
  key.map((k) => ({ key: k, operator: '!' as const, values: [] })),
  fc
    .tuple(key, fc.constantFrom('=' as const, '==' as const, '!=' as const), value)
    .map(([k, operator, v]) => ({ key: k, operator, values: [v] })),
  fc
    .tuple(
      key,
      fc.constantFrom('in' as const, 'notin' as const),
      fc.uniqueArray(value, { minLength: 1, maxLength: 4 }),
    )
    .map(([k, operator, vs]) => ({ key: k, operator, values: vs })),
  fc
    .tuple(key, fc.constantFrom('gt' as const, 'lt' as const), intValue)
    .map(([k, operator, v]) => ({ key: k, operator, values: [v] })),
);
const ws = fc.constantFrom('', ' ', '  ', '\t');
const ws1 = fc.constantFrom(' ', '\t ', '\n');

/** Renders a requirement with arbitrary (legal) whitespace, unsorted values. */
const renderedRequirement: fc.Arbitrary<string> = requirement.chain((r) =>
  fc.tuple(ws, ws, ws1, ws).map(([a, b, c, d]) => {
    switch (r.operator) {
      case 'exists':
        return `${a}${r.key}${b}`;
      case '!':
        return `${a}!${b}${r.key}${a}`;
      case 'in':
      case 'notin': {
        const vs = r.values.length === 1 && r.values[0] === '' ? '' : r.values.join(`${d},${b}`);
        return `${a}${r.key}${c}${r.operator}${b}(${d}${vs}${b})${d}`;
      }
      case '=':
      case '==':
      case '!=':
        return `${a}${r.key}${b}${r.operator}${d}${r.values[0] ?? ''}${a}`;
      case 'gt':
      case 'lt':
        return `${a}${r.key}${b}${r.operator === 'gt' ? '>' : '<'}${d}${r.values[0] ?? ''}${a}`;
    }
  }),
);
const selectorText = fc.array(renderedRequirement, { maxLength: 6 }).map((rs) => rs.join(','));
const labelSet = fc.dictionary(
  fc.oneof(key, fc.constantFrom('a', 'app', 'in')),
  fc.oneof(value, fc.integer({ min: -5, max: 25 }).map(String)),
  { maxKeys: 6 },
);

function reparse(sel: LabelSelector): LabelSelector {
  return parseLabelSelector(formatLabelSelector(sel));
}

describe('label selector properties', () => {
  it('format(parse(s)) re-parses to an equal selector', () => {
    fc.assert(
      fc.property(selectorText, (text) => {
        const sel = parseLabelSelector(text);
        assert.deepEqual(reparse(sel), sel);
      }),
      { numRuns: 500 },
    );
  });

  it('printing is a fixed point after one parse', () => {
    fc.assert(
      fc.property(selectorText, (text) => {
        const printed = formatLabelSelector(parseLabelSelector(text));
        assert.equal(formatLabelSelector(parseLabelSelector(printed)), printed);
      }),
      { numRuns: 300 },
    );
  });

  it('matching is preserved across the round trip', () => {
    fc.assert(
      fc.property(selectorText, labelSet, (text, labels) => {
        const sel = parseLabelSelector(text);
        assert.equal(matchesLabels(reparse(sel), labels), matchesLabels(sel, labels));
      }),
      { numRuns: 500 },
    );
  });

  it('requirements built in code survive format + parse', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 5 }), (reqs) => {
        const sel = labelSelectorOf(reqs);
        assert.deepEqual(reparse(sel), sel);
      }),
      { numRuns: 300 },
    );
  });

  it('a selector ANDs its requirements', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 5 }), labelSet, (reqs, labels) => {
        const all = reqs.every((r) => matchesLabels(labelSelectorOf([r]), labels));
        assert.equal(matchesLabels(labelSelectorOf(reqs), labels), all);
      }),
      { numRuns: 300 },
    );
  });
});
