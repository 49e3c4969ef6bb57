/**
 * End-to-end harness: starts the real `flotilla hub` binary on a free loopback port in a temporary
 * data directory, and runs the real kubectl (1.27 and 1.33) against it, each with its own cache dir.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Directory holding kubectl.1.27 … kubectl.1.33. */
export function kubectlDir(): string {
  if (process.env['KUBECTL_DIR']) return process.env['KUBECTL_DIR'];
  const which = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
  if (which) {
    let p = which;
    try {
      for (let i = 0; i < 10; i++) p = resolve(dirname(p), readlinkSync(p));
    } catch {
      // not a symlink any more
    }
    if (existsSync(join(dirname(p), 'kubectl.1.27'))) return dirname(p);
  }
  return join(root, '.cache', 'kubectl');
}

export const KUBECTL_VERSIONS = ['1.27', '1.33'] as const;

export interface Hub {
  dir: string;
  kubeconfig: string;
  url: string;
  proc: ChildProcess;
  /** Everything the hub wrote to stdout and stderr so far. */
  logs(): string;
  /** How the hub exited (`code 1`, `signal SIGKILL`), or undefined while it runs. */
  exitStatus(): string | undefined;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs the real `flotilla` CLI to completion; `input` is piped to stdin. */
export function runFlotilla(
  args: readonly string[],
  input?: string,
  options: { cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [join(root, 'bin', 'flotilla.js'), ...args], {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    p.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    p.once('close', (code) => res({ code: code ?? -1, stdout, stderr }));
    if (input !== undefined) p.stdin?.end(input);
  });
}

/** Starts the hub binary; resolves when it prints its URL. */
export function startHubProcess(
  options: { dir?: string; storage?: 'sqlite' | 'memory'; args?: readonly string[] } = {},
): Promise<Hub> {
  return startFlotillaProcess('hub', {
    ...options,
    args: ['--storage', options.storage ?? 'sqlite', ...(options.args ?? [])],
  });
}

/**
 * Starts `flotilla <command> --data-dir DIR --listen 127.0.0.1:0 --log-level warn ARGS…` (hub or
 * sim); resolves when it prints `serving … on https://…`, with that URL.
 */
export async function startFlotillaProcess(
  command: 'hub' | 'sim',
  options: { dir?: string; args?: readonly string[] } = {},
): Promise<Hub> {
  const dir = options.dir ?? scratchDir(`flotilla-e2e-${command}-`);
  const proc = spawn(
    process.execPath,
    [
      join(root, 'bin', 'flotilla.js'),
      command,
      '--data-dir',
      dir,
      '--listen',
      '127.0.0.1:0',
      '--log-level',
      'warn',
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: root },
  );
  let stderr = '';
  let logs = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    logs += d.toString();
  });
  proc.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`${command} did not start in 60s: ${stderr}`)), 60_000);
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving .*?on (https:\/\/[^\s/]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${command} exited with ${code}: ${stderr}`));
    });
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    dir,
    kubeconfig: join(dir, 'kubeconfig'),
    url,
    proc,
    logs: () => logs,
    exitStatus: () => {
      if (proc.signalCode !== null) return `signal ${proc.signalCode}`;
      return proc.exitCode === null ? undefined : `code ${proc.exitCode}`;
    },
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A kubectl of one version bound to a hub, with a private cache directory. */
export class Kubectl {
  readonly cacheDir: string;
  constructor(
    readonly version: string,
    readonly kubeconfig: string,
  ) {
    this.cacheDir = mkdtempSync(join(tmpdir(), `kubectl-${version}-cache-`));
  }

  /** Runs kubectl; `input` is piped to stdin. */
  run(
    args: readonly string[],
    options: { input?: string; env?: Record<string, string> } = {},
  ): Promise<KubectlResult> {
    const bin = join(kubectlDir(), `kubectl.${this.version}`);
    return new Promise((res) => {
      const p = spawn(bin, ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args], {
        env: { ...process.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.stdin.end(options.input ?? '');
      p.once('close', (code) => res({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** Runs kubectl and fails with its stderr unless it exits 0. */
  async ok(
    args: readonly string[],
    options: { input?: string; env?: Record<string, string> } = {},
  ): Promise<string> {
    const r = await this.run(args, options);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  cleanup(): void {
    rmSync(this.cacheDir, { recursive: true, force: true });
  }
}

const scratchDirs: string[] = [];
process.once('exit', () => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/** A new temporary directory, removed when the test process exits. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

/** Writes a temporary file (removed when the test process exits) and returns its path. */
export function tempFile(name: string, content: string): string {
  const dir = scratchDir('flotilla-file-');
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Polls `fn` until it returns a truthy value or the deadline passes. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${options.what ?? 'condition'}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Serialises objects as a multi-document YAML stream (JSON is valid YAML). */
export function manifest(...objects: readonly unknown[]): string {
  return objects.map((o) => `---\n${JSON.stringify(o, null, 2)}\n`).join('');
}

/** A long-running kubectl (e.g. `get -w`, `wait`) whose output can be polled while it runs. */
export interface BackgroundKubectl {
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or -1 when killed by a signal). */
  readonly exited: Promise<number>;
  kill(): Promise<void>;
}

/** Starts kubectl in the background, bound to the same kubeconfig and cache directory. */
export function spawnKubectl(kubectl: Kubectl, args: readonly string[]): BackgroundKubectl {
  const bin = join(kubectlDir(), `kubectl.${kubectl.version}`);
  const p = spawn(bin, ['--kubeconfig', kubectl.kubeconfig, '--cache-dir', kubectl.cacheDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((r) => p.once('close', (code) => r(code ?? -1)));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    kill: async () => {
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
      await exited;
    },
  };
}

/** Server URL, CA and bearer token read from a hub kubeconfig. */
export interface HubCredentials {
  server: string;
  ca: Buffer;
  token: string;
}

/** Reads the first cluster/user of a kubeconfig written by the hub. */
export function readCredentials(kubeconfig: string): HubCredentials {
  const cfg = parseYaml(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = cfg.clusters[0]?.cluster;
  const user = cfg.users[0]?.user;
  if (!cluster || !user) throw new Error(`kubeconfig ${kubeconfig} has no cluster or user`);
  return {
    server: cluster.server,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
    token: user.token,
  };
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

/** One HTTPS request to the hub with its CA and token; the body is sent and parsed as JSON. */
export function hubRequest(
  creds: HubCredentials,
  request: { method: string; path: string; body?: unknown },
): Promise<JsonResponse> {
  const { method, path, body } = request;
  const url = new URL(path, creds.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((res, rej) => {
    const req = httpsRequest(
      url,
      {
        method,
        ca: creds.ca,
        headers: {
          authorization: `Bearer ${creds.token}`,
          accept: 'application/json',
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (resp) => {
        let text = '';
        resp.setEncoding('utf8');
        resp.on('data', (d: string) => (text += d));
        resp.on('end', () => {
          try {
            res({ status: resp.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          } catch (err) {
            rej(
              new Error(`${method} ${path}: bad JSON (${resp.statusCode}): ${text.slice(0, 200)}`, {
                cause: err,
              }),
            );
          }
        });
      },
    );
    req.on('error', rej);
    req.end(payload);
  });
}

/**
 * Starts one hub for the enclosing `describe` (in `before`) and stops it in `after`, failing the
 * suite with the hub's logs if it died during the tests. Returns a getter for the running hub.
 */
export function useHubProcess(options: Parameters<typeof startHubProcess>[0] = {}): () => Hub {
  let hub: Hub | undefined;
  before(async () => {
    hub = await startHubProcess(options);
  });
  after(async () => {
    const died = hub?.exitStatus();
    await hub?.stop();
    assert.equal(died, undefined, `the hub exited during the tests (${died ?? ''}):\n${hub?.logs() ?? ''}`);
  });
  return () => {
    if (!hub) throw new Error('the hub is not running (used outside the describe that started it?)');
    return hub;
  };
}
