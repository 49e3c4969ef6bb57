import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/fake-clock.js';
import { noopLogger } from '../../base/logger.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import type { AdmissionPlugin } from '../admission.js';
import { ApiServer } from '../api-server.js';
import { call } from '../testing/call.js';

const PODS = '/api/v1/namespaces/default/pods';
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'a', image: 'x' }] },
};
const binding = (node: string): unknown => ({
  apiVersion: 'v1',
  kind: 'Binding',
  metadata: { name: 'p' },
  target: { kind: 'Node', name: node },
});

async function server(admission: AdmissionPlugin[] = []): Promise<ApiServer> {
  const s = new ApiServer({ store: new MemoryStore(), clock: new FakeClock(), log: noopLogger, admission });
  await s.start();
  return s;
}

describe('pods/binding', () => {
  it('assigns the node and PodScheduled once, then answers 409', async () => {
    const s = await server();
    assert.equal((await call(s, 'POST', PODS, { body: pod })).status, 201);
    const bound = await call(s, 'POST', `${PODS}/p/binding`, { body: binding('n1') });
    assert.equal(bound.status, 201);
    assert.equal(bound.json['status'], 'Success');
    const got = await call(s, 'GET', `${PODS}/p`);
    assert.equal((got.json['spec'] as { nodeName?: string }).nodeName, 'n1');
    const conditions = (got.json['status'] as { conditions: { type: string; status: string }[] }).conditions;
    assert.deepEqual(
      conditions.map((c) => `${c.type}=${c.status}`),
      ['PodScheduled=True'],
    );
    const again = await call(s, 'POST', `${PODS}/p/binding`, { body: binding('n2') });
    assert.equal(again.status, 409);
    assert.equal(
      again.json['message'],
      'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "n1"',
    );
  });

  it('requires a target and is listed in discovery', async () => {
    const s = await server();
    await call(s, 'POST', PODS, { body: pod });
    const bad = await call(s, 'POST', `${PODS}/p/binding`, {
      body: { kind: 'Binding', metadata: { name: 'p' } },
    });
    assert.equal(bad.status, 422);
    assert.match(String(bad.json['message']), /target\.name: Required value/);
    const unnamed = { kind: 'Binding', metadata: {}, target: { kind: 'Node', name: 'n1' } };
    assert.equal((await call(s, 'POST', `${PODS}/missing/binding`, { body: unnamed })).status, 404);
    assert.equal((await call(s, 'POST', `${PODS}/other/binding`, { body: binding('n1') })).status, 400);
    const core = await call(s, 'GET', '/api/v1');
    const names = (core.json['resources'] as { name: string; verbs: string[] }[]).filter(
      (r) => r.name === 'pods/binding',
    );
    assert.deepEqual(
      names.map((r) => r.verbs),
      [['create']],
    );
  });
});

describe('admission plugins', () => {
  it('mutate creates and updates of the kinds they handle, and can refuse', async () => {
    const seen: string[] = [];
    const plugin: AdmissionPlugin = {
      name: 'stamp',
      handles: (info) => info.kind === 'ConfigMap',
      admit({ operation, object, old, dryRun }) {
        seen.push(`${operation}:${old ? 'old' : 'new'}:${dryRun}`);
        if (object.metadata.labels?.['refuse'] === 'yes') throw new Error('refused by plugin');
        object.metadata.annotations = { ...object.metadata.annotations, stamped: operation };
      },
    };
    const s = await server([plugin]);
    const cms = '/api/v1/namespaces/default/configmaps';
    const created = await call(s, 'POST', cms, { body: { metadata: { name: 'c' } } });
    assert.deepEqual(created.json.metadata?.['annotations'], { stamped: 'CREATE' });
    const updated = await call(s, 'PUT', `${cms}/c`, { body: { metadata: { name: 'c' }, data: { a: 'b' } } });
    assert.deepEqual(updated.json.metadata?.['annotations'], { stamped: 'UPDATE' });
    await call(s, 'POST', cms, { body: { metadata: { name: 'd' } }, query: { dryRun: 'All' } });
    await call(s, 'POST', '/api/v1/namespaces/default/secrets', { body: { metadata: { name: 's' } } });
    assert.deepEqual(seen, ['CREATE:new:false', 'UPDATE:old:false', 'CREATE:new:true']);
  });
});
