/**
 * kubectl's typed commands (`create namespace|configmap|secret|deployment|…`, `expose`) send
 * protobuf request bodies with no JSON fallback; each must succeed against the hub and the object
 * must read back with the content kubectl put in it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { slug } from './fixtures.js';
import { KUBECTL_VERSIONS, Kubectl, useHubProcess } from './harness.js';

interface Obj {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

describe('kubectl typed create (protobuf bodies)', { concurrency: true }, () => {
  const hub = useHubProcess({ storage: 'memory' });

  for (const version of KUBECTL_VERSIONS) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      const ns = `typed-${slug(version)}`;
      let k: Kubectl;
      const get = async (args: string[]): Promise<Obj> =>
        parseYaml(await k.ok(['get', ...args, '-n', ns, '-o', 'yaml'])) as Obj;

      before(() => {
        k = new Kubectl(version, hub().kubeconfig);
      });
      after(() => k?.cleanup());

      it('creates a namespace', async () => {
        assert.match(await k.ok(['create', 'namespace', ns]), /created/);
        assert.equal((await get(['namespace', ns])).metadata.name, ns);
      });

      it('creates a configmap from literals', async () => {
        await k.ok([
          'create',
          'configmap',
          'cfg',
          '-n',
          ns,
          '--from-literal=a=1',
          '--from-literal=greeting=hello world',
        ]);
        assert.deepEqual((await get(['configmap', 'cfg']))['data'], { a: '1', greeting: 'hello world' });
      });

      it('creates a generic secret whose data is base64', async () => {
        await k.ok(['create', 'secret', 'generic', 'sec', '-n', ns, '--from-literal=password=hunter2']);
        const secret = await get(['secret', 'sec']);
        assert.deepEqual(secret['data'], { password: Buffer.from('hunter2').toString('base64') });
      });

      it('creates a deployment with replicas and a container port', async () => {
        await k.ok(['create', 'deployment', 'web', '-n', ns, '--image=nginx', '--replicas=2', '--port=80']);
        const spec = (await get(['deployment', 'web']))['spec'] as {
          replicas: number;
          selector: unknown;
          template: { metadata: { labels: Record<string, string> }; spec: { containers: unknown[] } };
        };
        assert.equal(spec.replicas, 2);
        assert.deepEqual(spec.selector, { matchLabels: { app: 'web' } });
        assert.deepEqual(spec.template.metadata.labels, { app: 'web' });
        // As on a real cluster, the stored container carries the server's defaults too.
        assert.deepEqual(spec.template.spec.containers, [
          {
            name: 'nginx',
            image: 'nginx',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            resources: {},
            imagePullPolicy: 'Always',
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
        ]);
      });

      it('creates a service account', async () => {
        await k.ok(['create', 'serviceaccount', 'bot', '-n', ns]);
        assert.equal((await get(['serviceaccount', 'bot'])).metadata.name, 'bot');
      });

      it('creates a job with a command', async () => {
        await k.ok(['create', 'job', 'once', '-n', ns, '--image=busybox', '--', 'echo', 'hi']);
        const spec = (await get(['job', 'once']))['spec'] as {
          template: {
            spec: { restartPolicy: string; containers: { name: string; image: string; command: string[] }[] };
          };
        };
        assert.equal(spec.template.spec.restartPolicy, 'Never');
        const [c] = spec.template.spec.containers;
        assert.deepEqual([c?.name, c?.image, c?.command], ['once', 'busybox', ['echo', 'hi']]);
      });

      it('creates a role and a role binding', async () => {
        await k.ok(['create', 'role', 'reader', '-n', ns, '--verb=get,list', '--resource=pods,configmaps']);
        assert.deepEqual((await get(['role', 'reader']))['rules'], [
          { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list'] },
        ]);
        await k.ok([
          'create',
          'rolebinding',
          'reader-bot',
          '-n',
          ns,
          '--role=reader',
          `--serviceaccount=${ns}:bot`,
        ]);
        const binding = await get(['rolebinding', 'reader-bot']);
        assert.deepEqual(binding['roleRef'], {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'reader',
        });
        assert.deepEqual(binding['subjects'], [{ kind: 'ServiceAccount', name: 'bot', namespace: ns }]);
      });

      it('exposes the deployment as a service', async () => {
        await k.ok(['expose', 'deployment', 'web', '-n', ns, '--port', '80']);
        const spec = (await get(['service', 'web']))['spec'] as { ports: unknown[]; selector: unknown };
        assert.deepEqual(spec.selector, { app: 'web' });
        assert.deepEqual(spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
      });
    });
  }
});
