/**
 * Member clients from join Secrets, read through the hub's shared informers: once the cache holds
 * a Secret, asking for a member's client costs no hub request; a changed Secret rebuilds the
 * client; a Secret the cache does not hold is read from the hub; a missing one is a clear error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cluster } from '../../src/api/flotilla/cluster.js';
import { noopLogger } from '../../src/base/logger.js';
import { ApiClient } from '../../src/client/api-client.js';
import { localTransport } from '../../src/client/local-transport.js';
import { MemberAccessError } from '../../src/client/member-clients.js';
import { SharedInformers } from '../../src/client/shared-informers.js';
import type { Transport } from '../../src/client/transport.js';
import { SecretMemberClients } from '../../src/members/secret-member-clients.js';
import { eventually, newEnv } from './harness.js';

const SECRETS = { apiVersion: 'v1', plural: 'secrets', namespace: 'flotilla-system' };

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function cluster(name: string, secret: string): Cluster {
  return {
    apiVersion: 'cluster.flotilla.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name },
    spec: {
      syncMode: 'Push',
      apiEndpoint: `https://127.0.0.1:1/clusters/${name}`,
      secretRef: { namespace: 'flotilla-system', name: secret },
    },
  };
}

describe('SecretMemberClients with shared informers', () => {
  it('reads Secrets from the cache once it holds them, rebuilds on change, and reads the hub otherwise', async (t) => {
    const env = await newEnv(t);
    const inner = localTransport(env.server);
    let secretGets = 0;
    const counting: Transport = {
      request: (req) => {
        if (req.method === 'GET' && /\/secrets\/[^/]+$/.test(req.path)) secretGets++;
        return inner.request(req);
      },
    };
    const client = new ApiClient(counting);
    await env.client.create(
      { apiVersion: 'v1', plural: 'namespaces' },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flotilla-system' } },
    );
    const secret = (name: string, token: string) =>
      env.client.create(SECRETS, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: 'flotilla-system' },
        data: { token: b64(token) },
      });
    await secret('a', 'one');
    const informers = new SharedInformers({ client, clock: env.clock, log: noopLogger });
    void informers.start(env.signal);
    const members = new SecretMemberClients(client, informers);

    const first = await members.clientFor(cluster('a', 'a'));
    assert.equal(secretGets, 1, 'read from the hub while the cache fills');
    const secrets = informers.informer(SECRETS);
    await eventually(() => Promise.resolve(secrets.hasSynced), { what: 'the Secret cache synced' });
    for (let i = 0; i < 5; i++) assert.equal(await members.clientFor(cluster('a', 'a')), first);
    assert.equal(secretGets, 1, 'no hub request once the cache holds the Secret');

    await env.client.patch(SECRETS, 'a', {
      body: { data: { token: b64('two') } },
      options: { type: 'merge' },
    });
    await eventually(async () => (await members.clientFor(cluster('a', 'a'))) !== first, {
      what: 'a new client for the changed Secret',
    });

    // Joined a moment ago: the cache may not hold it yet, the hub does.
    await secret('b', 'three');
    assert.ok(await members.clientFor(cluster('b', 'b')));
    await assert.rejects(
      members.clientFor(cluster('c', 'missing')),
      (err: unknown) =>
        err instanceof MemberAccessError &&
        err.message === 'secret flotilla-system/missing of cluster c does not exist',
    );
  });
});
