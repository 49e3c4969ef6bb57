/**
 * The hub binary's HTTPS edge: health and version without credentials, 401 for everything else,
 * Prometheus metrics, `--help`, bad flags, and a restart on the same data directory reusing the
 * CA, token and data.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hubRequest, readCredentials, startHubProcess } from './harness.js';
import type { Hub, HubCredentials } from './harness.js';

/** A raw GET with the hub's CA and an optional token; returns status and text. */
function get(creds: HubCredentials, path: string, token?: string): Promise<{ status: number; text: string }> {
  return new Promise((res, rej) => {
    const req = httpsRequest(
      new URL(path, creds.server),
      { ca: creds.ca, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } },
      (resp) => {
        let text = '';
        resp.setEncoding('utf8');
        resp.on('data', (d: string) => (text += d));
        resp.on('end', () => res({ status: resp.statusCode ?? 0, text }));
      },
    );
    req.on('error', rej);
    req.end();
  });
}

const bin = join(import.meta.dirname, '..', '..', 'bin', 'flotilla.js');

describe('flotilla command line', () => {
  it('prints help and exits 0', () => {
    const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: flotilla <command>/);
    const hub = spawnSync(process.execPath, [bin, 'hub', '--help'], { encoding: 'utf8' });
    assert.equal(hub.status, 0);
    assert.match(hub.stdout, /--data-dir DIR/);
    const sim = spawnSync(process.execPath, [bin, 'sim', '--help'], { encoding: 'utf8' });
    assert.equal(sim.status, 0);
    assert.match(sim.stdout, /flotilla sim fault CLUSTER down\|partition\|slow=MS\|heal/);
  });

  it('rejects bad flags with one line and exit code 2', () => {
    for (const args of [
      ['hub', '--listen', 'nope'],
      ['hub', '--bogus'],
      ['frobnicate'],
      ['hub', '--storage', 'tape'],
      ['sim', '--clusters', 'many'],
      ['sim', '--clusters', '2', '--fleet', 'examples/fleet.yaml'],
      ['sim', '--fleet', 'no/such/file.yaml'],
      ['sim', '--fleet', 'package.json'],
      ['sim', '--speed', '0'],
      ['sim', 'fault', 'us-east-1', 'explode'],
      ['sim', 'fault', 'us-east-1', 'node', 'n1', 'sideways'],
      ['sim', 'status', '--data-dir', 'no/such/dir'],
    ]) {
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^flotilla: /);
    }
  });
});

describe('hub HTTPS edge', () => {
  let hub: Hub;
  let creds: HubCredentials;
  before(async () => {
    hub = await startHubProcess();
    creds = readCredentials(hub.kubeconfig);
  });
  after(async () => {
    await hub.stop();
  });

  it('serves health and version without credentials', async () => {
    for (const path of ['/healthz', '/readyz', '/livez']) {
      const r = await get(creds, path);
      assert.deepEqual(r, { status: 200, text: 'ok' });
    }
    const v = await get(creds, '/version');
    assert.equal(v.status, 200);
    assert.match((JSON.parse(v.text) as { gitVersion: string }).gitVersion, /^v1\.\d+\.\d+/);
  });

  it('answers 401 Unauthorized without a valid token', async () => {
    for (const token of [undefined, 'wrong']) {
      const r = await get(creds, '/api/v1/namespaces', token);
      assert.equal(r.status, 401);
      const status = JSON.parse(r.text) as { kind: string; reason: string; code: number };
      assert.deepEqual([status.kind, status.reason, status.code], ['Status', 'Unauthorized', 401]);
    }
  });

  it('exports Prometheus metrics by verb, resource and code', async () => {
    await hubRequest(creds, { method: 'GET', path: '/api/v1/namespaces/default/configmaps/missing' });
    const r = await get(creds, '/metrics', creds.token);
    assert.equal(r.status, 200);
    assert.match(r.text, /apiserver_request_total\{verb="get",resource="configmaps",code="404"\} \d+/);
    assert.match(r.text, /apiserver_request_duration_seconds_bucket/);
    assert.match(r.text, /flotilla_storage_operation_duration_seconds_bucket\{le="[^"]+",operation="get"\}/);
    // The hub's own controllers reach the API server without HTTP; their requests count too.
    assert.match(r.text, /apiserver_request_total\{verb="list",resource="resourcebindings",code="200"\} \d+/);
  });

  it('reuses the CA, token and data when restarted on the same directory', async () => {
    const made = await hubRequest(creds, {
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' }, data: { a: '1' } },
    });
    assert.equal(made.status, 201);
    const ca = readFileSync(join(hub.dir, 'ca.crt'), 'utf8');
    await hub.stop();
    hub = await startHubProcess({ dir: hub.dir });
    const again = readCredentials(hub.kubeconfig);
    assert.equal(again.token, creds.token);
    assert.equal(readFileSync(join(hub.dir, 'ca.crt'), 'utf8'), ca);
    creds = again;
    const kept = await hubRequest(creds, {
      method: 'GET',
      path: '/api/v1/namespaces/default/configmaps/kept',
    });
    assert.equal(kept.status, 200);
  });
});
