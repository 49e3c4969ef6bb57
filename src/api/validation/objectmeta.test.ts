import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectMeta, OwnerReference } from '../meta.js';
import { formatFieldIssue, invalid } from '../status.js';
import { nameIsPathSegment } from './names.js';
import type { NameValidator } from './names.js';
import {
  TOTAL_ANNOTATION_SIZE_LIMIT_BYTES,
  validateAnnotations,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './objectmeta.js';

const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAME_PART_RULE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const owner = (over: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name: 'rs-1',
  uid: 'u-1',
  ...over,
});

interface MetaCase {
  name: string;
  meta: ObjectMeta;
  namespaced?: boolean;
  nameValidator?: NameValidator;
  /** Formatted issues; a trailing `…` means "starts with". */
  want: string[];
}

function check(got: string[], want: string[]): void {
  assert.equal(got.length, want.length, `got:\n${got.join('\n')}`);
  want.forEach((w, i) => {
    const g = got[i] ?? '';
    if (w.endsWith('…')) assert.ok(g.startsWith(w.slice(0, -1)), `issue ${i}: ${g}`);
    else assert.equal(g, w);
  });
}

describe('validateObjectMeta', () => {
  const cases: MetaCase[] = [
    { name: 'valid namespaced object', meta: { name: 'web-1', namespace: 'default' }, want: [] },
    { name: 'valid cluster-scoped object', meta: { name: 'eu.west-1' }, namespaced: false, want: [] },
    {
      name: 'full valid metadata',
      meta: {
        name: 'web',
        namespace: 'prod',
        generation: 3,
        labels: { app: 'web', 'app.kubernetes.io/part-of': '' },
        annotations: { 'Example.com/Some_Key': 'any value at all, even\nnewlines' },
        finalizers: ['kubernetes', 'example.com/cleanup'],
        ownerReferences: [
          owner({ controller: true }),
          owner({ apiVersion: 'v1', kind: 'ConfigMap', name: 'c' }),
        ],
      },
      want: [],
    },
    {
      name: 'bad name',
      meta: { name: 'Bad_Name', namespace: 'default' },
      want: [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_RULE}`],
    },
    {
      name: 'missing name',
      meta: { namespace: 'default' },
      want: ['metadata.name: Required value: name or generateName is required'],
    },
    {
      name: 'bad generateName and missing name',
      meta: { generateName: 'Web-', namespace: 'default' },
      want: [
        `metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_RULE}`,
        'metadata.name: Required value: name or generateName is required',
      ],
    },
    {
      name: 'generateName with trailing dash',
      meta: { generateName: 'web-', name: 'web-x1y2z', namespace: 'a' },
      want: [],
    },
    { name: 'namespace required', meta: { name: 'a' }, want: ['metadata.namespace: Required value'] },
    {
      name: 'namespace must be a DNS label',
      meta: { name: 'a', namespace: 'a.b' },
      want: ['metadata.namespace: Invalid value: "a.b": must not contain dots'],
    },
    {
      name: 'namespace forbidden on cluster-scoped kinds',
      meta: { name: 'a', namespace: 'default' },
      namespaced: false,
      want: ['metadata.namespace: Forbidden: not allowed on this type'],
    },
    {
      name: 'negative generation',
      meta: { name: 'a', namespace: 'n', generation: -1 },
      want: ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'bad label key and value, reported in key order',
      meta: { name: 'a', namespace: 'n', labels: { k: 'not ok', fine: 'yes', '-k': 'ok' } },
      want: [
        `metadata.labels: Invalid value: "-k": ${NAME_PART_RULE}`,
        'metadata.labels: Invalid value: "not ok": a valid label…',
      ],
    },
    {
      name: 'bad annotation key',
      meta: { name: 'a', namespace: 'n', annotations: { 'a/b/c': '' } },
      want: ['metadata.annotations: Invalid value: "a/b/c": a qualified name must consist of…'],
    },
    {
      name: 'bad finalizer and conflicting orphan/foreground',
      meta: { name: 'a', namespace: 'n', finalizers: ['orphan', 'foregroundDeletion', 'bad finalizer'] },
      want: [
        `metadata.finalizers: Invalid value: "bad finalizer": ${NAME_PART_RULE}`,
        'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion","bad finalizer"]: finalizer orphan and foregroundDeletion cannot be both set',
      ],
    },
    {
      name: 'owner reference missing everything',
      meta: { name: 'a', namespace: 'n', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
      want: [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      ],
    },
    {
      name: 'owner reference apiVersion without a version',
      meta: {
        name: 'a',
        namespace: 'n',
        ownerReferences: [owner({ apiVersion: 'apps/' }), owner({ apiVersion: 'a/b/c' })],
      },
      want: [
        'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
        'metadata.ownerReferences.apiVersion: Invalid value: "a/b/c": version must not be empty',
      ],
    },
    {
      name: 'events cannot own',
      meta: { name: 'a', namespace: 'n', ownerReferences: [owner({ apiVersion: 'v1', kind: 'Event' })] },
      want: [
        'metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"rs-1","uid":"u-1"}: /v1, Kind=Event is disallowed from being an owner',
      ],
    },
    {
      name: 'two controllers',
      meta: {
        name: 'a',
        namespace: 'n',
        ownerReferences: [
          owner({ controller: true }),
          owner({ kind: 'StatefulSet', name: 'ss', controller: true }),
        ],
      },
      want: ['metadata.ownerReferences: Invalid value: [{…'],
    },
    {
      name: 'custom name validator',
      meta: { name: 'Any:Name', namespace: 'n' },
      nameValidator: nameIsPathSegment,
      want: [],
    },
    {
      name: 'custom single-argument name validator',
      meta: { name: 'x', namespace: 'n' },
      nameValidator: (name) => (name === 'x' ? ['is x'] : []),
      want: ['metadata.name: Invalid value: "x": is x'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const issues = validateObjectMeta(c.meta, {
        namespaced: c.namespaced ?? true,
        ...(c.nameValidator === undefined ? {} : { nameValidator: c.nameValidator }),
      });
      check(issues.map(formatFieldIssue), c.want);
    });
  }

  it('reports the controller pair and the Event owner in kube words', () => {
    const two = validateObjectMeta(
      {
        name: 'a',
        namespace: 'n',
        ownerReferences: [
          owner({ controller: true }),
          owner({ kind: 'StatefulSet', name: 'ss', controller: true }),
        ],
      },
      { namespaced: true },
    );
    assert.equal(
      two[0]?.detail,
      'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/rs-1 and StatefulSet/ss',
    );
    const event = validateObjectMeta(
      { name: 'a', namespace: 'n', ownerReferences: [owner({ apiVersion: 'v1', kind: 'Event' })] },
      { namespaced: true },
    );
    assert.equal(event[0]?.detail, '/v1, Kind=Event is disallowed from being an owner');
  });

  it('builds the 422 message kube-apiserver sends', () => {
    const issues = validateObjectMeta({ name: 'Bad_Name', namespace: 'default' }, { namespaced: true });
    assert.equal(
      invalid('apps', 'Deployment', 'Bad_Name', issues).message,
      `Deployment.apps "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_RULE}`,
    );
  });
});

describe('validateAnnotations size limit', () => {
  const cases: [name: string, annotations: Record<string, string>, tooLong: boolean][] = [
    ['exactly at the limit', { k: 'v'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_BYTES - 1) }, false],
    ['one byte over', { k: 'v'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) }, true],
    ['keys count too', { ['k'.repeat(10)]: 'v'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_BYTES - 10), x: '' }, true],
    ['bytes, not characters', { k: 'é'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_BYTES / 2) }, true],
  ];
  for (const [name, annotations, tooLong] of cases) {
    it(name, () => {
      const got = validateAnnotations(annotations, 'metadata.annotations').map(formatFieldIssue);
      assert.deepEqual(
        got,
        tooLong ? ['metadata.annotations: Too long: may not be more than 262144 bytes'] : [],
      );
    });
  }
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = {
    name: 'web',
    namespace: 'prod',
    uid: 'u-1',
    resourceVersion: '7',
    generation: 2,
    creationTimestamp: '2024-01-01T00:00:00Z',
    finalizers: ['example.com/a'],
  };
  const cases: [name: string, update: Partial<ObjectMeta>, base: ObjectMeta, want: string[]][] = [
    ['unchanged', {}, old, []],
    ['labels may change', { labels: { a: 'b' } }, old, []],
    [
      'name is immutable',
      { name: 'other' },
      old,
      ['metadata.name: Invalid value: "other": field is immutable'],
    ],
    [
      'namespace is immutable',
      { namespace: 'dev' },
      old,
      ['metadata.namespace: Invalid value: "dev": field is immutable'],
    ],
    ['uid is immutable', { uid: 'u-2' }, old, ['metadata.uid: Invalid value: "u-2": field is immutable']],
    [
      'creationTimestamp is immutable',
      { creationTimestamp: '2025-01-01T00:00:00Z' },
      old,
      ['metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable'],
    ],
    [
      'deletionTimestamp cannot be set by update',
      { deletionTimestamp: '2025-01-01T00:00:00Z' },
      old,
      ['metadata.deletionTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable'],
    ],
    [
      'resourceVersion required',
      { resourceVersion: '' },
      old,
      ['metadata.resourceVersion: Invalid value: "": must be specified for an update'],
    ],
    [
      'generation not decremented',
      { generation: 1 },
      old,
      ['metadata.generation: Invalid value: 1: must not be decremented'],
    ],
    [
      'no new finalizers while deleting',
      { finalizers: ['example.com/a', 'example.com/c', 'example.com/b'] },
      { ...old, deletionTimestamp: '2025-01-01T00:00:00Z' },
      [
        'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/b", "example.com/c"}',
      ],
    ],
    [
      'finalizers may be removed while deleting',
      { finalizers: [] },
      { ...old, deletionTimestamp: '2025-01-01T00:00:00Z' },
      [],
    ],
    ['finalizers may be added before deletion', { finalizers: ['example.com/a', 'example.com/b'] }, old, []],
    [
      'new metadata is still validated',
      { labels: { 'bad key': 'v' }, finalizers: ['bad finalizer'] },
      old,
      [
        `metadata.labels: Invalid value: "bad key": ${NAME_PART_RULE}`,
        `metadata.finalizers: Invalid value: "bad finalizer": ${NAME_PART_RULE}`,
      ],
    ],
  ];
  for (const [name, update, base, want] of cases) {
    it(name, () => {
      const next: ObjectMeta = { ...base, ...update };
      check(validateObjectMetaUpdate(next, base).map(formatFieldIssue), want);
    });
  }
});
