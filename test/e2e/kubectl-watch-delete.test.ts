/**
 * Watching and deleting through kubectl: `get -w --output-watch-events`, `delete --cascade=…` with
 * ownerReferences, `wait --for=delete` and `--for=jsonpath`, and namespace deletion.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configMap, namespace, slug } from './fixtures.js';
import {
  eventually,
  KUBECTL_VERSIONS,
  Kubectl,
  manifest,
  spawnKubectl,
  tempFile,
  useHubProcess,
} from './harness.js';

interface ConfigMap {
  metadata: {
    uid: string;
    ownerReferences?: { uid: string; name: string }[];
    finalizers?: string[];
    deletionTimestamp?: string;
  };
  data?: Record<string, string>;
}

/** Garbage collection and namespace finalization run in controllers; allow them a few seconds. */
const CONTROLLER_DEADLINE_MS = 10_000;

describe('kubectl watch and delete', { concurrency: true }, () => {
  const hub = useHubProcess();

  for (const version of KUBECTL_VERSIONS) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      const ns = `wd-${slug(version)}`;
      let k: Kubectl;
      const apply = (...objects: unknown[]): Promise<string> =>
        k.ok(['apply', '-f', tempFile('m.yaml', manifest(...objects))]);
      const getCm = async (name: string, namespaceName = ns): Promise<ConfigMap | undefined> => {
        const r = await k.run(['get', 'cm', name, '-n', namespaceName, '-o', 'json']);
        if (r.code !== 0) {
          assert.match(r.stderr, /NotFound/);
          return undefined;
        }
        return JSON.parse(r.stdout) as ConfigMap;
      };

      before(async () => {
        k = new Kubectl(version, hub().kubeconfig);
        await apply(namespace(ns));
      });
      after(() => k?.cleanup());

      it('get -w --output-watch-events prints ADDED, MODIFIED and DELETED', async () => {
        await apply(configMap(ns, 'w0', { data: { a: '0' }, labels: { watch: 'me' } }));
        const w = spawnKubectl(k, ['get', 'cm', '-n', ns, '-l', 'watch=me', '-w', '--output-watch-events']);
        try {
          await eventually(() => /^ADDED\s+w0\s/m.test(w.stdout()), {
            what: `initial ADDED w0; stdout=${w.stdout()} stderr=${w.stderr()}`,
          });
          await apply(configMap(ns, 'w1', { data: { a: '1' }, labels: { watch: 'me' } }));
          await eventually(() => /^ADDED\s+w1\s+1\s/m.test(w.stdout()), { what: 'ADDED w1' });
          await apply(configMap(ns, 'w1', { data: { a: '1', b: '2' }, labels: { watch: 'me' } }));
          await eventually(() => /^MODIFIED\s+w1\s+2\s/m.test(w.stdout()), { what: 'MODIFIED w1' });
          await k.ok(['delete', 'cm', 'w1', '-n', ns]);
          await eventually(() => /^DELETED\s+w1\s/m.test(w.stdout()), { what: 'DELETED w1' });
          assert.match(w.stdout(), /^EVENT\s+NAME\s+DATA\s+AGE\s*$/m);
          assert.equal(w.stderr(), '');
        } finally {
          await w.kill();
        }
      });

      const cascades: { policy: 'background' | 'foreground' | 'orphan'; dependantRemains: boolean }[] = [
        { policy: 'background', dependantRemains: false },
        { policy: 'foreground', dependantRemains: false },
        { policy: 'orphan', dependantRemains: true },
      ];
      for (const c of cascades) {
        it(`delete --cascade=${c.policy}`, async () => {
          const owner = `owner-${c.policy}`;
          const dep = `dep-${c.policy}`;
          await apply(configMap(ns, owner, { data: { role: 'owner' } }));
          const ownerUid = (await getCm(owner))?.metadata.uid;
          assert.ok(ownerUid);
          await apply({
            ...configMap(ns, dep, { data: { role: 'dependant' } }),
            metadata: {
              name: dep,
              namespace: ns,
              ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid: ownerUid }],
            },
          });
          assert.equal((await getCm(dep))?.metadata.ownerReferences?.[0]?.uid, ownerUid);

          const r = await k.run(['delete', 'cm', owner, '-n', ns, `--cascade=${c.policy}`, '--timeout=10s']);
          assert.equal(r.code, 0, `kubectl delete --cascade=${c.policy}: ${r.stderr}`);
          assert.match(r.stdout, new RegExp(`^configmap "${owner}" deleted`, 'm'));
          assert.equal(await getCm(owner), undefined, 'owner still present');

          if (c.dependantRemains) {
            const d = await eventually(
              async () => {
                const cm = await getCm(dep);
                assert.ok(cm, 'orphaned dependant was deleted');
                return (cm.metadata.ownerReferences ?? []).length === 0 && cm;
              },
              { timeoutMs: CONTROLLER_DEADLINE_MS, what: `${dep} to lose its ownerReference` },
            );
            assert.deepEqual(d.data, { role: 'dependant' });
          } else {
            await eventually(async () => (await getCm(dep)) === undefined, {
              timeoutMs: CONTROLLER_DEADLINE_MS,
              what: `garbage collection of ${dep}`,
            });
          }
        });
      }

      it('wait --for=delete returns once the object is deleted', async () => {
        await apply(configMap(ns, 'doomed', { data: { a: '1' } }));
        const w = spawnKubectl(k, ['wait', '--for=delete', 'cm/doomed', '-n', ns, '--timeout=30s']);
        try {
          await k.ok(['delete', 'cm', 'doomed', '-n', ns]);
          assert.equal(await w.exited, 0, w.stderr());
          assert.match(w.stdout() + w.stderr(), /configmap\/doomed condition met|^$/);
        } finally {
          await w.kill();
        }
        const gone = await k.run(['wait', '--for=delete', 'cm/doomed', '-n', ns, '--timeout=5s']);
        assert.equal(gone.code, 0, gone.stderr);
      });

      it('wait --for=jsonpath returns once the field has the value', async () => {
        await apply(configMap(ns, 'waited', { data: { a: '0' } }));
        const w = spawnKubectl(k, [
          'wait',
          '--for=jsonpath={.data.a}=1',
          'cm/waited',
          '-n',
          ns,
          '--timeout=30s',
        ]);
        try {
          await k.ok(['patch', 'cm', 'waited', '-n', ns, '--type', 'merge', '-p', '{"data":{"a":"1"}}']);
          assert.equal(await w.exited, 0, w.stderr());
          assert.match(w.stdout(), /^configmap\/waited condition met$/m);
        } finally {
          await w.kill();
        }
        const timeout = await k.run([
          'wait',
          '--for=jsonpath={.data.a}=2',
          'cm/waited',
          '-n',
          ns,
          '--timeout=1s',
        ]);
        assert.notEqual(timeout.code, 0);
        assert.match(timeout.stderr, /timed out/);
      });

      it('deleting a namespace deletes its objects', async () => {
        const doomed = `${ns}-gone`;
        await apply(namespace(doomed));
        await apply(configMap(doomed, 'inside', { data: { a: '1' } }));
        const ns1 = JSON.parse(await k.ok(['get', 'ns', doomed, '-o', 'json'])) as {
          spec?: { finalizers?: string[] };
          status?: { phase?: string };
        };
        assert.equal(ns1.status?.phase, 'Active');
        const r = await k.run(['delete', 'ns', doomed, '--timeout=10s']);
        assert.equal(r.code, 0, `kubectl delete ns: ${r.stderr}`);
        await eventually(async () => (await k.run(['get', 'ns', doomed])).stderr.includes('NotFound'), {
          timeoutMs: CONTROLLER_DEADLINE_MS,
          what: `namespace ${doomed} to disappear`,
        });
        const list = await k.ok(['get', 'cm', '-n', doomed, '-o', 'name']);
        assert.equal(list.trim(), '', `objects left in deleted namespace: ${list}`);
      });
    });
  }
});
