/**
 * End-to-end harness: starts the real `flotilla hub` binary on a free loopback port in a temporary
 * data directory, and runs the real kubectl (1.27 and 1.33) against it, each with its own cache dir.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the hub binary; resolves when it prints its URL. */
export async function startHubProcess(options: { dir?: string; storage?: 'sqlite' | 'memory' } = {}): Promise<Hub> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'flotilla-e2e-'));
  const proc = spawn(
    process.execPath,
    [join(root, 'bin', 'flotilla.js'), 'hub', '--data-dir', dir, '--listen', '127.0.0.1:0', '--storage', options.storage ?? 'sqlite', '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: root },
  );
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`hub did not start in 60s: ${stderr}`)), 60_000);
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving on (https:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`hub exited with ${code}: ${stderr}`));
    });
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    dir,
    kubeconfig: join(dir, 'kubeconfig'),
    url,
    proc,
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
  run(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<KubectlResult> {
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
  async ok(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<string> {
    const r = await this.run(args, options);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  cleanup(): void {
    rmSync(this.cacheDir, { recursive: true, force: true });
  }
}

/** Writes a temporary file and returns its path. */
export function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-file-'));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Polls `fn` until it returns a truthy value or the deadline passes. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, options: { timeoutMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'condition'}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
