import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { UnsupportedProtobufError, decodeEnvelope, decodeMessage, decodeObject } from './decode.js';
import { k8sSchema } from './k8s-schema.js';
import { SchemaRegistry } from './schema.js';
import type { ProtoWriter } from './testing/encoder.js';
import { intOrString, k8sEnvelope, proto, time } from './testing/encoder.js';
import { ProtobufDecodeError } from './wire.js';

/** ObjectMeta as Go writes it: every non-pointer field present, zero or not. */
function meta(
  name: string,
  extra: (w: ProtoWriter) => unknown = () => undefined,
): (w: ProtoWriter) => unknown {
  return (w) => {
    w.string(1, name).string(2, '').string(3, '').string(4, '').string(5, '').string(6, '');
    w.varint(7, 0).message(8);
    extra(w);
  };
}

describe('decodeObject', () => {
  it('decodes the exact bytes kubectl 1.33 sends for `create namespace foo`', () => {
    const hex =
      '6b3873000a0f0a0276311209 4e616d657370616365121b0a130a03666f6f12001a0022002a00320038004200120 01a020a001a002200';
    const bytes = Uint8Array.from(Buffer.from(hex.replace(/\s/g, ''), 'hex'));
    assert.deepEqual(decodeObject(k8sSchema, bytes), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'foo' },
      spec: {},
      status: {},
    });
  });

  it('decodes a ConfigMap with data, binary data, labels and a kept zero pointer', () => {
    const raw = proto((w) =>
      w
        .message(
          1,
          meta('cfg', (m) => m.string(3, 'default').mapEntry(11, 'app', 'web')),
        )
        .mapEntry(2, 'k1', 'v1')
        .mapEntry(2, 'empty', '')
        .mapEntry(3, 'bin', Uint8Array.of(1, 2, 3))
        .varint(4, false),
    );
    assert.deepEqual(decodeObject(k8sSchema, k8sEnvelope('v1', 'ConfigMap', raw)), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default', labels: { app: 'web' } },
      data: { k1: 'v1', empty: '' },
      binaryData: { bin: 'AQID' },
      immutable: false,
    });
  });

  it('decodes Secret data as base64, as Kubernetes JSON does for []byte', () => {
    const raw = proto((w) =>
      w
        .message(1, meta('s'))
        .mapEntry(2, 'key', Uint8Array.of(0, 1, 2, 255))
        .mapEntry(2, 'text', new TextEncoder().encode('hunter2'))
        .string(3, 'Opaque'),
    );
    assert.deepEqual(decodeObject(k8sSchema, k8sEnvelope('v1', 'Secret', raw)), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { key: 'AAEC/w==', text: 'aHVudGVyMg==' },
      type: 'Opaque',
    });
  });

  it('decodes a Deployment with two containers, ports, env, quantities, probes and volumes', () => {
    const labels = (w: ProtoWriter): unknown => w.mapEntry(11, 'app', 'web');
    const nginx = (c: ProtoWriter): unknown =>
      c
        .string(1, 'nginx')
        .string(2, 'nginx:1.25')
        .string(5, '')
        .message(6, (p) => p.string(1, 'http').varint(2, 0).varint(3, 80).string(4, 'TCP').string(5, ''))
        .message(7, (e) => e.string(1, 'A').string(2, '1'))
        .message(7, (e) =>
          e
            .string(1, 'POD')
            .string(2, '')
            .message(3, (s) => s.message(1, (f) => f.string(2, 'metadata.name'))),
        )
        .message(8, (r) =>
          r
            .quantityEntry(1, 'cpu', '500m')
            .quantityEntry(1, 'memory', '128Mi')
            .quantityEntry(2, 'cpu', '250m'),
        )
        .message(11, (p) =>
          p
            .message(1, (h) => h.message(2, (g) => g.string(1, '/').message(2, intOrString('http'))))
            .varint(2, 0)
            .varint(4, 5),
        )
        .string(13, '')
        .varint(16, false);
    const sidecar = (c: ProtoWriter): unknown =>
      c
        .string(1, 'sidecar')
        .string(2, 'busybox')
        .string(3, 'sh')
        .string(3, '-c')
        .string(3, 'sleep 1')
        .message(8)
        .message(15, (s) => s.varint(2, false).varint(4, 0))
        .message(19, (e) => e.string(1, '').message(2, (r) => r.message(1, (l) => l.string(1, 'cfg'))));
    const raw = proto((w) =>
      w
        .message(
          1,
          meta('web', (m) => m.message(8, time('2024-05-01T10:20:30Z')).mapEntry(11, 'app', 'web')),
        )
        .message(2, (s) =>
          s
            .varint(1, 2)
            .message(2, (sel) => sel.mapEntry(1, 'app', 'web'))
            .message(3, (t) =>
              t.message(1, meta('', labels)).message(2, (p) =>
                p
                  .message(1, (v) =>
                    v.string(1, 'data').message(2, (src) => src.message(2, (e) => e.string(1, ''))),
                  )
                  .message(1, (v) =>
                    v
                      .string(1, 'cfg')
                      .message(2, (src) =>
                        src.message(19, (c) => c.message(1, (l) => l.string(1, 'cfg')).varint(3, 420)),
                      ),
                  )
                  .message(2, nginx)
                  .message(2, sidecar)
                  .string(3, 'Always')
                  .varint(4, 30)
                  .varint(11, false),
              ),
            )
            .message(4, (st) =>
              st
                .string(1, 'RollingUpdate')
                .message(2, (ru) => ru.message(1, intOrString(0)).message(2, intOrString('25%'))),
            )
            .varint(5, 0)
            .varint(99, 7),
        )
        .message(3),
    );
    assert.deepEqual(decodeObject(k8sSchema, k8sEnvelope('apps/v1', 'Deployment', raw)), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: '2024-05-01T10:20:30Z', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            volumes: [
              { name: 'data', emptyDir: {} },
              { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
            ],
            containers: [
              {
                name: 'nginx',
                image: 'nginx:1.25',
                ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
                env: [
                  { name: 'A', value: '1' },
                  { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                ],
                resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } },
                readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
              },
              {
                name: 'sidecar',
                image: 'busybox',
                command: ['sh', '-c', 'sleep 1'],
                resources: {},
                securityContext: { privileged: false, runAsUser: 0 },
                envFrom: [{ configMapRef: { name: 'cfg' } }],
              },
            ],
            restartPolicy: 'Always',
            terminationGracePeriodSeconds: 30,
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      },
      status: {},
    });
  });

  it('keeps zero pointers in DeleteOptions of any group version', () => {
    const raw = proto((w) => w.varint(1, 0).string(4, 'Foreground').string(5, 'All'));
    assert.deepEqual(decodeObject(k8sSchema, k8sEnvelope('apps/v1', 'DeleteOptions', raw)), {
      apiVersion: 'apps/v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    });
  });

  it('accepts a raw JSON object inside the envelope', () => {
    const unknown = proto((w) =>
      w
        .message(1, (t) => t.string(1, 'v1').string(2, 'Widget'))
        .bytes(2, new TextEncoder().encode('{"metadata":{"name":"w"}}'))
        .string(4, 'application/json'),
    );
    const bytes = Uint8Array.from([0x6b, 0x38, 0x73, 0, ...unknown]);
    assert.deepEqual(decodeObject(k8sSchema, bytes), {
      apiVersion: 'v1',
      kind: 'Widget',
      metadata: { name: 'w' },
    });
  });

  it('reports unknown kinds and encodings as unsupported, bad bytes as malformed', () => {
    assert.throws(
      () => decodeObject(k8sSchema, k8sEnvelope('example.com/v1', 'Widget', new Uint8Array())),
      UnsupportedProtobufError,
    );
    assert.throws(() => decodeObject(k8sSchema, Uint8Array.of(1, 2, 3, 4, 5)), ProtobufDecodeError);
    assert.throws(() => decodeEnvelope(Uint8Array.of(0x6b, 0x38, 0x73)), ProtobufDecodeError);
    const truncated = k8sEnvelope('v1', 'ConfigMap', Uint8Array.of(0x0a, 0x05, 0x0a));
    assert.throws(() => decodeObject(k8sSchema, truncated), ProtobufDecodeError);
    const wrongWire = k8sEnvelope(
      'v1',
      'ConfigMap',
      proto((w) => w.varint(1, 3)),
    );
    assert.throws(() => decodeObject(k8sSchema, wrongWire), /wire type 0/);
  });

  it('never fails with anything but a decode error, whatever the raw bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom('Deployment', 'Service', 'Job'),
        (raw, kind) => {
          const apiVersion = kind === 'Service' ? 'v1' : kind === 'Job' ? 'batch/v1' : 'apps/v1';
          try {
            decodeObject(k8sSchema, k8sEnvelope(apiVersion, kind, raw));
          } catch (err) {
            assert.ok(err instanceof ProtobufDecodeError, String(err));
          }
        },
      ),
    );
  });
});

describe('decodeMessage', () => {
  const registry = new SchemaRegistry().addPackage('t', {
    All: {
      1: 'micro:MicroTime',
      2: 'duration:Duration',
      3: 'ints:[]int32',
      4: 'times:[]Time',
      5: 'fields:*FieldsV1',
      6: 'ratio:double',
      7: 'count:*int32',
      8: 'gone:int32',
    },
  });
  const all = registry.message('t.All');
  assert.ok(all);

  it('decodes special types, packed and unpacked repeated scalars, and drops zero non-pointers', () => {
    const bytes = proto((w) =>
      w
        .message(1, (t) => t.varint(1, 1714558830).varint(2, 123_456_789))
        .message(2, (d) => d.varint(1, 90_500_000_000))
        .bytes(
          3,
          proto((p) => p.raw([1, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
        )
        .varint(3, 3)
        .message(4, time('2020-01-02T03:04:05Z'))
        .message(5, (f) => f.bytes(1, new TextEncoder().encode('{"f:spec":{}}')))
        .double(6, 0.25)
        .varint(7, 0)
        .varint(8, 0),
    );
    assert.deepEqual(decodeMessage(registry, all, bytes), {
      micro: '2024-05-01T10:20:30.123456Z',
      duration: '1m30.5s',
      ints: [1, 127, -1, 3],
      times: ['2020-01-02T03:04:05Z'],
      fields: { 'f:spec': {} },
      ratio: 0.25,
      count: 0,
    });
  });

  it('rejects FieldsV1 that is not JSON', () => {
    const bytes = proto((w) => w.message(5, (f) => f.string(1, '{nope')));
    assert.throws(() => decodeMessage(registry, all, bytes), ProtobufDecodeError);
  });
});

describe('k8sSchema', () => {
  it('resolves every message reference and kind', () => {
    assert.deepEqual(k8sSchema.unresolved(), []);
    for (const gvk of k8sSchema.kinds()) {
      const slash = gvk.lastIndexOf('/');
      assert.ok(k8sSchema.messageForKind(gvk.slice(0, slash), gvk.slice(slash + 1)), gvk);
    }
  });
});
