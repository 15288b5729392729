/**
 * A token bucket: `ratePerSecond` sustained, `burst` at once. Time is passed in so the
 * limiter stays pure and testable; callers use a monotonic clock.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAtMs: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.updatedAtMs = nowMs;
  }

  /** Takes one token if there is one; false means the caller is over its rate. */
  tryTake(nowMs: number): boolean {
    const elapsed = nowMs - this.updatedAtMs;
    if (elapsed > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
      this.updatedAtMs = nowMs;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
