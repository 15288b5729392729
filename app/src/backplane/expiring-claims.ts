/**
 * In-process claims that expire, bounded in count: a key is granted once until its time is up
 * or it is released, and remembers a value given with it. The in-process backplane's publish
 * dedupe and the typing rate limit use it.
 */
export class ExpiringClaims<V = true> {
  // Insertion order is claim order, so expired claims gather at the front.
  private readonly held = new Map<string, { readonly until: number; readonly value: V }>();

  constructor(private readonly maxClaims: number) {}

  /** True (and held for ttlMs with `value`) when the key is free; false while another claim holds it. */
  claim(key: string, nowMs: number, ttlMs: number, value: V = true as V): boolean {
    if (this.holder(key, nowMs) !== undefined) return false;
    this.held.delete(key); // re-inserted last, keeping claim order
    this.held.set(key, { until: nowMs + ttlMs, value });
    return true;
  }

  /** The value of the claim holding `key`, or undefined when it is free. */
  holder(key: string, nowMs: number): V | undefined {
    this.evict(nowMs);
    const claim = this.held.get(key);
    return claim !== undefined && claim.until > nowMs ? claim.value : undefined;
  }

  release(key: string): void {
    this.held.delete(key);
  }

  /** Drops expired claims from the front, and the oldest ones past the count bound. */
  private evict(nowMs: number): void {
    for (const [key, { until }] of this.held) {
      if (until > nowMs && this.held.size < this.maxClaims) break;
      this.held.delete(key);
    }
  }
}
