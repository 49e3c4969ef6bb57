/**
 * A first-in first-out queue whose `shift` takes constant time however long the queue is.
 * (`Array.prototype.shift` copies the whole array once it is large, so a work queue holding
 * 100,000 keys spent most of its time moving them.) Items live in an array read from a head index;
 * the consumed prefix is dropped once it is more than half of the array.
 */
export class Fifo<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Drops every queued item. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }

  /** Removes and answers the oldest item; `undefined` when empty. */
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined as T; // let it be collected
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}
