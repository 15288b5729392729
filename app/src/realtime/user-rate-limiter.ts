import { TokenBucket } from './rate-limiter.js';

/**
 * One token bucket per user, shared by all of that user's sessions on this instance, so
 * opening more connections does not buy a higher message rate.
 */
export class UserRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  tryTake(userId: string, nowMs: number): boolean {
    let bucket = this.buckets.get(userId);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.ratePerSecond, this.burst, nowMs);
      this.buckets.set(userId, bucket);
    }
    return bucket.tryTake(nowMs);
  }

  /** Forget a user who has no session left here. */
  release(userId: string): void {
    this.buckets.delete(userId);
  }

  get size(): number {
    return this.buckets.size;
  }
}
