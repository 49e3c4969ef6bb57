import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  byteLength,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isPlainLabel,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  nameIsPathSegment,
} from './names.js';

const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_RULE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_RULE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QNAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const TOO_LONG_63 = 'must be no more than 63 characters';

type Case = [input: string, errors: string[]];

function table(name: string, fn: (v: string) => string[], cases: Case[]): void {
  describe(name, () => {
    for (const [input, errors] of cases) {
      const label = input.length > 30 ? `${input.slice(0, 12)}…${input.slice(-6)} (${input.length})` : input;
      it(JSON.stringify(label), () => {
        assert.deepEqual(fn(input), errors);
      });
    }
  });
}

table('isDNS1123Subdomain', isDNS1123Subdomain, [
  ['example.com', []],
  ['a', []],
  ['0-9.a-b', []],
  ['a'.repeat(253), []],
  ['Bad_Name', [SUBDOMAIN_RULE]],
  ['', [SUBDOMAIN_RULE]],
  ['-a', [SUBDOMAIN_RULE]],
  ['a-', [SUBDOMAIN_RULE]],
  ['a..b', [SUBDOMAIN_RULE]],
  ['a.', [SUBDOMAIN_RULE]],
  ['a\n', [SUBDOMAIN_RULE]],
  ['a'.repeat(254), ['must be no more than 253 characters']],
  [`${'a'.repeat(253)}_`, ['must be no more than 253 characters', SUBDOMAIN_RULE]],
]);

table('isDNS1123Label', isDNS1123Label, [
  ['my-name', []],
  ['123-abc', []],
  ['a'.repeat(63), []],
  ['a.b', ['must not contain dots']],
  ['A', [LABEL_RULE]],
  ['', [LABEL_RULE]],
  ['a_b', [LABEL_RULE]],
  ['a'.repeat(64), [TOO_LONG_63]],
]);

table('isDNS1035Label', isDNS1035Label, [
  ['my-svc', []],
  ['1abc', [DNS1035_RULE]],
  ['a-', [DNS1035_RULE]],
]);

table('isQualifiedName', isQualifiedName, [
  ['app', []],
  ['MyName', []],
  ['my.name_x-1', []],
  ['example.com/MyName', []],
  ['kubernetes.io/hostname', []],
  [`${'a'.repeat(253)}/${'b'.repeat(63)}`, []],
  ['', ['name part must be non-empty', `name part ${QNAME_RULE}`]],
  ['-a', [`name part ${QNAME_RULE}`]],
  ['a b', [`name part ${QNAME_RULE}`]],
  ['a'.repeat(64), [`name part ${TOO_LONG_63}`]],
  ['/a', ['prefix part must be non-empty']],
  ['a/', ['name part must be non-empty', `name part ${QNAME_RULE}`]],
  ['Example.com/a', [`prefix part ${SUBDOMAIN_RULE}`]],
  [`${'a'.repeat(254)}/a`, ['prefix part must be no more than 253 characters']],
  [
    'a/b/c',
    [
      `a qualified name ${QNAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
  ],
]);

table('isValidLabelValue', isValidLabelValue, [
  ['', []],
  ['MyValue', []],
  ['my_value', []],
  ['12345', []],
  ['a'.repeat(63), []],
  ['a'.repeat(64), [TOO_LONG_63]],
  ['-a', [LABEL_VALUE_RULE]],
  ['a b', [LABEL_VALUE_RULE]],
  ['é', [LABEL_VALUE_RULE]],
  [`${'a'.repeat(63)}-`, [TOO_LONG_63, LABEL_VALUE_RULE]],
]);

table('isValidPathSegmentName', isValidPathSegmentName, [
  ['anything:Goes_Here', []],
  ['.', ["may not be '.'"]],
  ['..', ["may not be '..'"]],
  ['...', []],
  ['a/b', ["may not contain '/'"]],
  ['a/b%c', ["may not contain '/'", "may not contain '%'"]],
]);

table('isValidPathSegmentPrefix', isValidPathSegmentPrefix, [
  ['.', []],
  ['a%', ["may not contain '%'"]],
]);

describe('name validators', () => {
  const cases: [
    name: string,
    fn: (n: string, p: boolean) => string[],
    input: string,
    prefix: boolean,
    ok: boolean,
  ][] = [
    ['subdomain allows trailing dash in prefix', nameIsDNSSubdomain, 'web-', true, true],
    ['subdomain rejects trailing dash in name', nameIsDNSSubdomain, 'web-', false, false],
    ['subdomain masks two-char prefix', nameIsDNSSubdomain, 'a-', true, true],
    ['subdomain does not mask a lone dash', nameIsDNSSubdomain, '-', true, false],
    ['subdomain rejects bad prefix', nameIsDNSSubdomain, 'Web-', true, false],
    ['label allows trailing dash in prefix', nameIsDNSLabel, 'ns-', true, true],
    ['label rejects dots', nameIsDNSLabel, 'a.b', false, false],
    ['1035 allows trailing dash in prefix', nameIsDNS1035Label, 'svc-', true, true],
    ['path segment prefix may be "."', nameIsPathSegment, '.', true, true],
    ['path segment name may not be "."', nameIsPathSegment, '.', false, false],
  ];
  for (const [name, fn, input, prefix, ok] of cases) {
    it(name, () => {
      assert.equal(fn(input, prefix).length === 0, ok);
    });
  }
});

describe('byteLength', () => {
  it('counts UTF-8 bytes', () => {
    assert.equal(byteLength('abc'), 3);
    assert.equal(byteLength('é'), 2);
    assert.equal(byteLength('😀'), 4);
  });

  it('agrees with Buffer.byteLength', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => byteLength(s) === Buffer.byteLength(s, 'utf8')),
    );
  });
});

describe('validator properties', () => {
  const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);

  it('every DNS-1123 label is a subdomain, a qualified name and a label value', () => {
    fc.assert(
      fc.property(label, (l) => {
        assert.deepEqual(isDNS1123Label(l), []);
        assert.deepEqual(isDNS1123Subdomain(l), []);
        assert.deepEqual(isQualifiedName(l), []);
        assert.deepEqual(isValidLabelValue(l), []);
      }),
    );
  });

  it('a non-empty qualified name (without prefix) is a valid label value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (s) => {
        if (s !== '' && !s.includes('/') && isQualifiedName(s).length === 0) {
          assert.deepEqual(isValidLabelValue(s), []);
        }
      }),
    );
  });
});

describe('isPlainLabel', () => {
  it('accepts common labels and never a pair the full checks reject', () => {
    for (const [k, v] of [
      ['app', 'web'],
      ['pod-template-hash', '5c9dd54c5f'],
      ['app.kubernetes.io/name', 'My_App.1'],
      ['x', ''],
    ] as const)
      assert.ok(isPlainLabel(k, v), `${k}=${v}`);
    const text = fc.string({
      unit: fc.constantFrom('a', 'Z', '0', '-', '_', '.', '/', 'é', ' '),
      maxLength: 70,
    });
    fc.assert(
      fc.property(text, text, (k, v) => {
        if (isPlainLabel(k, v)) assert.deepEqual([...isQualifiedName(k), ...isValidLabelValue(v)], []);
      }),
      { numRuns: 2000 },
    );
    assert.equal(isPlainLabel('a'.repeat(64), 'v'), false);
    assert.equal(isPlainLabel('Example.com/a', 'v'), false);
    assert.equal(isPlainLabel('a/b/c', 'v'), false);
  });
});
