/**
 * Starts `hub-child.ts` (a real HTTPS hub, SQLite or in-memory) in its own process, so a
 * benchmark's clients do not share the hub's event loop, as in production.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface HubProcess {
  url: string;
  token: string;
  caPem: string;
  pid: number;
  /** Stops the hub (its data directory is removed). */
  stop(): Promise<void>;
}

/** Spawns a hub on a free loopback port and waits until it serves; `options` go to startHub. */
export async function spawnHub(storage: 'sqlite' | 'memory', options: object = {}): Promise<HubProcess> {
  const child = spawn(
    process.execPath,
    [
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
  return {
    ...info,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
