/**
 * A first-in-first-out queue on an array with a head index (a session's inbox, the in-process
 * persist queue, the SEND timeouts). `Array.prototype.shift` moves every element left, so draining a long backlog
 * with it costs quadratic time — exactly when the consumer is already behind. The consumed front is dropped in one go once it is most of the
 * array, so memory stays proportional to what is queued.
 */
export class Fifo<T> {
  // No array while empty: a session's inbox is empty almost all the time, and idle sessions
  // are most of a chat server's memory.
  private items: T[] | undefined;
  private head = 0;

  get length(): number {
    return this.items === undefined ? 0 : this.items.length - this.head;
  }

  push(item: T): void {
    (this.items ??= []).push(item);
  }

  /** The oldest item, left in place; undefined when empty. */
  peek(): T | undefined {
    return this.items === undefined ? undefined : this.items[this.head];
  }

  /** The oldest item, removed; undefined when empty. */
  shift(): T | undefined {
    if (this.items === undefined) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as T; // let it be collected while the rest waits
    this.head++;
    if (this.head === this.items.length) this.clear();
    else if (this.head > 1_024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = undefined;
    this.head = 0;
  }
}
