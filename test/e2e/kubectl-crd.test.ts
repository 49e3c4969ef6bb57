/**
 * CustomResourceDefinitions through kubectl: a CRD with a structural schema, a status subresource,
 * printer columns and a short name; wait for Established; create, list (printer columns), validate
 * (schema errors, strict unknown fields), explain, and the status subresource. Each kubectl version
 * gets its own CRD group so the two never share a resource.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { namespace, slug } from './fixtures.js';
import { KUBECTL_VERSIONS, Kubectl, manifest, tempFile, useHubProcess } from './harness.js';

function widgetCrd(group: string, shortName: string): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: {
        plural: 'widgets',
        singular: 'widget',
        kind: 'Widget',
        listKind: 'WidgetList',
        shortNames: [shortName],
      },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['image'],
                  properties: {
                    replicas: { type: 'integer', minimum: 0, description: 'How many widgets to run.' },
                    image: { type: 'string', description: 'Image the widget runs.' },
                  },
                },
                status: { type: 'object', properties: { phase: { type: 'string' } } },
              },
            },
          },
        },
      ],
    },
  };
}

interface Widget {
  spec: { replicas?: number; image: string };
  status?: { phase?: string };
}

describe('kubectl CRDs', { concurrency: true }, () => {
  const hub = useHubProcess();

  for (const version of KUBECTL_VERSIONS) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      const ns = `crd-${slug(version)}`;
      const group = `v${slug(version)}.example.com`;
      const short = `wd${slug(version)}`;
      const resource = `widgets.${group}`;
      const widget = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({
        apiVersion: `${group}/v1`,
        kind: 'Widget',
        metadata: { name, namespace: ns },
        spec,
      });
      const getWidget = async (name: string): Promise<Widget> =>
        JSON.parse(await k.ok(['get', resource, name, '-n', ns, '-o', 'json'])) as Widget;
      let k: Kubectl;

      before(async () => {
        k = new Kubectl(version, hub().kubeconfig);
        await k.ok(['apply', '-f', tempFile('ns.yaml', manifest(namespace(ns)))]);
      });
      after(() => k?.cleanup());

      it('apply a CRD and wait for Established', async () => {
        assert.match(
          await k.ok(['apply', '-f', tempFile('crd.yaml', manifest(widgetCrd(group, short)))]),
          new RegExp(
            `customresourcedefinition\\.apiextensions\\.k8s\\.io/widgets\\.${group.replaceAll('.', '\\.')} created`,
          ),
        );
        const out = await k.ok(['wait', '--for=condition=Established', `crd/${resource}`, '--timeout=30s']);
        assert.match(out, /condition met/);
        const r = await k.ok(['api-resources', '--api-group', group]);
        assert.match(
          r,
          new RegExp(`^widgets\\s+${short}\\s+${group.replaceAll('.', '\\.')}/v1\\s+true\\s+Widget`, 'm'),
        );
      });

      it('create a custom resource and list it with its printer columns', async () => {
        assert.match(
          await k.ok([
            'create',
            '-f',
            tempFile('w.yaml', manifest(widget('w1', { replicas: 3, image: 'nginx' }))),
          ]),
          /widget\.v\d+\.example\.com\/w1 created/,
        );
        const out = await k.ok(['get', short, '-n', ns]);
        assert.match(out, /^NAME\s+REPLICAS\s+AGE\s*$/m);
        assert.match(out, /^w1\s+3\s+\S+\s*$/m);
        assert.equal((await getWidget('w1')).spec.replicas, 3);
      });

      const invalid: { name: string; spec: Record<string, unknown>; field: RegExp; extra?: RegExp }[] = [
        {
          name: 'negative replicas',
          spec: { replicas: -1, image: 'x' },
          field: /spec\.replicas/,
          extra: /greater than or equal to 0/,
        },
        {
          name: 'string replicas',
          spec: { replicas: 'three', image: 'x' },
          field: /spec\.replicas/,
          extra: /integer/,
        },
        { name: 'missing image', spec: { replicas: 1 }, field: /spec\.image/, extra: /Required value/ },
      ];
      for (const c of invalid) {
        it(`an invalid custom resource is rejected: ${c.name}`, async () => {
          const r = await k.run(['create', '-f', tempFile('bad.yaml', manifest(widget('bad', c.spec)))]);
          assert.equal(r.code, 1, r.stdout);
          assert.match(r.stderr, /Invalid|invalid/);
          assert.match(r.stderr, c.field);
          if (c.extra) assert.match(r.stderr, c.extra);
          const get = await k.run(['get', resource, 'bad', '-n', ns]);
          assert.match(get.stderr, /NotFound/);
        });
      }

      it('an unknown field is rejected with --validate=strict', async () => {
        const r = await k.run([
          'create',
          '--validate=strict',
          '-f',
          tempFile('unknown.yaml', manifest(widget('unknown', { image: 'x', bogus: true }))),
        ]);
        assert.equal(r.code, 1, r.stdout);
        assert.match(r.stderr, /unknown field/);
        assert.match(r.stderr, /bogus/);
      });

      it('explain a CRD field', async () => {
        const out = await k.ok(['explain', `${short}.spec.replicas`]);
        assert.match(out, /replicas/);
        assert.match(out, /<integer>/);
        assert.match(out, /How many widgets to run/);
      });

      it('status is written only through the status subresource', async () => {
        await k.ok([
          'patch',
          resource,
          'w1',
          '-n',
          ns,
          '--type',
          'merge',
          '-p',
          '{"status":{"phase":"FromMain"},"spec":{"replicas":4}}',
        ]);
        let w = await getWidget('w1');
        assert.equal(w.spec.replicas, 4);
        assert.equal(w.status?.phase, undefined, 'status written through the main resource must be ignored');

        await k.ok([
          'patch',
          resource,
          'w1',
          '-n',
          ns,
          '--subresource=status',
          '--type',
          'merge',
          '-p',
          '{"status":{"phase":"Ready"},"spec":{"replicas":9}}',
        ]);
        w = await getWidget('w1');
        assert.equal(w.status?.phase, 'Ready');
        assert.equal(w.spec.replicas, 4, 'spec written through the status subresource must be ignored');
      });

      it('a strategic merge patch on a custom resource is refused with 415', async () => {
        const r = await k.run(['patch', resource, 'w1', '-n', ns, '-p', '{"spec":{"replicas":5}}']);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /application\/strategic-merge-patch\+json is not supported/);
      });
    });
  }
});
