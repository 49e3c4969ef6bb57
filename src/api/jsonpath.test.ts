import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateJsonPath, parseJsonPath } from './jsonpath.js';

const pod = {
  metadata: {
    name: 'web-0',
    labels: { app: 'web', 'app.kubernetes.io/name': 'web' },
    annotations: { 'a.b': 'dotted' },
    creationTimestamp: '2024-01-01T00:00:00Z',
  },
  spec: {
    replicas: 3,
    paused: false,
    containers: [
      { name: 'app', image: 'nginx:1', ports: [{ containerPort: 80 }, { containerPort: 443 }] },
      { name: 'sidecar', image: 'envoy:1' },
    ],
  },
  status: {
    conditions: [
      { type: 'Ready', status: 'True', count: 1 },
      { type: 'Available', status: 'False', count: 5 },
      { type: 'Progressing', status: 'True', count: 3, reason: 'NewReplicaSetAvailable' },
    ],
    nothing: null,
  },
};

describe('evaluateJsonPath', () => {
  const cases: [string, unknown[]][] = [
    ['.metadata.name', ['web-0']],
    ['{.metadata.name}', ['web-0']],
    ['$.metadata.name', ['web-0']],
    ['.spec.replicas', [3]],
    ['.spec.paused', [false]],
    ['.status.nothing', [null]],
    ['.spec.missing', []],
    ['.spec.missing.deeper', []],
    ['.metadata.name.length', []],
    ['.spec.containers[0].name', ['app']],
    ['.spec.containers[-1].name', ['sidecar']],
    ['.spec.containers[*].name', ['app', 'sidecar']],
    ['.spec.containers[*].image', ['nginx:1', 'envoy:1']],
    ['.spec.containers[0:1].name', ['app']],
    ['.spec.containers[5].name', []],
    ['.spec.replicas[0]', []],
    ['.spec.containers[0,1].name', ['app', 'sidecar']],
    ["['metadata']['name']", ['web-0']],
    [".metadata.annotations['a.b']", ['dotted']],
    ['.metadata.annotations["a.b"]', ['dotted']],
    ['.metadata.annotations.a\\.b', ['dotted']],
    ['.metadata.labels.app\\.kubernetes\\.io/name', ['web']],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    [".status.conditions[?(@.type=='Available')].status", ['False']],
    ['.status.conditions[?(@.type != "Ready")].type', ['Available', 'Progressing']],
    ['.status.conditions[?(@.count > 2)].type', ['Available', 'Progressing']],
    ['.status.conditions[?(@.count >= 3)].type', ['Available', 'Progressing']],
    ['.status.conditions[?(@.count < 3)].type', ['Ready']],
    ['.status.conditions[?(@.count <= 3)].type', ['Ready', 'Progressing']],
    ['.status.conditions[?(@.reason)].type', ['Progressing']],
    ['.status.conditions[?(@.type=="Nope")].status', []],
    // comparing a string field with a number is a type error in client-go: no results at all
    ['.status.conditions[?(@.type==1)].status', []],
    ['..containerPort', [80, 443]],
    ['.spec..name', ['app', 'sidecar']],
    ['.metadata.labels.*', ['web', 'web']],
    ['{.metadata.name}/{.spec.replicas}', ['web-0', '/', 3]],
  ];
  for (const [path, want] of cases) {
    it(path, () => {
      assert.deepEqual(evaluateJsonPath(pod, path), want);
    });
  }

  it('evaluates on non-object roots without throwing', () => {
    assert.deepEqual(evaluateJsonPath(null, '.a'), []);
    assert.deepEqual(evaluateJsonPath([1, 2], '[1]'), [2]);
    assert.deepEqual(evaluateJsonPath('str', '.a'), []);
  });

  it('accepts a pre-parsed template', () => {
    assert.deepEqual(evaluateJsonPath(pod, parseJsonPath('.metadata.name')), ['web-0']);
  });
});

describe('parseJsonPath', () => {
  const valid = [
    '.spec.replicas',
    '{.spec.replicas}',
    '.status.conditions[?(@.type=="Ready")].status',
    '.items[*].metadata.name',
    '..name',
    '.a[1:3:1]',
    "['a.b'].c",
    '.metadata.annotations.x\\.y',
  ];
  for (const path of valid)
    it(`accepts ${path}`, () => {
      assert.doesNotThrow(() => parseJsonPath(path));
    });

  const invalid: [string, RegExp][] = [
    ['{.spec.replicas', /unclosed action/],
    ['.spec.containers[0', /unterminated array/],
    ['.spec.containers[abc]', /invalid array index/],
    ['.status.conditions[?(@.type=="Ready"]', /unterminated filter|expected \]/],
    ['.status.conditions[?(@.type="Ready")]', /unrecognized filter operator =/],
    ['.a[::0]', /step must be > 0/],
    ['.a....b', /multiple recursive descent/],
    ['.a | .b', /unrecognized character/],
    ['spec.replicas', /unsupported identifier/],
    ['{range .items[*]}{.x}{end}', /unsupported identifier "range"/],
    ['.a["b]', /unterminated|unclosed/],
  ];
  for (const [path, re] of invalid) {
    it(`rejects ${path}`, () => {
      assert.throws(
        () => parseJsonPath(path),
        (err: unknown) => {
          assert.ok(err instanceof Error);
          assert.match(err.message, re);
          assert.match(err.message, /invalid JSONPath/);
          return true;
        },
      );
    });
  }
});
