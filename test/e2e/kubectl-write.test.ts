/**
 * kubectl write paths against the real hub binary: client-side apply (merge by name, pruning),
 * server-side apply conflicts between field managers, label/annotate, the three patch types, scale,
 * edit through an EDITOR script, replace (with a stale resourceVersion) and diff.
 */
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { configMap, deployment, namespace, slug } from './fixtures.js';
import { KUBECTL_VERSIONS, Kubectl, manifest, tempFile, useHubProcess } from './harness.js';

interface Deployment {
  metadata: {
    resourceVersion: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: {
      manager: string;
      operation: string;
      fieldsV1?: { 'f:spec'?: Record<string, unknown> };
    }[];
  };
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } };
}

describe('kubectl write', { concurrency: true }, () => {
  const hub = useHubProcess();

  for (const version of KUBECTL_VERSIONS) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      const ns = `write-${slug(version)}`;
      let k: Kubectl;
      const getDeploy = async (name: string, extra: string[] = []): Promise<Deployment> =>
        JSON.parse(await k.ok(['get', 'deploy', name, '-n', ns, '-o', 'json', ...extra])) as Deployment;
      const getCm = async (
        name: string,
      ): Promise<{
        metadata: {
          resourceVersion: string;
          labels?: Record<string, string>;
          annotations?: Record<string, string>;
        };
        data?: Record<string, string>;
      }> => JSON.parse(await k.ok(['get', 'cm', name, '-n', ns, '-o', 'json'])) as never;

      before(async () => {
        k = new Kubectl(version, hub().kubeconfig);
        await k.ok(['apply', '-f', tempFile('ns.yaml', manifest(namespace(ns)))]);
      });
      after(() => k?.cleanup());

      it('client-side apply merges containers by name, prunes removed ones, then is unchanged', async () => {
        const v1 = deployment(ns, 'csa', {
          labels: { app: 'csa', tier: 'web' },
          containers: [
            { name: 'web', image: 'nginx:1.25' },
            { name: 'sidecar', image: 'busybox:1.36' },
          ],
        });
        assert.match(
          await k.ok(['apply', '-f', tempFile('v1.yaml', manifest(v1))]),
          /^deployment\.apps\/csa created$/m,
        );
        const created = await getDeploy('csa');
        assert.ok(
          created.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'],
          'last-applied annotation missing',
        );

        const v2 = deployment(ns, 'csa', {
          labels: { app: 'csa' },
          containers: [{ name: 'web', image: 'nginx:1.27' }],
        });
        const file2 = tempFile('v2.yaml', manifest(v2));
        assert.match(await k.ok(['apply', '-f', file2]), /^deployment\.apps\/csa configured$/m);
        const d = await getDeploy('csa');
        assert.deepEqual(
          d.spec.template.spec.containers.map((c) => [c.name, c.image]),
          [['web', 'nginx:1.27']],
        );
        assert.deepEqual(d.metadata.labels, { app: 'csa' });
        assert.match(await k.ok(['apply', '-f', file2]), /^deployment\.apps\/csa unchanged$/m);
        assert.equal((await getDeploy('csa')).metadata.resourceVersion, d.metadata.resourceVersion);
      });

      it('server-side apply by a second manager conflicts on .spec.replicas until forced', async () => {
        const base = deployment(ns, 'ssa', { replicas: 1 });
        await k.ok([
          'apply',
          '--server-side',
          '--field-manager',
          'a',
          '-f',
          tempFile('a.yaml', manifest(base)),
        ]);
        const changed = tempFile('b.yaml', manifest(deployment(ns, 'ssa', { replicas: 4 })));
        const r = await k.run(['apply', '--server-side', '--field-manager', 'b', '-f', changed]);
        assert.notEqual(r.code, 0, r.stdout);
        assert.match(r.stderr, /conflict/i);
        assert.match(r.stderr, /\.spec\.replicas/);
        assert.match(r.stderr, /"a"/);
        assert.equal((await getDeploy('ssa')).spec.replicas, 1);

        assert.match(
          await k.ok(['apply', '--server-side', '--field-manager', 'b', '--force-conflicts', '-f', changed]),
          /^deployment\.apps\/ssa serverside-applied$/m,
        );
        const d = await getDeploy('ssa', ['--show-managed-fields']);
        assert.equal(d.spec.replicas, 4);
        const owners = (d.metadata.managedFields ?? []).filter(
          (m) => m.fieldsV1?.['f:spec'] && 'f:replicas' in m.fieldsV1['f:spec'],
        );
        assert.deepEqual(
          owners.map((m) => [m.manager, m.operation]),
          [['b', 'Apply']],
        );
      });

      it('label and annotate add, overwrite and remove keys', async () => {
        await k.ok([
          'create',
          '-f',
          tempFile('cm.yaml', manifest(configMap(ns, 'meta', { data: { a: '1' }, labels: { keep: 'yes' } }))),
        ]);
        assert.match(
          await k.ok(['label', 'cm', 'meta', '-n', ns, 'team=blue', 'env=dev']),
          /^configmap\/meta labeled$/m,
        );
        const overwrite = await k.run(['label', 'cm', 'meta', '-n', ns, 'team=red']);
        assert.equal(overwrite.code, 1);
        assert.match(overwrite.stderr, /already has a value \(blue\)/);
        await k.ok(['label', 'cm', 'meta', '-n', ns, 'team=red', '--overwrite']);
        await k.ok(['label', 'cm', 'meta', '-n', ns, 'env-']);
        // kubectl 1.27 prints "configmap/meta annotate" (its own typo), later versions "annotated".
        assert.match(
          await k.ok(['annotate', 'cm', 'meta', '-n', ns, 'note=hello world']),
          /^configmap\/meta annotated?$/m,
        );
        const cm = await getCm('meta');
        assert.deepEqual(cm.metadata.labels, { keep: 'yes', team: 'red' });
        assert.equal(cm.metadata.annotations?.['note'], 'hello world');
      });

      const patches: { type: string; patch: unknown; expect: (d: Deployment) => void }[] = [
        {
          type: 'strategic',
          patch: { spec: { template: { spec: { containers: [{ name: 'extra', image: 'redis:7' }] } } } },
          // strategic merge keys containers by name: the new one is added, `web` stays.
          expect: (d) =>
            assert.deepEqual(d.spec.template.spec.containers.map((c) => c.name).sort(), ['extra', 'web']),
        },
        {
          type: 'merge',
          patch: { metadata: { labels: { patched: 'merge' } }, spec: { replicas: 2 } },
          expect: (d) => {
            assert.equal(d.metadata.labels?.['patched'], 'merge');
            assert.equal(d.spec.replicas, 2);
          },
        },
        {
          type: 'json',
          patch: [
            { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:json' },
            { op: 'test', path: '/spec/replicas', value: 2 },
          ],
          expect: (d) => assert.equal(d.spec.template.spec.containers[0]?.image, 'nginx:json'),
        },
      ];
      it('patch --type strategic|merge|json', async () => {
        await k.ok([
          'create',
          '-f',
          tempFile('p.yaml', manifest(deployment(ns, 'patched', { replicas: 1 }))),
        ]);
        for (const p of patches) {
          const out = await k.ok([
            'patch',
            'deploy',
            'patched',
            '-n',
            ns,
            '--type',
            p.type,
            '-p',
            JSON.stringify(p.patch),
          ]);
          assert.match(out, /^deployment\.apps\/patched patched$/m, p.type);
          p.expect(await getDeploy('patched'));
        }
        const failed = await k.run([
          'patch',
          'deploy',
          'patched',
          '-n',
          ns,
          '--type',
          'json',
          '-p',
          JSON.stringify([{ op: 'test', path: '/spec/replicas', value: 99 }]),
        ]);
        assert.notEqual(failed.code, 0, 'a failing JSON-patch test op must be rejected');
      });

      it('scale --replicas=3 writes spec.replicas', async () => {
        await k.ok(['create', '-f', tempFile('s.yaml', manifest(deployment(ns, 'scaled', { replicas: 1 })))]);
        assert.match(
          await k.ok(['scale', 'deploy', 'scaled', '-n', ns, '--replicas=3']),
          /^deployment\.apps\/scaled scaled$/m,
        );
        assert.equal((await getDeploy('scaled')).spec.replicas, 3);
        const scale = JSON.parse(
          await k.ok(['get', '--raw', `/apis/apps/v1/namespaces/${ns}/deployments/scaled/scale`]),
        ) as { kind: string; spec: { replicas: number } };
        assert.equal(scale.kind, 'Scale');
        assert.equal(scale.spec.replicas, 3);
      });

      it('edit applies what the EDITOR changed', async () => {
        await k.ok([
          'create',
          '-f',
          tempFile(
            'e.yaml',
            manifest(deployment(ns, 'edited', { containers: [{ name: 'web', image: 'nginx:1.25' }] })),
          ),
        ]);
        const editor = tempFile(
          'editor.sh',
          `#!/bin/sh\nsed -i 's/image: nginx:1.25/image: nginx:edited/' "$1"\n`,
        );
        chmodSync(editor, 0o755);
        const out = await k.ok(['edit', 'deploy', 'edited', '-n', ns], {
          env: { EDITOR: editor, KUBE_EDITOR: editor },
        });
        assert.match(out, /^deployment\.apps\/edited edited$/m);
        assert.equal((await getDeploy('edited')).spec.template.spec.containers[0]?.image, 'nginx:edited');
      });

      it('replace -f writes the object; a stale resourceVersion is a Conflict', async () => {
        await k.ok([
          'create',
          '-f',
          tempFile('r.yaml', manifest(configMap(ns, 'replaced', { data: { a: '1' } }))),
        ]);
        const current = await getCm('replaced');
        const next = {
          ...configMap(ns, 'replaced', { data: { a: '2' } }),
          metadata: { name: 'replaced', namespace: ns, resourceVersion: current.metadata.resourceVersion },
        };
        assert.match(
          await k.ok(['replace', '-f', tempFile('r2.yaml', manifest(next))]),
          /^configmap\/replaced replaced$/m,
        );
        assert.deepEqual((await getCm('replaced')).data, { a: '2' });
        const stale = { ...next, data: { a: '3' } };
        const r = await k.run(['replace', '-f', tempFile('r3.yaml', manifest(stale))]);
        assert.equal(r.code, 1);
        assert.match(
          r.stderr,
          /Error from server \(Conflict\).*Operation cannot be fulfilled on configmaps "replaced": the object has been modified/,
        );
        assert.deepEqual((await getCm('replaced')).data, { a: '2' });
      });

      it('diff -f exits 1 with a diff when changed and 0 when the same', async () => {
        const same = configMap(ns, 'diffed', { data: { a: '1' } });
        await k.ok(['apply', '-f', tempFile('d.yaml', manifest(same))]);
        const unchanged = await k.run(['diff', '-f', tempFile('d1.yaml', manifest(same))]);
        assert.equal(unchanged.code, 0, unchanged.stderr + unchanged.stdout);
        assert.equal(unchanged.stdout, '');
        const changed = await k.run([
          'diff',
          '-f',
          tempFile('d2.yaml', manifest(configMap(ns, 'diffed', { data: { a: '2' } }))),
        ]);
        assert.equal(changed.code, 1, changed.stderr);
        assert.match(changed.stdout, /^-\s+a: "1"$/m);
        assert.match(changed.stdout, /^\+\s+a: "2"$/m);
        assert.deepEqual((await getCm('diffed')).data, { a: '1' }, 'diff must not write');
      });
    });
  }
});
