import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../meta.js';
import type { Cluster } from './cluster.js';
import { OverrideError, applicableOverrides, applyOverrides, changeImage } from './overrides.js';
import type { OverridePolicyObject } from './overrides.js';
import type { OverrideSpec } from './policy.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', tier: 'front' } },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: 'web',
            image: 'docker.io/library/nginx:1.25',
            command: ['nginx'],
            args: ['-g', 'daemon off;'],
          },
        ],
      },
    },
  },
} as unknown as KubeObject;
const eu = {
  apiVersion: 'cluster.flotilla.io/v1alpha1',
  kind: 'Cluster',
  metadata: { name: 'eu-1' },
  spec: { region: 'eu' },
} as Cluster;
const us = { ...eu, metadata: { name: 'us-1' }, spec: { region: 'us' } } as Cluster;
const op = (name: string, spec: OverrideSpec, kind = 'OverridePolicy'): OverridePolicyObject => ({
  apiVersion: 'policy.flotilla.io/v1alpha1',
  kind,
  metadata: { name, ...(kind === 'OverridePolicy' ? { namespace: 'shop' } : {}) },
  spec,
});
const EU_ONLY = {
  fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In' as const, values: ['eu'] }] },
};

describe('overrides', () => {
  it('orders cluster-wide policies first, then by implicit priority and name', () => {
    const sel = (s: object) => [{ apiVersion: 'apps/v1', kind: 'Deployment', ...s }];
    const order = applicableOverrides(
      [
        op('b-name', { resourceSelectors: sel({ name: 'web' }) }),
        op('a-all', {}),
        op('labels', { resourceSelectors: sel({ labelSelector: { matchLabels: { tier: 'front' } } }) }),
        op('cop', {}, 'ClusterOverridePolicy'),
        op('other', { resourceSelectors: sel({ name: 'api' }) }),
        { ...op('elsewhere', {}), metadata: { name: 'elsewhere', namespace: 'x' } },
      ],
      deployment,
    ).map((p) => p.metadata.name);
    assert.deepEqual(order, ['cop', 'a-all', 'labels', 'b-name']);
  });

  it('applies every overrider, only on matching clusters, later policies winning', () => {
    const registry = op('registry', {
      overrideRules: [
        {
          targetCluster: EU_ONLY,
          overriders: {
            imageOverrider: [{ component: 'Registry', operator: 'replace', value: 'registry.eu.example' }],
            labelsOverrider: [{ operator: 'add', value: { region: 'eu' } }],
            annotationsOverrider: [{ operator: 'add', value: { owner: 'eu-team' } }],
            commandOverrider: [{ containerName: 'web', operator: 'add', value: ['-c', '/etc/eu.conf'] }],
            argsOverrider: [{ containerName: 'web', operator: 'remove', value: ['daemon off;'] }],
            plaintext: [{ path: '/spec/replicas', operator: 'replace', value: 5 }],
          },
        },
      ],
    });
    const later = op('z-later', {
      overrideRules: [
        { overriders: { plaintext: [{ path: '/spec/replicas', operator: 'replace', value: 7 }] } },
      ],
    });
    const { manifest, applied } = applyOverrides(deployment, eu, [registry, later]);
    const m = manifest as unknown as {
      metadata: { labels: object; annotations: object };
      spec: {
        replicas: number;
        template: { spec: { containers: { image: string; command: string[]; args: string[] }[] } };
      };
    };
    const c = m.spec.template.spec.containers[0];
    assert.equal(c?.image, 'registry.eu.example/library/nginx:1.25');
    assert.deepEqual(c?.command, ['nginx', '-c', '/etc/eu.conf']);
    assert.deepEqual(c?.args, ['-g']);
    assert.deepEqual(m.metadata.labels, { app: 'web', tier: 'front', region: 'eu' });
    assert.deepEqual(m.metadata.annotations, { owner: 'eu-team' });
    assert.equal(m.spec.replicas, 7);
    assert.deepEqual(applied, ['OverridePolicy shop/registry', 'OverridePolicy shop/z-later']);
    const untouched = applyOverrides(deployment, us, [registry]);
    assert.deepEqual(untouched.manifest, deployment);
    assert.deepEqual(untouched.applied, []);
  });

  it('changes image components and string fields holding JSON or YAML', () => {
    assert.equal(changeImage('nginx', { component: 'Tag', operator: 'add', value: '1.25' }), 'nginx:1.25');
    assert.equal(changeImage('nginx:1.25', { component: 'Tag', operator: 'remove' }), 'nginx');
    assert.equal(
      changeImage('localhost:5000/app:v1@sha256:ab', {
        component: 'Repository',
        operator: 'replace',
        value: 'team/app',
      }),
      'localhost:5000/team/app:v1@sha256:ab',
    );
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { 'app.json': '{"level":"info"}', 'app.yaml': 'level: info\n' },
    } as unknown as KubeObject;
    const { manifest } = applyOverrides(cm, eu, [
      op('fields', {
        overrideRules: [
          {
            overriders: {
              fieldOverrider: [
                {
                  fieldPath: '/data/app.json',
                  json: [{ subPath: '/level', operator: 'replace', value: 'debug' }],
                },
                { fieldPath: '/data/app.yaml', yaml: [{ subPath: '/extra', operator: 'add', value: 1 }] },
              ],
            },
          },
        ],
      }),
    ]);
    assert.deepEqual((manifest as unknown as { data: object }).data, {
      'app.json': '{"level":"debug"}',
      'app.yaml': 'level: info\nextra: 1\n',
    });
  });

  it('names the policy whose patch does not apply', () => {
    assert.throws(
      () =>
        applyOverrides(deployment, eu, [
          op('broken', {
            overrideRules: [
              { overriders: { plaintext: [{ path: '/spec/nope/x', operator: 'replace', value: 1 }] } },
            ],
          }),
        ]),
      (err: unknown) =>
        err instanceof OverrideError &&
        /^OverridePolicy shop\/broken: patch .* does not apply/.test(err.message),
    );
  });
});
