/** Above this capacity, storage is released on reset so idle connections do not pin memory. */
const RETAINED_CAPACITY = 16 * 1024;
const INITIAL_CAPACITY = 256;
const NO_STORAGE = Buffer.alloc(0);

/**
 * Collects the bytes of a line or body that arrives split across chunks. Growing by doubling
 * keeps appends amortised O(1) per byte, so one-byte chunks stay linear overall. Callers bound
 * its size with the parser limits.
 */
export class ByteAccumulator {
  private storage: Buffer = NO_STORAGE;
  private used = 0;

  get length(): number {
    return this.used;
  }

  append(source: Buffer, start: number, end: number): void {
    const needed = this.used + (end - start);
    if (needed > this.storage.length) this.grow(needed);
    source.copy(this.storage, this.used, start, end);
    this.used = needed;
  }

  /** The collected bytes without copying; valid only until the next append. */
  view(): Buffer {
    return this.storage.subarray(0, this.used);
  }

  /** A copy of the collected bytes that stays valid whatever happens to this accumulator. */
  copy(): Buffer {
    return Buffer.from(this.view());
  }

  reset(): void {
    this.used = 0;
    if (this.storage.length > RETAINED_CAPACITY) this.storage = NO_STORAGE;
  }

  private grow(needed: number): void {
    let capacity = Math.max(this.storage.length * 2, INITIAL_CAPACITY);
    while (capacity < needed) capacity *= 2;
    // allocUnsafe is fine: only the first `used` bytes are ever exposed, and they are written.
    const larger = Buffer.allocUnsafe(capacity);
    this.storage.copy(larger, 0, 0, this.used);
    this.storage = larger;
  }
}
