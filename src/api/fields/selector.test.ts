import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isStatusError } from '../status.js';
import {
  escapeFieldValue,
  fieldSelectorEverything,
  fieldSelectorExactMatch,
  fieldSelectorRequirements,
  formatFieldSelector,
  isFieldSelectorEmpty,
  mapFieldSelectorFields,
  matchesFields,
  nameFromFieldSelector,
  parseFieldSelector,
  unescapeFieldValue,
} from './selector.js';
import type { FieldSelector } from './selector.js';

function rejection(text: string): string {
  try {
    parseFieldSelector(text);
  } catch (err) {
    assert.ok(isStatusError(err));
    assert.equal(err.code, 400);
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseFieldSelector', () => {
  const cases: [input: string, requirements: [string, '=' | '!=', string][], printed: string][] = [
    ['', [], ''],
    ['metadata.name=foo', [['metadata.name', '=', 'foo']], 'metadata.name=foo'],
    ['metadata.name==foo', [['metadata.name', '=', 'foo']], 'metadata.name=foo'],
    ['status.phase!=Running', [['status.phase', '!=', 'Running']], 'status.phase!=Running'],
    ['a=', [['a', '=', '']], 'a='],
    ['=b', [['', '=', 'b']], '=b'],
    [
      'spec.nodeName=n1,status.phase!=Succeeded',
      [
        ['spec.nodeName', '=', 'n1'],
        ['status.phase', '!=', 'Succeeded'],
      ],
      'spec.nodeName=n1,status.phase!=Succeeded',
    ],
    [
      'z=1,a=2',
      [
        ['a', '=', '2'],
        ['z', '=', '1'],
      ],
      'a=2,z=1',
    ],
    [
      'a=b,,c=d',
      [
        ['a', '=', 'b'],
        ['c', '=', 'd'],
      ],
      'a=b,c=d',
    ],
    [',', [], ''],
    ['a=x\\,y', [['a', '=', 'x,y']], 'a=x\\,y'],
    ['a=x\\=y', [['a', '=', 'x=y']], 'a=x\\=y'],
    ['a=x\\\\y', [['a', '=', 'x\\y']], 'a=x\\\\y'],
    ['a = b', [['a ', '=', ' b']], 'a = b'],
  ];
  for (const [input, requirements, printed] of cases) {
    it(`parses ${JSON.stringify(input)}`, () => {
      const sel = parseFieldSelector(input);
      assert.deepEqual(
        fieldSelectorRequirements(sel).map((r) => [r.field, r.operator, r.value]),
        requirements,
      );
      assert.equal(formatFieldSelector(sel), printed);
    });
  }

  const errors: [input: string, message: string][] = [
    ['foo', "invalid selector: 'foo'; can't understand 'foo'"],
    ['a=b,foo', "invalid selector: 'a=b,foo'; can't understand 'foo'"],
    ['a!==b', 'invalid field selector: unescaped character in value: 61'],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=x\\y', 'invalid field selector: invalid escape sequence: \\y'],
    ['a=x\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [input, message] of errors) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.equal(rejection(input), message);
    });
  }
});

describe('matchesFields', () => {
  const fields = { 'metadata.name': 'web-1', 'metadata.namespace': 'default', 'status.phase': 'Running' };
  const cases: [selector: string, want: boolean][] = [
    ['', true],
    ['metadata.name=web-1', true],
    ['metadata.name==web-2', false],
    ['metadata.name!=web-2', true],
    ['status.phase!=Running', false],
    ['metadata.name=web-1,metadata.namespace=default', true],
    ['metadata.name=web-1,metadata.namespace=kube-system', false],
    ['spec.nodeName=', true],
    ['spec.nodeName!=', false],
    ['spec.nodeName!=n1', true],
    ['constructor=', true],
  ];
  for (const [selector, want] of cases) {
    it(`${JSON.stringify(selector)} is ${want}`, () => {
      assert.equal(matchesFields(parseFieldSelector(selector), fields), want);
    });
  }
});

describe('exact matches', () => {
  const cases: [selector: string, name: string | undefined][] = [
    ['metadata.name=foo', 'foo'],
    ['metadata.name==foo', 'foo'],
    ['metadata.namespace=ns,metadata.name=foo', 'foo'],
    ['metadata.name!=foo', undefined],
    ['metadata.namespace=ns', undefined],
    ['', undefined],
    ['metadata.name=a\\,b', 'a,b'],
  ];
  for (const [selector, name] of cases) {
    it(`${JSON.stringify(selector)} pins the name to ${String(name)}`, () => {
      assert.equal(nameFromFieldSelector(parseFieldSelector(selector)), name);
    });
  }

  it('finds other fields too', () => {
    assert.equal(fieldSelectorExactMatch(parseFieldSelector('spec.nodeName=n1'), 'spec.nodeName'), 'n1');
  });
});

describe('helpers', () => {
  it('everything is empty', () => {
    assert.ok(isFieldSelectorEmpty(fieldSelectorEverything()));
    assert.ok(isFieldSelectorEmpty(parseFieldSelector('')));
    assert.equal(isFieldSelectorEmpty(parseFieldSelector('a=b')), false);
  });

  it('maps field names (aliases)', () => {
    const sel = mapFieldSelectorFields(parseFieldSelector('spec.host=n1'), (f) =>
      f === 'spec.host' ? 'spec.nodeName' : f,
    );
    assert.equal(formatFieldSelector(sel), 'spec.nodeName=n1');
  });

  const escapes: [raw: string, escaped: string][] = [
    ['plain', 'plain'],
    ['a,b', 'a\\,b'],
    ['a=b', 'a\\=b'],
    ['a\\b', 'a\\\\b'],
    ['\\,=', '\\\\\\,\\='],
  ];
  for (const [raw, escaped] of escapes) {
    it(`escapes ${JSON.stringify(raw)}`, () => {
      assert.equal(escapeFieldValue(raw), escaped);
      assert.equal(unescapeFieldValue(escaped), raw);
    });
  }
});

const fieldName = fc.constantFrom(
  'metadata.name',
  'metadata.namespace',
  'spec.nodeName',
  'status.phase',
  'x',
);
const fieldValue = fc.string({
  unit: fc.constantFrom('a', 'b', '-', ',', '=', '\\', ' ', '!'),
  maxLength: 6,
});
const selector: fc.Arbitrary<FieldSelector> = fc
  .array(
    fc.record({
      field: fieldName,
      operator: fc.constantFrom('=' as const, '!=' as const),
      value: fieldValue,
    }),
    {
      maxLength: 5,
    },
  )
  .map((requirements) => ({ requirements }));
const fieldSet = fc.dictionary(fieldName, fieldValue, { maxKeys: 5 });

describe('field selector properties', () => {
  it('escape/unescape round-trips any value', () => {
    fc.assert(fc.property(fc.string(), (v) => unescapeFieldValue(escapeFieldValue(v)) === v));
  });

  it('format + parse preserves the terms (as a sorted multiset) and matching', () => {
    fc.assert(
      fc.property(selector, fieldSet, (sel, fields) => {
        const back = parseFieldSelector(formatFieldSelector(sel));
        const key = (r: { field: string; operator: string; value: string }): string =>
          JSON.stringify([r.field, r.operator, r.value]);
        assert.deepEqual(back.requirements.map(key).sort(), sel.requirements.map(key).sort());
        assert.equal(matchesFields(back, fields), matchesFields(sel, fields));
        assert.equal(
          formatFieldSelector(parseFieldSelector(formatFieldSelector(back))),
          formatFieldSelector(back),
        );
      }),
      { numRuns: 500 },
    );
  });
});
