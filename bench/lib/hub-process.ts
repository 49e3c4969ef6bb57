/**
 * Starts `hub-child.ts` (a real HTTPS hub, SQLite or in-memory) in its own process, so a
 * benchmark's clients do not share the hub's event loop, as in production, and with the V8 flags
 * a hub starts with (`NODE_FLAGS`; FLOTILLA_BENCH_NODE_FLAGS="…" gives others, "" none, to the
 * benchmark's own process too: see run.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../../src/cmd/heap-growth.js';
import { until } from './fleet.js';

export interface HubProcess {
  url: string;
  token: string;
  caPem: string;
  pid: number;
  /** With FLOTILLA_BENCH_PROFILE=FILE, starts the hub's CPU profile; does nothing otherwise. */
  startProfile(): void;
  /** Ends the profile started by `startProfile` and waits until the hub has written FILE. */
  endProfile(): Promise<void>;
  /** Stops the hub (its data directory is removed). */
  stop(): Promise<void>;
}

/** Spawns a hub on a free loopback port and waits until it serves; `options` go to startHub. */
export async function spawnHub(storage: 'sqlite' | 'memory', options: object = {}): Promise<HubProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env['FLOTILLA_BENCH_NODE_FLAGS']?.split(' ').filter(Boolean) ?? NODE_FLAGS),
      '--import',
      'tsx',
      join(dirname(fileURLToPath(import.meta.url)), 'hub-child.ts'),
      storage,
      JSON.stringify(options),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const first = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (line) => {
      rl.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`hub child exited with ${code}`)));
  });
  const info = JSON.parse(first) as { url: string; token: string; caPem: string; pid: number };
  const profileFile = process.env['FLOTILLA_BENCH_PROFILE'];
  return {
    ...info,
    startProfile: () => {
      if (profileFile) process.kill(info.pid, 'SIGUSR2');
    },
    endProfile: async () => {
      if (!profileFile) return;
      rmSync(profileFile, { force: true });
      process.kill(info.pid, 'SIGUSR2');
      await until(() => Promise.resolve(existsSync(profileFile)), 60_000);
    },
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
