/**
 * `flotilla up` as a child process, in a pseudo-terminal (util-linux `script`) or piped, with its
 * output collected and awaited.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Up {
  proc: ChildProcess;
  output(): string;
  /** Resolves with the output once `text` appears in it (rejects if the process ends first). */
  until(text: string): Promise<string>;
  exited: Promise<number | null>;
}

/** `flotilla up` in a pseudo-terminal (`tty`) or with piped output, run in `cwd` (default: the project). */
export function startUp(dir: string, o: { tty: boolean; args?: readonly string[]; cwd?: string }): Up {
  const cwd = o.cwd ?? root;
  const args = [join(root, 'bin', 'flotilla.js'), 'up', '--data-dir', dir, '--listen', '127.0.0.1:0'];
  // `exec`: `script` runs the command through $SHELL (or /bin/sh, dash, when SHELL is unset, as in
  // CI), and a shell left in between would take the terminal's SIGINT too and die of it (exit 130).
  const command = `exec ${[process.execPath, ...args, ...(o.args ?? [])].map((a) => `'${a}'`).join(' ')}`;
  const proc = o.tty
    ? spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], cwd })
    : spawn(process.execPath, [...args, ...(o.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  let out = '';
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<number | null>((r) => proc.once('close', (code) => r(code)));
  const until = (text: string): Promise<string> =>
    new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no "${text}" in 60 s:\n${out}`)), 60_000);
      const check = (): void => {
        if (out.includes(text)) {
          clearTimeout(timer);
          res(out);
        } else waiters.push(check);
      };
      void exited.then(() => {
        clearTimeout(timer);
        if (!out.includes(text)) rej(new Error(`up exited before "${text}":\n${out}`));
      });
      check();
    });
  return { proc, output: () => out, until, exited };
}
