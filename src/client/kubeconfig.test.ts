import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeconfigError, kubeconfigTransport } from './kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const b64 = (s: string): string => Buffer.from(s).toString('base64');
writeFileSync(join(dir, 'ca.crt'), 'CA FROM FILE');
writeFileSync(join(dir, 'token'), 'file-token\n');
const path = join(dir, 'config');
writeFileSync(
  path,
  `apiVersion: v1
kind: Config
current-context: hub
clusters:
- name: hub
  cluster: {server: "https://127.0.0.1:7443", certificate-authority-data: ${b64('CA DATA')}}
- name: member
  cluster: {server: "https://127.0.0.1:7445", certificate-authority: ca.crt}
- name: plain
  cluster: {server: "http://127.0.0.1:8080"}
users:
- name: admin
  user: {token: secret}
- name: files
  user: {tokenFile: token}
- name: cert
  user: {client-certificate-data: ${b64('CERT')}, client-key-data: ${b64('KEY')}}
- name: plugin
  user: {exec: {command: aws}}
contexts:
- name: hub
  context: {cluster: hub, user: admin}
- name: member
  context: {cluster: member, user: files}
- name: cert
  context: {cluster: hub, user: cert}
- name: plugin
  context: {cluster: hub, user: plugin}
- name: plain
  context: {cluster: plain, user: admin}
- name: dangling
  context: {cluster: nowhere, user: admin}
`,
);

describe('kubeconfigTransport', () => {
  it('reads the current context: server, CA data and token', async () => {
    assert.deepEqual(await kubeconfigTransport(path), {
      server: 'https://127.0.0.1:7443',
      caPem: 'CA DATA',
      token: 'secret',
    });
  });

  it('reads files relative to the kubeconfig, and client certificates', async () => {
    assert.deepEqual(await kubeconfigTransport(path, 'member'), {
      server: 'https://127.0.0.1:7445',
      caPem: 'CA FROM FILE',
      token: 'file-token',
    });
    assert.deepEqual(await kubeconfigTransport(path, 'cert'), {
      server: 'https://127.0.0.1:7443',
      caPem: 'CA DATA',
      certPem: 'CERT',
      keyPem: 'KEY',
    });
  });

  it('explains what it cannot use', async () => {
    const cases: [string | undefined, RegExp, string?][] = [
      ['nope', /has no context named "nope"/],
      ['dangling', /has no cluster named "nowhere"/],
      ['plugin', /exec or auth-provider plugin \(not supported\)/],
      ['plain', /needs an https:\/\/ server/],
      [undefined, /cannot read kubeconfig .*ENOENT/, join(dir, 'missing')],
    ];
    for (const [context, message, file] of cases)
      await assert.rejects(kubeconfigTransport(file ?? path, context), (err: unknown) => {
        assert.ok(err instanceof KubeconfigError);
        assert.match(err.message, message);
        return true;
      });
  });
});
