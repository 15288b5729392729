/**
 * Remembers keys for a while, bounded in count: enough to recognise a client's retry of a
 * message it already sent (same x-client-msg-id) without keeping every id forever.
 */
export class RecentKeys {
  // Map iteration order is insertion order, so the first entry is always the oldest.
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  /** Records the key; returns false when it was already seen within the window. */
  remember(key: string, nowMs: number): boolean {
    this.evict(nowMs);
    if (this.seenAt.has(key)) return false;
    this.seenAt.set(key, nowMs);
    return true;
  }

  /** Lets a key be used again, e.g. when the message it guarded could not be published. */
  forget(key: string): void {
    this.seenAt.delete(key);
  }

  private evict(nowMs: number): void {
    for (const [key, at] of this.seenAt) {
      if (nowMs - at < this.windowMs && this.seenAt.size < this.maxKeys) break;
      this.seenAt.delete(key);
    }
  }
}
