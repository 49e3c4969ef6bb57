/**
 * The hub's PKI in its data directory: a CA and a serving certificate (ECDSA P-256) created on
 * first start and reused afterwards, and the admin bearer token. The serving certificate is
 * re-issued from the same CA when the listen host is not among its names.
 */
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;

export interface Pki {
  caPem: string;
  certPem: string;
  keyPem: string;
  token: string;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64.trim()}\n-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<CryptoKey> {
  const b64 = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return webcrypto.subtle.importKey('pkcs8', Buffer.from(b64, 'base64'), ALG, true, ['sign']);
}

async function newCa(now: Date): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: 'CN=flotilla-ca',
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 3650 * DAY),
    keys: keys as never,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { cert, keys };
}

async function newServing(
  ca: { cert: x509.X509Certificate; key: CryptoKey },
  hosts: readonly string[],
  now: Date,
): Promise<{ cert: string; key: string }> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const names = hosts.map((h) =>
    isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString('hex'),
    subject: 'CN=flotilla-hub',
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 365 * DAY),
    signingKey: ca.key as never,
    publicKey: keys.publicKey as never,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

function servingNames(host: string): string[] {
  return [
    ...new Set(
      ['localhost', '127.0.0.1', '::1', host].filter((h) => h !== '' && h !== '0.0.0.0' && h !== '::'),
    ),
  ];
}

function certCovers(pem: string, hosts: readonly string[]): boolean {
  const cert = new x509.X509Certificate(pem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const values = new Set(san?.names.items.map((n) => n.value) ?? []);
  return hosts.every((h) => values.has(h)) && cert.notAfter.getTime() > Date.now() + DAY;
}

/**
 * Loads or creates `ca.crt`, `ca.key`, `serving.crt`, `serving.key` and `token` in `dir`, so that
 * starting twice on one directory reuses the CA, token and (when still valid for `host`) the
 * serving certificate.
 */
export async function ensurePki(dir: string, host: string): Promise<Pki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const p = (f: string): string => join(dir, f);
  const now = new Date();
  if (!existsSync(p('ca.crt')) || !existsSync(p('ca.key'))) {
    const ca = await newCa(now);
    await writeFile(p('ca.key'), await keyPem(ca.keys.privateKey), { mode: 0o600 });
    await writeFile(p('ca.crt'), ca.cert.toString('pem'));
  }
  const caPem = await readFile(p('ca.crt'), 'utf8');
  const names = servingNames(host);
  const haveServing = existsSync(p('serving.crt')) && existsSync(p('serving.key'));
  if (!haveServing || !certCovers(await readFile(p('serving.crt'), 'utf8'), names)) {
    const ca = {
      cert: new x509.X509Certificate(caPem),
      key: await importKey(await readFile(p('ca.key'), 'utf8')),
    };
    const serving = await newServing(ca, names, now);
    await writeFile(p('serving.key'), serving.key, { mode: 0o600 });
    await writeFile(p('serving.crt'), serving.cert);
  }
  if (!existsSync(p('token')))
    await writeFile(p('token'), `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  return {
    caPem,
    certPem: await readFile(p('serving.crt'), 'utf8'),
    keyPem: await readFile(p('serving.key'), 'utf8'),
    token: (await readFile(p('token'), 'utf8')).trim(),
  };
}
