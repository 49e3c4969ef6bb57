/**
 * kubectl read paths against the real hub binary: version, discovery, create -f of a multi-document
 * file, every `get` output format and selector, explain, and the error answers (NotFound,
 * AlreadyExists, Unauthorized). One hub for the file; each kubectl version works in its own namespace.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { configMap, deployment, namespace, slug } from './fixtures.js';
import { KUBECTL_VERSIONS, Kubectl, manifest, tempFile, useHubProcess } from './harness.js';

describe('kubectl read', { concurrency: true }, () => {
  const hub = useHubProcess();

  for (const version of KUBECTL_VERSIONS) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      const ns = `read-${slug(version)}`;
      let k: Kubectl;
      before(async () => {
        k = new Kubectl(version, hub().kubeconfig);
        await k.ok(['create', '-f', tempFile('ns.yaml', manifest(namespace(ns)))]);
      });
      after(() => k?.cleanup());

      it('version prints the server version', async () => {
        // 1.27 prints the whole version.Info struct, 1.28+ only the git version.
        const out = await k.ok(['version']);
        assert.match(out, /^Server Version: (v1\.\d+\.\d+|version\.Info\{.*GitVersion:"v1\.\d+\.\d+)/m);
        const json = JSON.parse(await k.ok(['version', '-o', 'json'])) as {
          serverVersion?: { major: string; gitVersion: string };
        };
        assert.equal(json.serverVersion?.major, '1');
        assert.match(json.serverVersion?.gitVersion ?? '', /^v1\.\d+\.\d+/);
      });

      it('api-resources lists deployments with shortname deploy', async () => {
        const out = await k.ok(['api-resources']);
        const row = out.split('\n').find((l) => /^deployments\s/.test(l));
        assert.ok(row, `no deployments row in:\n${out}`);
        assert.match(row, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment\s*$/);
        assert.match(out, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap\s*$/m);
      });

      it('api-versions lists apps/v1 and v1', async () => {
        const lines = (await k.ok(['api-versions'])).split('\n');
        assert.ok(lines.includes('apps/v1'), lines.join('\n'));
        assert.ok(lines.includes('v1'), lines.join('\n'));
      });

      it('create -f creates every document of a multi-document file', async () => {
        const file = tempFile(
          'multi.yaml',
          manifest(
            configMap(ns, 'settings', { data: { a: '1' }, labels: { app: 'shop', tier: 'cfg' } }),
            configMap(ns, 'other', { data: { b: '2' }, labels: { app: 'blog' } }),
            deployment(ns, 'shop', { labels: { app: 'shop' }, replicas: 2 }),
          ),
        );
        const out = await k.ok(['create', '-f', file]);
        assert.match(out, /^configmap\/settings created$/m);
        assert.match(out, /^configmap\/other created$/m);
        assert.match(out, /^deployment\.apps\/shop created$/m);
        const cm = JSON.parse(await k.ok(['get', 'cm', 'settings', '-n', ns, '-o', 'json'])) as {
          data: Record<string, string>;
          metadata: { uid?: string; resourceVersion?: string };
        };
        assert.deepEqual(cm.data, { a: '1' });
        assert.ok(cm.metadata.uid && cm.metadata.resourceVersion);
        const d = JSON.parse(await k.ok(['get', 'deploy', 'shop', '-n', ns, '-o', 'json'])) as {
          spec: { replicas: number };
        };
        assert.equal(d.spec.replicas, 2);
      });

      const formats: { name: string; args: string[]; check: (out: string) => void }[] = [
        {
          name: '-o yaml',
          args: ['get', 'cm', 'settings', '-o', 'yaml'],
          check: (o) => {
            assert.match(o, /^kind: ConfigMap$/m);
            assert.match(o, /^ {2}name: settings$/m);
            assert.match(o, /^ {2}a: "1"$/m);
          },
        },
        {
          name: '-o json',
          args: ['get', 'cm', 'settings', '-o', 'json'],
          check: (o) =>
            assert.equal((JSON.parse(o) as { metadata: { name: string } }).metadata.name, 'settings'),
        },
        {
          name: 'table',
          args: ['get', 'cm'],
          check: (o) => {
            assert.match(o, /^NAME\s+DATA\s+AGE\s*$/m);
            assert.match(o, /^settings\s+1\s+\S+\s*$/m);
            assert.match(o, /^other\s+1\s+/m);
          },
        },
        {
          name: '-o wide (deployment)',
          args: ['get', 'deploy', '-o', 'wide'],
          check: (o) => {
            assert.match(o, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/m);
            assert.match(o, /^shop\s+.*\bweb\s+nginx:1\.25\s+app=shop/m);
          },
        },
        {
          name: '-o name',
          args: ['get', 'cm', '-o', 'name'],
          check: (o) =>
            assert.deepEqual(o.trim().split('\n').sort(), ['configmap/other', 'configmap/settings']),
        },
        {
          name: '-o jsonpath',
          args: ['get', 'cm', 'settings', '-o', 'jsonpath={.data.a}/{.metadata.labels.tier}'],
          check: (o) => assert.equal(o, '1/cfg'),
        },
        {
          name: '-o custom-columns',
          args: ['get', 'cm', '-o', 'custom-columns=NAME:.metadata.name,APP:.metadata.labels.app'],
          check: (o) =>
            assert.deepEqual(
              o
                .trim()
                .split('\n')
                .map((l) => l.trim().split(/\s+/)),
              [
                ['NAME', 'APP'],
                ['other', 'blog'],
                ['settings', 'shop'],
              ],
            ),
        },
        {
          name: '-l app=shop',
          args: ['get', 'cm', '-l', 'app=shop', '-o', 'name'],
          check: (o) => assert.equal(o.trim(), 'configmap/settings'),
        },
        {
          name: '-l app!=shop',
          args: ['get', 'cm', '-l', 'app,app!=shop', '-o', 'name'],
          check: (o) => assert.equal(o.trim(), 'configmap/other'),
        },
        {
          name: '-l set-based',
          args: ['get', 'cm', '-l', 'app in (shop,blog),!missing', '-o', 'name'],
          check: (o) => assert.equal(o.trim().split('\n').length, 2),
        },
        {
          name: '--field-selector',
          args: ['get', 'cm', '--field-selector', 'metadata.name=other', '-o', 'name'],
          check: (o) => assert.equal(o.trim(), 'configmap/other'),
        },
        {
          name: '--field-selector !=',
          args: ['get', 'cm', '--field-selector', 'metadata.name!=other', '-o', 'name'],
          check: (o) => assert.equal(o.trim(), 'configmap/settings'),
        },
        {
          name: 'deploy by shortname',
          args: ['get', 'deploy/shop', '-o', 'jsonpath={.kind}'],
          check: (o) => assert.equal(o, 'Deployment'),
        },
      ];
      for (const f of formats) {
        it(`get ${f.name}`, async () => {
          f.check(await k.ok([...f.args, '-n', ns]));
        });
      }

      it('get -A shows a NAMESPACE column with objects from this namespace', async () => {
        const out = await k.ok(['get', 'cm', '-A']);
        assert.match(out, /^NAMESPACE\s+NAME\s+DATA\s+AGE\s*$/m);
        assert.match(out, new RegExp(`^${ns}\\s+settings\\s+1\\s+`, 'm'));
      });

      it('explain deployment.spec.replicas describes an integer', async () => {
        const out = await k.ok(['explain', 'deployment.spec.replicas']);
        assert.match(out, /replicas/);
        assert.match(out, /<integer>/);
      });

      it('get of a missing object is NotFound', async () => {
        const r = await k.run(['get', 'cm', 'nope', '-n', ns]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /Error from server \(NotFound\): configmaps "nope" not found/);
      });

      it('create of an existing object is AlreadyExists', async () => {
        const file = tempFile('dup.yaml', manifest(configMap(ns, 'dup', { data: { x: 'y' } })));
        await k.ok(['create', '-f', file]);
        const r = await k.run(['create', '-f', file]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /Error from server \(AlreadyExists\).*configmaps "dup" already exists/);
      });

      it('a wrong token is Unauthorized', async () => {
        const bad = tempFile(
          'kubeconfig',
          readFileSync(hub().kubeconfig, 'utf8').replace(/token: \S+/, 'token: not-the-token'),
        );
        const kb = new Kubectl(version, bad);
        try {
          const r = await kb.run(['get', 'cm', '-n', ns]);
          assert.equal(r.code, 1);
          assert.match(r.stderr, /You must be logged in to the server|Unauthorized/);
          assert.doesNotMatch(r.stdout, /settings/);
        } finally {
          kb.cleanup();
        }
      });
    });
  }
});
