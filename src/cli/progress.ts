/**
 * Progress of a command that takes a few steps (`flotilla up`): on a terminal the step in progress
 * shows on its own line and is replaced, with a green tick, when it ends; elsewhere only finished steps are printed, without colour or cursor control.
 */

/** `1.2 s` */
export function duration(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Step lines on `stream`; `terminal`: it is a TTY that takes colour and cursor control. */
export class Progress {
  readonly #stream: NodeJS.WritableStream;
  readonly #tty: boolean;
  #pending = false;

  constructor(stream: NodeJS.WritableStream, options: { terminal: boolean }) {
    this.#stream = stream;
    this.#tty = options.terminal;
  }

  write(text: string): void {
    this.#clear();
    this.#stream.write(text);
  }

  line(text: string): void {
    this.write(`${text}\n`);
  }

  doing(text: string): void {
    if (!this.#tty) return;
    this.#clear();
    this.#stream.write(`  \x1b[2m…\x1b[0m ${text}`);
    this.#pending = true;
  }

  done(text: string, ms: number): void {
    const tick = this.#tty ? '\x1b[32m✓\x1b[0m' : '✓';
    this.line(`  ${tick} ${text} (${duration(ms)})`);
  }

  fail(): void {
    this.#clear();
  }

  bold(text: string): string {
    return this.#tty ? `\x1b[1m${text}\x1b[0m` : text;
  }

  #clear(): void {
    if (!this.#pending) return;
    this.#stream.write('\r\x1b[2K');
    this.#pending = false;
  }
}
