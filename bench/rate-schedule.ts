/**
 * Open-loop send schedule: message k is due at start + k / rate, fixed in absolute time.
 * Timer ticks only decide *when we look*; how many messages go out is derived from the
 * clock, so a late tick (GC pause, busy event loop) is followed by a catch-up burst instead
 * of silently lowering the offered load — the drift that hides coordinated omission.
 */
export class RateSchedule {
  private sent = 0;
  private maxLagMs = 0;

  constructor(
    private readonly ratePerSec: number,
    private readonly startMs: number,
  ) {
    if (!(ratePerSec > 0) || !Number.isFinite(ratePerSec)) {
      throw new RangeError(`rate must be a positive finite number, got ${ratePerSec}`);
    }
  }

  /** How many messages should have been sent by `nowMs` (message 0 is due at start). */
  dueBy(nowMs: number): number {
    if (nowMs < this.startMs) return 0;
    return Math.floor(((nowMs - this.startMs) * this.ratePerSec) / 1000) + 1;
  }

  /** When message `index` is due, in the same clock as `startMs`. */
  dueAt(index: number): number {
    return this.startMs + (index * 1000) / this.ratePerSec;
  }

  /**
   * Claims the messages to send now, at most `maxBurst` so one tick cannot monopolise the
   * event loop; the remainder stays due and is claimed by the next tick.
   */
  take(nowMs: number, maxBurst: number): number {
    const behind = this.dueBy(nowMs) - this.sent;
    if (behind <= 0) return 0;
    const count = Math.min(behind, Math.max(1, Math.floor(maxBurst)));
    // Lag of the oldest message claimed: how late the generator is against its own schedule.
    this.maxLagMs = Math.max(this.maxLagMs, nowMs - this.dueAt(this.sent));
    this.sent += count;
    return count;
  }

  get sentCount(): number {
    return this.sent;
  }

  /** Largest delay between a message's due time and the tick that sent it. */
  get maxLag(): number {
    return this.maxLagMs;
  }

  /** Starts a new lag observation (e.g. at the start of a measurement window). */
  resetMaxLag(): void {
    this.maxLagMs = 0;
  }

  /** Messages that are due but not yet claimed (non-zero means the generator cannot keep up). */
  backlog(nowMs: number): number {
    return Math.max(0, this.dueBy(nowMs) - this.sent);
  }
}
