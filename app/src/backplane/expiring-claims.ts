/**
 * In-process claims that expire, bounded in count: a key is granted once until its time is up
 * or it is released. The in-process backplane's claimOnce and the typing rate limit use it.
 */
export class ExpiringClaims {
  // Insertion order is claim order, so expired claims gather at the front.
  private readonly heldUntil = new Map<string, number>();

  constructor(private readonly maxClaims: number) {}

  /** True (and held for ttlMs) when the key is free; false while another claim holds it. */
  claim(key: string, nowMs: number, ttlMs: number): boolean {
    this.evict(nowMs);
    const until = this.heldUntil.get(key);
    if (until !== undefined && until > nowMs) return false;
    this.heldUntil.delete(key); // re-inserted last, keeping claim order
    this.heldUntil.set(key, nowMs + ttlMs);
    return true;
  }

  release(key: string): void {
    this.heldUntil.delete(key);
  }

  /** Drops expired claims from the front, and the oldest ones past the count bound. */
  private evict(nowMs: number): void {
    for (const [key, until] of this.heldUntil) {
      if (until > nowMs && this.heldUntil.size < this.maxClaims) break;
      this.heldUntil.delete(key);
    }
  }
}
