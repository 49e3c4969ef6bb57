import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from '../../../base/testing/eventually.js';
import type { MemberEnv } from '../../testing/member-env.js';
import { newMemberEnv } from '../../testing/member-env.js';
import { ServiceAccountController } from './serviceaccount-controller.js';

const NAMESPACES = { apiVersion: 'v1', plural: 'namespaces' };
const ALL_ACCOUNTS = { apiVersion: 'v1', plural: 'serviceaccounts' };

function startController(env: MemberEnv): ServiceAccountController {
  const controller = new ServiceAccountController({
    client: env.client,
    informers: env.informers,
    clock: env.clock,
    log: env.log,
  });
  env.run(controller);
  return controller;
}

async function accounts(env: MemberEnv): Promise<string[]> {
  const list = await env.client.list(ALL_ACCOUNTS);
  return list.items.map((sa) => `${sa.metadata.namespace ?? ''}/${sa.metadata.name ?? ''}`).sort();
}

async function accountsWhen(
  env: MemberEnv,
  check: (names: string[]) => boolean,
  what: string,
): Promise<string[]> {
  let last: string[] = [];
  await eventually(
    async () => {
      last = await accounts(env);
      return check(last);
    },
    { clock: env.clock, what },
  );
  return last;
}

describe('ServiceAccountController', () => {
  it('gives every namespace a default ServiceAccount and restores it', async (t) => {
    const env = await newMemberEnv(t);
    startController(env);
    const initial = await accountsWhen(env, (n) => n.length === 4, 'system namespaces');
    assert.deepEqual(initial, [
      'default/default',
      'kube-node-lease/default',
      'kube-public/default',
      'kube-system/default',
    ]);
    await env.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await accountsWhen(env, (n) => n.includes('team/default'), 'team/default');
    const sa = await env.client.get({ ...ALL_ACCOUNTS, namespace: 'team' }, 'default');
    assert.deepEqual(Object.keys(sa).sort(), ['apiVersion', 'kind', 'metadata']);
    await env.client.delete({ ...ALL_ACCOUNTS, namespace: 'team' }, 'default');
    await accountsWhen(env, (n) => n.includes('team/default'), 'team/default again');
  });

  it('leaves terminating namespaces alone', async (t) => {
    const env = await newMemberEnv(t);
    const controller = startController(env);
    await env.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'leaving' } });
    await accountsWhen(env, (n) => n.includes('leaving/default'), 'leaving/default');
    await env.client.delete(NAMESPACES, 'leaving'); // stays Terminating: no namespace controller here
    await env.client.delete({ ...ALL_ACCOUNTS, namespace: 'leaving' }, 'default');
    const cached = env.informers.informer(NAMESPACES);
    await eventually(() => cached.get('leaving')?.metadata.deletionTimestamp !== undefined, {
      clock: env.clock,
      what: 'the namespace seen terminating',
    });
    await controller.reconcile('leaving', env.signal);
    assert.ok(!(await accounts(env)).includes('leaving/default'));
  });
});
