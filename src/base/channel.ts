/**
 * An unbounded async queue with one consumer. Producers `push`; the consumer iterates; `close`
 * ends the iteration after the queued items, `fail` ends it with an error.
 *
 * Invariants: items are delivered in push order, each once; pushes after close are dropped.
 */
import { Fifo } from './fifo.js';

export class Channel<T> implements AsyncIterable<T> {
  readonly #items = new Fifo<T>();
  #closed = false;
  #error: unknown;
  #wake: (() => void) | undefined;

  push(item: T): void {
    if (this.#closed) return;
    this.#items.push(item);
    this.#notify();
  }

  close(): void {
    this.#closed = true;
    this.#notify();
  }

  fail(err: unknown): void {
    if (this.#closed) return;
    this.#error = err;
    this.#closed = true;
    this.#notify();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.#items.length > 0) {
        yield this.#items.shift() as T;
        continue;
      }
      if (this.#closed) {
        if (this.#error !== undefined)
          throw this.#error instanceof Error
            ? this.#error
            : new Error('channel failed', { cause: this.#error });
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}
